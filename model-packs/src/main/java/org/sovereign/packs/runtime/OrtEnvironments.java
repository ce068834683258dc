package org.sovereign.packs.runtime;

import ai.onnxruntime.OrtEnvironment;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The way this project obtains ONNX Runtime's process-wide {@link OrtEnvironment}.
 *
 * <p>ONNX Runtime 1.29 on Linux overflows the stack of the thread that first creates the environment when the
 * process's command line is long (a few thousand characters, which a real class path easily reaches): the JVM dies
 * with SIGSEGV and no Java exception. The first creation therefore runs on a short-lived thread with a large
 * stack; later calls just return the same environment. The environment is never closed (it lives as long as the
 * JVM, as ONNX Runtime intends).
 *
 * <p>Telemetry: before the first creation the process is switched to {@code ORT_DISABLE_TELEMETRY=1} and after it
 * the runtime's event switch is turned off (see {@link OrtTelemetry}); this is the only place the environment is
 * created, so every entry point (window, command line, tests) gets both.
 *
 * <p>Native library: ONNX Runtime's Java binding unpacks {@code libonnxruntime} and its JNI library into a new
 * folder per run ({@code Files.createTempDirectory("onnxruntime-java")} under {@code java.io.tmpdir}, which the JDK
 * creates with mode 0700 on Linux and macOS), loads them from there and deletes them; it loads from elsewhere only
 * when the {@code onnxruntime.native.path} system properties say so, which nothing in this project sets. So there is
 * no lasting copy another program could replace.
 */
public final class OrtEnvironments {

    /** Stack size for the thread that creates the environment. */
    static final long INIT_STACK_BYTES = 64L * 1024 * 1024;

    private static OrtEnvironment environment;

    private OrtEnvironments() {
    }

    /**
     * Returns the environment, creating it on a large-stack thread if needed. Blocks while the native library loads.
     *
     * @throws RuntimeUnavailableException if the native library cannot be loaded
     */
    public static synchronized OrtEnvironment get() {
        if (environment != null) {
            return environment;
        }
        OrtTelemetry.disableBeforeLoad();
        AtomicReference<OrtEnvironment> created = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread init = new Thread(null, () -> {
            try {
                created.set(OrtEnvironment.getEnvironment());
            } catch (RuntimeException | LinkageError e) {
                failure.set(e);
            }
        }, "onnxruntime-init", INIT_STACK_BYTES);
        init.setDaemon(true);
        init.start();
        boolean interrupted = false;
        while (true) {
            try {
                init.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw new RuntimeUnavailableException(
                    "ONNX Runtime could not be loaded on this machine: " + failure.get().getMessage(), failure.get());
        }
        environment = created.get();
        OrtTelemetry.disableEvents(environment);
        return environment;
    }
}
