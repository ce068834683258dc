package org.sovereign.packs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;

/** The committed tiny Llama fixture (see src/test/fixtures/README.md) and its reference outputs. */
public final class TinyLlamaFixture {

    public static final Path DIR = Path.of("src", "test", "fixtures", "tiny-llama").toAbsolutePath();

    private TinyLlamaFixture() {
    }

    public static JsonNode reference() {
        try {
            return new ObjectMapper().readTree(Files.readString(DIR.resolve("reference.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode greedyCase(String name) {
        for (JsonNode c : reference().get("greedy")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no greedy case " + name);
    }

    public static long[] longs(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).mapToLong(JsonNode::asLong).toArray();
    }

    public static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }
}
