package org.sovereign.packs.template;

import com.hubspot.jinjava.objects.collections.PyList;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Python slices with a step ({@code messages[::-1]}, {@code s[1:10:2]}), which Jinjava's parser does not accept.
 * Inside template tags, a bracket with two colons is rewritten to an index by a {@link Slice} value
 * ({@code x[a:b:c]} becomes {@code x[__pyslice(a, b, c)]}); {@link PythonStringMethods} answers that index on lists
 * and strings with Python's slice semantics. Text outside tags and string literals are left untouched.
 */
final class PythonSlices {

    static final String FUNCTION = "__pyslice";

    private PythonSlices() {
    }

    /**
     * A Python {@code slice(start, stop, step)}; {@code null} parts are omitted ones. Jinjava hands an index to the
     * resolvers as text ({@code String.valueOf}), so the slice travels as {@link #toString()} and is read back by
     * {@link #parse}.
     */
    record Slice(Long start, Long stop, Long step) {
        private static final String PREFIX = "\u0000pyslice:";

        @Override
        public String toString() {
            return PREFIX + start + ":" + stop + ":" + step;
        }

        /** The slice a property stands for, or {@code null} when it is not one. */
        static Slice parse(Object property) {
            if (property instanceof Slice slice) {
                return slice;
            }
            if (!(property instanceof CharSequence text) || !text.toString().startsWith(PREFIX)) {
                return null;
            }
            String[] parts = text.toString().substring(PREFIX.length()).split(":", -1);
            return new Slice(part(parts[0]), part(parts[1]), part(parts[2]));
        }

        private static Long part(String text) {
            return "null".equals(text) ? null : Long.valueOf(text);
        }
    }

    /** {@code __pyslice(start, stop, step)}. */
    public static Object slice(Object start, Object stop, Object step) {
        return new Slice(index(start), index(stop), index(step));
    }

    private static Long index(Object value) {
        return value == null ? null : integer(value);
    }

    /** The template with every stepped slice inside its tags rewritten. */
    static String rewrite(String source) {
        if (!source.contains("::") && !source.matches("(?s).*\\[[^\\]]*:[^\\]]*:.*")) {
            return source;
        }
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            int open = nextTag(source, i);
            if (open < 0) {
                out.append(source, i, source.length());
                break;
            }
            out.append(source, i, open + 2);
            String close = source.charAt(open + 1) == '{' ? "}}" : "%}";
            int end = tagEnd(source, open + 2, close);
            out.append(rewriteExpression(source.substring(open + 2, end)));
            i = end;
        }
        return out.toString();
    }

    private static int nextTag(String s, int from) {
        int a = s.indexOf("{{", from);
        int b = s.indexOf("{%", from);
        if (a < 0) {
            return b;
        }
        return b < 0 ? a : Math.min(a, b);
    }

    /** Index of the closing delimiter, skipping string literals; the end of the text if there is none. */
    private static int tagEnd(String s, int from, String close) {
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = stringEnd(s, i);
            } else if (s.startsWith(close, i)) {
                return i;
            } else {
                i++;
            }
        }
        return s.length();
    }

    private static int stringEnd(String s, int quoteAt) {
        char q = s.charAt(quoteAt);
        int i = quoteAt + 1;
        while (i < s.length() && s.charAt(i) != q) {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, s.length());
    }

    /** Rewrites {@code [a:b:c]} in one tag's code (outside its string literals). */
    static String rewriteExpression(String code) {
        StringBuilder out = new StringBuilder(code.length() + 16);
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                int end = stringEnd(code, i);
                out.append(code, i, end);
                i = end;
            } else if (c == '[') {
                int close = matchingBracket(code, i);
                List<String> parts = close < 0 ? List.of() : topLevelColonParts(code.substring(i + 1, close));
                if (parts.size() == 3) {
                    out.append('[').append(FUNCTION).append('(');
                    for (int p = 0; p < 3; p++) {
                        String part = rewriteExpression(parts.get(p)).strip();
                        out.append(p > 0 ? ", " : "").append(part.isEmpty() ? "none" : "(" + part + ")");
                    }
                    out.append(")]");
                    i = close + 1;
                } else {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int matchingBracket(String code, int open) {
        int depth = 0;
        int i = open;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                i = stringEnd(code, i);
                continue;
            }
            if (c == '[' || c == '(' || c == '{') {
                depth++;
            } else if (c == ']' || c == ')' || c == '}') {
                depth--;
                if (depth == 0) {
                    return c == ']' ? i : -1;
                }
            }
            i++;
        }
        return -1;
    }

    private static List<String> topLevelColonParts(String inner) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        int i = 0;
        while (i < inner.length()) {
            char c = inner.charAt(i);
            if (c == '\'' || c == '"') {
                i = stringEnd(inner, i);
                continue;
            }
            if (c == '[' || c == '(' || c == '{') {
                depth++;
            } else if (c == ']' || c == ')' || c == '}') {
                depth--;
            } else if (c == ':' && depth == 0) {
                parts.add(inner.substring(start, i));
                start = i + 1;
            }
            i++;
        }
        parts.add(inner.substring(start));
        return parts;
    }

    /** Python's {@code sequence[slice]} for a list or a string. */
    static Object apply(Object base, Slice slice) {
        int length;
        if (base instanceof CharSequence text) {
            length = text.length();
        } else if (base instanceof List<?> list) {
            length = list.size();
        } else {
            throw new IllegalArgumentException("'" + PythonValues.typeName(base) + "' object is not subscriptable");
        }
        long step = slice.step() == null ? 1 : integer(slice.step());
        if (step == 0) {
            throw new IllegalArgumentException("slice step cannot be zero");
        }
        long start = bound(slice.start(), length, step, true);
        long stop = bound(slice.stop(), length, step, false);
        List<Integer> indices = new ArrayList<>();
        for (long k = start; step > 0 ? k < stop : k > stop; k += step) {
            indices.add((int) k);
        }
        if (base instanceof CharSequence text) {
            StringBuilder out = new StringBuilder(indices.size());
            indices.forEach(k -> out.append(text.charAt(k)));
            return out.toString();
        }
        List<?> list = (List<?>) base;
        List<Object> out = new ArrayList<>(indices.size());
        indices.forEach(k -> out.add(list.get(k)));
        return new PyList(out);
    }

    /** CPython's PySlice_AdjustIndices for one end. */
    private static long bound(Object value, int length, long step, boolean isStart) {
        if (value == null) {
            if (step > 0) {
                return isStart ? 0 : length;
            }
            return isStart ? length - 1 : -1;
        }
        long v = integer(value);
        if (v < 0) {
            v += length;
            if (v < 0) {
                v = step < 0 ? -1 : 0;
            }
        } else if (v >= length) {
            v = step < 0 ? length - 1 : length;
        }
        return v;
    }

    private static long integer(Object value) {
        BigInteger i = PythonValues.asInteger(value);
        if (i == null) {
            throw new IllegalArgumentException("slice indices must be integers or None");
        }
        return i.max(BigInteger.valueOf(Integer.MIN_VALUE)).min(BigInteger.valueOf(Integer.MAX_VALUE)).longValue();
    }
}
