package org.sovereign.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Reads the fields of a request body, refusing wrong types with an OpenAI-style 400 that names the field. */
final class JsonBody {

    private final JsonNode root;

    JsonBody(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw ApiError.badRequest(null, "The request body must be a JSON object.");
        }
        this.root = root;
    }

    JsonNode node(String field) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? null : n;
    }

    String requiredText(String field) {
        JsonNode n = node(field);
        if (n == null) {
            throw ApiError.badRequest(field, "The field '" + field + "' is required.");
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw ApiError.badRequest(field, "The field '" + field + "' must be a non-empty string.");
        }
        return n.asText();
    }

    boolean bool(String field, boolean otherwise) {
        JsonNode n = node(field);
        if (n == null) {
            return otherwise;
        }
        if (!n.isBoolean()) {
            throw ApiError.badRequest(field, "The field '" + field + "' must be true or false.");
        }
        return n.asBoolean();
    }

    Integer integer(String field, int min, int max) {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
            throw ApiError.badRequest(field, "The field '" + field + "' must be a whole number from " + min + " to "
                    + max + ".");
        }
        return (int) n.asLong();
    }

    Long longValue(String field) {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ApiError.badRequest(field, "The field '" + field + "' must be a whole number.");
        }
        return n.asLong();
    }

    /** A number in [min, max], or in (min, max] when {@code minExclusive}. */
    Double number(String field, double min, boolean minExclusive, double max) {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        double v = n.isNumber() ? n.asDouble() : Double.NaN;
        if (!n.isNumber() || !(minExclusive ? v > min : v >= min) || !(v <= max)) {
            throw ApiError.badRequest(field, "The field '" + field + "' must be a number " + (minExclusive ? "above "
                    : "from ") + trim(min) + (minExclusive ? " up to " : " to ") + trim(max) + ".");
        }
        return v;
    }

    /** A string or a list of strings ({@code max} at most), as a list; empty when absent. */
    List<String> strings(String field, int max) {
        JsonNode n = node(field);
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n.isTextual()) {
            out.add(n.asText());
        } else if (n.isArray()) {
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    throw ApiError.badRequest(field, "The field '" + field + "' must be a string or a list of strings.");
                }
                out.add(e.asText());
            }
        } else {
            throw ApiError.badRequest(field, "The field '" + field + "' must be a string or a list of strings.");
        }
        if (out.size() > max) {
            throw ApiError.badRequest(field, "The field '" + field + "' may hold at most " + max + " strings.");
        }
        return out;
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
