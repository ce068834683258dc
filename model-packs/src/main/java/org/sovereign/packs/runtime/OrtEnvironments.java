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
 */
public final class OrtEnvironments {

    /** Stack size for the thread that creates the environment. */
    static final long INIT_STACK_BYTES = 64L * 1024 * 1024;

    private OrtEnvironments() {
    }

    /**
     * Returns the environment, creating it on a large-stack thread if needed. Blocks while the native library loads.
     *
     * @throws RuntimeUnavailableException if the native library cannot be loaded
     */
    public static OrtEnvironment get() {
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
        return created.get();
    }
}
