package org.sovereign.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters for numeric options, so a number out of range is refused while the command line is read: one line
 * naming the option (exit 1) instead of a failure somewhere deeper.
 */
final class NumberOptions {

    private NumberOptions() {
    }

    /** A whole number of at least 1 (counts and limits). */
    static final class AtLeastOne implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            long n = whole(value);
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw new TypeConversionException("'" + value + "' is not a whole number from 1 to " + Integer.MAX_VALUE + ".");
            }
            return (int) n;
        }
    }

    /** A whole number of at least 0 (positions). */
    static final class AtLeastZero implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long n = whole(value);
            if (n < 0) {
                throw new TypeConversionException("'" + value + "' is not a whole number of at least 0.");
            }
            return n;
        }
    }

    /** A finite number of at least 0 (temperatures). */
    static final class NotNegative implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double d;
            try {
                d = Double.parseDouble(value.strip());
            } catch (NumberFormatException e) {
                d = Double.NaN;
            }
            if (!(d >= 0) || Double.isInfinite(d)) {
                throw new TypeConversionException("'" + value + "' is not a number of at least 0.");
            }
            return d;
        }
    }

    private static long whole(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number.");
        }
    }
}
