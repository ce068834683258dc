package org.sovereign.packs.tokenizer;

/**
 * One encoded text: token ids with their attention mask and token type ids, all the same length.
 * The arrays are owned by this record; callers must not modify them.
 */
public record EncodedText(long[] ids, long[] attentionMask, long[] typeIds) {

    public EncodedText {
        if (ids.length != attentionMask.length || ids.length != typeIds.length) {
            throw new IllegalArgumentException("ids, attention mask and type ids differ in length");
        }
    }

    public int length() {
        return ids.length;
    }
}
