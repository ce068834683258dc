package org.sovereign.packs.pack;

/** The model's licence: an SPDX identifier (or expression) and the pack path of the full licence text. */
public record Licence(String spdxId, String file) {
}
