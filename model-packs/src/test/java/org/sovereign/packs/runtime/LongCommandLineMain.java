package org.sovereign.packs.runtime;

import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.OnnxDecoderModel;
import org.sovereign.packs.generation.TextGenerator;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.packs.testing.TinyLlamaFixture;
import org.sovereign.packs.tokenizer.TextTokenizer;

import java.util.Arrays;

/** Child-process entry point for {@link OrtEnvironmentsTest}: loads ONNX Runtime and generates on the main thread. */
public final class LongCommandLineMain {

    private LongCommandLineMain() {
    }

    public static void main(String[] args) {
        System.out.println("runtime " + OnnxRuntimeInfo.probe().version());
        try (OnnxDecoderModel model = OnnxDecoderModel.open(TinyLlamaFixture.DIR);
             TextTokenizer tokenizer = TextTokenizer.load(TinyLlamaFixture.DIR)) {
            long[] ids = new TextGenerator(model, tokenizer).generate(
                    TinyLlamaFixture.greedyCase("plain").get("prompt").asText(), GenerationRequest.greedy(5),
                    TokenListener.none(), new CancellationSignal()).tokenIds();
            System.out.println("generated " + Arrays.toString(ids));
        }
    }
}
