package org.sovereign.mesh.bundle;

import java.util.Objects;

/**
 * A bundle that cannot be written or imported, with a plain sentence saying why. When importing, nothing of the bundle
 * was applied.
 */
public final class BundleException extends RuntimeException {

    /** What went wrong, so a front end can add its own advice. */
    public enum Reason {
        /** The file is no bundle, is cut short, altered, or holds something invalid. */
        INVALID,
        /** The bundle belongs to another cooperative than this workstation's. */
        OTHER_COOPERATIVE,
        /** No heads were ever seen from the member named, so what it lacks is not known. */
        UNKNOWN_PEER,
        /** The member named matches more than one member. */
        AMBIGUOUS_PEER,
        /** No consent in force covers sharing with the mesh. */
        NO_CONSENT,
        /** The bundle would exceed a size limit of the format. */
        TOO_LARGE
    }

    private final Reason reason;

    public BundleException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    static BundleException invalid(String message) {
        return new BundleException(Reason.INVALID, message);
    }

    public Reason reason() {
        return reason;
    }
}
