package org.sovereign.packs.signing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** DSSE v1 pre-authentication encoding (secure-systems-lab/dsse, protocol.md). */
public final class Dsse {
    private Dsse() {
    }

    /** {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, lengths as ASCII decimal byte counts. */
    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(type.length + payload.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }
}
