package org.sovereign.packs.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Python's printf-style string formatting, {@code format % values}, as Jinja2 evaluates {@code '%s' % x} when the
 * left operand is a string: conversions {@code s r a d i u o x X e E f F g G c %}, flags {@code -+ #0}, width and
 * precision (also {@code *}), {@code %(key)s} with a dict, a tuple right operand spread over the fields. Floats are
 * rounded from their exact binary value, half to even, as C's printf does. Errors carry Python's messages.
 */
final class PythonPercentFormat {

    private final String format;
    private final List<?> args;
    private final Map<?, ?> mapping;
    private int argIndex;
    private final StringBuilder out = new StringBuilder();

    private PythonPercentFormat(String format, Object values) {
        this.format = format;
        if (values instanceof PythonValues.Tuple tuple) {
            this.args = tuple;
        } else {
            this.args = Collections.singletonList(values);
        }
        // Python treats any non-tuple, non-str object with __getitem__ (dict, list) as a possible mapping.
        this.mapping = values instanceof Map<?, ?> m ? m : null;
    }

    /**
     * {@code format % values}.
     *
     * @throws IllegalArgumentException with Python's message when the values do not fit the format
     */
    static String format(String format, Object values) {
        return new PythonPercentFormat(format, values).run(values);
    }

    private String run(Object values) {
        int i = 0;
        int n = format.length();
        while (i < n) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            i++;
            if (i >= n) {
                throw new IllegalArgumentException("incomplete format");
            }
            Object keyed = null;
            boolean hasKey = false;
            if (format.charAt(i) == '(') {
                if (mapping == null) {
                    throw new IllegalArgumentException("format requires a mapping");
                }
                int depth = 1;
                int keyStart = ++i;
                while (i < n && depth > 0) {
                    if (format.charAt(i) == '(') {
                        depth++;
                    } else if (format.charAt(i) == ')') {
                        depth--;
                    }
                    i++;
                }
                if (depth > 0) {
                    throw new IllegalArgumentException("incomplete format key");
                }
                String key = format.substring(keyStart, i - 1);
                if (!mapping.containsKey(key)) {
                    throw new IllegalArgumentException("KeyError: '" + key + "'");
                }
                keyed = mapping.get(key);
                hasKey = true;
            }
            boolean left = false;
            boolean sign = false;
            boolean space = false;
            boolean alternate = false;
            boolean zero = false;
            flags:
            while (i < n) {
                switch (format.charAt(i)) {
                    case '-' -> left = true;
                    case '+' -> sign = true;
                    case ' ' -> space = true;
                    case '#' -> alternate = true;
                    case '0' -> zero = true;
                    default -> {
                        break flags;
                    }
                }
                i++;
            }
            int width = -1;
            if (i < n && format.charAt(i) == '*') {
                width = starValue();
                if (width < 0) {
                    left = true;
                    width = -width;
                }
                i++;
            } else {
                int start = i;
                while (i < n && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                if (i > start) {
                    width = size(format.substring(start, i), "width");
                }
            }
            // Refused before anything is allocated: '%2000000000s' % 'x' would otherwise build a 4 GB string.
            RenderGuard.checkString(width);
            int precision = -1;
            if (i < n && format.charAt(i) == '.') {
                i++;
                if (i < n && format.charAt(i) == '*') {
                    precision = Math.max(0, starValue());
                    i++;
                } else {
                    int start = i;
                    while (i < n && Character.isDigit(format.charAt(i))) {
                        i++;
                    }
                    precision = i > start ? size(format.substring(start, i), "precision") : 0;
                }
            }
            RenderGuard.checkString(precision);
            while (i < n && (format.charAt(i) == 'h' || format.charAt(i) == 'l' || format.charAt(i) == 'L')) {
                i++;
            }
            if (i >= n) {
                throw new IllegalArgumentException("incomplete format");
            }
            char type = format.charAt(i++);
            if (type == '%') {
                out.append('%');
                continue;
            }
            Object value = hasKey ? keyed : nextArg();
            String body;
            String prefix = "";
            boolean numeric = true;
            switch (type) {
                case 's', 'r', 'a' -> {
                    body = type == 's' ? PythonValues.str(value) : type == 'r' ? PythonValues.repr(value)
                            : PythonValues.ascii(value);
                    if (precision >= 0 && precision < body.length()) {
                        body = body.substring(0, body.offsetByCodePoints(0, Math.min(precision,
                                body.codePointCount(0, body.length()))));
                    }
                    numeric = false;
                }
                case 'd', 'i', 'u' -> {
                    BigInteger v = integerForDecimal(value, type);
                    prefix = signPrefix(v.signum() < 0, sign, space);
                    body = v.abs().toString();
                    if (precision > body.length()) {
                        body = "0".repeat(precision - body.length()) + body;
                    }
                }
                case 'x', 'X', 'o' -> {
                    BigInteger v = PythonValues.asInteger(value);
                    if (v == null) {
                        throw new IllegalArgumentException("%" + type + " format: an integer is required, not "
                                + PythonValues.typeName(value));
                    }
                    prefix = signPrefix(v.signum() < 0, sign, space);
                    body = v.abs().toString(type == 'o' ? 8 : 16);
                    if (type == 'X') {
                        body = body.toUpperCase(Locale.ROOT);
                    }
                    if (precision > body.length()) {
                        body = "0".repeat(precision - body.length()) + body;
                    }
                    if (alternate) {
                        prefix += type == 'o' ? "0o" : type == 'x' ? "0x" : "0X";
                    }
                }
                case 'e', 'E', 'f', 'F', 'g', 'G' -> {
                    double v = realValue(value);
                    boolean negative = v < 0 || (v == 0 && Math.copySign(1.0, v) < 0);
                    prefix = signPrefix(negative, sign, space);
                    body = formatFloat(Math.abs(v), type, precision < 0 ? 6 : precision, alternate);
                    if (!Double.isFinite(v)) {
                        zero = false;
                    }
                }
                case 'c' -> {
                    body = character(value);
                    numeric = false;
                }
                default -> throw new IllegalArgumentException(String.format(
                        "unsupported format character '%c' (0x%x) at index %d", type, (int) type, i - 1));
            }
            pad(prefix, body, width, left, zero && numeric && !left);
        }
        // Like Python, surplus arguments are an error unless the right operand could be a mapping (dict or list).
        boolean mappingLike = mapping != null || (values instanceof List<?> && !(values instanceof PythonValues.Tuple));
        if (!mappingLike && argIndex < args.size()) {
            throw new IllegalArgumentException("not all arguments converted during string formatting");
        }
        return out.toString();
    }

    private Object nextArg() {
        if (argIndex >= args.size()) {
            throw new IllegalArgumentException("not enough arguments for format string");
        }
        return args.get(argIndex++);
    }

    private int starValue() {
        Object v = nextArg();
        BigInteger i = v instanceof Boolean ? null : PythonValues.asInteger(v);
        if (i == null) {
            throw new IllegalArgumentException("* wants int");
        }
        return i.intValueExact();
    }

    private static BigInteger integerForDecimal(Object value, char type) {
        BigInteger v = PythonValues.asInteger(value);
        if (v != null) {
            return v;
        }
        if (PythonValues.isFloat(value)) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d)) {
                throw new IllegalArgumentException("cannot convert float NaN to integer");
            }
            if (Double.isInfinite(d)) {
                throw new IllegalArgumentException("cannot convert float infinity to integer");
            }
            return new BigDecimal(d).toBigInteger();
        }
        throw new IllegalArgumentException("%" + type + " format: a real number is required, not "
                + PythonValues.typeName(value));
    }

    private static double realValue(Object value) {
        BigInteger i = PythonValues.asInteger(value);
        if (i != null) {
            return i.doubleValue();
        }
        if (PythonValues.isFloat(value)) {
            return ((Number) value).doubleValue();
        }
        throw new IllegalArgumentException("must be real number, not " + PythonValues.typeName(value));
    }

    private static String character(Object value) {
        BigInteger i = PythonValues.asInteger(value);
        if (i != null) {
            if (i.signum() < 0 || i.compareTo(BigInteger.valueOf(Character.MAX_CODE_POINT)) > 0) {
                throw new IllegalArgumentException("%c arg not in range(0x110000)");
            }
            return new String(Character.toChars(i.intValue()));
        }
        if (value instanceof CharSequence s && s.toString().codePointCount(0, s.length()) == 1) {
            return s.toString();
        }
        throw new IllegalArgumentException("%c requires int or char");
    }

    /** A width or precision written in the format; Python refuses ones that do not fit its size type. */
    private static int size(String digits, String what) {
        long value = digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " too big");
        }
        return (int) value;
    }

    private static String signPrefix(boolean negative, boolean sign, boolean space) {
        return negative ? "-" : sign ? "+" : space ? " " : "";
    }

    private void pad(String prefix, String body, int width, boolean left, boolean zero) {
        int length = prefix.length() + body.codePointCount(0, body.length());
        int fill = Math.max(0, width - length);
        RenderGuard.checkString((long) out.length() + prefix.length() + body.length() + fill);
        if (left) {
            out.append(prefix).append(body).append(" ".repeat(fill));
        } else if (zero) {
            out.append(prefix).append("0".repeat(fill)).append(body);
        } else {
            out.append(" ".repeat(fill)).append(prefix).append(body);
        }
    }

    /** {@code %e %f %g} of a non-negative double, from its exact binary value, rounding half to even. */
    static String formatFloat(double v, char type, int precision, boolean alternate) {
        boolean upper = Character.isUpperCase(type);
        if (Double.isNaN(v)) {
            return upper ? "NAN" : "nan";
        }
        if (Double.isInfinite(v)) {
            return upper ? "INF" : "inf";
        }
        BigDecimal exact = new BigDecimal(v);
        String text;
        switch (Character.toLowerCase(type)) {
            case 'f' -> {
                text = exact.setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
                if (alternate && precision == 0) {
                    text += ".";
                }
            }
            case 'e' -> text = exponential(exact, precision, alternate);
            default -> {
                int p = precision == 0 ? 1 : precision;
                int exponent = v == 0 ? 0 : decimalExponent(exact.round(new MathContext(p, RoundingMode.HALF_EVEN)));
                if (exponent >= -4 && exponent < p) {
                    text = exact.setScale(p - 1 - exponent, RoundingMode.HALF_EVEN).toPlainString();
                    if (alternate && p - 1 - exponent == 0) {
                        text += ".";
                    }
                } else {
                    text = exponential(exact, p - 1, alternate);
                }
                if (!alternate) {
                    text = stripFractionZeros(text);
                }
            }
        }
        return upper ? text.toUpperCase(Locale.ROOT) : text;
    }

    private static String exponential(BigDecimal exact, int precision, boolean alternate) {
        int exponent;
        String digits;
        if (exact.signum() == 0) {
            exponent = 0;
            digits = "0".repeat(precision + 1);
        } else {
            BigDecimal rounded = exact.round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
            exponent = decimalExponent(rounded);
            digits = rounded.unscaledValue().toString();
            if (digits.length() < precision + 1) {
                digits = digits + "0".repeat(precision + 1 - digits.length());
            } else if (digits.length() > precision + 1) {
                digits = digits.substring(0, precision + 1);
            }
        }
        StringBuilder s = new StringBuilder().append(digits.charAt(0));
        if (precision > 0 || alternate) {
            s.append('.');
        }
        s.append(digits, 1, digits.length());
        s.append(exponent < 0 ? "e-" : "e+").append(String.format("%02d", Math.abs(exponent)));
        return s.toString();
    }

    /** The exponent of the leading digit: 1234.5 -> 3, 0.01 -> -2. */
    private static int decimalExponent(BigDecimal nonZero) {
        return nonZero.precision() - nonZero.scale() - 1;
    }

    /** %g without '#': drop trailing zeros of the fraction, and the point if nothing is left after it. */
    private static String stripFractionZeros(String text) {
        int e = text.indexOf('e');
        String mantissa = e < 0 ? text : text.substring(0, e);
        String exponent = e < 0 ? "" : text.substring(e);
        if (mantissa.indexOf('.') >= 0) {
            int end = mantissa.length();
            while (mantissa.charAt(end - 1) == '0') {
                end--;
            }
            if (mantissa.charAt(end - 1) == '.') {
                end--;
            }
            mantissa = mantissa.substring(0, end);
        }
        return mantissa + exponent;
    }
}
