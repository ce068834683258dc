package org.sovereign.core.packs;

import org.sovereign.packs.pack.PackManifest;

import java.nio.file.Path;

/**
 * Turning a Hugging Face ONNX folder into an unsigned {@code .mpack} (the pack's kind comes from the model's inputs
 * and outputs). Works on files only; blocks while it hashes and writes the archive.
 */
public final class PackImport {

    /** Imports a Hugging Face ONNX folder as a {@code .mpack}. */
    public PackManifest importFolder(Path folder, Path out, String name, String version, String licence, String source) {
        return PackFailures.translate(() -> new HfPackImporter().importFolder(folder, out,
                new HfPackImporter.Options(name, version, licence, source)));
    }
}
