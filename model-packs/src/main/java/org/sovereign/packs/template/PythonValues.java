package org.sovereign.packs.template;

import com.hubspot.jinjava.objects.collections.PyList;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code str()} and {@code repr()} of the Java values a chat template handles, so that Jinjava prints what
 * Python Jinja2 prints: {@code True}/{@code False}, {@code None}, {@code [1, 'a']}, {@code {'k': True}},
 * {@code (1, 2)}, {@code 1e-05}.
 */
final class PythonValues {

    private PythonValues() {
    }

    /** A tuple literal's value; prints as {@code (a, b)} and spreads over the fields of {@code '%s %s' % (a, b)}. */
    static final class Tuple extends PyList {
        Tuple(List<Object> items) {
            super(items);
        }
    }

    /** Python {@code str(value)}; {@code null} is Python's {@code None}. */
    static String str(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Character c) {
            return c.toString();
        }
        return repr(value);
    }

    /** Python {@code repr(value)}. */
    static String repr(Object value) {
        StringBuilder out = new StringBuilder();
        appendRepr(value, out, false);
        return out.toString();
    }

    /** Python {@code ascii(value)}: {@code repr} with every non-ASCII character escaped. */
    static String ascii(Object value) {
        StringBuilder out = new StringBuilder();
        appendRepr(value, out, true);
        return out.toString();
    }

    private static void appendRepr(Object value, StringBuilder out, boolean asciiOnly) {
        if (value == null) {
            out.append("None");
        } else if (value instanceof Boolean b) {
            out.append(b ? "True" : "False");
        } else if (value instanceof CharSequence || value instanceof Character) {
            quote(value.toString(), out, asciiOnly);
        } else if (value instanceof Double || value instanceof Float) {
            out.append(floatRepr(((Number) value).doubleValue()));
        } else if (value instanceof BigDecimal d) {
            out.append(floatRepr(d.doubleValue()));
        } else if (value instanceof Number n) {
            out.append(n);
        } else if (value instanceof Tuple tuple) {
            out.append('(');
            appendItems(tuple, out, asciiOnly);
            if (tuple.size() == 1) {
                out.append(',');
            }
            out.append(')');
        } else if (value instanceof List<?> list) {
            out.append('[');
            appendItems(list, out, asciiOnly);
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<?, ?> e = entries.next();
                appendRepr(e.getKey(), out, asciiOnly);
                out.append(": ");
                appendRepr(e.getValue(), out, asciiOnly);
                if (entries.hasNext()) {
                    out.append(", ");
                }
            }
            out.append('}');
        } else {
            out.append(value);
        }
    }

    private static void appendItems(List<?> items, StringBuilder out, boolean asciiOnly) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            appendRepr(items.get(i), out, asciiOnly);
        }
    }

    /** Python's string repr: single quotes unless the text holds a single quote and no double quote. */
    private static void quote(String s, StringBuilder out, boolean asciiOnly) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        out.append(q);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == q || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && (asciiOnly || !isPrintable(cp)))) {
                if (cp < 0x100) {
                    out.append(String.format("\\x%02x", cp));
                } else if (cp < 0x10000) {
                    out.append(String.format("\\u%04x", cp));
                } else {
                    out.append(String.format("\\U%08x", cp));
                }
            } else {
                out.appendCodePoint(cp);
            }
        }
        out.append(q);
    }

    /** Python's {@code str.isprintable()} for one character: not in the Other or Separator categories. */
    private static boolean isPrintable(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that read back to the same double, positional when the
     * decimal exponent is from -4 to 15 ({@code 0.0001}, {@code 1e+16}, {@code 1e-05}, always a {@code .0} or an
     * exponent).
     */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return Math.copySign(1.0, d) < 0 ? "-0.0" : "0.0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int decimalPoint = digits.length() - shortest.scale(); // value = 0.digits * 10^decimalPoint
        StringBuilder out = new StringBuilder(d < 0 ? "-" : "");
        if (decimalPoint > -4 && decimalPoint <= 16) {
            if (decimalPoint <= 0) {
                out.append("0.").append("0".repeat(-decimalPoint)).append(digits);
            } else if (decimalPoint >= digits.length()) {
                out.append(digits).append("0".repeat(decimalPoint - digits.length())).append(".0");
            } else {
                out.append(digits, 0, decimalPoint).append('.').append(digits.substring(decimalPoint));
            }
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits.substring(1));
            }
            int exponent = decimalPoint - 1;
            out.append(exponent < 0 ? "e-" : "e+");
            out.append(String.format("%02d", Math.abs(exponent)));
        }
        return out.toString();
    }

    /** A Python int (bool counts as int), or {@code null} when the value is not an integer. */
    static BigInteger asInteger(Object value) {
        if (value instanceof Boolean b) {
            return b ? BigInteger.ONE : BigInteger.ZERO;
        }
        if (value instanceof BigInteger i) {
            return i;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        return null;
    }

    /** Whether the value is a Python float (Java's floating types and {@code BigDecimal}). */
    static boolean isFloat(Object value) {
        return value instanceof Double || value instanceof Float || value instanceof BigDecimal;
    }

    /** Python's type name of a value, for error messages. */
    static String typeName(Object value) {
        if (value == null) {
            return "NoneType";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof CharSequence || value instanceof Character) {
            return "str";
        }
        if (isFloat(value)) {
            return "float";
        }
        if (value instanceof Number) {
            return "int";
        }
        if (value instanceof Tuple) {
            return "tuple";
        }
        if (value instanceof List<?>) {
            return "list";
        }
        if (value instanceof Map<?, ?>) {
            return "dict";
        }
        return value.getClass().getSimpleName();
    }
}
