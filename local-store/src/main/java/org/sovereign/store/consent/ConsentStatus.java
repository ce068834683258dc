package org.sovereign.store.consent;

/**
 * The consent statuses we record, with their W3C DPV 2.3 concept names. Only {@link #GIVEN} and {@link #RENEWED}
 * allow processing (DPV: ConsentGiven, RenewedConsentGiven).
 */
public enum ConsentStatus {
    GIVEN("dpv:ConsentGiven"),
    RENEWED("dpv:RenewedConsentGiven"),
    WITHDRAWN("dpv:ConsentWithdrawn"),
    EXPIRED("dpv:ConsentExpired");

    private final String dpv;

    ConsentStatus(String dpv) {
        this.dpv = dpv;
    }

    public String dpv() {
        return dpv;
    }

    public boolean allowsProcessing() {
        return this == GIVEN || this == RENEWED;
    }

    public static ConsentStatus fromDpv(String dpv) {
        for (ConsentStatus s : values()) {
            if (s.dpv.equals(dpv)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown consent status '" + dpv + "'.");
    }
}
