package org.sovereign.store.egress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** A plain TCP socket whose bytes are counted; closing it writes its tally to the ledger. */
final class CountedSocket extends Socket {
    private volatile Tally tally;
    private InputStream in;
    private OutputStream out;

    void attach(Tally tally) {
        this.tally = tally;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            in = tally.counting(super.getInputStream());
        }
        return in;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (out == null) {
            out = tally.counting(super.getOutputStream());
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            Tally t = tally;
            if (t != null) {
                t.close();
            }
        }
    }
}
