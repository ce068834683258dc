package org.sovereign.packs.embedding;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.sovereign.packs.runtime.ExecutionPreference;
import org.sovereign.packs.runtime.ModelLoadException;
import org.sovereign.packs.runtime.OrtEnvironments;
import org.sovereign.packs.runtime.OrtSessions;
import org.sovereign.packs.runtime.RuntimeChoice;
import org.sovereign.packs.tokenizer.EncodedText;
import org.sovereign.packs.tokenizer.TextTokenizer;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A BERT-style sentence-embedding model in ONNX: {@code input_ids}, {@code attention_mask} and optionally
 * {@code token_type_ids} in, {@code last_hidden_state} (batch, sequence, hidden) out; sentence vectors are the mean
 * of the token vectors over the attention mask, L2-normalised. Texts of similar length are batched together
 * (see {@link EmbeddingOptions} for when batching changes results).
 *
 * <p>The instance owns its ONNX Runtime session and its tokenizer; {@link #close()} frees both. {@code embed} blocks
 * while the model runs and may be called from several threads at once.
 */
public final class OnnxEmbeddingModel implements AutoCloseable {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String LAST_HIDDEN_STATE = "last_hidden_state";

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final TextTokenizer tokenizer;
    private final EmbeddingOptions options;
    private final boolean usesTokenTypes;
    private final int dimension;
    private final RuntimeChoice runtimeChoice;

    private OnnxEmbeddingModel(OrtEnvironment environment, OrtSession session, TextTokenizer tokenizer,
                               EmbeddingOptions options, boolean usesTokenTypes, int dimension,
                               RuntimeChoice runtimeChoice) {
        this.runtimeChoice = runtimeChoice;
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.options = options;
        this.usesTokenTypes = usesTokenTypes;
        this.dimension = dimension;
    }

    /**
     * Opens the model and its {@code tokenizer.json}. Blocks while ONNX Runtime loads the graph.
     *
     * @throws ModelLoadException if a file is missing or unreadable, or the model lacks the expected inputs/outputs
     */
    public static OnnxEmbeddingModel open(Path modelFile, Path tokenizerFile, EmbeddingOptions options) {
        return open(modelFile, tokenizerFile, options, ExecutionPreference.CPU_ONLY);
    }

    /**
     * As {@link #open(Path, Path, EmbeddingOptions)}, on the GPU when {@code preference} allows it and CUDA starts
     * (else on the CPU; {@link #runtimeChoice()} says which and why).
     */
    public static OnnxEmbeddingModel open(Path modelFile, Path tokenizerFile, EmbeddingOptions options,
                                          ExecutionPreference preference) {
        Objects.requireNonNull(options, "options");
        if (!Files.isRegularFile(modelFile)) {
            throw new ModelLoadException("No model file at " + modelFile);
        }
        OrtEnvironment environment = OrtEnvironments.get();
        OrtSession session;
        RuntimeChoice choice;
        try {
            OrtSessions.Opened opened = OrtSessions.open(environment, modelFile, options.intraOpThreads(), preference,
                    o -> o.setOptimizationLevel(options.fullGraphOptimization()
                            ? OrtSession.SessionOptions.OptLevel.ALL_OPT : OrtSession.SessionOptions.OptLevel.BASIC_OPT));
            session = opened.session();
            choice = opened.choice();
        } catch (OrtException e) {
            throw new ModelLoadException("ONNX Runtime could not load the model file " + modelFile
                    + " (it may be corrupt, truncated or of an unsupported version): " + e.getMessage(), e);
        }
        TextTokenizer tokenizer = null;
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            int dimension = checkSignature(modelFile, inputs, outputs);
            tokenizer = TextTokenizer.load(tokenizerFile);
            return new OnnxEmbeddingModel(environment, session, tokenizer, options,
                    inputs.containsKey(TOKEN_TYPE_IDS), dimension, choice);
        } catch (OrtException | RuntimeException e) {
            try {
                session.close();
            } catch (OrtException closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof ModelLoadException m) {
                throw m;
            }
            throw new ModelLoadException("Could not open the embedding model " + modelFile + ": " + e.getMessage(), e);
        }
    }

    private static int checkSignature(Path file, Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs) {
        List<String> problems = new ArrayList<>();
        for (String name : List.of(INPUT_IDS, ATTENTION_MASK)) {
            if (!inputs.containsKey(name)) {
                problems.add("missing input '" + name + "'");
            }
        }
        for (String name : inputs.keySet()) {
            if (!Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS).contains(name)) {
                problems.add("unexpected input '" + name + "'");
            }
        }
        int dimension = -1;
        NodeInfo hidden = outputs.get(LAST_HIDDEN_STATE);
        if (hidden == null) {
            problems.add("missing output '" + LAST_HIDDEN_STATE + "' (has " + outputs.keySet() + ")");
        } else if (!(hidden.getInfo() instanceof TensorInfo info) || info.getShape().length != 3
                || info.getShape()[2] <= 0) {
            problems.add("'" + LAST_HIDDEN_STATE + "' is not a (batch, sequence, hidden) tensor with a fixed width");
        } else {
            dimension = Math.toIntExact(info.getShape()[2]);
        }
        if (!problems.isEmpty()) {
            throw new ModelLoadException("The model " + file + " is not a BERT-style embedding model: "
                    + String.join("; ", problems));
        }
        return dimension;
    }

    /** The execution provider and thread count this model's session got. */
    public RuntimeChoice runtimeChoice() {
        return runtimeChoice;
    }

    /** Length of every embedding vector. */
    public int dimension() {
        return dimension;
    }

    /** The unit-length embedding of one text. */
    public float[] embed(String text) {
        return embed(List.of(text)).get(0);
    }

    /**
     * Unit-length embeddings of {@code texts}, in the same order.
     *
     * @throws EmbeddingException if ONNX Runtime fails
     */
    public List<float[]> embed(List<String> texts) {
        List<long[]> ids = new ArrayList<>(texts.size());
        int[] lengths = new int[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            EncodedText encoded = tokenizer.encodeForModel(texts.get(i), true);
            long[] tokenIds = truncate(encoded.ids(), options.maxTokens());
            ids.add(tokenIds);
            lengths[i] = tokenIds.length;
        }
        float[][] vectors = new float[texts.size()][];
        for (int[] batch : LengthBatches.plan(lengths, options.maxBatchSize())) {
            List<float[]> pooled = runBatch(batch, ids);
            for (int j = 0; j < batch.length; j++) {
                vectors[batch[j]] = pooled.get(j);
            }
        }
        return Arrays.asList(vectors);
    }

    /** How many tokens {@link #embed(List)} feeds the model for {@code texts} (special tokens included, after truncation). */
    public int tokenCount(List<String> texts) {
        int total = 0;
        for (String text : texts) {
            total += truncate(tokenizer.encodeForModel(text, true).ids(), options.maxTokens()).length;
        }
        return total;
    }

    /** Keeps the first {@code max - 1} tokens and the last one (the closing special token). */
    static long[] truncate(long[] ids, int max) {
        if (ids.length <= max) {
            return ids;
        }
        long[] cut = Arrays.copyOf(ids, max);
        cut[max - 1] = ids[ids.length - 1];
        return cut;
    }

    private List<float[]> runBatch(int[] batch, List<long[]> ids) {
        int width = 0;
        for (int index : batch) {
            width = Math.max(width, ids.get(index).length);
        }
        long[] flatIds = new long[batch.length * width];
        long[] flatMask = new long[batch.length * width];
        for (int row = 0; row < batch.length; row++) {
            long[] tokens = ids.get(batch[row]);
            System.arraycopy(tokens, 0, flatIds, row * width, tokens.length);
            Arrays.fill(flatMask, row * width, row * width + tokens.length, 1L);
        }
        long[] shape = {batch.length, width};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(INPUT_IDS, OnnxTensor.createTensor(environment, LongBuffer.wrap(flatIds), shape));
            inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(environment, LongBuffer.wrap(flatMask), shape));
            if (usesTokenTypes) {
                inputs.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(environment,
                        LongBuffer.wrap(new long[batch.length * width]), shape));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(LAST_HIDDEN_STATE))) {
                OnnxValue value = result.get(LAST_HIDDEN_STATE).orElseThrow();
                FloatBuffer hidden = ((OnnxTensor) value).getFloatBuffer();
                List<float[]> pooled = new ArrayList<>(batch.length);
                for (int row = 0; row < batch.length; row++) {
                    long[] mask = Arrays.copyOfRange(flatMask, row * width, (row + 1) * width);
                    pooled.add(Pooling.meanPoolNormalised(hidden, row, mask, width, dimension));
                }
                return pooled;
            }
        } catch (OrtException e) {
            throw new EmbeddingException("The embedding model failed on a batch of " + batch.length + " texts: "
                    + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** Frees the ONNX Runtime session and the tokenizer. */
    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to close the session: " + e.getMessage(), e);
        } finally {
            tokenizer.close();
        }
    }
}
