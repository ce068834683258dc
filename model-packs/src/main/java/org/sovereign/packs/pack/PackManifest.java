package org.sovereign.packs.pack;

import java.util.List;

/**
 * The content of a pack's {@code manifest.json}, format version 1 (see {@code docs/model-pack-format.md}).
 * Read and checked with {@link ManifestCodec}; a value of this type that came from the codec is valid.
 */
public record PackManifest(
        int formatVersion,
        String name,
        String version,
        PackKind kind,
        List<PackFile> files,
        ModelSignature model,
        String tokenizer,
        ChatTemplate chatTemplate,
        GenerationDefaults generation,
        int contextLength,
        HardwareNeeds hardware,
        Licence licence,
        Provenance provenance,
        String modelCard) {

    /** The only format version this code reads and writes. */
    public static final int FORMAT_VERSION = 1;

    public PackManifest {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** The directory name a pack is installed under: {@code <name>-<version>}. */
    public String installDirName() {
        return name + "-" + version;
    }

    /** Sum of all listed file sizes. */
    public long totalBytes() {
        return files.stream().mapToLong(PackFile::size).sum();
    }
}
