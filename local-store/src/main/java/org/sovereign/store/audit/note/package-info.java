/**
 * C2SP signed notes (c2sp.org/signed-note) with Ed25519 signatures: parsing and producing notes,
 * verifier key strings, a {@link org.sovereign.store.audit.note.NoteSigner} abstraction for the
 * device key, and verification against a set of trusted keys.
 */
package org.sovereign.store.audit.note;
