package org.sovereign.packs.signing;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;

/** Maps an EC key's curve size to the ECDSA signature algorithm used by OMS implementations. */
final class EcAlgorithms {
    private EcAlgorithms() {
    }

    static String signatureAlgorithm(PublicKey key) {
        if (!(key instanceof ECPublicKey)) {
            throw new KeyFileException("Only EC (ECDSA) keys are supported.");
        }
        int bits = ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
        if (bits <= 256) {
            return "SHA256withECDSA";
        }
        return bits <= 384 ? "SHA384withECDSA" : "SHA512withECDSA";
    }
}
