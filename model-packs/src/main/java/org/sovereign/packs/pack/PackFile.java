package org.sovereign.packs.pack;

/**
 * One file of a pack as listed in the manifest.
 *
 * @param path   relative path, forward slashes (see {@link PackPaths})
 * @param size   exact size in bytes
 * @param sha256 lowercase hex SHA-256 of the content
 */
public record PackFile(String path, long size, String sha256) {
}
