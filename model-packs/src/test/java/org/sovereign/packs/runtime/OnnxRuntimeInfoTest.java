package org.sovereign.packs.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OnnxRuntimeInfoTest {

    @Test
    void loadsTheRealNativeRuntimeAndReportsTheCpuProvider() {
        OnnxRuntimeInfo info = OnnxRuntimeInfo.probe();

        assertThat(info.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(info.executionProviders()).contains("CPUExecutionProvider");
        assertThat(info.hasCpuProvider()).isTrue();
    }

    @Test
    void readsX86FlagsFromCpuinfo(@TempDir Path dir) throws Exception {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, """
                processor\t: 0
                model name\t: Some CPU
                flags\t\t: fpu vme sse4_2 avx avx2 fma avx512f
                """);

        assertThat(HardwareProfile.readCpuFlags(cpuinfo)).containsExactly("sse4_2", "avx", "avx2", "fma", "avx512f");
    }

    @Test
    void readsArmFeaturesAndToleratesAMissingFile(@TempDir Path dir) throws Exception {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor : 0\nFeatures : fp asimd evtstrm asimddp sve\n");

        assertThat(HardwareProfile.readCpuFlags(cpuinfo)).containsExactly("asimd", "asimddp", "sve");
        assertThat(HardwareProfile.readCpuFlags(dir.resolve("absent"))).isEmpty();
    }

    @Test
    void lowPowerModeUsesFewerThreadsButNeverNone() {
        assertThat(new HardwareProfile(8, List.of(), 1, 1).inferenceThreads(true)).isEqualTo(4);
        assertThat(new HardwareProfile(8, List.of(), 1, 1).inferenceThreads(false)).isEqualTo(8);
        assertThat(new HardwareProfile(1, List.of(), 1, 1).inferenceThreads(true)).isEqualTo(1);
    }
}
