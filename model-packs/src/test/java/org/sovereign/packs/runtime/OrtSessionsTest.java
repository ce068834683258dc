package org.sovereign.packs.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.sovereign.packs.generation.DecoderOptions;
import org.sovereign.packs.generation.OnnxDecoderModel;
import org.sovereign.packs.testing.TinyLlamaFixture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The execution-provider decision and the CPU fallback, on the real ONNX Runtime of this build. The CPU build has no
 * CUDA provider, so these tests exercise exactly what a laptop without the GPU build sees; the GPU path itself
 * cannot run here.
 */
class OrtSessionsTest {

    private static final Path MODEL = TinyLlamaFixture.DIR.resolve("model.onnx");

    @Test
    void withoutCudaInThisBuildTheGpuPreferenceRunsOnTheCpuAndSaysWhy() throws Exception {
        OrtEnvironment env = OrtEnvironments.get();
        assumeThat(OrtEnvironment.getAvailableProviders()).as("this is the CPU build").doesNotContain(OrtProvider.CUDA);

        OrtSessions.Plan plan = OrtSessions.plan(ExecutionPreference.GPU_WHEN_AVAILABLE);
        assertThat(plan.tryCuda()).isFalse();
        assertThat(plan.reason()).contains("no CUDA provider");

        OrtSessions.Opened opened = OrtSessions.open(env, MODEL, 2, ExecutionPreference.GPU_WHEN_AVAILABLE, o -> { });
        try (OrtSession session = opened.session()) {
            assertThat(session.getInputNames()).contains("input_ids");
            assertThat(opened.choice()).isEqualTo(new RuntimeChoice("CPU", 2, plan.reason()));
            assertThat(opened.choice().describe()).isEqualTo("CPU, 2 threads");
        }
    }

    @Test
    void cudaThatFailsToStartFallsBackToTheCpuWithTheRuntimesReason() throws Exception {
        assumeThat(OrtEnvironment.getAvailableProviders()).doesNotContain(OrtProvider.CUDA);
        // Ask the real runtime for CUDA although this build lacks it: registering the provider fails for real,
        // which is the same path a GPU build takes when the driver or the card is missing.
        OrtSessions.Opened opened = OrtSessions.open(OrtEnvironments.get(), MODEL, 1, new OrtSessions.Plan(true, ""),
                o -> o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT));
        try (OrtSession session = opened.session()) {
            assertThat(session.getOutputNames()).contains("logits");
            assertThat(opened.choice().executionProvider()).isEqualTo(RuntimeChoice.CPU);
            assertThat(opened.choice().intraOpThreads()).isEqualTo(1);
            assertThat(opened.choice().note()).startsWith("CUDA did not start (").hasSizeGreaterThan(22);
        }
    }

    @Test
    void cpuOnlyNeverTriesCudaAndLeavesNoNote() {
        assertThat(OrtSessions.plan(ExecutionPreference.CPU_ONLY, EnumSet.of(OrtProvider.CUDA, OrtProvider.CPU)))
                .isEqualTo(new OrtSessions.Plan(false, ""));
        assertThat(OrtSessions.plan(ExecutionPreference.GPU_WHEN_AVAILABLE, EnumSet.of(OrtProvider.CUDA)).tryCuda())
                .isTrue();
    }

    @Test
    void modelsReportWhatTheyGot() {
        boolean cudaBuild = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        try (OnnxDecoderModel model = OnnxDecoderModel.open(TinyLlamaFixture.DIR, MODEL, new DecoderOptions(1),
                ExecutionPreference.GPU_WHEN_AVAILABLE)) {
            assertThat(model.runtimeChoice().executionProvider()).isEqualTo(
                    cudaBuild && nvidiaDevicePresent() ? "CUDA" : "CPU");
            assertThat(model.runtimeChoice().intraOpThreads()).isEqualTo(1);
            if (cudaBuild && !nvidiaDevicePresent()) {
                // the GPU build (-Pgpu) on a machine without an NVIDIA GPU: CUDA is tried for real and fails
                assertThat(model.runtimeChoice().note()).startsWith("CUDA did not start (");
            }
        }
    }

    @Test
    void theGpuBuildWithoutAGpuFallsBackToTheCpuAndTheModelStillRuns() throws Exception {
        assumeThat(OrtEnvironment.getAvailableProviders()).as("the GPU build (-Pgpu)").contains(OrtProvider.CUDA);
        assumeThat(nvidiaDevicePresent()).as("no NVIDIA GPU here").isFalse();

        OrtSessions.Plan plan = OrtSessions.plan(ExecutionPreference.GPU_WHEN_AVAILABLE);
        assertThat(plan.tryCuda()).isTrue();
        OrtSessions.Opened opened = OrtSessions.open(OrtEnvironments.get(), MODEL, 2, plan, o -> { });
        try (OrtSession session = opened.session()) {
            assertThat(session.getOutputNames()).contains("logits");
            assertThat(opened.choice().executionProvider()).isEqualTo(RuntimeChoice.CPU);
            assertThat(opened.choice().note()).startsWith("CUDA did not start (");
        }
    }

    private static boolean nvidiaDevicePresent() {
        return Files.exists(Path.of("/dev/nvidia0"));
    }
}
