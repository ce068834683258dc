/**
 * The cooperative mesh: opt-in peer exchange of signed records (and later model packs, witnessing of audit
 * checkpoints and shared governance). Nothing in this module runs unless the user joins a mesh. {@code log} holds the
 * signed per-member logs and anti-entropy (pure Java), {@code net} the JGroups member whose sockets the egress guard
 * opens. See docs/mesh.md and ADR-0011.
 */
package org.sovereign.mesh;
