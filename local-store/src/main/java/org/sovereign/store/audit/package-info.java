/**
 * The tamper-evident audit log: RFC 9162 Merkle trees and proofs ({@code merkle}), C2SP signed notes
 * ({@code note}) and C2SP checkpoints and offline proof files ({@code checkpoint}). Everything here is
 * pure computation over bytes: no I/O, no database, no global state.
 */
package org.sovereign.store.audit;
