package org.sovereign.packs.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;

import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code tojson} as transformers' templates see it: Python's {@code json.dumps(value, ensure_ascii=False)}, with
 * {@code ", "} and {@code ": "} separators (Jinjava's own filter writes compact JSON, which changes tool prompts).
 */
final class PythonJson implements Filter {

    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        StringBuilder out = new StringBuilder();
        write(var, out);
        return out.toString();
    }

    /** {@code tojson(indent=4)} (Llama 3.x prints tool definitions so): Python's multi-line layout. */
    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object indent = kwargs.containsKey("indent") ? kwargs.get("indent") : args.length > 0 ? args[0] : null;
        if (indent == null) {
            return filter(var, interpreter);
        }
        BigInteger width = PythonValues.asInteger(indent);
        String unit = width != null ? " ".repeat(Math.max(0, Math.min(64, width.intValue()))) : String.valueOf(indent);
        StringBuilder out = new StringBuilder();
        writeIndented(var, out, unit, 0);
        return out.toString();
    }

    private static void writeIndented(Object value, StringBuilder out, String unit, int level) {
        RenderGuard.checkString(out.length());
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<?, ?> e = entries.next();
                out.append('\n').append(unit.repeat(level + 1));
                string(String.valueOf(e.getKey()), out);
                out.append(": ");
                writeIndented(e.getValue(), out, unit, level + 1);
                if (entries.hasNext()) {
                    out.append(',');
                }
            }
            out.append('\n').append(unit.repeat(level)).append('}');
        } else if (value instanceof Iterable<?> items && !(value instanceof Map<?, ?>) && items.iterator().hasNext()) {
            out.append('[');
            Iterator<?> it = items.iterator();
            while (it.hasNext()) {
                out.append('\n').append(unit.repeat(level + 1));
                writeIndented(it.next(), out, unit, level + 1);
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            out.append('\n').append(unit.repeat(level)).append(']');
        } else {
            write(value, out);
        }
    }

    static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (PythonValues.isFloat(value)) {
            double d = ((Number) value).doubleValue();
            out.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
                    : PythonValues.floatRepr(d));
        } else if (value instanceof Number n) {
            out.append(n);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<?, ?> e = entries.next();
                string(String.valueOf(e.getKey()), out);
                out.append(": ");
                write(e.getValue(), out);
                if (entries.hasNext()) {
                    out.append(", ");
                }
            }
            out.append('}');
        } else if (value instanceof Iterable<?> items) {
            out.append('[');
            Iterator<?> it = items.iterator();
            while (it.hasNext()) {
                write(it.next(), out);
                if (it.hasNext()) {
                    out.append(", ");
                }
            }
            out.append(']');
        } else {
            string(value.toString(), out);
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
