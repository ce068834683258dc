package org.sovereign.core.packs;

/**
 * One installed pack as shown in listings.
 *
 * @param id      the install folder name, {@code <name>-<version>}
 * @param kind    {@code text-generation} or {@code embedding}
 * @param signer  who signed it, in plain words
 * @param state   result of the quick file check and the signature check
 * @param licence SPDX id
 */
public record PackSummary(String id, String name, String version, String kind, long sizeBytes, String signer,
                          String state, String licence) {
}
