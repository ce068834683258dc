package org.sovereign.packs.generation;

import org.sovereign.packs.testing.TinyLlamaFixture;
import org.sovereign.packs.tokenizer.TextTokenizer;

import java.util.Arrays;

/**
 * Prints generation speed on the tiny fixture (not a test: speed targets do not belong in unit tests).
 * Run after {@code verify}: {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt)
 * -Dai.djl.offline=true -DENGINE_CACHE_DIR=target/djl-cache org.sovereign.packs.generation.FixtureThroughput [threads]}
 * where {@code target/cp.txt} comes from {@code dependency:build-classpath -Dmdep.outputFile=target/cp.txt}.
 */
public final class FixtureThroughput {

    private FixtureThroughput() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        long[] prompt = new long[16];
        Arrays.fill(prompt, 70L);
        prompt[0] = 1L;
        try (OnnxDecoderModel model = OnnxDecoderModel.open(TinyLlamaFixture.DIR,
                TinyLlamaFixture.DIR.resolve("model.onnx"), new DecoderOptions(threads));
             TextTokenizer tokenizer = TextTokenizer.load(TinyLlamaFixture.DIR)) {
            TextGenerator generator = new TextGenerator(model, tokenizer);
            for (int round = 0; round < 5; round++) {
                GenerationResult r = generator.generate(prompt, GenerationRequest.greedy(200), TokenListener.none(),
                        new CancellationSignal());
                System.out.printf("round %d: %d tokens, first token %.2f ms, %.0f tokens/s overall, %.0f tokens/s decoding%n",
                        round, r.tokenIds().length, r.timeToFirstToken().toNanos() / 1e6, r.tokensPerSecond(),
                        r.decodeTokensPerSecond());
            }
        }
    }
}
