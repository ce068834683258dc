/**
 * Audit witnessing (docs/mesh.md, "Audit witnessing"): members publish their signed audit checkpoints as mesh records,
 * peers check each one against the last they saw from that log and cosign it (C2SP tlog-cosignature v1), and a log
 * that forks or shrinks leaves evidence anyone can check with public keys only. No JavaFX, no network of its own: the
 * records travel with the rest of the members' logs.
 */
package org.sovereign.mesh.witness;
