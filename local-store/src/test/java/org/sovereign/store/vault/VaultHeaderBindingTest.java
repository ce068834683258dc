package org.sovereign.store.vault;

import org.junit.jupiter.api.Test;
import org.sovereign.store.vault.crypto.Aead;
import org.sovereign.store.vault.crypto.Hex;
import org.sovereign.store.vault.crypto.KdfParams;
import org.sovereign.store.vault.crypto.KeyMaterial;
import org.sovereign.store.vault.crypto.KeyWrap;

import java.security.SecureRandom;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Changing KDF settings or salt already changes the derived key; the header binding additionally
 * makes the master-key wrap itself reject any altered header field, even under the right KEK.
 */
class VaultHeaderBindingTest {
    private static final byte[] SALT = Hex.decode("000102030405060708090a0b0c0d0e0f");
    private static final KdfParams PARAMS = new KdfParams(16384, 2, 2);

    @Test
    void everyHeaderFieldIsBoundIntoTheMasterKeyWrap() {
        SecureRandom random = new SecureRandom();
        KeyWrap wrap = new KeyWrap(new Aead(random));
        try (KeyMaterial kek = KeyMaterial.random(random); KeyMaterial master = KeyMaterial.random(random)) {
            byte[] wrapped = wrap.wrap(kek, master, VaultHeader.MASTER_KEY_ID, VaultHeader.MASTER_KEY_PURPOSE,
                    VaultHeader.binding(1, PARAMS, SALT));
            byte[] otherSalt = SALT.clone();
            otherSalt[15] ^= 1;
            List<byte[]> altered = List.of(
                    VaultHeader.binding(2, PARAMS, SALT),
                    VaultHeader.binding(1, new KdfParams(8192, 2, 2), SALT),
                    VaultHeader.binding(1, new KdfParams(16384, 1, 2), SALT),
                    VaultHeader.binding(1, new KdfParams(16384, 2, 1), SALT),
                    VaultHeader.binding(1, PARAMS, otherSalt));
            for (byte[] binding : altered) {
                assertThatThrownBy(() -> wrap.unwrap(kek, wrapped, VaultHeader.MASTER_KEY_ID,
                        VaultHeader.MASTER_KEY_PURPOSE, binding)).isInstanceOf(TamperedDataException.class);
            }
            try (KeyMaterial back = wrap.unwrap(kek, wrapped, VaultHeader.MASTER_KEY_ID,
                    VaultHeader.MASTER_KEY_PURPOSE, VaultHeader.binding(1, PARAMS, SALT))) {
                assertThat(back.sameKeyAs(master)).isTrue();
            }
        }
    }
}
