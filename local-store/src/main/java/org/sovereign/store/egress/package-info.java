/**
 * The one place where the workstation opens network sockets. Every outgoing connection, listening socket and HTTP
 * request of the product goes through {@link org.sovereign.store.egress.EgressGuard}, which asks an
 * {@link org.sovereign.store.egress.EgressPolicy} (a consent) first and writes what it opened, and how many bytes
 * went each way, to an {@link org.sovereign.store.egress.EgressLedger} (the audit log). An ArchUnit rule forbids
 * opening sockets anywhere else.
 */
package org.sovereign.store.egress;
