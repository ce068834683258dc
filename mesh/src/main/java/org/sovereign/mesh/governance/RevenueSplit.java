package org.sovereign.mesh.governance;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.store.json.CanonicalJson;
import org.sovereign.store.vault.crypto.Hex;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The revenue split of one period, computed from countersigned usage receipts under a policy: a pure function of the
 * records, so every member computes the same statement, byte for byte (docs/mesh.md "Contribution accounting").
 *
 * <p>Per contributor, points are the sum over consumers of the square root of what that consumer used of the
 * contributor's work (weighted amounts), so one heavy user cannot dominate. Each steward receives at least the
 * policy's floor; the rest of {@link Policy#PARTS} is shared in proportion to points, rounded down, and the parts left
 * by rounding go one each to the largest remainders (ties: the smaller key).
 *
 * @param period    the period named by the receipts
 * @param under     the policy change the split is computed under (empty: the starting policy)
 * @param receipts  the receipts counted, sorted by usage record hash
 * @param points    per contributor, the damped points (1000 x the square root)
 * @param shares    per member with a share, parts of {@link Policy#PARTS}
 * @param statement the statement stewards sign: its canonical bytes are what every member recomputes
 */
public record RevenueSplit(String period, Optional<String> under, List<UsageReceipt> receipts, Map<String, Long> points,
                           Map<String, Long> shares, ObjectNode statement) {

    /**
     * One countersigned usage receipt.
     *
     * @param usage       the hash of the consumer's {@code coop.usage} record
     * @param consumer    who used (hex key), the usage record's author
     * @param contributor whose work was used (hex key), who countersigned
     * @param what        {@code pack:DIGEST} or {@code service:NAME}
     * @param amount      how much (chunks, answers: the unit is the service's)
     */
    public record UsageReceipt(String usage, String consumer, String contributor, String what, long amount) {
    }

    public RevenueSplit {
        receipts = List.copyOf(receipts);
        points = java.util.Collections.unmodifiableMap(new TreeMap<>(points));
        shares = java.util.Collections.unmodifiableMap(new TreeMap<>(shares));
        statement = statement.deepCopy();
    }

    /** The statement (a copy). */
    @Override
    public ObjectNode statement() {
        return statement.deepCopy();
    }

    /** Computes the split of {@code period} from {@code receipts} (any order) under {@code policy}. */
    static RevenueSplit compute(String period, Optional<String> under, Policy policy, List<UsageReceipt> receipts) {
        List<UsageReceipt> sorted = new ArrayList<>(receipts);
        sorted.sort(Comparator.comparing(UsageReceipt::usage));
        // Weighted amount per contributor and consumer, then the damped points per contributor.
        // Sums in long (a receipt is at most 10^9 x a weight of at most 10^6); a pair past 2^63 is summed exactly too.
        // Any map order will do: the points are exact sums and land in a sorted map.
        Map<String, Map<String, long[]>> used = new HashMap<>();
        Map<String, Map<String, BigInteger>> large = new HashMap<>();
        for (UsageReceipt r : sorted) {
            long weighted = r.amount() * policy.weight(r.what());
            long[] sum = used.computeIfAbsent(r.contributor(), c -> new HashMap<>())
                    .computeIfAbsent(r.consumer(), c -> new long[1]);
            try {
                sum[0] = Math.addExact(sum[0], weighted);
            } catch (ArithmeticException overflow) {
                large.computeIfAbsent(r.contributor(), c -> new HashMap<>()).merge(r.consumer(),
                        BigInteger.valueOf(weighted), BigInteger::add);
            }
        }
        BigInteger million = BigInteger.valueOf(1_000_000);
        Map<String, Long> points = new TreeMap<>();
        used.forEach((contributor, byConsumer) -> {
            long sum = 0;
            for (Map.Entry<String, long[]> e : byConsumer.entrySet()) {
                BigInteger amount = BigInteger.valueOf(e.getValue()[0]);
                BigInteger extra = large.getOrDefault(contributor, Map.of()).get(e.getKey());
                if (extra != null) {
                    amount = amount.add(extra);
                }
                sum += amount.multiply(million).sqrt().longValueExact();
            }
            if (sum > 0) {
                points.put(contributor, sum);
            }
        });
        Map<String, Long> shares = new TreeMap<>();
        long floor = policy.stewardFloor();
        for (String steward : policy.stewards()) {
            if (floor > 0) {
                shares.put(steward, floor);
            }
        }
        long rest = Policy.PARTS - floor * policy.stewards().size();
        Map<String, Long> weights = points;
        if (points.isEmpty()) {
            // No countersigned use in the period: the rest goes to the stewards alike.
            weights = new TreeMap<>();
            for (String steward : policy.stewards()) {
                weights.put(steward, 1L);
            }
        }
        BigInteger total = BigInteger.ZERO;
        for (long w : weights.values()) {
            total = total.add(BigInteger.valueOf(w));
        }
        Map<String, BigInteger> remainders = new TreeMap<>();
        long given = 0;
        for (Map.Entry<String, Long> e : weights.entrySet()) {
            BigInteger[] qr = BigInteger.valueOf(rest).multiply(BigInteger.valueOf(e.getValue())).divideAndRemainder(total);
            long part = qr[0].longValueExact();
            given += part;
            remainders.put(e.getKey(), qr[1]);
            if (part > 0) {
                shares.merge(e.getKey(), part, Long::sum);
            }
        }
        List<String> byRemainder = new ArrayList<>(remainders.keySet());
        byRemainder.sort(Comparator.comparing((String m) -> remainders.get(m)).reversed()
                .thenComparing(Comparator.naturalOrder()));
        for (int i = 0; i < rest - given; i++) {
            shares.merge(byRemainder.get(i), 1L, Long::sum);
        }
        return new RevenueSplit(period, under, sorted, points, shares,
                statement(policy, period, under, sorted, points, shares));
    }

    private static ObjectNode statement(Policy policy, String period, Optional<String> under, List<UsageReceipt> receipts,
                                        Map<String, Long> points, Map<String, Long> shares) {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("coop", policy.coop());
        s.put("period", period);
        if (under.isPresent()) {
            s.put("under", under.get());
        } else {
            s.putNull("under");
        }
        s.put("stewardFloor", policy.stewardFloor());
        ObjectNode weights = s.putObject("weights");
        Set<String> whats = new java.util.HashSet<>();
        receipts.forEach(r -> whats.add(r.what()));
        new java.util.TreeSet<>(whats).forEach(w -> weights.put(w, policy.weight(w)));
        s.put("receipts", receipts.size());
        s.put("root", Merkle.root(receipts.stream().map(UsageReceipt::usage).toList()));
        ObjectNode p = s.putObject("points");
        points.forEach(p::put);
        ObjectNode sh = s.putObject("shares");
        shares.forEach(sh::put);
        return s;
    }

    /** The canonical bytes of the statement (RFC 8785): what stewards sign and members compare. */
    public byte[] canonical() {
        return CanonicalJson.of(statement);
    }

    /** SHA-256 of {@link #canonical()}, lower-case hex. */
    public String digest() {
        try {
            return Hex.encode(MessageDigest.getInstance("SHA-256").digest(canonical()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
