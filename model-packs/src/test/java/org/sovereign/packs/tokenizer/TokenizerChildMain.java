package org.sovereign.packs.tokenizer;

import org.sovereign.packs.testing.TinyLlamaFixture;

import java.util.Arrays;

/** Child-process entry point for {@link TextTokenizerOfflineTest}. */
public final class TokenizerChildMain {

    private TokenizerChildMain() {
    }

    public static void main(String[] args) {
        System.out.println("offline before load: " + System.getProperty("ai.djl.offline"));
        try (TextTokenizer tokenizer = TextTokenizer.load(TinyLlamaFixture.DIR)) {
            System.out.println("ids " + Arrays.toString(tokenizer.encode("The workstation checks the signature", true)));
        }
        System.out.println("offline after load: " + System.getProperty("ai.djl.offline"));
    }
}
