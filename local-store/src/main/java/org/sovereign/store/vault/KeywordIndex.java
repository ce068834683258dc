package org.sovereign.store.vault;

import org.sovereign.store.vault.crypto.BlindIndex;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

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
     * where N is the number of indexed items and df the number containing the term; ties go to the lower item id.
     *
     * <p>N and each df come from statistics kept by triggers (schema V5). Terms are read rarest first; once the terms
     * left could not lift an item that has not matched yet above the current {@code limit}-th score, the remaining
     * terms are only checked for the items that can still make the cut, so common words cost a few index probes
     * instead of a scan of every item that contains them. The result is the same as scoring every item.
     */
    public List<Hit> search(String query, int limit) {
        List<byte[]> terms = blind.terms(query);
        if (terms.isEmpty() || limit <= 0) {
            return List.of();
        }
        return vault.withConnection("search keywords", c -> {
            long n = Math.max(1, Sql.queryLong(c, "SELECT items FROM keyword_stats WHERE id = 1"));
            int t = terms.size();
            double[] idf = new double[t];
            long[] df = new long[t];
            try (PreparedStatement ps = c.prepareStatement("SELECT df FROM keyword_df WHERE term = ?")) {
                for (int i = 0; i < t; i++) {
                    ps.setBytes(1, terms.get(i));
                    try (ResultSet rs = ps.executeQuery()) {
                        df[i] = rs.next() ? rs.getLong(1) : 0;
                    }
                    idf[i] = df[i] == 0 ? 0 : Math.log(1 + (double) n / df[i]);
                }
            }
            if (t > 63) {
                return scoreEveryItem(c, terms, idf, limit);
            }
            List<Hit> allTerms = itemsWithEveryTerm(c, terms, df, idf, limit);
            if (allTerms != null) {
                return allTerms;
            }
            // rarest (highest idf) first; "rest[j]" = the most an item can still gain from terms order[j..]
            Integer[] order = new Integer[t];
            for (int i = 0; i < t; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(df[a], df[b]));
            double[] rest = new double[t + 1];
            for (int j = t - 1; j >= 0; j--) {
                rest[j] = rest[j + 1] + (df[order[j]] == 0 ? 0 : idf[order[j]]);
            }
            Map<Long, long[]> matched = new HashMap<>(); // item -> {bitmask of matched query terms}
            Map<Long, Double> partial = new HashMap<>();
            int j = 0;
            for (; j < t; j++) {
                int term = order[j];
                if (df[term] == 0) {
                    continue;
                }
                if (partial.size() >= limit && rest[j] < kthLargest(partial, limit) - 1e-9) {
                    break; // no item unseen so far can reach the top `limit` any more
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT item_id FROM keyword_term WHERE term = ?")) {
                    ps.setBytes(1, terms.get(term));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long id = rs.getLong(1);
                            matched.computeIfAbsent(id, k -> new long[1])[0] |= 1L << term;
                            partial.merge(id, idf[term], Double::sum);
                        }
                    }
                }
            }
            if (j < t) {
                // complete the scores of the items that can still make the cut, for the remaining (common) terms
                double threshold = kthLargest(partial, limit) - 1e-9;
                double left = rest[j];
                List<Long> contenders = new ArrayList<>();
                partial.forEach((id, score) -> {
                    if (score + left >= threshold) {
                        contenders.add(id);
                    }
                });
                matched.keySet().retainAll(new HashSet<>(contenders));
                for (; j < t; j++) {
                    int term = order[j];
                    if (df[term] == 0) {
                        continue;
                    }
                    markMembers(c, terms.get(term), term, contenders, matched);
                }
            }
            List<Hit> hits = new ArrayList<>(matched.size());
            matched.forEach((id, mask) -> {
                double score = 0;
                int count = 0;
                for (int i = 0; i < t; i++) { // in query order, as the sum was always taken
                    if ((mask[0] & (1L << i)) != 0) {
                        score += idf[i];
                        count++;
                    }
                }
                hits.add(new Hit(id, score, count));
            });
            return top(hits, limit);
        });
    }

    /**
     * The fast path for queries of common words: items containing every query term that occurs at all have the
     * highest possible score (the sum of all idfs; any other item lacks a positive term), and among equal scores the
     * lower item id ranks first. So if at least {@code limit} such items exist, the answer is the {@code limit} lowest
     * ids among them, which a merge of the terms' id-ordered lists finds after reading only their beginnings. Gives
     * up (null) when it has read {@value #MERGE_BUDGET} rows without finding enough, or a list ends.
     */
    private static List<Hit> itemsWithEveryTerm(Connection c, List<byte[]> terms, long[] df, double[] idf,
                                                int limit) throws SQLException {
        List<Integer> present = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            if (df[i] > 0) {
                present.add(i);
            }
        }
        if (present.size() < 2) {
            return null; // one term: the rarest-first path reads exactly its list anyway
        }
        double score = 0;
        for (int i : present) { // in query order, as the sum is always taken
            score += idf[i];
        }
        List<PreparedStatement> statements = new ArrayList<>();
        List<ResultSet> cursors = new ArrayList<>();
        try {
            for (int i : present) {
                PreparedStatement ps = c.prepareStatement("SELECT item_id FROM keyword_term WHERE term = ? ORDER BY item_id");
                statements.add(ps);
                ps.setBytes(1, terms.get(i));
                cursors.add(ps.executeQuery());
            }
            int m = cursors.size();
            long[] at = new long[m];
            for (int i = 0; i < m; i++) {
                if (!cursors.get(i).next()) {
                    return null;
                }
                at[i] = cursors.get(i).getLong(1);
            }
            long read = m;
            List<Hit> hits = new ArrayList<>();
            while (read < MERGE_BUDGET) {
                long max = Long.MIN_VALUE;
                for (long id : at) {
                    max = Math.max(max, id);
                }
                boolean all = true;
                for (int i = 0; i < m; i++) {
                    while (at[i] < max) {
                        if (!cursors.get(i).next()) {
                            return null;
                        }
                        at[i] = cursors.get(i).getLong(1);
                        read++;
                    }
                    if (at[i] != max) {
                        all = false;
                    }
                }
                if (!all) {
                    continue;
                }
                hits.add(new Hit(max, score, m));
                if (hits.size() == limit) {
                    return hits;
                }
                if (!cursors.get(0).next()) {
                    return null;
                }
                at[0] = cursors.get(0).getLong(1);
                read++;
            }
            return null;
        } finally {
            for (ResultSet rs : cursors) {
                rs.close();
            }
            for (PreparedStatement ps : statements) {
                ps.close();
            }
        }
    }

    /** Rows the all-terms merge may read before it leaves the query to the rarest-first path. */
    private static final int MERGE_BUDGET = 20_000;

    /** Sets bit {@code bit} of each of {@code items} that contains {@code term}, with batched index probes. */
    private static void markMembers(Connection c, byte[] term, int bit, List<Long> items,
                                    Map<Long, long[]> matched) throws SQLException {
        int batch = 500;
        for (int from = 0; from < items.size(); from += batch) {
            int to = Math.min(items.size(), from + batch);
            StringBuilder sql = new StringBuilder("SELECT item_id FROM keyword_term WHERE term = ? AND item_id IN (");
            for (int i = from; i < to; i++) {
                sql.append(i == from ? "?" : ",?");
            }
            sql.append(')');
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                ps.setBytes(1, term);
                for (int i = from; i < to; i++) {
                    ps.setLong(2 + i - from, items.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        matched.get(rs.getLong(1))[0] |= 1L << bit;
                    }
                }
            }
        }
    }

    private static double kthLargest(Map<Long, Double> scores, int k) {
        PriorityQueue<Double> heap = new PriorityQueue<>(k + 1);
        for (double s : scores.values()) {
            if (heap.size() < k) {
                heap.add(s);
            } else if (s > heap.peek()) {
                heap.poll();
                heap.add(s);
            }
        }
        return heap.isEmpty() ? Double.NEGATIVE_INFINITY : heap.peek();
    }

    /** The plain way, for queries of more than 63 distinct words: score every item that matches any term. */
    private static List<Hit> scoreEveryItem(Connection c, List<byte[]> terms, double[] idf, int limit)
            throws SQLException {
        Map<Long, double[]> scores = new HashMap<>();
        try (PreparedStatement items = c.prepareStatement("SELECT item_id FROM keyword_term WHERE term = ?")) {
            for (int i = 0; i < terms.size(); i++) {
                if (idf[i] == 0) {
                    continue;
                }
                items.setBytes(1, terms.get(i));
                try (ResultSet rs = items.executeQuery()) {
                    while (rs.next()) {
                        double[] s = scores.computeIfAbsent(rs.getLong(1), k -> new double[2]);
                        s[0] += idf[i];
                        s[1] += 1;
                    }
                }
            }
        }
        List<Hit> hits = new ArrayList<>();
        scores.forEach((id, s) -> hits.add(new Hit(id, s[0], (int) s[1])));
        return top(hits, limit);
    }

    private static List<Hit> top(List<Hit> hits, int limit) {
        hits.sort((a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score()) : Long.compare(a.itemId(), b.itemId()));
        return hits.size() > limit ? List.copyOf(hits.subList(0, limit)) : hits;
    }
}
