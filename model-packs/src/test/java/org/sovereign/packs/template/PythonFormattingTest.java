package org.sovereign.packs.template;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Edge cases of Python printing and printf-style formatting. Every expected string was printed by Python Jinja2 3.1.6
 * ({@code ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)}, as transformers 5.18 configures it)
 * for the same template; the common cases are in {@code template-cases.json}, rendered by transformers itself.
 */
class PythonFormattingTest {

    private static String render(String source) {
        return new ChatTemplate(source, "<s>", "</s>").render(List.of(ChatMessage.user("hi")), true, Map.of());
    }

    @Test
    void printsFloatsStringsAndUnicodeAsPythonRepr() {
        assertThat(render("{{ [0.1, 1e15, 123456789012345678.0, 0.00012, -0.0, 1.5e-7, 'a\\nb\\\\', "
                + "'\u00e9\u2028\u0007', 'both \\' and \"'] }}"))
                .isEqualTo("[0.1, 1000000000000000.0, 1.2345678901234568e+17, 0.00012, -0.0, 1.5e-07, 'a\\nb\\\\', "
                        + "'\u00e9\\u2028\\x07', 'both \\' and \"']");
        assertThat(render("{{ '%a|%r' % ('\u00e9\u20ac\uD83D\uDE00', '\u00e9\u20ac\uD83D\uDE00') }}"))
                .isEqualTo("'\\xe9\\u20ac\\U0001f600'|'\u00e9\u20ac\uD83D\uDE00'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '@', quoteCharacter = '"', value = {
            "{{ '%e|%E|%.0e|%#.0e|%g|%.3g|%.10g|%G' % (0.0, 1e100, 15.5, 2.0, 123456789.0, 0.000123456, 1/3, 1.5e-20) }}"
                    + "@0.000000e+00|1.000000E+100|2e+01|2.e+00|1.23457e+08|0.000123|0.3333333333|1.5E-20",
            "{{ '%f|%.3f|%10.2f|%-10.2f|%+f|% f|%#.0f|%.0f|%.0f' % (-0.0, -0.0004, 3.14159, 3.14159, 1.0, 1.0, 2.0, 1.5, 2.5) }}"
                    + "@-0.000000|-0.000|      3.14|3.14      |+1.000000| 1.000000|2.|2|2",
            "{{ '%5d|%-5d|%05d|%+05d|%x|%X|%#X|%o|%.5x|%c|%3c' % (-3, -3, -3, 3, -255, 255, 255, -8, 255, 9731, 'z') }}"
                    + "@\"   -3|-3   |-0003|+0003|-ff|FF|0XFF|-10|000ff|\u2603|  z\"",
            "{{ '%*d|%.*f|%(x)s' % (5, 3, 2, 3.14159, 'unused') if false else '%(a)s-%(b)05.1f' % {'a': true, 'b': 2.25} }}"
                    + "@True-002.2",
            "{{ -7.5 % 2 }} {{ 7 % -3 }} {{ -7 % 3 }} {{ 7 % 3 }} {{ -7 }}@0.5 -2 2 1 -7",
            "{{ '%s' % [1, 2] }} {{ 'abc' % [1] }} {{ '%s' % {'a': none} }} {{ (1,) }} {{ () }}@[1, 2] abc {'a': None} (1,) ()",
    })
    void formatsLikePython(String template, String expected) {
        assertThat(render(template)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '@', value = {
            "{{ '%s and %s' % ('only one',) }}@not enough arguments for format string",
            "{{ '%d' % none }}@%d format: a real number is required, not NoneType",
            "{{ '%s' % (1, 2, 3) }}@not all arguments converted during string formatting",
            "{{ '%x' % 1.5 }}@%x format: an integer is required, not float",
            "{{ '%z' % 1 }}@unsupported format character 'z' (0x7a) at index 1",
            "{{ 5 % 0 }}@integer modulo by zero",
            "{{ '{} items'.format(3) }}@str.format() is not supported",
    })
    void failsWithPythonsMessage(String template, String pythonMessage) {
        assertThatThrownBy(() -> render(template))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining(pythonMessage);
    }

    @Test
    void percentFormattingWorksInStatementsAndKeepsFilterPrecedence() {
        assertThat(render("{% set line = '%s:%d' % (messages[0]['role'], messages | length) %}"
                + "{% if line == 'user:1' %}{{ line ~ '/' ~ ('%s' % 'x' | upper) }}{% endif %}"))
                .isEqualTo("user:1/X");
    }

    @Test
    void userTextIsNeverInterpretedAsTemplateOrFormat() {
        ChatTemplate template = new ChatTemplate("{{ '[%s]' % messages[0]['content'] }}{{ messages[0]['content'] }}",
                "", "");
        assertThat(template.render(List.of(ChatMessage.user("{{ 7 * 7 }} %s %d")), false))
                .isEqualTo("[{{ 7 * 7 }} %s %d]{{ 7 * 7 }} %s %d");
    }

    @Test
    void knownDifferenceNullIsEmptyWhenPrintedOrJoinedButNoneWhenFormatted() {
        // Jinjava has one null for Python's None and for undefined values. Printed or joined with '~' it is the
        // empty string (Jinja2's undefined); in '%s', lists and |string it is None. Python: '', 'a', 'None', 'None'.
        assertThat(render("[{{ no_such_variable }}] {{ 'a' ~ no_such_variable }} {{ '%s' % none }} {{ none | string }}"))
                .isEqualTo("[] a None None");
    }
}
