package org.sovereign.store.vault;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeywordIndexTest {

    @TempDir
    Path dir;

    @Test
    void findsItemsByTheirWordsWithoutStoringTheWords() throws Exception {
        Path file = dir.resolve("vault.db");
        char[] pass = "keyword index passphrase".toCharArray();
        try (Vault vault = Vault.create(file, pass.clone(), new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1));
             VaultSession session = vault.unlock(pass.clone())) {
            Scope scope = session.createScope("source");
            String[] texts = {
                    "The queen bee lays eggs in spring.",
                    "Varroa mites weaken the colony; count them in spring.",
                    "Honey is harvested in late summer.",
            };
            long[] ids = new long[texts.length];
            KeywordIndex index = session.keywordIndex();
            for (int i = 0; i < texts.length; i++) {
                ids[i] = session.putItem(scope.id(), "chunk", texts[i].getBytes(StandardCharsets.UTF_8));
                index.index(ids[i], texts[i]);
            }

            List<KeywordIndex.Hit> hits = index.search("VARROA, Spring!", 10);
            assertThat(hits).extracting(KeywordIndex.Hit::itemId).startsWith(ids[1]).contains(ids[0]).doesNotContain(ids[2]);
            assertThat(hits.get(0).matchedTerms()).isEqualTo(2);
            assertThat(index.search("harvested", 10)).extracting(KeywordIndex.Hit::itemId).containsExactly(ids[2]);
            assertThat(index.search("nothing-matches-this", 10)).isEmpty();

            session.eraseScope(scope.id());
            assertThat(index.search("spring", 10)).as("erasing the scope removes its terms").isEmpty();
        }
        byte[] raw = Files.readAllBytes(file);
        assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain("varroa", "Varroa", "harvested");
    }
}
