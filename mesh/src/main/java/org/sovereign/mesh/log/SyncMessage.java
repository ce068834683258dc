package org.sovereign.mesh.log;

import org.sovereign.store.vault.crypto.Hex;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The anti-entropy messages members exchange (docs/mesh.md): a version byte, a kind byte, then the kind's content.
 * {@link Heads} announces the head of every log a member holds; {@link Wants} asks a peer for records; {@link Records}
 * carries records in their wire form. Decoding is bounded and refuses anything that does not fit.
 */
public sealed interface SyncMessage {
    byte VERSION = 1;
    /** At most this many heads, wants or records in one message. */
    int MAX_ITEMS = 100_000;
    /** At most this many bytes in one message. */
    int MAX_BYTES = 8 * 1024 * 1024;

    /** The head of every log the sender holds. */
    record Heads(List<LogHead> heads) implements SyncMessage {
        public Heads {
            heads = List.copyOf(heads);
        }
    }

    /** Records the sender asks for. */
    record Wants(List<Want> wants) implements SyncMessage {
        public Wants {
            wants = List.copyOf(wants);
        }
    }

    /** Records, in their wire form, in log order per author. */
    record Records(List<byte[]> records) implements SyncMessage {
        public Records {
            records = List.copyOf(records);
        }
    }

    /** The message's bytes. */
    default byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            if (this instanceof Heads h) {
                out.writeByte(1);
                out.writeInt(h.heads().size());
                for (LogHead head : h.heads()) {
                    out.write(Hex.decode(head.author()));
                    out.writeLong(head.seq());
                    out.write(Hex.decode(head.hash()));
                }
            } else if (this instanceof Wants w) {
                out.writeByte(2);
                out.writeInt(w.wants().size());
                for (Want want : w.wants()) {
                    out.write(Hex.decode(want.author()));
                    out.writeLong(want.fromSeq());
                }
            } else if (this instanceof Records r) {
                out.writeByte(3);
                out.writeInt(r.records().size());
                for (byte[] record : r.records()) {
                    out.writeInt(record.length);
                    out.write(record);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] key(DataInputStream in) throws IOException {
        byte[] out = new byte[32];
        in.readFully(out);
        return out;
    }

    /**
     * Reads a message.
     *
     * @throws MalformedRecordException when the bytes are not a message of this version, or exceed a limit
     */
    static SyncMessage decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new MalformedRecordException("The message is larger than " + MAX_BYTES + " bytes.");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readByte() != VERSION) {
                throw new MalformedRecordException("The message is of an unknown version.");
            }
            byte kind = in.readByte();
            int count = in.readInt();
            if (count < 0 || count > MAX_ITEMS) {
                throw new MalformedRecordException("The message holds too many items.");
            }
            SyncMessage message;
            switch (kind) {
                case 1 -> {
                    List<LogHead> heads = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        String author = Hex.encode(key(in));
                        long seq = in.readLong();
                        heads.add(new LogHead(author, seq, Hex.encode(key(in))));
                    }
                    message = new Heads(heads);
                }
                case 2 -> {
                    List<Want> wants = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        String author = Hex.encode(key(in));
                        wants.add(new Want(author, in.readLong()));
                    }
                    message = new Wants(wants);
                }
                case 3 -> {
                    List<byte[]> records = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        int length = in.readInt();
                        if (length < 0 || length > LogRecord.MAX_BYTES) {
                            throw new MalformedRecordException("A record in the message is too large.");
                        }
                        byte[] record = in.readNBytes(length);
                        if (record.length != length) {
                            throw new MalformedRecordException("The message ends inside a record.");
                        }
                        records.add(record);
                    }
                    message = new Records(records);
                }
                default -> throw new MalformedRecordException("The message is of an unknown kind.");
            }
            if (in.read() != -1) {
                throw new MalformedRecordException("The message has bytes after its end.");
            }
            return message;
        } catch (java.io.EOFException e) {
            throw new MalformedRecordException("The message ends too early.");
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("The message holds an invalid item: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
