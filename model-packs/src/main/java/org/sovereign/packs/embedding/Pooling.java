package org.sovereign.packs.embedding;

import java.nio.FloatBuffer;

/** Sentence-embedding pooling: mean of token vectors over the attention mask, then L2 normalisation. */
final class Pooling {

    private Pooling() {
    }

    /**
     * Pools one row of a (batch, sequence, hidden) tensor.
     *
     * @param hidden the whole tensor, row-major
     * @param row    which batch row
     * @param mask   that row's attention mask (1 = real token), length {@code sequence}
     */
    static float[] meanPoolNormalised(FloatBuffer hidden, int row, long[] mask, int sequence, int width) {
        double[] sum = new double[width];
        long tokens = 0;
        int base = row * sequence * width;
        for (int t = 0; t < sequence; t++) {
            if (mask[t] == 0) {
                continue;
            }
            tokens++;
            int offset = base + t * width;
            for (int d = 0; d < width; d++) {
                sum[d] += hidden.get(offset + d);
            }
        }
        double norm = 0;
        for (int d = 0; d < width; d++) {
            sum[d] /= Math.max(tokens, 1);
            norm += sum[d] * sum[d];
        }
        norm = Math.max(Math.sqrt(norm), 1e-12);
        float[] result = new float[width];
        for (int d = 0; d < width; d++) {
            result[d] = (float) (sum[d] / norm);
        }
        return result;
    }
}
