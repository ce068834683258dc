package org.sovereign.packs.template;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jinja semantics real templates rely on and Jinjava alone gets wrong. Every expected string was printed by Python
 * Jinja2 3.1.6 ({@code ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)} with transformers'
 * {@code tojson}) for the same template and the messages system "sys", user "hi there".
 */
class PythonSemanticsTest {

    private static String render(String source) {
        return new ChatTemplate(source, "<s>", "</s>")
                .render(List.of(ChatMessage.system("sys"), ChatMessage.user("hi there")), true);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '@', quoteCharacter = '`', value = {
            // the loop filter runs first: loop.index counts kept items (Jinjava ignored the clause)
            "{% for m in messages if m.role != 'system' %}{{ loop.index }}{{ m.role }}{{ loop.last }}{% endfor %}"
                    + "@1userTrue",
            "{% for k, v in messages[0].items() if k != 'role' %}{{ k }}={{ v }}{% endfor %}@content=sys",
            "{% for m in messages %}[{{ loop.previtem.role if loop.previtem is defined else '-' }}"
                    + "/{{ loop.nextitem.role if loop.nextitem is defined else '-' }}]{% endfor %}@[-/user][system/-]",
            "{{ {'a': 1, 'b': [1, 2.5, 1e-05]} | tojson }}@`{\"a\": 1, \"b\": [1, 2.5, 1e-05]}`",
            "{{ {'c': {}, 'a': 1, 'b': [[1], 'x']} | tojson(indent=2) }}"
                    + "@`{\n  \"c\": {},\n  \"a\": 1,\n  \"b\": [\n    [\n      1\n    ],\n    \"x\"\n  ]\n}`",
            "{{ 'abc'.startswith(('x', 'a')) }} {{ 'abc'.endswith(('b',)) }}@True False",
            "{{ 'hello'.find('l') }} {{ 'hello'.rfind('l') }} {{ 'a b-c'.title() }} {{ 'hELLO'.capitalize() }}"
                    + "@2 3 A B-C Hello",
            "{{ 'a,b,c'.split(',', 1) }} {{ ' x  y '.split() }} {{ '-'.join(['a', 'b']) }} {{ 'aXbX'.count('X') }}"
                    + "@`['a', 'b,c'] ['x', 'y'] a-b 2`",
            "{{ true and 'x' }} {{ false or 'y' }} {{ ('' or none) is none }} {{ 0 and 1 }}@x y True 0",
            "{{ 'ab' * 3 }}{{ 2 * 'c' }} {{ 3 * 4 }}@abababcc 12",
            // Jinjava's range stops at 1,000 items
            "{{ range(2000) | length }} {{ range(1, 10, 3) | list }} {{ range(5, 0, -2) | list }}@2000 [1, 4, 7] [5, 3, 1]",
            "{{ 'abc'[0] }}{{ 'abc'[-1] }} {{ messages[1].content[-5:] }}@ac there",
            "{{ 'l1\\nl2\\r\\nl3\\n'.splitlines() }} {{ '12'.isdigit() }} {{ 'x'.removeprefix('x') }}|"
                    + "@`['l1', 'l2', 'l3'] True |`",
    })
    void rendersAsJinja(String template, String expected) {
        assertThat(render(template)).isEqualTo(expected);
    }
}
