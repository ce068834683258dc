/**
 * USB bundles (docs/mesh.md): the cooperative's signed logs in one signed file, for members who meet without a network.
 * {@link org.sovereign.mesh.bundle.MeshBundle} is the format (write and a checking reader),
 * {@link org.sovereign.mesh.bundle.BundleImport} applies a checked bundle to a member's logs, and
 * {@link org.sovereign.mesh.bundle.MeshBundles} is the use case on an unlocked vault (consent and audit).
 */
package org.sovereign.mesh.bundle;
