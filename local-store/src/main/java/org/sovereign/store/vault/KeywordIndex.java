package org.sovereign.store.vault;

import org.sovereign.store.vault.crypto.BlindIndex;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keyword search over encrypted items without storing any plaintext: each item's distinct normalised tokens are
 * stored as blind-index terms (keyed HMACs), and a query is answered by matching its terms. Ranking weighs rarer
 * terms higher (inverse document frequency). Usable while its session is unlocked; locking closes its key.
 */
public final class KeywordIndex {

    /** An item that matched, with its score (higher is better) and how many query terms it contains. */
    public record Hit(long itemId, double score, int matchedTerms) {
    }

    private final Vault vault;
    private final BlindIndex blind;

    KeywordIndex(Vault vault, BlindIndex blind) {
        this.vault = vault;
        this.blind = blind;
    }

    /** Replaces the indexed terms of {@code itemId} with those of {@code text}. */
    public void index(long itemId, String text) {
        List<byte[]> terms = blind.terms(text);
        vault.withConnection("index an item's keywords", c -> {
            Sql.inTransaction(c, () -> {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM keyword_term WHERE item_id = ?")) {
                    del.setLong(1, itemId);
                    del.executeUpdate();
                }
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO keyword_term (term, item_id) VALUES (?, ?)")) {
                    for (byte[] term : terms) {
                        ins.setBytes(1, term);
                        ins.setLong(2, itemId);
                        ins.addBatch();
                    }
                    ins.executeBatch();
                }
            });
            return null;
        });
    }

    /**
     * Items containing any of the query's tokens, best first: score = sum over matched terms of ln(1 + N / df),
     * where N is the number of indexed items and df the number containing the term.
     */
    public List<Hit> search(String query, int limit) {
        List<byte[]> terms = blind.terms(query);
        if (terms.isEmpty() || limit <= 0) {
            return List.of();
        }
        return vault.withConnection("search keywords", c -> {
            long n = Math.max(1, Sql.queryLong(c, "SELECT COUNT(DISTINCT item_id) FROM keyword_term"));
            Map<Long, double[]> scores = new HashMap<>();
            try (PreparedStatement df = c.prepareStatement("SELECT COUNT(*) FROM keyword_term WHERE term = ?");
                 PreparedStatement items = c.prepareStatement("SELECT item_id FROM keyword_term WHERE term = ?")) {
                for (byte[] term : terms) {
                    df.setBytes(1, term);
                    long count;
                    try (ResultSet rs = df.executeQuery()) {
                        count = rs.next() ? rs.getLong(1) : 0;
                    }
                    if (count == 0) {
                        continue;
                    }
                    double idf = Math.log(1 + (double) n / count);
                    items.setBytes(1, term);
                    try (ResultSet rs = items.executeQuery()) {
                        while (rs.next()) {
                            double[] s = scores.computeIfAbsent(rs.getLong(1), k -> new double[2]);
                            s[0] += idf;
                            s[1] += 1;
                        }
                    }
                }
            }
            List<Hit> hits = new ArrayList<>();
            scores.forEach((id, s) -> hits.add(new Hit(id, s[0], (int) s[1])));
            hits.sort((a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score()) : Long.compare(a.itemId(), b.itemId()));
            return hits.size() > limit ? List.copyOf(hits.subList(0, limit)) : hits;
        });
    }
}
