package org.sovereign.packs.signing;

/** One file in an OMS manifest: relative path, hash algorithm identifier and lowercase hex digest. */
public record OmsResource(String name, String algorithm, String digest) {
}
