package org.sovereign.packs.template;

import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

import java.beans.FeatureDescriptor;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Python {@code str} methods that chat templates call ({@code content.startswith('x')}, {@code .split()}, ...) and
 * Java's {@code String} lacks or spells differently. Placed before Jinjava's own resolver, it answers method calls
 * on strings with these names and leaves everything else to Jinjava.
 */
final class PythonStringMethods extends ELResolver {

    private static final Map<String, BiFunction<String, String[], Object>> METHODS = Map.of(
            "startswith", (s, a) -> s.startsWith(arg(a, 0)),
            "endswith", (s, a) -> s.endsWith(arg(a, 0)),
            "strip", (s, a) -> a.length == 0 ? s.strip() : stripChars(stripChars(s, arg(a, 0), true), arg(a, 0), false),
            "lstrip", (s, a) -> a.length == 0 ? s.stripLeading() : stripChars(s, arg(a, 0), true),
            "rstrip", (s, a) -> a.length == 0 ? s.stripTrailing() : stripChars(s, arg(a, 0), false),
            "upper", (s, a) -> s.toUpperCase(java.util.Locale.ROOT),
            "lower", (s, a) -> s.toLowerCase(java.util.Locale.ROOT),
            "split", (s, a) -> a.length == 0 ? splitWhitespace(s) : Arrays.asList(s.split(Pattern.quote(arg(a, 0)), -1)),
            "replace", (s, a) -> s.replace(arg(a, 0), arg(a, 1)),
            // Java's static String.format would otherwise answer and render the wrong text silently.
            "format", (s, a) -> {
                throw new UnsupportedOperationException(
                        "str.format() is not supported in chat templates; use the percent operator or ~ instead");
            });

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String text) || method == null) {
            return null;
        }
        BiFunction<String, String[], Object> python = METHODS.get(method.toString());
        if (python == null) {
            return null;
        }
        String[] args = params == null ? new String[0]
                : Arrays.stream(params).map(String::valueOf).toArray(String[]::new);
        context.setPropertyResolved(true);
        return python.apply(text, args);
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        PythonSlices.Slice slice = PythonSlices.Slice.parse(property);
        if (slice != null && base != null) {
            context.setPropertyResolved(true);
            return PythonSlices.apply(base, slice);
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

    private static String arg(String[] args, int index) {
        if (args.length <= index) {
            throw new IllegalArgumentException("missing argument " + (index + 1));
        }
        return args[index];
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

    private static List<String> splitWhitespace(String s) {
        String trimmed = s.strip();
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
    }
}
