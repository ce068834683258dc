package org.sovereign.core.packs;

import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.vault.Scope;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records an {@code inference} audit entry: the pack's manifest digest and salted SHA-256 commitments of prompt and
 * output. The two 32-byte salts are kept encrypted in the vault (scope kind {@code inference}), so the owner can
 * later prove what was asked and answered, while the public log reveals nothing.
 */
public final class InferenceAudit {

    static final String SCOPE_KIND = "inference";
    private static final SecureRandom RANDOM = new SecureRandom();

    private InferenceAudit() {
    }

    static void record(LocalStore store, String packId, String manifestDigest, String prompt, String output) {
        record(store, Map.of("pack", packId, "packDigest", manifestDigest), prompt, output);
    }

    /**
     * Records an inference with {@code refs} (ids and digests only, never content) plus salted commitments of
     * {@code prompt} and {@code output}; returns the audit entry.
     */
    public static AuditEntry record(LocalStore store, Map<String, String> refs, String prompt, String output) {
        byte[] salts = new byte[64];
        RANDOM.nextBytes(salts);
        long scope = store.session().scopes().stream()
                .filter(s -> s.kind().equals(SCOPE_KIND) && s.erasedAt().isEmpty())
                .mapToLong(Scope::id).findFirst()
                .orElseGet(() -> store.session().createScope(SCOPE_KIND).id());
        long item = store.session().putItem(scope, "salts", salts);
        Map<String, String> allRefs = new TreeMap<>(refs);
        allRefs.put("salts", Long.toString(item));
        try {
            return store.record(AuditTypes.INFERENCE, allRefs,
                    Map.of("prompt", commit(Arrays.copyOfRange(salts, 0, 32), prompt),
                            "output", commit(Arrays.copyOfRange(salts, 32, 64), output)));
        } finally {
            Arrays.fill(salts, (byte) 0);
        }
    }

    /** Hex SHA-256 of {@code salt || UTF-8(text)}. */
    static String commit(byte[] salt, String text) {
        MessageDigest md = PackFolders.sha256();
        md.update(salt);
        md.update(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest());
    }
}
