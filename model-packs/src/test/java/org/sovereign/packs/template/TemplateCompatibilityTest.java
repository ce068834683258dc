package org.sovereign.packs.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sovereign.packs.testing.TinyLlamaFixture;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Templates in the styles real models use, rendered by transformers (src/test/fixtures/make_template_cases.py). */
class TemplateCompatibilityTest {

    private static JsonNode cases() throws IOException {
        return new ObjectMapper().readTree(Path.of("src", "test", "fixtures", "template-cases.json").toFile());
    }

    static List<JsonNode> renderedByTransformers() throws IOException {
        return TinyLlamaFixture.list(cases().get("cases"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderedByTransformers")
    void rendersOrRejectsExactlyAsTransformersDid(JsonNode c) throws IOException {
        JsonNode all = cases();
        ChatTemplate template = new ChatTemplate(all.get("templates").get(c.get("template").asText()).asText(),
                all.get("bos_token").asText(), all.get("eos_token").asText());
        List<ChatMessage> messages = TinyLlamaFixture.list(all.get("conversations").get(c.get("conversation").asText()))
                .stream().map(m -> new ChatMessage(m.get("role").asText(), m.get("content").asText())).toList();
        boolean addGenerationPrompt = c.get("add_generation_prompt").asBoolean();
        Map<String, Object> extra = c.get("tools").asBoolean()
                ? Map.of("tools", new ObjectMapper().convertValue(all.get("tools"), List.class))
                : Map.of();

        if (c.get("error").isNull()) {
            assertThat(template.render(messages, addGenerationPrompt, extra)).isEqualTo(c.get("rendered").asText());
        } else {
            assertThatThrownBy(() -> template.render(messages, addGenerationPrompt, extra))
                    .isInstanceOf(ChatTemplateException.class)
                    .hasMessageContaining(c.get("error").asText());
        }
    }
}
