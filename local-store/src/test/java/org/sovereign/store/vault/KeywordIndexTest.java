package org.sovereign.store.vault;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

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

    /** What search must return: every item scored over every query term (the way it was computed before V4). */
    private static List<KeywordIndex.Hit> bruteForce(Vault vault, VaultSession session, String query, int limit) {
        List<byte[]> terms = session.blindIndex().terms(query);
        return vault.withConnection("reference search", c -> {
            long n;
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(DISTINCT item_id) FROM keyword_term")) {
                n = Math.max(1, rs.next() ? rs.getLong(1) : 0);
            }
            Map<Long, double[]> scores = new HashMap<>();
            for (byte[] term : terms) {
                List<Long> items = new ArrayList<>();
                try (var ps = c.prepareStatement("SELECT item_id FROM keyword_term WHERE term = ?")) {
                    ps.setBytes(1, term);
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            items.add(rs.getLong(1));
                        }
                    }
                }
                if (items.isEmpty()) {
                    continue;
                }
                double idf = Math.log(1 + (double) n / items.size());
                for (long id : items) {
                    double[] s = scores.computeIfAbsent(id, k -> new double[2]);
                    s[0] += idf;
                    s[1] += 1;
                }
            }
            List<KeywordIndex.Hit> hits = new ArrayList<>();
            scores.forEach((id, s) -> hits.add(new KeywordIndex.Hit(id, s[0], (int) s[1])));
            hits.sort((a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score()) : Long.compare(a.itemId(), b.itemId()));
            return hits.size() > limit ? List.copyOf(hits.subList(0, limit)) : hits;
        });
    }

    private static long[] stats(Vault vault) {
        return vault.withConnection("read stats", c -> {
            try (var st = c.createStatement()) {
                long items;
                long dfSum;
                long expectedItems;
                long expectedDfSum;
                try (var rs = st.executeQuery("SELECT items FROM keyword_stats")) {
                    items = rs.next() ? rs.getLong(1) : -1;
                }
                try (var rs = st.executeQuery("SELECT COALESCE(SUM(df), 0) FROM keyword_df")) {
                    dfSum = rs.getLong(1);
                }
                try (var rs = st.executeQuery("SELECT COUNT(DISTINCT item_id), COUNT(*) FROM keyword_term")) {
                    expectedItems = rs.getLong(1);
                    expectedDfSum = rs.getLong(2);
                }
                try (var rs = st.executeQuery("SELECT COUNT(*) FROM keyword_df d WHERE df <> (SELECT COUNT(*) FROM keyword_term k WHERE k.term = d.term)")) {
                    if (rs.getLong(1) != 0) {
                        throw new AssertionError(rs.getLong(1) + " terms have a wrong df");
                    }
                }
                return new long[] {items, expectedItems, dfSum, expectedDfSum};
            }
        });
    }

    @Test
    void rankingWithStatisticsAndEarlyStopsEqualsScoringEveryItem() {
        Path file = dir.resolve("vault.db");
        char[] pass = "keyword index passphrase".toCharArray();
        String[] common = "the of and to a in is it".split(" ");
        String[] rare = "varroa queen honey comb brood nectar pollen swarm frame smoker wax drone apiary hive".split(" ");
        try (Vault vault = Vault.create(file, pass.clone(), new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1));
             VaultSession session = vault.unlock(pass.clone())) {
            Scope kept = session.createScope("source");
            Scope erased = session.createScope("source");
            KeywordIndex index = session.keywordIndex();
            Random random = new Random(5);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                StringBuilder text = new StringBuilder();
                for (int w = 0; w < 12; w++) {
                    text.append(random.nextInt(3) == 0 ? rare[random.nextInt(rare.length)] : common[random.nextInt(common.length)]).append(' ');
                }
                long id = session.putItem(i % 4 == 0 ? erased.id() : kept.id(), "chunk", new byte[] {1});
                index.index(id, text.toString());
                ids.add(id);
            }
            index.index(ids.get(1), "the queen and the drone"); // re-indexing replaces the terms
            index.index(ids.get(2), ""); // an item without terms no longer counts
            session.deleteItem(ids.get(3)); // terms go with the item (cascade)
            long[] s = stats(vault);
            assertThat(s[0]).isEqualTo(s[1]);
            assertThat(s[2]).isEqualTo(s[3]);

            for (int round = 0; round < 2; round++) {
                for (int q = 0; q < 60; q++) {
                    StringBuilder query = new StringBuilder();
                    int words = 1 + random.nextInt(5);
                    for (int w = 0; w < words; w++) {
                        query.append(random.nextBoolean() ? common[random.nextInt(common.length)] : rare[random.nextInt(rare.length)]).append(' ');
                    }
                    int limit = 1 + random.nextInt(40);
                    assertThat(index.search(query.toString(), limit)).as("query '%s', limit %d", query, limit)
                            .isEqualTo(bruteForce(vault, session, query.toString(), limit));
                }
                session.eraseScope(erased.id()); // second round: after a scope's terms went by cascade
                s = stats(vault);
                assertThat(s[0]).isEqualTo(s[1]).isPositive();
                assertThat(s[2]).isEqualTo(s[3]);
            }
        }
    }
}
