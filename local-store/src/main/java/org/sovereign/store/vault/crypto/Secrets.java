package org.sovereign.store.vault.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Helpers for handling secrets held in arrays: conversion without {@code String}s, and wiping. */
public final class Secrets {
    private Secrets() {
    }

    /**
     * Encodes a passphrase as UTF-8 without creating a {@code String}. The caller owns (and must
     * wipe) the returned array; the {@code chars} stay owned by the caller and are not modified.
     * Intermediate buffers are wiped before returning.
     *
     * @throws IllegalArgumentException if the characters are not valid UTF-16 (unpaired surrogate)
     */
    public static byte[] utf8(char[] chars) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        // Sized for the worst case up front, so the encoder never re-allocates (and never leaves an
        // unwiped partial copy behind).
        byte[] buffer = new byte[chars.length * (int) Math.ceil(encoder.maxBytesPerChar())];
        try {
            ByteBuffer out = ByteBuffer.wrap(buffer);
            CoderResult result = encoder.encode(CharBuffer.wrap(chars), out, true);
            if (!result.isUnderflow()) {
                result.throwException();
            }
            result = encoder.flush(out);
            if (!result.isUnderflow()) {
                result.throwException();
            }
            return Arrays.copyOf(buffer, out.position());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("The passphrase contains an invalid character sequence", e);
        } finally {
            Arrays.fill(buffer, (byte) 0);
        }
    }

    /** Overwrites the arrays with zeros; {@code null} entries are ignored. */
    public static void wipe(byte[]... arrays) {
        for (byte[] a : arrays) {
            if (a != null) {
                Arrays.fill(a, (byte) 0);
            }
        }
    }

    /** Overwrites the array with zeros; {@code null} is ignored. */
    public static void wipe(char[] chars) {
        if (chars != null) {
            Arrays.fill(chars, '\0');
        }
    }
}
