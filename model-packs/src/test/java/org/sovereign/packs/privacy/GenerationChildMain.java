package org.sovereign.packs.privacy;

import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.OnnxDecoderModel;
import org.sovereign.packs.generation.TextGenerator;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.packs.tokenizer.TextTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Child-process entry point for the privacy tests: loads the model at {@code args[0]} and its tokenizer the way the
 * product does, generates a few tokens, prints them, then stays alive (model loaded) until its standard input
 * closes, so the parent can watch what the process does meanwhile.
 */
public final class GenerationChildMain {

    private GenerationChildMain() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        try (OnnxDecoderModel model = OnnxDecoderModel.open(dir);
             TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            long[] ids = new TextGenerator(model, tokenizer).generate("Hello there", GenerationRequest.greedy(5),
                    TokenListener.none(), new CancellationSignal()).tokenIds();
            System.out.println("generated " + Arrays.toString(ids));
            System.out.println("pid " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our input
            }
        }
    }
}
