package org.sovereign.server;

import org.sovereign.core.packs.InferenceAudit;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one audit entry each call of the local API leaves: which client, which endpoint, which pack (digest), the token
 * counts, the consent it relied on, and salted commitments of what was sent and what was answered (never the text;
 * the salts stay encrypted in the vault, as for every {@code inference} entry). A call refused for its consent leaves
 * an {@code api.refused} entry with the reason only.
 */
final class CallAudit {

    /** A call refused because the client's consent did not cover it. */
    static final String REFUSED = "api.refused";

    private CallAudit() {
    }

    /** Records an answered call as an {@code inference} entry. */
    static AuditEntry answered(LocalStore store, ApiClient client, String endpoint, String packId, String packDigest,
                               String consentId, int promptTokens, int completionTokens, String finishReason,
                               String prompt, String output) {
        Map<String, String> refs = new LinkedHashMap<>();
        refs.put("client", client.id());
        refs.put("endpoint", endpoint);
        refs.put("pack", packId);
        refs.put("packDigest", packDigest);
        refs.put("consent", consentId);
        refs.put("promptTokens", Integer.toString(promptTokens));
        refs.put("completionTokens", Integer.toString(completionTokens));
        refs.put("finishReason", finishReason);
        return InferenceAudit.record(store, refs, prompt, output);
    }

    /** Records that {@code client}'s consent refused a call ({@code code} says why). */
    static void refused(LocalStore store, ApiClient client, String endpoint, String code) {
        store.record(REFUSED, Map.of("client", client.id(), "endpoint", endpoint, "consent", client.consentId(),
                "reason", code == null ? "refused" : code));
    }
}
