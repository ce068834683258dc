package org.sovereign.packs.signing;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which signatures the workstation accepts: trusted publisher keys, and cooperatives whose members must
 * reach a k-of-n threshold. Immutable and thread-safe.
 */
public final class TrustPolicy {
    private final Map<String, PublicKey> publishers = new LinkedHashMap<>();
    private final List<Cooperative> cooperatives;
    private final Map<String, PublicKey> known = new LinkedHashMap<>();
    private final OmsVerifier verifier = new OmsVerifier();

    public TrustPolicy(List<PublicKey> publisherKeys, List<Cooperative> cooperatives) {
        publisherKeys.forEach(k -> publishers.put(KeyId.of(k), k));
        this.cooperatives = List.copyOf(cooperatives);
        known.putAll(publishers);
        this.cooperatives.forEach(c -> c.members().forEach(k -> known.put(KeyId.of(k), k)));
    }

    /** A policy that trusts nobody (every signed pack is {@link Verdict.UntrustedSignature}). */
    public static TrustPolicy none() {
        return new TrustPolicy(List.of(), List.of());
    }

    /** A policy trusting the given publisher keys. */
    public static TrustPolicy publishers(PublicKey... keys) {
        return new TrustPolicy(List.of(keys), List.of());
    }

    /**
     * Evaluates a pack's signature bundles.
     *
     * @param bundles bundles by their file name within the pack (used in messages), e.g. {@code model.sig}
     */
    public TrustResult evaluate(Map<String, OmsBundle> bundles) {
        if (bundles.isEmpty()) {
            return new TrustResult(new Verdict.Unsigned(), Optional.empty());
        }
        Set<String> signers = new LinkedHashSet<>();
        OmsStatement agreed = null;
        String agreedFrom = null;
        for (Map.Entry<String, OmsBundle> e : bundles.entrySet()) {
            String file = e.getKey();
            OmsBundle bundle = e.getValue();
            Optional<PublicKey> named = namedKey(bundle);
            PublicKey signer = null;
            if (named.isPresent()) {
                if (!verifier.signatureMatches(bundle, named.get())) {
                    return invalid(file + ": the signature does not verify with key "
                            + KeyId.shortForm(KeyId.of(named.get())) + ".");
                }
                signer = named.get();
            } else {
                for (PublicKey k : known.values()) {
                    if (verifier.signatureMatches(bundle, k)) {
                        signer = k;
                        break;
                    }
                }
            }
            OmsStatement statement;
            try {
                statement = OmsStatement.parse(bundle.payload());
            } catch (BundleFormatException ex) {
                return invalid(file + ": " + ex.getMessage());
            }
            if (agreed == null) {
                agreed = statement;
                agreedFrom = file;
            } else if (!agreed.equals(statement)) {
                return invalid(file + " and " + agreedFrom + " sign different contents.");
            }
            if (signer != null) {
                signers.add(KeyId.of(signer));
            }
        }
        return new TrustResult(decide(signers, agreed), Optional.of(agreed));
    }

    private Verdict decide(Set<String> signers, OmsStatement statement) {
        for (String id : signers) {
            if (publishers.containsKey(id)) {
                return new Verdict.TrustedPublisher(id);
            }
        }
        String best = null;
        for (Cooperative c : cooperatives) {
            List<String> members = new ArrayList<>();
            for (PublicKey k : c.members()) {
                String id = KeyId.of(k);
                if (signers.contains(id)) {
                    members.add(id);
                }
            }
            if (!members.isEmpty() && !c.vouchesFor(statement.subjectDigest())) {
                if (best == null) {
                    best = "Signed by " + members.size() + " of the " + c.members().size() + " keys of cooperative '"
                            + c.name() + "', but the cooperative has not adopted this pack.";
                }
                continue;
            }
            if (members.size() >= c.threshold()) {
                return new Verdict.CooperativeThreshold(c.name(), c.threshold(), c.members().size(), members);
            }
            if (!members.isEmpty() && best == null) {
                best = "Signed by " + members.size() + " of the " + c.members().size() + " keys of cooperative '"
                        + c.name() + "', but " + c.threshold() + " are required.";
            }
        }
        return new Verdict.UntrustedSignature(List.copyOf(signers),
                best != null ? best : "Signed only by keys this workstation does not trust.");
    }

    private Optional<PublicKey> namedKey(OmsBundle bundle) {
        Optional<String> id = bundle.keyHint().or(() -> bundle.rawPublicKey().map(KeyId::of));
        return id.map(known::get);
    }

    private static TrustResult invalid(String reason) {
        return new TrustResult(new Verdict.Invalid(reason), Optional.empty());
    }
}
