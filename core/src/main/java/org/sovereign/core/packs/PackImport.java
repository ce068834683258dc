package org.sovereign.core.packs;

import org.sovereign.core.Version;
import org.sovereign.core.common.Progress;
import org.sovereign.packs.importer.HfModelFolder;
import org.sovereign.packs.importer.HfPackImporter;
import org.sovereign.packs.importer.VariantChoice;
import org.sovereign.packs.pack.PackManifest;

import java.nio.file.Path;

/**
 * Turning a Hugging Face ONNX folder (the onnx-community layout, or a flat one) into an unsigned {@code .mpack}:
 * one of its variants, chosen by the caller or the best fit for this machine. Works on files only; blocks while it
 * hashes and writes the archive.
 */
public final class PackImport {

    /** Imports a Hugging Face ONNX folder as a {@code .mpack} (the best-fit variant for this machine). */
    public PackManifest importFolder(Path folder, Path out, String name, String version, String licence, String source) {
        return importFolder(folder, out, new HfPackImporter.Options(name, version, licence, source),
                Progress.NONE).manifest();
    }

    /** Imports a Hugging Face ONNX folder as a {@code .mpack}: the variant asked for in {@code options}, or the best fit. */
    public HfPackImporter.Result importFolder(Path folder, Path out, HfPackImporter.Options options, Progress progress) {
        return PackFailures.translate(() -> new HfPackImporter(Version.current())
                .importFolder(folder, out, options, ByteProgress.of(progress, "Importing"), progress::isCancelled));
    }

    /** The layout and variants of a Hugging Face ONNX folder. */
    public HfModelFolder variants(Path folder) {
        return PackFailures.translate(() -> new HfPackImporter(Version.current()).inspect(folder));
    }

    /** The variant of {@code folder} that importing it without a choice takes, and why. */
    public VariantChoice defaultVariant(HfModelFolder folder) {
        return PackFailures.translate(() -> new HfPackImporter(Version.current()).choose(folder, null));
    }
}
