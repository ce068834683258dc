package org.sovereign.packs.template;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Templates come from packs whose publishers are not trusted: every render is bounded and kept away from Java. */
class UntrustedTemplateTest {

    private static String render(String source) {
        return new ChatTemplate(source, "<s>", "</s>").render(List.of(ChatMessage.user("hi")), true);
    }

    private static void assertRefused(String source, String message) {
        assertThatThrownBy(() -> render(source))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void threeThousandNestedIfsAreRefusedNotAStackOverflow() {
        String source = "{% if true %}".repeat(3000) + "x" + "{% endif %}".repeat(3000);
        assertRefused(source, "nest deeper than 100 levels");
    }

    @Test
    void deeplyNestedBracketsAreRefused() {
        assertRefused("{{ " + "(".repeat(5000) + "1" + ")".repeat(5000) + " }}", "nest deeper than");
    }

    @Test
    void threeNestedLoopsOfAThousandStop() {
        assertRefused("{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}"
                + "{% endfor %}{% endfor %}{% endfor %}", "The chat template was stopped");
    }

    @Test
    void doublingAStringFortyTimesStopsCleanly() {
        assertRefused("{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
                + "{% endfor %}{{ ns.s | length }}", "was stopped");
        assertRefused("{% set s = 'ab' %}{% for i in range(40) %}{% set s = s + s %}{% endfor %}{{ s | length }}",
                "was stopped");
    }

    @Test
    void aHugePercentWidthIsRefusedBeforeAllocating() {
        assertRefused("{{ '%2000000000s' % 'x' }}", "string longer than");
        assertRefused("{{ '%.2000000000f' % 1.5 }}", "string longer than");
    }

    @Test
    void outputIsBounded() {
        ChatTemplate template = new ChatTemplate("{% for i in range(1000) %}{{ '0123456789' }}{% endfor %}",
                "", "").withLimits(new ChatTemplate.Limits(Duration.ofSeconds(2), 5_000, 100, 1_000_000, 1 << 20));
        assertThatThrownBy(() -> template.render(List.of(ChatMessage.user("hi")), false))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("its output");
    }

    @Test
    void renderTimeIsBounded() {
        // A budget of steps this large would take minutes; the time limit stops it first.
        ChatTemplate template = new ChatTemplate("{% for i in range(1000) %}{% for j in range(1000) %}"
                + "{% for k in range(1000) %}{{ '' }}{% endfor %}{% endfor %}{% endfor %}", "", "")
                .withLimits(new ChatTemplate.Limits(Duration.ofMillis(50), 1 << 20, 100, Long.MAX_VALUE, 1 << 20));
        assertThatThrownBy(() -> template.render(List.of(ChatMessage.user("hi")), false))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("took longer than 50 ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{% include 'META-INF/MANIFEST.MF' %}",
            "{% import 'META-INF/MANIFEST.MF' as m %}",
            "{% extends 'META-INF/MANIFEST.MF' %}",
            "{% from 'META-INF/MANIFEST.MF' import x %}",
    })
    void otherTemplatesFilesAndResourcesCannotBeLoaded(String source) {
        assertThatThrownBy(() -> render(source + "after")).isInstanceOf(ChatTemplateException.class);
    }

    @Test
    void javaMethodsAreUnreachable() {
        assertRefused("{{ 'abc'.getBytes() }}", "no callable attribute 'getBytes'");
        assertRefused("{{ messages.getClass() }}", "no callable attribute 'getClass'");
        assertRefused("{{ messages[0].getClass().forName('java.lang.Runtime') }}", "no callable attribute");
        assertRefused("{{ messages.clear() }}", "no callable attribute 'clear'");
        assertThat(render("[{{ 'abc'.bytes }}][{{ messages.class }}][{{ 'abc'.blank }}]")).isEqualTo("[][][]");
    }

    @Test
    void pythonMethodsTemplatesUseStillWork() {
        assertThat(render("{{ messages[0].get('role') }} {% for k, v in messages[0].items() %}{{ k }}={{ v }};"
                + "{% endfor %} {{ 'a-b'.split('-')[1].upper() }} {{ messages[0].keys() | list | length }}"))
                .isEqualTo("user role=user;content=hi; B 2");
    }

    @Test
    void expressionWhitespaceControlTrimsLikeBlocks() {
        assertThat(render("A\n    {{- 'x' }}")).isEqualTo("Ax");
        assertThat(render("{{ 'x' -}}   \n  B")).isEqualTo("xB");
    }

    @Test
    void namespaceTakesWholeExpressionsAndSlicesTakeSteps() {
        assertThat(render("{% set ns = namespace(a=messages|length - 1, b='x' ~ 'y') %}{{ ns.a }}{{ ns.b }}"))
                .isEqualTo("0xy");
        assertThat(render("{{ [1, 2, 3, 4][::-1] }}{{ 'abcdef'[4:1:-1] }}{{ 'abcdef'[::2] }}"
                + "{% for m in messages[::-1] %}{{ m.role }}{% endfor %}"))
                .isEqualTo("[4, 3, 2, 1]edcaceuser");
    }

    @Test
    void strftimeNowReadsTheInjectedClock() {
        Clock clock = Clock.fixed(Instant.parse("2026-03-09T10:15:30Z"), ZoneOffset.UTC);
        ChatTemplate template = new ChatTemplate("{% if strftime_now is defined %}{{ strftime_now('%d %b %Y|%B %A %H:%M') }}"
                + "{% endif %}", "", "").withClock(clock);
        assertThat(template.render(List.of(ChatMessage.user("hi")), false)).isEqualTo("09 Mar 2026|March Monday 10:15");
    }
}
