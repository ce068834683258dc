package org.sovereign.packs.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sovereign.packs.testing.TinyLlamaFixture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real chat templates of the model families people run (src/test/fixtures/chat-templates, origins in its
 * README), rendered by transformers' {@code apply_chat_template} in make_template_cases.py: the Java rendering must
 * be byte-identical, or fail with the same message where the template refuses the conversation.
 */
class RealTemplateCompatibilityTest {

    private static final Path FIXTURES = Path.of("src", "test", "fixtures");

    private static JsonNode all() throws IOException {
        return new ObjectMapper().readTree(FIXTURES.resolve("real-template-cases.json").toFile());
    }

    static List<JsonNode> cases() throws IOException {
        return TinyLlamaFixture.list(all().get("cases"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersByteIdenticallyToTransformers(JsonNode c) throws IOException {
        JsonNode all = all();
        String name = c.get("template").asText();
        JsonNode tokens = all.get("templates").get(name);
        String source = Files.readString(FIXTURES.resolve("chat-templates").resolve(name + ".jinja"));
        Clock clock = Clock.fixed(LocalDateTime.parse(all.get("now").asText()).toInstant(ZoneOffset.UTC),
                ZoneOffset.UTC);
        ChatTemplate template = new ChatTemplate(source, tokens.get("bos_token").asText(),
                tokens.get("eos_token").asText()).withClock(clock);
        List<ChatMessage> messages = TinyLlamaFixture.list(all.get("conversations").get(c.get("conversation").asText()))
                .stream().map(m -> new ChatMessage(m.get("role").asText(), m.get("content").asText())).toList();
        boolean addGenerationPrompt = c.get("add_generation_prompt").asBoolean();

        if (c.get("error").isNull()) {
            assertThat(template.render(messages, addGenerationPrompt)).isEqualTo(c.get("rendered").asText());
        } else {
            assertThatThrownBy(() -> template.render(messages, addGenerationPrompt))
                    .isInstanceOf(ChatTemplateException.class)
                    .hasMessageContaining(c.get("error").asText());
        }
    }
}
