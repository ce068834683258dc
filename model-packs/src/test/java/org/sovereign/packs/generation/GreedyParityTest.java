package org.sovereign.packs.generation;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.packs.template.ChatTemplate;
import org.sovereign.packs.testing.TinyLlamaFixture;
import org.sovereign.packs.tokenizer.TextTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Java greedy generation must reproduce transformers' greedy generate() token for token. */
class GreedyParityTest {

    private static OnnxDecoderModel model;
    private static TextTokenizer tokenizer;

    @BeforeAll
    static void open() {
        model = OnnxDecoderModel.open(TinyLlamaFixture.DIR);
        tokenizer = TextTokenizer.load(TinyLlamaFixture.DIR);
    }

    @AfterAll
    static void close() {
        model.close();
        tokenizer.close();
    }

    @Test
    void plainPromptMatchesTransformersExactly() {
        JsonNode expected = TinyLlamaFixture.greedyCase("plain");
        TextGenerator generator = new TextGenerator(model, tokenizer);
        List<Long> streamed = new ArrayList<>();
        StringBuilder streamedText = new StringBuilder();

        GenerationResult result = generator.generate(expected.get("prompt").asText(),
                GenerationRequest.greedy(expected.get("max_new_tokens").asInt()),
                (id, delta) -> {
                    streamed.add(id);
                    streamedText.append(delta);
                }, new CancellationSignal());

        long[] expectedIds = TinyLlamaFixture.longs(expected.get("generated_ids"));
        assertThat(result.tokenIds()).containsExactly(expectedIds);
        assertThat(result.finishReason()).isEqualTo(FinishReason.MAX_TOKENS);
        assertThat(result.promptTokens()).isEqualTo(expected.get("input_ids").size());
        assertThat(streamed).containsExactly(Arrays.stream(expectedIds).boxed().toArray(Long[]::new));
        assertThat(streamedText.toString()).isEqualTo(result.text());
        assertThat(result.text()).isEqualTo(tokenizer.decode(expectedIds, true));
        assertThat(result.timeToFirstToken()).isPositive().isLessThanOrEqualTo(result.total());
        assertThat(result.tokensPerSecond()).isPositive();
    }

    @Test
    void chatPromptMatchesTransformersExactly() {
        JsonNode expected = TinyLlamaFixture.greedyCase("chat");
        List<ChatMessage> messages = TinyLlamaFixture.list(TinyLlamaFixture.reference().get("chat").get("messages"))
                .stream().map(m -> new ChatMessage(m.get("role").asText(), m.get("content").asText())).toList();
        TextGenerator generator = new TextGenerator(model, tokenizer);

        GenerationResult result = generator.generateChat(ChatTemplate.fromModelFolder(TinyLlamaFixture.DIR), messages,
                GenerationRequest.greedy(expected.get("max_new_tokens").asInt()), TokenListener.none(),
                new CancellationSignal());

        assertThat(result.promptTokens()).isEqualTo(expected.get("input_ids").size());
        assertThat(result.tokenIds()).containsExactly(TinyLlamaFixture.longs(expected.get("generated_ids")));
    }

    @Test
    void promptIdsMatchTheRecordedOnes() {
        JsonNode expected = TinyLlamaFixture.greedyCase("chat");
        assertThat(tokenizer.encode(expected.get("prompt").asText(), false))
                .containsExactly(TinyLlamaFixture.longs(expected.get("input_ids")));
    }
}
