package org.sovereign.store.audit.merkle;

import java.util.ArrayList;
import java.util.List;

/** An append-only list of 32-byte hashes kept in fixed-size chunks (no huge reallocations). */
final class HashStore {
    private static final int CHUNK_BITS = 14; // 16,384 hashes = 512 KiB per chunk
    private static final int CHUNK_HASHES = 1 << CHUNK_BITS;
    private static final int CHUNK_MASK = CHUNK_HASHES - 1;

    private final List<byte[]> chunks = new ArrayList<>();
    private long size;

    long size() {
        return size;
    }

    void add(byte[] hash) {
        int offset = (int) (size & CHUNK_MASK);
        if (offset == 0) {
            chunks.add(new byte[CHUNK_HASHES * MerkleHash.SIZE]);
        }
        System.arraycopy(hash, 0, chunks.get(chunks.size() - 1), offset * MerkleHash.SIZE, MerkleHash.SIZE);
        size++;
    }

    byte[] get(long index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("hash index " + index + " outside 0.." + (size - 1));
        }
        byte[] chunk = chunks.get((int) (index >>> CHUNK_BITS));
        byte[] out = new byte[MerkleHash.SIZE];
        System.arraycopy(chunk, (int) (index & CHUNK_MASK) * MerkleHash.SIZE, out, 0, MerkleHash.SIZE);
        return out;
    }
}
