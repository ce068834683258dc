/**
 * C2SP transparency log checkpoints (c2sp.org/tlog-checkpoint) and offline proof files
 * (c2sp.org/tlog-proof@v1) that a third party verifies with only verifier keys and the entry.
 */
package org.sovereign.store.audit.checkpoint;
