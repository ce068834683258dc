/**
 * RFC 9162 (RFC 6962) Merkle tree hashing, an append-only in-memory tree that produces inclusion and
 * consistency proofs, and static verifiers that need nothing but hashes.
 */
package org.sovereign.store.audit.merkle;
