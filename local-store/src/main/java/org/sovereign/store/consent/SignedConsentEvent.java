package org.sovereign.store.consent;

import com.fasterxml.jackson.databind.JsonNode;
import org.sovereign.store.audit.note.Ed25519Keys;
import org.sovereign.store.audit.note.NoteSigner;
import org.sovereign.store.json.CanonicalJson;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A consent event as stored and exported: its RFC 8785 canonical JSON bytes, the Ed25519 signature over exactly
 * those bytes, and the signer's raw public key.
 */
public record SignedConsentEvent(byte[] body, byte[] signature, byte[] signerPublicKey) {

    public SignedConsentEvent {
        body = body.clone();
        signature = signature.clone();
        signerPublicKey = signerPublicKey.clone();
    }

    static SignedConsentEvent sign(ConsentEvent event, NoteSigner signer) {
        byte[] body = CanonicalJson.of(event.toJson());
        try {
            return new SignedConsentEvent(body, signer.sign(body), signer.publicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The device key could not sign a consent event", e);
        }
    }

    /** True when the signature verifies with {@code trustedKey} (raw Ed25519) and that is the recorded signer. */
    public boolean verifiesWith(byte[] trustedKey) {
        return MessageDigest.isEqual(trustedKey, signerPublicKey) && Ed25519Keys.verify(trustedKey, body, signature);
    }

    /** Parses the signed bytes (does not check the signature). */
    public ConsentEvent event() {
        try {
            JsonNode node = CanonicalJson.MAPPER.readTree(body);
            if (!Arrays.equals(CanonicalJson.of(node), body)) {
                throw new InvalidConsentException("A consent event is not in canonical form.");
            }
            return ConsentEvent.fromJson(node);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidConsentException("A consent event cannot be read: " + e.getMessage());
        }
    }

    /** Hex SHA-256 of the signed bytes: what the next event names as its predecessor. */
    public String hash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public byte[] signerPublicKey() {
        return signerPublicKey.clone();
    }
}
