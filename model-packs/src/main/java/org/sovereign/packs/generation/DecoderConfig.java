package org.sovereign.packs.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sovereign.packs.runtime.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The facts about a decoder-only model that the generation loop needs, read from Hugging Face
 * {@code config.json} and (if present) {@code generation_config.json}, whose {@code eos_token_id} wins.
 *
 * @param layers         {@code num_hidden_layers}: number of past/present key-value pairs
 * @param kvHeads        {@code num_key_value_heads} (falls back to {@code num_attention_heads})
 * @param headDim        {@code head_dim}, or {@code hidden_size / num_attention_heads}
 * @param vocabSize      {@code vocab_size}
 * @param contextLimit   {@code max_position_embeddings}: most positions one sequence may use
 * @param eosTokenIds    ids that end generation ({@code eos_token_id} may be one id or a list)
 */
public record DecoderConfig(int layers, int kvHeads, int headDim, int vocabSize, int contextLimit,
                            Set<Long> eosTokenIds) {

    public DecoderConfig {
        eosTokenIds = Set.copyOf(eosTokenIds);
        if (layers <= 0 || kvHeads <= 0 || headDim <= 0 || vocabSize <= 0 || contextLimit <= 0) {
            throw new ModelLoadException("The model configuration has a non-positive size: layers=" + layers
                    + ", kv heads=" + kvHeads + ", head dim=" + headDim + ", vocab=" + vocabSize
                    + ", context=" + contextLimit);
        }
    }

    /**
     * Reads {@code config.json} and {@code generation_config.json} from a model folder.
     *
     * @throws ModelLoadException if {@code config.json} is missing, unreadable or lacks a needed field
     */
    public static DecoderConfig read(Path folder) {
        ObjectMapper json = new ObjectMapper();
        Path configFile = folder.resolve("config.json");
        JsonNode config;
        try {
            config = json.readTree(configFile.toFile());
        } catch (IOException e) {
            throw new ModelLoadException("Could not read the model configuration " + configFile + ": "
                    + e.getMessage(), e);
        }
        int heads = required(config, "num_attention_heads", configFile);
        int hidden = required(config, "hidden_size", configFile);
        int kvHeads = config.has("num_key_value_heads") ? config.get("num_key_value_heads").asInt() : heads;
        int headDim = config.hasNonNull("head_dim") ? config.get("head_dim").asInt() : hidden / heads;
        Set<Long> eos = ids(config.get("eos_token_id"));
        Path generationFile = folder.resolve("generation_config.json");
        if (Files.isRegularFile(generationFile)) {
            try {
                Set<Long> fromGeneration = ids(json.readTree(generationFile.toFile()).get("eos_token_id"));
                if (!fromGeneration.isEmpty()) {
                    eos = fromGeneration;
                }
            } catch (IOException e) {
                throw new ModelLoadException("Could not read " + generationFile + ": " + e.getMessage(), e);
            }
        }
        return new DecoderConfig(required(config, "num_hidden_layers", configFile), kvHeads, headDim,
                required(config, "vocab_size", configFile), required(config, "max_position_embeddings", configFile),
                eos);
    }

    private static int required(JsonNode config, String field, Path file) {
        JsonNode node = config.get(field);
        if (node == null || !node.canConvertToInt()) {
            throw new ModelLoadException("The model configuration " + file + " has no integer '" + field + "'");
        }
        return node.asInt();
    }

    private static Set<Long> ids(JsonNode node) {
        Set<Long> ids = new LinkedHashSet<>();
        if (node == null || node.isNull()) {
            return ids;
        }
        if (node.isArray()) {
            node.forEach(n -> ids.add(n.asLong()));
        } else {
            ids.add(node.asLong());
        }
        return ids;
    }
}
