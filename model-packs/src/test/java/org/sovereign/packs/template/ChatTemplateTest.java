package org.sovereign.packs.template;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.packs.testing.TinyLlamaFixture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatTemplateTest {

    private static List<ChatMessage> fixtureConversation() {
        return TinyLlamaFixture.list(TinyLlamaFixture.reference().get("chat").get("messages")).stream()
                .map(m -> new ChatMessage(m.get("role").asText(), m.get("content").asText()))
                .toList();
    }

    @Test
    void rendersExactlyWhatTransformersRendered() {
        JsonNode chat = TinyLlamaFixture.reference().get("chat");
        ChatTemplate template = ChatTemplate.fromModelFolder(TinyLlamaFixture.DIR);

        assertThat(template.render(fixtureConversation(), true)).isEqualTo(chat.get("rendered").asText());
        assertThat(template.render(fixtureConversation(), false))
                .isEqualTo(chat.get("rendered_without_generation_prompt").asText());
    }

    @Test
    void raiseExceptionBecomesATypedErrorWithTheTemplatesMessage() {
        ChatTemplate template = ChatTemplate.fromModelFolder(TinyLlamaFixture.DIR);

        assertThatThrownBy(() -> template.render(List.of(new ChatMessage("wizard", "hi")), true))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("Unknown role: wizard");
    }

    @Test
    void trimsBlocksLikeTransformersAndExposesEosToken() {
        String source = """
                {% for m in messages %}
                {{ m['role'] }}: {{ m['content'] }}{{ eos_token }}
                {% endfor %}
                {% if add_generation_prompt %}
                assistant:
                {% endif %}""";
        ChatTemplate template = new ChatTemplate(source, "<s>", "</s>");

        assertThat(template.render(List.of(ChatMessage.user("a"), ChatMessage.assistant("b")), true))
                .isEqualTo("user: a</s>\nassistant: b</s>\nassistant:\n");
    }

    @Test
    void stripsIndentationBeforeBlockTagsButKeepsSpacesAfterText() {
        // Expected value rendered by Python Jinja2 with trim_blocks and lstrip_blocks, as transformers configures it.
        String source = """
                {% for m in messages %}
                    {% if m['role'] == 'user' %}
                U: {{ m['content'] }}
                    {# a comment #}
                    {% else %}
                A: {{ m['content'] }} {% if add_generation_prompt %}more {% endif %}
                    {% endif %}
                {% endfor %}""";
        ChatTemplate template = new ChatTemplate(source, "", "");

        assertThat(template.render(List.of(ChatMessage.user("a"), ChatMessage.assistant("b")), true))
                .isEqualTo("U: a\nA: b more ");
    }

    @Test
    void readsChatTemplateJinjaAndTokenObjects(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("chat_template.jinja"), "{{ bos_token }}{{ messages[0]['content'] }}");
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"bos_token\": {\"content\": \"<bos>\", \"special\": true}, \"eos_token\": \"<eos>\"}");
        ChatTemplate template = ChatTemplate.fromModelFolder(dir);

        assertThat(template.render(List.of(ChatMessage.user("hello")), false)).isEqualTo("<bos>hello");
        assertThat(template.eosToken()).isEqualTo("<eos>");
    }

    @Test
    void picksTheDefaultOfNamedTemplates(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"chat_template": [{"name": "tool_use", "template": "tools"},
                                   {"name": "default", "template": "plain {{ messages | length }}"}]}""");

        assertThat(ChatTemplate.fromModelFolder(dir).render(List.of(ChatMessage.user("x")), false))
                .isEqualTo("plain 1");
    }

    @Test
    void aModelWithoutTemplateIsATypedError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\"}");

        assertThatThrownBy(() -> ChatTemplate.fromModelFolder(dir))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("has no chat template");
    }

    @Test
    void aBrokenTemplateIsATypedError() {
        ChatTemplate template = new ChatTemplate("{% for m in messages %}{{ m['role'] }", "", "");

        assertThatThrownBy(() -> template.render(List.of(ChatMessage.user("x")), false))
                .isInstanceOf(ChatTemplateException.class);
    }
}
