package org.sovereign.packs.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.lib.filter.EscapeFilter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.mode.ExecutionMode;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How {@code {{ expression }}}, {@code |string} and {@code |join} turn values into text: Python's {@code str()} (booleans as
 * {@code True}/{@code False}, lists and dicts in Python's notation, floats as Python writes them) instead of Java's
 * {@code toString()}.
 *
 * <p>Jinjava has no separate "undefined": an unknown variable, a missing key and Python's {@code None} are all
 * {@code null}. Printed directly, {@code null} gives the empty string (what Jinja2 prints for undefined values, the
 * common case in chat templates, e.g. {@code {{ message.name }}}), except the literal {@code {{ none }}}, which
 * prints {@code None}. Inside lists and dicts, in {@code '%s' % x}, {@code |string} and {@code |join}, {@code null}
 * is {@code None}.
 */
final class PythonOutput {

    private static final Pattern NONE_LITERAL = Pattern.compile("\\s*(\\(\\s*)*(none|None)(\\s*\\))*\\s*");

    private PythonOutput() {
    }

    /** The standard (non-eager) execution mode with Python's printing installed in every render's context. */
    static final ExecutionMode MODE = new ExecutionMode() {
        @Override
        public void prepareContext(Context context) {
            context.setExpressionStrategy(STRATEGY);
        }
    };

    private static final ExpressionStrategy STRATEGY = new PrintStrategy();

    private static final class PrintStrategy implements ExpressionStrategy {
        private static final long serialVersionUID = 1L;

        @Override
        public RenderedOutputNode interpretOutput(ExpressionToken master, JinjavaInterpreter interpreter) {
            Object value = interpreter.resolveELExpression(master.getExpr(), master.getLineNumber());
            String text = printed(value, master.getExpr());
            if (interpreter.getContext().isAutoEscape()) {
                text = EscapeFilter.escapeHtmlEntities(text);
            }
            return new RenderedOutputNode(text);
        }
    }

    /** What {@code {{ expression }}} prints for a value. */
    static String printed(Object value, String expression) {
        if (value == null) {
            return NONE_LITERAL.matcher(expression).matches() ? "None" : "";
        }
        return PythonValues.str(value);
    }

    /**
     * Jinja2's {@code join}: the items as Python's {@code str()} ({@code True}, {@code None}). With an
     * {@code attribute} argument Jinjava's own lookup and conversion are kept.
     */
    static final class JoinFilter extends com.hubspot.jinjava.lib.filter.JoinFilter {
        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            if (var instanceof Iterable<?> items && !(var instanceof Map<?, ?>) && args.length < 2) {
                List<Object> texts = new ArrayList<>();
                items.forEach(item -> texts.add(PythonValues.str(item)));
                return super.filter(texts, interpreter, args);
            }
            return super.filter(var, interpreter, args);
        }
    }

    /** Jinja2's {@code string} filter: Python's {@code str()}. */
    static final class StringFilter implements Filter {
        @Override
        public String getName() {
            return "string";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return PythonValues.str(var);
        }
    }
}
