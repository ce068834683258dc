package org.sovereign.packs.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A key-based OMS signature: a Sigstore bundle (v0.3 JSON) holding a DSSE envelope with one signature
 * over an in-toto statement. {@link #parse} checks the bundle's shape but not the signature or the
 * statement; see {@link OmsVerifier}. Immutable.
 */
public final class OmsBundle {
    public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
    /** The same media type in the older parameter form, also accepted by Sigstore clients. */
    public static final String MEDIA_TYPE_ALT = "application/vnd.dev.sigstore.bundle+json;version=0.3";
    public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
    /** Bundles larger than this are refused before parsing. */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{16,128}");

    private final String keyHint;
    private final byte[] rawPublicKey;
    private final byte[] payload;
    private final byte[] signature;

    /**
     * @param keyHint      hex key id of the signing key (may be null when {@code rawPublicKey} is given)
     * @param rawPublicKey SPKI DER of the signing key, older bundle form (may be null)
     * @param payload      the statement bytes that were signed
     * @param signature    the DER ECDSA signature over the DSSE PAE of the payload
     */
    public OmsBundle(String keyHint, byte[] rawPublicKey, byte[] payload, byte[] signature) {
        if (keyHint == null && rawPublicKey == null) {
            throw new IllegalArgumentException("a bundle needs a key hint or raw public key");
        }
        this.keyHint = keyHint;
        this.rawPublicKey = rawPublicKey == null ? null : rawPublicKey.clone();
        this.payload = payload.clone();
        this.signature = signature.clone();
    }

    /** Hex fingerprint from {@code verificationMaterial.publicKey.hint}, if present. */
    public Optional<String> keyHint() {
        return Optional.ofNullable(keyHint);
    }

    /** SPKI DER from {@code verificationMaterial.publicKey.rawBytes}, if present. */
    public Optional<byte[]> rawPublicKey() {
        return Optional.ofNullable(rawPublicKey).map(byte[]::clone);
    }

    /** The signed DSSE payload (the in-toto statement JSON). */
    public byte[] payload() {
        return payload.clone();
    }

    /** The DSSE signature bytes. */
    public byte[] signature() {
        return signature.clone();
    }

    /** Serializes as Sigstore bundle JSON (pretty-printed, UTF-8). */
    public byte[] toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("mediaType", MEDIA_TYPE);
        ObjectNode material = root.putObject("verificationMaterial");
        ObjectNode key = material.putObject("publicKey");
        if (keyHint != null) {
            key.put("hint", keyHint);
        } else {
            key.put("rawBytes", Base64.getEncoder().encodeToString(rawPublicKey));
        }
        material.putArray("tlogEntries");
        ObjectNode envelope = root.putObject("dsseEnvelope");
        envelope.put("payload", Base64.getEncoder().encodeToString(payload));
        envelope.put("payloadType", PAYLOAD_TYPE);
        envelope.putArray("signatures").addObject()
                .put("sig", Base64.getEncoder().encodeToString(signature))
                .put("keyid", "");
        try {
            return Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses bundle JSON, checking media type, key-based verification material and the DSSE envelope. */
    public static OmsBundle parse(byte[] json) {
        String what = "The signature bundle";
        if (json.length > MAX_BYTES) {
            throw new BundleFormatException(what + " is larger than " + MAX_BYTES + " bytes.");
        }
        JsonNode root = Json.readObject(json, what);
        String mediaType = Json.text(root, "mediaType", what);
        if (!MEDIA_TYPE.equals(mediaType) && !MEDIA_TYPE_ALT.equals(mediaType)) {
            throw new BundleFormatException(what + " has media type '" + OmsStatement.clip(mediaType)
                    + "', not " + MEDIA_TYPE + ".");
        }
        JsonNode material = Json.object(root, "verificationMaterial", what);
        JsonNode key = material.get("publicKey");
        if (key == null || !key.isObject()) {
            if (material.has("x509CertificateChain") || material.has("certificate")) {
                throw new BundleFormatException(what + " is certificate-based; only key-based bundles are accepted.");
            }
            throw new BundleFormatException(what + " has no public key in its verification material.");
        }
        String hint = null;
        byte[] raw = null;
        JsonNode hintNode = key.get("hint");
        if (hintNode != null && hintNode.isTextual() && !hintNode.textValue().isEmpty()) {
            hint = hintNode.textValue().toLowerCase(Locale.ROOT);
            if (!HEX.matcher(hint).matches()) {
                throw new BundleFormatException(what + " has a public key hint that is not a hex fingerprint.");
            }
        }
        JsonNode rawNode = key.get("rawBytes");
        if (rawNode != null && rawNode.isTextual()) {
            raw = base64(rawNode.textValue(), what + " public key");
        }
        if (hint == null && raw == null) {
            throw new BundleFormatException(what + " identifies no public key (no hint and no rawBytes).");
        }
        if (root.has("messageSignature")) {
            throw new BundleFormatException(what + " carries a message signature instead of a DSSE envelope.");
        }
        JsonNode envelope = Json.object(root, "dsseEnvelope", what);
        String payloadType = Json.text(envelope, "payloadType", "The DSSE envelope");
        if (!PAYLOAD_TYPE.equals(payloadType)) {
            throw new BundleFormatException("The DSSE envelope has payload type '" + OmsStatement.clip(payloadType)
                    + "', not " + PAYLOAD_TYPE + ".");
        }
        byte[] payload = base64(Json.text(envelope, "payload", "The DSSE envelope"), "The DSSE payload");
        JsonNode signatures = Json.array(envelope, "signatures", "The DSSE envelope");
        if (signatures.size() != 1 || !signatures.get(0).isObject()) {
            throw new BundleFormatException("The DSSE envelope must carry exactly one signature.");
        }
        byte[] sig = base64(Json.text(signatures.get(0), "sig", "The DSSE signature"), "The DSSE signature");
        if (sig.length == 0) {
            throw new BundleFormatException("The DSSE signature is empty.");
        }
        return new OmsBundle(hint, raw, payload, sig);
    }

    private static byte[] base64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new BundleFormatException(what + " is not valid base64.", e);
        }
    }
}
