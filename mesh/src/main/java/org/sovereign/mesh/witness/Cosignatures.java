package org.sovereign.mesh.witness;

import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.store.audit.checkpoint.Checkpoint;
import org.sovereign.store.audit.note.Ed25519Keys;
import org.sovereign.store.audit.note.NoteSignature;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * C2SP tlog-cosignature v1 with Ed25519: a witness signs {@code "cosignature/v1\ntime <seconds>\n"} followed by the
 * whole checkpoint body; the note signature carries the key id {@code SHA-256(name || "\n" || 0x04 || key)[:4]} and the
 * 8-byte big-endian timestamp before the 64-byte signature.
 *
 * <p>A member cosigns with its device key. That key also signs its own checkpoints (plain note signatures, key type
 * 0x01) and its mesh records ({@code sovereign-mesh-record/v1} prefix); the three messages cannot be confused, since a
 * checkpoint of ours starts with its origin line ({@code sovereign-device-...}), a record with its own prefix, and a
 * cosignature with {@code cosignature/v1}.
 */
public final class Cosignatures {
    /** The header line that separates cosignature messages from every other signed message. */
    public static final String HEADER = "cosignature/v1\n";
    /** The signature type byte of Ed25519 cosignatures in the key id. */
    public static final byte ED25519_COSIGNATURE = 0x04;

    private Cosignatures() {
    }

    /** The key id of a cosigner's name and raw Ed25519 key, big-endian. */
    public static int keyId(String name, byte[] publicKey) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(name.getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
            md.update(ED25519_COSIGNATURE);
            md.update(publicKey);
            return ByteBuffer.wrap(md.digest(), 0, 4).getInt();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The signed message for a checkpoint at a time (seconds since the epoch). */
    public static byte[] message(Checkpoint checkpoint, long timeSeconds) {
        if (timeSeconds < 0) {
            throw new IllegalArgumentException("A cosignature time is not negative.");
        }
        return (HEADER + "time " + timeSeconds + "\n" + checkpoint.toText()).getBytes(StandardCharsets.UTF_8);
    }

    /** Cosigns a checkpoint the caller has checked for consistency. */
    public static NoteSignature cosign(Checkpoint checkpoint, long timeSeconds, String name, RecordSigner signer) {
        byte[] signature = signer.sign(message(checkpoint, timeSeconds));
        byte[] blob = ByteBuffer.allocate(8 + signature.length).putLong(timeSeconds).put(signature).array();
        return new NoteSignature(name, keyId(name, signer.publicKey()), blob);
    }

    /**
     * The time of a valid cosignature of {@code checkpoint} by the named key, or empty when the line is not one (other
     * key id, wrong length, or a signature that does not verify).
     */
    public static OptionalLong verify(Checkpoint checkpoint, NoteSignature cosignature, String name, byte[] publicKey) {
        byte[] blob = cosignature.signature();
        if (!cosignature.keyName().equals(name) || cosignature.keyId() != keyId(name, publicKey)
                || blob.length != 8 + Ed25519Keys.SIGNATURE_SIZE) {
            return OptionalLong.empty();
        }
        long time = ByteBuffer.wrap(blob, 0, 8).getLong();
        if (time < 0) {
            return OptionalLong.empty();
        }
        byte[] signature = Arrays.copyOfRange(blob, 8, blob.length);
        return Ed25519Keys.verify(publicKey, message(checkpoint, time), signature) ? OptionalLong.of(time)
                : OptionalLong.empty();
    }

    /** The timestamp a cosignature line carries, without checking it (for display and tests). */
    public static OptionalLong timeOf(NoteSignature cosignature) {
        byte[] blob = cosignature.signature();
        return blob.length < 8 ? OptionalLong.empty() : OptionalLong.of(ByteBuffer.wrap(blob, 0, 8).getLong());
    }
}
