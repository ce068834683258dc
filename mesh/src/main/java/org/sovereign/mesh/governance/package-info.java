/**
 * Cooperative governance over the members' signed logs (docs/mesh.md, "Governance"): proposals, quadratic votes,
 * liquid delegation per area, and closes signed by k of n stewards. Every result is a pure function of the records.
 */
package org.sovereign.mesh.governance;
