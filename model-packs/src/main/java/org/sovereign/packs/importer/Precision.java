package org.sovereign.packs.importer;

import java.util.Locale;

/** The number format of a model variant's weights (and, for the fp16 kinds, of its cache and logits). */
public enum Precision {
    FP32, FP16, INT8, UINT8, Q4, Q4F16, BNB4;

    /** Lower-case name as shown and accepted on the command line: fp32, fp16, int8, uint8, q4, q4f16, bnb4. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the variants whose past_key_values, present and logits are float16. */
    public boolean halfPrecisionIo() {
        return this == FP16 || this == Q4F16;
    }
}
