package org.sovereign.core.packs;

import org.sovereign.packs.signing.Verdict;

import java.util.Optional;

/**
 * One installed pack with everything the Models screen shows about it.
 *
 * @param id         install folder name, {@code <name>-<version>}
 * @param kind       {@code text-generation} or {@code embedding}
 * @param verdict    the signature verdict under the current trust policy (null when the folder is unreadable)
 * @param trust      the verdict in plain words
 * @param signer     who signed it, in plain words
 * @param files      "files ok" or what is wrong (quick check: sizes and the file set)
 * @param fit        whether it fits this computer's memory
 * @param loaded     how it runs, when it is loaded now
 */
public record PackDetails(String id, String name, String version, String kind, long sizeBytes, String licence,
                          Verdict verdict, String trust, String signer, String files, MemoryFit fit,
                          Optional<LoadedModel> loaded) {

    /** True when the folder could be read and its files passed the quick check. */
    public boolean filesOk() {
        return "files ok".equals(files);
    }
}
