package org.sovereign.packs.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * What the ONNX Runtime native library on this machine offers: its version and the execution
 * providers compiled into it. Probing loads the native library (once per JVM) but creates no session.
 */
public record OnnxRuntimeInfo(String version, List<String> executionProviders) {

    public OnnxRuntimeInfo {
        Objects.requireNonNull(version, "version");
        executionProviders = List.copyOf(executionProviders);
    }

    /**
     * Loads ONNX Runtime and reports what it offers.
     *
     * @throws RuntimeUnavailableException if the native library cannot be loaded on this machine
     */
    public static OnnxRuntimeInfo probe() {
        OrtEnvironment env = OrtEnvironments.get();
        try {
            EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
            return new OnnxRuntimeInfo(env.getVersion(),
                    providers.stream().map(OrtProvider::getName).sorted().toList());
        } catch (RuntimeException | LinkageError e) {
            throw new RuntimeUnavailableException(
                    "ONNX Runtime could not be loaded on this machine: " + e.getMessage(), e);
        }
    }

    public boolean hasCpuProvider() {
        return executionProviders.contains(OrtProvider.CPU.getName());
    }
}
