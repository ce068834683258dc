/**
 * The cooperative mesh: opt-in peer exchange of model packs, witnessing of audit checkpoints and shared
 * governance. Nothing in this module runs unless the user joins a mesh. Work on it has not started yet;
 * see docs/architecture.md for its place in the design.
 */
package org.sovereign.mesh;
