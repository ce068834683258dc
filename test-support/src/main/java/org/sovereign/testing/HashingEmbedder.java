package org.sovereign.testing;

import org.sovereign.packs.embedding.Embedder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic stand-in embedder for tests that exercise the library's storage, search and consent logic, not a
 * model: words and their trigrams hashed into a 384-dimension unit vector, so texts that share words are close.
 * Tests that claim anything about embedding quality use the real bundled pack instead.
 */
public final class HashingEmbedder implements Embedder {
    public static final int DIM = 384;

    @Override
    public String packDigest() {
        return "sha256:" + "ab".repeat(32);
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>();
        for (String text : texts) {
            float[] v = new float[DIM];
            for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (word.isEmpty()) {
                    continue;
                }
                add(v, word, 1f);
                for (int i = 0; i + 3 <= word.length(); i++) {
                    add(v, word.substring(i, i + 3), 0.3f);
                }
            }
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            for (int i = 0; i < DIM && norm > 0; i++) {
                v[i] /= (float) Math.sqrt(norm);
            }
            out.add(v);
        }
        return out;
    }

    private static void add(float[] v, String s, float w) {
        int h = s.hashCode() * 0x9E3779B1;
        v[Math.floorMod(h, DIM)] += (h & 0x100) == 0 ? w : -w;
    }

    @Override
    public void close() {
    }
}
