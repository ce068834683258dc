package org.sovereign.store.vault.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An unambiguous byte encoding of a short list of typed fields, used as AEAD associated data and as
 * key-derivation labels.
 *
 * <p>Layout: one format byte ({@value #FORMAT_VERSION}), then the domain string as a field, then each
 * field as {@code type (1 byte) | length (4 bytes, big-endian) | value}. Types: {@code 0x01} UTF-8
 * string, {@code 0x02} signed 64-bit integer (big-endian, length 8), {@code 0x03} raw bytes. Because
 * every field carries its type and length, two different field lists never encode to the same bytes.
 */
public final class CanonicalEncoding {
    /** Version of this encoding. */
    public static final byte FORMAT_VERSION = 1;

    private static final byte STRING = 0x01;
    private static final byte INT64 = 0x02;
    private static final byte BYTES = 0x03;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private CanonicalEncoding(String domain) {
        out.write(FORMAT_VERSION);
        add(domain);
    }

    /** Starts an encoding whose first field is the domain-separation label {@code domain}. */
    public static CanonicalEncoding of(String domain) {
        return new CanonicalEncoding(domain);
    }

    public CanonicalEncoding add(String value) {
        return field(STRING, value.getBytes(StandardCharsets.UTF_8));
    }

    public CanonicalEncoding add(long value) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        return field(INT64, b);
    }

    public CanonicalEncoding add(byte[] value) {
        return field(BYTES, value);
    }

    private CanonicalEncoding field(byte type, byte[] value) {
        out.write(type);
        int n = value.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.write(value, 0, n);
        return this;
    }

    public byte[] toBytes() {
        return out.toByteArray();
    }
}
