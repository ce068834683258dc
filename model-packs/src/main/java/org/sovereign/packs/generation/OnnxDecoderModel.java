package org.sovereign.packs.generation;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.sovereign.packs.runtime.ExecutionPreference;
import org.sovereign.packs.runtime.ModelLoadException;
import org.sovereign.packs.runtime.OrtEnvironments;
import org.sovereign.packs.runtime.OrtSessions;
import org.sovereign.packs.runtime.RuntimeChoice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A decoder-only language model exported to ONNX with a KV cache (Hugging Face/Optimum layout), with one
 * {@link OrtSession} for its lifetime. The configuration comes from the model folder's {@code config.json} and
 * {@code generation_config.json}; the session's inputs and outputs are checked against it when opening.
 *
 * <p>The caller owns the instance and must {@link #close()} it to free the native session. Several generations may
 * run on one instance at the same time (ONNX Runtime sessions are thread-safe; each generation keeps its own cache).
 */
public final class OnnxDecoderModel implements AutoCloseable {

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final DecoderConfig config;
    private final DecoderSignature signature;
    private final RuntimeChoice runtimeChoice;

    private OnnxDecoderModel(OrtEnvironment environment, OrtSession session, DecoderConfig config,
                             DecoderSignature signature, RuntimeChoice runtimeChoice) {
        this.runtimeChoice = runtimeChoice;
        this.environment = environment;
        this.session = session;
        this.config = config;
        this.signature = signature;
    }

    /** Opens {@code model.onnx} in {@code folder} with {@link DecoderOptions#defaults()}. */
    public static OnnxDecoderModel open(Path folder) {
        return open(folder, folder.resolve("model.onnx"), DecoderOptions.defaults());
    }

    /**
     * Opens a model file, reading the configuration from {@code folder}. Blocks while ONNX Runtime loads and
     * optimises the graph.
     *
     * @throws ModelLoadException if the configuration is unusable, ONNX Runtime cannot load the file, or the model's
     *                            inputs and outputs do not match the expected signature
     */
    public static OnnxDecoderModel open(Path folder, Path modelFile, DecoderOptions options) {
        return open(folder, modelFile, options, ExecutionPreference.CPU_ONLY);
    }

    /**
     * As {@link #open(Path, Path, DecoderOptions)}, on the GPU when {@code preference} allows it and CUDA starts
     * (else on the CPU; {@link #runtimeChoice()} says which and why).
     */
    public static OnnxDecoderModel open(Path folder, Path modelFile, DecoderOptions options,
                                        ExecutionPreference preference) {
        Objects.requireNonNull(options, "options");
        DecoderConfig config = DecoderConfig.read(folder);
        if (!Files.isRegularFile(modelFile)) {
            throw new ModelLoadException("No model file at " + modelFile);
        }
        OrtEnvironment environment = OrtEnvironments.get();
        OrtSession session;
        RuntimeChoice choice;
        try {
            OrtSessions.Opened opened = OrtSessions.open(environment, modelFile, options.intraOpThreads(), preference,
                    o -> {
                        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                        o.addConfigEntry(DecoderOptions.ALLOW_SPINNING, options.spinning() ? "1" : "0");
                    });
            session = opened.session();
            choice = opened.choice();
        } catch (OrtException e) {
            throw new ModelLoadException("ONNX Runtime could not load the model file " + modelFile
                    + " (it may be corrupt, truncated or of an unsupported version): " + e.getMessage(), e);
        }
        try {
            DecoderSignature signature = DecoderSignature.check(session.getInputInfo(), session.getOutputInfo(), config);
            return new OnnxDecoderModel(environment, session, config, signature, choice);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session, e);
            if (e instanceof ModelLoadException m) {
                throw m;
            }
            throw new ModelLoadException("Could not inspect the inputs and outputs of " + modelFile + ": "
                    + e.getMessage(), e);
        }
    }

    private static void closeQuietly(OrtSession session, Exception primary) {
        try {
            session.close();
        } catch (OrtException e) {
            primary.addSuppressed(e);
        }
    }

    /** The execution provider and thread count this model's session got. */
    public RuntimeChoice runtimeChoice() {
        return runtimeChoice;
    }

    public DecoderConfig config() {
        return config;
    }

    OrtEnvironment environment() {
        return environment;
    }

    OrtSession session() {
        return session;
    }

    DecoderSignature signature() {
        return signature;
    }

    /** Frees the native session. Generations still running on it fail. */
    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to close the session: " + e.getMessage(), e);
        }
    }
}
