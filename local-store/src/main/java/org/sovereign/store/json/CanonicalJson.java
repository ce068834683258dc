package org.sovereign.store.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.erdtman.jcs.JsonCanonicalizer;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * RFC 8785 (JSON Canonicalization Scheme) bytes of a JSON value: sorted keys, no insignificant white space,
 * ECMAScript number formatting, UTF-8. What gets signed is always these bytes.
 */
public final class CanonicalJson {

    /** The one mapper the store uses for JSON trees (thread-safe once configured). */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private CanonicalJson() {
    }

    public static byte[] of(JsonNode value) {
        try {
            return new JsonCanonicalizer(MAPPER.writeValueAsString(value)).getEncodedUTF8();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Value cannot be written as JSON", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Canonicalises JSON text; throws {@link IllegalArgumentException} if it is not JSON. */
    public static byte[] of(String json) {
        try {
            return new JsonCanonicalizer(json).getEncodedUTF8();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Not valid JSON: " + e.getMessage(), e);
        }
    }
}
