/**
 * The tamper-evident audit log: RFC 9162 Merkle trees and proofs ({@code merkle}), C2SP signed notes
 * ({@code note}) and C2SP checkpoints and offline proof files ({@code checkpoint}). Everything here is
 * pure computation over bytes: no I/O, no database, no global state.
 *
 * <p>Typical flow: append each audit entry to a {@link org.sovereign.store.audit.merkle.MerkleTree}
 * (persisting the entry and its index), periodically sign a
 * {@link org.sovereign.store.audit.checkpoint.Checkpoint} of the current size and root with the device
 * key (a {@link org.sovereign.store.audit.note.NoteSigner}), and hand out
 * {@link org.sovereign.store.audit.checkpoint.TlogProof} files that anyone can check with
 * {@link org.sovereign.store.audit.checkpoint.OfflineProofVerifier} and the log's verifier key string.
 * Every checked exception extends {@link org.sovereign.store.audit.AuditException}.
 */
package org.sovereign.store.audit;
