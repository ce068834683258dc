package org.sovereign.core.library;

import org.sovereign.packs.embedding.Embedder;
import org.sovereign.packs.embedding.EmbeddingOptions;
import org.sovereign.packs.embedding.OnnxEmbeddingModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bundled embedding model (the quantised all-MiniLM-L6-v2 the default pack is built from, read from the same
 * Maven Central jar on the test class path), as an {@link Embedder}: for tests that claim something about what real
 * embeddings find.
 */
final class MiniLm implements Embedder {

    private final OnnxEmbeddingModel model;

    private MiniLm(OnnxEmbeddingModel model) {
        this.model = model;
    }

    /** Opens the model, copying its two files into {@code dir}. */
    static MiniLm open(Path dir) {
        try {
            Path onnx = copy("all-minilm-l6-v2-q.onnx", dir);
            Path tokenizer = copy("all-minilm-l6-v2-q-tokenizer.json", dir);
            return new MiniLm(OnnxEmbeddingModel.open(onnx, tokenizer, EmbeddingOptions.defaults()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copy(String resource, Path dir) throws IOException {
        Path target = dir.resolve(resource);
        try (InputStream in = MiniLm.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the test class path lacks " + resource);
            }
            Files.copy(in, target);
        }
        return target;
    }

    @Override
    public String packDigest() {
        return "sha256:" + "cd".repeat(32);
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        return model.embed(texts);
    }

    @Override
    public void close() {
        model.close();
    }
}
