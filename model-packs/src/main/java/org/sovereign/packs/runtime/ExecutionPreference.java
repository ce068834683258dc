package org.sovereign.packs.runtime;

/** Where a model should run, when there is a choice. */
public enum ExecutionPreference {
    /** Always ONNX Runtime's CPU provider. */
    CPU_ONLY,
    /**
     * The CUDA provider when this ONNX Runtime build has it and it starts (the {@code -Pgpu} build ships
     * {@code onnxruntime_gpu}); otherwise, or if CUDA fails to start, the CPU provider, with the reason recorded.
     */
    GPU_WHEN_AVAILABLE
}
