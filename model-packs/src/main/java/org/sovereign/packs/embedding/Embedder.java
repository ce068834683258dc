package org.sovereign.packs.embedding;

import java.util.List;

/** Turns passages into unit-length vectors with one embedding model pack. Implementations own their model. */
public interface Embedder extends AutoCloseable {

    /** The digest of the model pack (as consent names packs), e.g. {@code sha256:...}. */
    String packDigest();

    /** One L2-normalised vector per text, in order. Blocks while the model runs. */
    List<float[]> embed(List<String> texts);

    /** Frees the model. */
    @Override
    void close();
}
