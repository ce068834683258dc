package org.sovereign.store.egress;

/**
 * Decides whether a socket may be opened. Implementations check a consent; they must not open sockets or block on
 * the network themselves.
 */
@FunctionalInterface
public interface EgressPolicy {

    /**
     * Returns the basis of the permission, written to the audit log (e.g. {@code consent:<id>} or
     * {@code started-by-user}).
     *
     * @throws EgressRefusedException with a plain sentence when nothing allows {@code request}
     */
    String authorize(EgressRequest request);

    /** Refuses everything: the policy of a workstation that has not been told to use the network. */
    static EgressPolicy refuseAll() {
        return request -> {
            throw new EgressRefusedException("Nothing allows this workstation to open a network connection for '"
                    + request.purpose() + "'.");
        };
    }
}
