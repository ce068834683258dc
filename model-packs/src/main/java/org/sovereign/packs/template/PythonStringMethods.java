package org.sovereign.packs.template;

import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

import java.beans.FeatureDescriptor;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Python {@code str} methods that chat templates call ({@code content.startswith('x')}, {@code .split()}, ...) and
 * Java's {@code String} lacks or spells differently. Placed before Jinjava's own resolver, it answers method calls
 * on strings with these names and leaves everything else to Jinjava.
 */
final class PythonStringMethods extends ELResolver {

    private static final Map<String, BiFunction<String, Object[], Object>> METHODS = Map.ofEntries(
            Map.entry("startswith", (s, a) -> anyOf(a, 0).stream().anyMatch(s::startsWith)),
            Map.entry("endswith", (s, a) -> anyOf(a, 0).stream().anyMatch(s::endsWith)),
            Map.entry("strip", (s, a) -> noChars(a) ? pyStrip(s, true, true)
                    : stripChars(stripChars(s, arg(a, 0), true), arg(a, 0), false)),
            Map.entry("lstrip", (s, a) -> noChars(a) ? pyStrip(s, true, false) : stripChars(s, arg(a, 0), true)),
            Map.entry("rstrip", (s, a) -> noChars(a) ? pyStrip(s, false, true) : stripChars(s, arg(a, 0), false)),
            Map.entry("upper", (s, a) -> s.toUpperCase(Locale.ROOT)),
            Map.entry("lower", (s, a) -> s.toLowerCase(Locale.ROOT)),
            Map.entry("title", (s, a) -> title(s)),
            Map.entry("capitalize", (s, a) -> s.isEmpty() ? s
                    : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT)),
            Map.entry("split", (s, a) -> split(s, a)),
            Map.entry("splitlines", (s, a) -> splitLines(s)),
            Map.entry("replace", (s, a) -> {
                String result = s.replace(arg(a, 0), arg(a, 1));
                RenderGuard.checkString(result.length());
                return result;
            }),
            Map.entry("find", (s, a) -> (long) s.indexOf(arg(a, 0))),
            Map.entry("rfind", (s, a) -> (long) s.lastIndexOf(arg(a, 0))),
            Map.entry("count", (s, a) -> count(s, arg(a, 0))),
            Map.entry("join", (s, a) -> join(s, a.length > 0 ? a[0] : null)),
            Map.entry("removeprefix", (s, a) -> s.startsWith(arg(a, 0)) ? s.substring(arg(a, 0).length()) : s),
            Map.entry("removesuffix", (s, a) -> !arg(a, 0).isEmpty() && s.endsWith(arg(a, 0))
                    ? s.substring(0, s.length() - arg(a, 0).length()) : s),
            Map.entry("isdigit", (s, a) -> !s.isEmpty() && s.chars().allMatch(Character::isDigit)),
            Map.entry("isalpha", (s, a) -> !s.isEmpty() && s.chars().allMatch(Character::isLetter)),
            Map.entry("isalnum", (s, a) -> !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit)),
            Map.entry("isspace", (s, a) -> !s.isEmpty() && s.chars().allMatch(Character::isWhitespace)),
            Map.entry("islower", (s, a) -> s.chars().anyMatch(Character::isLetter) && s.equals(s.toLowerCase(Locale.ROOT))),
            Map.entry("isupper", (s, a) -> s.chars().anyMatch(Character::isLetter) && s.equals(s.toUpperCase(Locale.ROOT))),
            // Java's static String.format would otherwise answer and render the wrong text silently.
            Map.entry("format", (s, a) -> {
                throw new UnsupportedOperationException(
                        "str.format() is not supported in chat templates; use the percent operator or ~ instead");
            }));

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String text) || method == null) {
            return null;
        }
        BiFunction<String, Object[], Object> python = METHODS.get(method.toString());
        if (python == null) {
            return null;
        }
        context.setPropertyResolved(true);
        return python.apply(text, params == null ? new Object[0] : params);
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        PythonSlices.Slice slice = PythonSlices.Slice.parse(property);
        if (slice != null && base != null) {
            context.setPropertyResolved(true);
            return PythonSlices.apply(base, slice);
        }
        if (base instanceof CharSequence text && property != null && String.valueOf(property).matches("-?\\d{1,10}")) {
            // Python's text[i] (Jinjava has no string indexing and answers nothing).
            long i = Long.parseLong(String.valueOf(property));
            long at = i < 0 ? i + text.length() : i;
            if (at < 0 || at >= text.length()) {
                throw new IllegalArgumentException("string index out of range");
            }
            context.setPropertyResolved(true);
            return String.valueOf(text.charAt((int) at));
        }
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // Not ours: values are set by the resolvers after this one.
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return false;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return Collections.emptyIterator();
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }

    private static String arg(Object[] args, int index) {
        if (args.length <= index) {
            throw new IllegalArgumentException("missing argument " + (index + 1));
        }
        return PythonValues.str(args[index]);
    }

    /** One string argument, or each string of a tuple/list argument ({@code startswith(('a', 'b'))}). */
    private static List<String> anyOf(Object[] args, int index) {
        if (args.length > index && args[index] instanceof List<?> list) {
            return list.stream().map(PythonValues::str).toList();
        }
        return List.of(arg(args, index));
    }

    private static boolean noChars(Object[] args) {
        return args.length == 0 || args[0] == null;
    }

    /** Python's {@code strip()} without arguments: Unicode whitespace. */
    private static String pyStrip(String s, boolean leading, boolean trailing) {
        int start = 0;
        int end = s.length();
        while (leading && start < end && isPythonSpace(s.charAt(start))) {
            start++;
        }
        while (trailing && end > start && isPythonSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || (c >= 0x1c && c <= 0x1f) || c == 0x85;
    }

    private static Object split(String s, Object[] args) {
        String sep = args.length == 0 || args[0] == null ? null : PythonValues.str(args[0]);
        BigInteger max = args.length > 1 ? PythonValues.asInteger(args[1]) : null;
        int limit = max == null || max.signum() < 0 ? -1 : max.min(BigInteger.valueOf(100_000)).intValue();
        if (sep == null) {
            String trimmed = pyStrip(s, true, limit < 0);
            if (trimmed.isEmpty()) {
                return List.of();
            }
            return Arrays.asList(limit < 0 ? trimmed.split("\\s+") : trimmed.split("\\s+", limit + 1));
        }
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
        return Arrays.asList(s.split(Pattern.quote(sep), limit < 0 ? -1 : limit + 1));
    }

    private static long count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1L;
        }
        long n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
            n++;
        }
        return n;
    }

    private static String join(String separator, Object items) {
        if (!(items instanceof Iterable<?> iterable)) {
            throw new IllegalArgumentException("can only join an iterable");
        }
        StringBuilder out = new StringBuilder();
        boolean first = true;
        for (Object item : iterable) {
            if (!(item instanceof CharSequence)) {
                throw new IllegalArgumentException("sequence item: expected str instance, "
                        + PythonValues.typeName(item) + " found");
            }
            if (!first) {
                out.append(separator);
            }
            first = false;
            out.append(item);
            RenderGuard.checkString(out.length());
        }
        return out.toString();
    }

    /** Python's {@code str.title()}: a capital after every non-letter. */
    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(previousCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
            previousCased = Character.isLetter(c);
        }
        return out.toString();
    }

    private static String stripChars(String s, String chars, boolean leading) {
        int start = 0;
        int end = s.length();
        if (leading) {
            while (start < end && chars.indexOf(s.charAt(start)) >= 0) {
                start++;
            }
        } else {
            while (end > start && chars.indexOf(s.charAt(end - 1)) >= 0) {
                end--;
            }
        }
        return s.substring(start, end);
    }

    private static List<String> splitLines(String s) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(s.substring(start, i));
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < s.length()) {
            lines.add(s.substring(start));
        }
        return lines;
    }
}
