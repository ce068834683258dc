package org.sovereign.packs.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Set;

/**
 * Creates ONNX Runtime sessions with the chosen thread count and execution provider, falling back from CUDA to the
 * CPU cleanly: CUDA is tried only when the native library lists it, and a CUDA provider that fails to register or
 * a session that fails to start on it is retried on the CPU, with the reason logged and recorded in the
 * {@link RuntimeChoice}. Stateless; safe from any thread.
 */
public final class OrtSessions {

    private static final Logger LOG = LoggerFactory.getLogger(OrtSessions.class);

    /** Applies the caller's own options (optimisation level, execution mode) to fresh session options. */
    @FunctionalInterface
    public interface Tuning {
        void apply(OrtSession.SessionOptions options) throws OrtException;
    }

    /** A created session and what it got. */
    public record Opened(OrtSession session, RuntimeChoice choice) {
    }

    /**
     * Whether to try CUDA, and if not, why.
     *
     * @param tryCuda true when the preference asks for a GPU and this ONNX Runtime build lists CUDA
     * @param reason  plain words for why not (empty when {@code tryCuda})
     */
    public record Plan(boolean tryCuda, String reason) {
    }

    private OrtSessions() {
    }

    /** The decision for this machine's ONNX Runtime build (loads the native library if needed). */
    public static Plan plan(ExecutionPreference preference) {
        OrtEnvironments.get();
        return plan(preference, OrtEnvironment.getAvailableProviders());
    }

    /** The decision given the providers the native library lists. */
    static Plan plan(ExecutionPreference preference, Set<OrtProvider> available) {
        if (preference == ExecutionPreference.CPU_ONLY) {
            return new Plan(false, "");
        }
        if (!available.contains(OrtProvider.CUDA)) {
            return new Plan(false, "this ONNX Runtime build has no CUDA provider (only the GPU edition of the workstation has one)");
        }
        return new Plan(true, "");
    }

    /**
     * Creates a session for {@code modelFile}.
     *
     * @throws OrtException when ONNX Runtime cannot load the model on the CPU either
     */
    public static Opened open(OrtEnvironment environment, Path modelFile, int intraOpThreads,
                              ExecutionPreference preference, Tuning tuning) throws OrtException {
        return open(environment, modelFile, intraOpThreads, plan(preference), tuning);
    }

    /** As {@link #open(OrtEnvironment, Path, int, ExecutionPreference, Tuning)}, with a decision already made. */
    static Opened open(OrtEnvironment environment, Path modelFile, int intraOpThreads, Plan plan, Tuning tuning)
            throws OrtException {
        if (intraOpThreads <= 0) {
            throw new IllegalArgumentException("intraOpThreads must be positive, was " + intraOpThreads);
        }
        String note = plan.reason();
        if (plan.tryCuda()) {
            try (OrtSession.SessionOptions options = base(intraOpThreads, tuning)) {
                options.addCUDA(0);
                OrtSession session = environment.createSession(modelFile.toString(), options);
                LOG.info("Loaded {} on CUDA with {} intra-op threads", modelFile.getFileName(), intraOpThreads);
                return new Opened(session, new RuntimeChoice(RuntimeChoice.CUDA, intraOpThreads, ""));
            } catch (OrtException | RuntimeException e) {
                note = "CUDA did not start (" + oneLine(e.getMessage()) + ")";
                LOG.warn("Falling back to the CPU for {}: {}", modelFile.getFileName(), note);
            }
        } else if (!note.isEmpty()) {
            LOG.info("Running {} on the CPU: {}", modelFile.getFileName(), note);
        }
        try (OrtSession.SessionOptions options = base(intraOpThreads, tuning)) {
            OrtSession session = environment.createSession(modelFile.toString(), options);
            return new Opened(session, new RuntimeChoice(RuntimeChoice.CPU, intraOpThreads, note));
        }
    }

    private static OrtSession.SessionOptions base(int threads, Tuning tuning) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            tuning.apply(options);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private static String oneLine(String message) {
        return message == null ? "no reason given" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
