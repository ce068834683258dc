package org.sovereign.store.egress;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Bytes sent and received over one opened socket; writes one {@code egress.closed} entry when it ends. */
final class Tally {
    private static final System.Logger LOG = System.getLogger(Tally.class.getName());

    private final EgressLedger ledger;
    private final Map<String, String> refs;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    Tally(EgressLedger ledger, Map<String, String> refs) {
        this.ledger = ledger;
        this.refs = Map.copyOf(refs);
    }

    long sent() {
        return sent.get();
    }

    long received() {
        return received.get();
    }

    InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    received.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    received.addAndGet(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(n);
                received.addAndGet(Math.max(0, skipped));
                return skipped;
            }
        };
    }

    OutputStream counting(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                sent.incrementAndGet();
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                out.write(buffer, offset, length);
                sent.addAndGet(length);
            }
        };
    }

    void addSent(long n) {
        sent.addAndGet(n);
    }

    /** Records the end once; later calls do nothing. A ledger failure here is logged: the socket is closed anyway. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Map<String, String> entry = new LinkedHashMap<>(refs);
        entry.put("sent", Long.toString(sent.get()));
        entry.put("received", Long.toString(received.get()));
        try {
            ledger.record(EgressLedger.CLOSED, entry);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not record the end of a network connection in the audit log: "
                    + e.getClass().getSimpleName());
        }
    }
}
