package org.sovereign.packs.embedding;

import com.fasterxml.jackson.databind.JsonNode;

final class Vectors {

    private Vectors() {
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    static float[] of(JsonNode values) {
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) values.get(i).asDouble();
        }
        return v;
    }
}
