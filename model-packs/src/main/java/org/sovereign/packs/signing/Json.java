package org.sovereign.packs.signing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;

/** Shared strict JSON reading for bundles and statements (duplicate keys refused). */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {
    }

    static JsonNode readObject(byte[] bytes, String what) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new BundleFormatException(what + " is not valid JSON.", e);
        }
        if (node == null || !node.isObject()) {
            throw new BundleFormatException(what + " is not a JSON object.");
        }
        return node;
    }

    static String text(JsonNode parent, String field, String what) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isTextual()) {
            throw new BundleFormatException(what + " has no text field '" + field + "'.");
        }
        return n.textValue();
    }

    static JsonNode object(JsonNode parent, String field, String what) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isObject()) {
            throw new BundleFormatException(what + " has no object '" + field + "'.");
        }
        return n;
    }

    static JsonNode array(JsonNode parent, String field, String what) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isArray()) {
            throw new BundleFormatException(what + " has no array '" + field + "'.");
        }
        return n;
    }
}
