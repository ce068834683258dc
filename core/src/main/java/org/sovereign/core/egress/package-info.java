/**
 * What may use the network, decided in one place: the policy the workspace's
 * {@link org.sovereign.store.egress.EgressGuard} asks (see ADR-0010), one rule per purpose.
 */
package org.sovereign.core.egress;
