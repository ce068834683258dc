package org.sovereign.server;

import java.time.Instant;

/**
 * A program registered to use the local API. Its key is stored only as a SHA-256 hash; every call it makes is checked
 * against its consent.
 *
 * @param id        a short random id, stable for the client's life (audit entries name it)
 * @param name      the name the person gave it, e.g. "editor"
 * @param consentId the consent that binds it
 * @param created   when it was registered
 * @param revoked   when it was revoked, or {@code null} while it may call
 */
public record ApiClient(String id, String name, String consentId, Instant created, Instant revoked) {

    /** Whether it was revoked. */
    public boolean isRevoked() {
        return revoked != null;
    }

    /** The purpose its consent is given for, and the assistant checks: {@code local API: NAME}. */
    public String purpose() {
        return ApiClients.purposeOf(name);
    }
}
