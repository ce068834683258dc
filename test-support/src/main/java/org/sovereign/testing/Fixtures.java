package org.sovereign.testing;

import java.nio.file.Path;

/** Test fixtures made by model-packs' committed scripts (see model-packs/src/test/fixtures/README.md). */
public final class Fixtures {

    /** A tiny random-weight Llama in the Hugging Face ONNX layout: real ONNX Runtime runs, gibberish text. */
    public static final Path TINY_LLAMA = Path.of("../model-packs/src/test/fixtures/tiny-llama").toAbsolutePath().normalize();

    private Fixtures() {
    }
}
