package org.sovereign.packs.template;

import java.math.BigInteger;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.AbstractList;
import java.util.List;
import java.util.Locale;

/** Functions that Hugging Face chat templates expect to find, exposed to Jinjava as static methods. */
final class TemplateFunctions {

    /** The clock of the render running on this thread ({@code strftime_now}); set by {@link ChatTemplate}. */
    static final ThreadLocal<Clock> CLOCK = ThreadLocal.withInitial(Clock::systemDefaultZone);

    private TemplateFunctions() {
    }

    /**
     * The value a function's name has as a variable, so that {@code strftime_now is defined} holds as in Python
     * (Llama 3.x prints the date only when it does); prints like a Python function.
     */
    record FunctionName(String name) {
        @Override
        public String toString() {
            return "<function " + name + ">";
        }
    }

    /** {@code raise_exception(message)}: the template refuses the conversation. */
    public static Object raiseException(Object message) {
        throw new TemplateRaisedException(String.valueOf(message));
    }

    /**
     * Python's {@code range(stop)}, {@code range(start, stop[, step])}: a lazy sequence, so {@code range(2000)} has
     * 2,000 items (Jinjava's own truncates to 1,000) and a huge one costs no memory; iterating it is bounded by the
     * render's step limit.
     */
    public static List<Long> range(Object first, Object... rest) {
        long start = 0;
        long stop;
        long step = 1;
        if (rest == null || rest.length == 0) {
            stop = integer(first);
        } else {
            start = integer(first);
            stop = integer(rest[0]);
            if (rest.length > 1) {
                step = integer(rest[1]);
            }
        }
        if (step == 0) {
            throw new IllegalArgumentException("range() arg 3 must not be zero");
        }
        long span = step > 0 ? stop - start : start - stop;
        long abs = Math.abs(step);
        long size = span <= 0 ? 0 : (span + abs - 1) / abs;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("range() is too long");
        }
        long from = start;
        long by = step;
        int length = (int) size;
        return new AbstractList<>() {
            @Override
            public Long get(int index) {
                if (index < 0 || index >= length) {
                    throw new IndexOutOfBoundsException("range object index out of range");
                }
                return from + index * by;
            }

            @Override
            public int size() {
                return length;
            }
        };
    }

    private static long integer(Object value) {
        BigInteger i = PythonValues.asInteger(value);
        if (i == null) {
            throw new IllegalArgumentException("'" + PythonValues.typeName(value)
                    + "' object cannot be interpreted as an integer");
        }
        if (i.bitLength() > 62) {
            throw new IllegalArgumentException("range() argument is too large");
        }
        return i.longValue();
    }

    /** {@code strftime_now(format)}: the current local time formatted like Python's {@code datetime.strftime}. */
    public static String strftimeNow(Object format) {
        return strftime(ZonedDateTime.now(CLOCK.get()), String.valueOf(format));
    }

    /** Python's {@code strftime} in the C locale for the directives templates use; others are refused. */
    static String strftime(ZonedDateTime t, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char d = format.charAt(++i);
            switch (d) {
                case 'd' -> out.append(String.format("%02d", t.getDayOfMonth()));
                case 'e' -> out.append(String.format("%2d", t.getDayOfMonth()));
                case 'm' -> out.append(String.format("%02d", t.getMonthValue()));
                case 'Y' -> out.append(t.getYear());
                case 'y' -> out.append(String.format("%02d", t.getYear() % 100));
                case 'b', 'h' -> out.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'B' -> out.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'a' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'A' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'H' -> out.append(String.format("%02d", t.getHour()));
                case 'I' -> out.append(String.format("%02d", t.getHour() % 12 == 0 ? 12 : t.getHour() % 12));
                case 'M' -> out.append(String.format("%02d", t.getMinute()));
                case 'S' -> out.append(String.format("%02d", t.getSecond()));
                case 'p' -> out.append(t.getHour() < 12 ? "AM" : "PM");
                case 'j' -> out.append(String.format("%03d", t.getDayOfYear()));
                case 'F' -> out.append(t.format(DateTimeFormatter.ISO_LOCAL_DATE));
                case 'T' -> out.append(String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond()));
                case '%' -> out.append('%');
                default -> throw new IllegalArgumentException("strftime_now: unsupported directive %" + d);
            }
        }
        return out.toString();
    }
}
