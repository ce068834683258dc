package org.sovereign.store.vault.crypto;

import org.junit.jupiter.api.Test;
import org.sovereign.store.vault.TamperedDataException;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyWrapTest {
    private final SecureRandom random = new SecureRandom();
    private final KeyWrap wrap = new KeyWrap(new Aead(random));

    @Test
    void unwrapsOnlyWithSameParentIdPurposeAndBinding() {
        try (KeyMaterial parent = KeyMaterial.random(random);
             KeyMaterial otherParent = KeyMaterial.random(random);
             KeyMaterial child = KeyMaterial.random(random)) {
            byte[] binding = {1, 2, 3};
            byte[] wrapped = wrap.wrap(parent, child, "scope-1", "data-key", binding);
            try (KeyMaterial back = wrap.unwrap(parent, wrapped, "scope-1", "data-key", binding)) {
                assertThat(back.sameKeyAs(child)).isTrue();
            }
            assertThatThrownBy(() -> wrap.unwrap(otherParent, wrapped, "scope-1", "data-key", binding))
                    .isInstanceOf(TamperedDataException.class);
            assertThatThrownBy(() -> wrap.unwrap(parent, wrapped, "scope-2", "data-key", binding))
                    .isInstanceOf(TamperedDataException.class);
            assertThatThrownBy(() -> wrap.unwrap(parent, wrapped, "scope-1", "master-key", binding))
                    .isInstanceOf(TamperedDataException.class);
            assertThatThrownBy(() -> wrap.unwrap(parent, wrapped, "scope-1", "data-key", new byte[] {1, 2, 4}))
                    .isInstanceOf(TamperedDataException.class);
            assertThat(Hex.encode(wrapped)).doesNotContain(Hex.encode(child.bytes()));
        }
    }

    @Test
    void derivedKeysAreDeterministicAndPurposeSeparated() {
        try (KeyMaterial parent = KeyMaterial.random(random);
             KeyMaterial a = KeyDerivation.derive(parent, "blind-index");
             KeyMaterial a2 = KeyDerivation.derive(parent, "blind-index");
             KeyMaterial b = KeyDerivation.derive(parent, "backup")) {
            assertThat(a.sameKeyAs(a2)).isTrue();
            assertThat(a.sameKeyAs(b)).isFalse();
            assertThat(a.sameKeyAs(parent)).isFalse();
        }
    }
}
