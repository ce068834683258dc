package org.sovereign.packs.pack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds small, real pack directories for tests. */
final class TestPacks {
    private TestPacks() {
    }

    static Map<String, byte[]> defaultFiles() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] model = new byte[200_000];
        for (int i = 0; i < model.length; i++) {
            model[i] = (byte) (i * 31 + 7);
        }
        files.put("model.onnx", model);
        files.put("tokenizer.json", "{\"model\":{\"type\":\"BPE\"}}".getBytes());
        files.put("templates/chat.jinja", "{{ messages }}".getBytes());
        files.put("LICENSE", "Apache License 2.0 text".getBytes());
        return files;
    }

    static PackManifest manifest(String name, String version, Map<String, byte[]> files) {
        List<PackFile> list = new ArrayList<>();
        files.forEach((path, bytes) -> list.add(new PackFile(path, bytes.length, sha256(bytes))));
        return new PackManifest(1, name, version, PackKind.TEXT_GENERATION, list,
                new ModelSignature("llama", "model.onnx", List.of("input_ids", "attention_mask"), List.of("logits")),
                "tokenizer.json", new ChatTemplate("templates/chat.jinja", null),
                new GenerationDefaults(256, 0.7, 0.9, List.of("</s>")), 4096,
                new HardwareNeeds(2_000_000_000L, List.of("CPUExecutionProvider")),
                new Licence("Apache-2.0", "LICENSE"),
                new Provenance("https://example.org/models/tiny", "tiny-base", "sovereign-convert", "0.1.0",
                        "Trained on public-domain text."),
                "A tiny test model.");
    }

    /** Writes the files and a matching manifest into {@code dir}; returns {@code dir}. */
    static Path write(Path dir, String name, String version) throws IOException {
        return write(dir, name, version, defaultFiles());
    }

    static Path write(Path dir, String name, String version, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        Files.write(dir.resolve(PackLayout.MANIFEST), new ManifestCodec().write(manifest(name, version, files)));
        return dir;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
