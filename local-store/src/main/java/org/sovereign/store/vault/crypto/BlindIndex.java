package org.sovereign.store.vault.crypto;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keyed blind index for exact-token search over encrypted text: each normalised token becomes
 * {@code HMAC-SHA256(indexKey, token)}. Without the key the terms reveal nothing about the tokens
 * beyond equality (the same token always yields the same term, so term frequencies are visible).
 *
 * <p>Normalisation: Unicode NFKC, lower case ({@link Locale#ROOT}), split on every run of characters
 * that are neither letters, digits nor combining marks (so "İ", lower-cased to "i" + U+0307, stays
 * one token); empty pieces are dropped and duplicates removed (first
 * occurrence order kept).
 *
 * <p>Owns its key: closing the index wipes it.
 */
public final class BlindIndex implements AutoCloseable {
    private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{M}\\p{N}]+");

    private final KeyMaterial key;

    /** Takes ownership of {@code key} (derive it for this purpose only, e.g. via {@link KeyDerivation}). */
    public BlindIndex(KeyMaterial key) {
        this.key = key;
    }

    /** The distinct normalised tokens of {@code text}, in first-occurrence order. */
    public static List<String> normalise(String text) {
        String folded = Normalizer.normalize(
                Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT), Normalizer.Form.NFKC);
        Set<String> out = new LinkedHashSet<>();
        for (String piece : SEPARATORS.split(folded)) {
            if (!piece.isEmpty()) {
                out.add(piece);
            }
        }
        return List.copyOf(out);
    }

    /** Blind-index terms of {@code text}, as 32-byte arrays. */
    public List<byte[]> terms(String text) {
        if (key.isDestroyed()) {
            throw new IllegalStateException("This blind index has been closed (its vault session was locked).");
        }
        List<byte[]> out = new ArrayList<>();
        for (String token : normalise(text)) {
            out.add(KeyDerivation.hmacSha256(key.bytes(), token.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** Blind-index terms of {@code text}, hex encoded (64 characters each). */
    public List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (byte[] term : terms(text)) {
            out.add(Hex.encode(term));
        }
        return out;
    }

    @Override
    public void close() {
        key.close();
    }

    @Override
    public String toString() {
        return "BlindIndex[key redacted]";
    }
}
