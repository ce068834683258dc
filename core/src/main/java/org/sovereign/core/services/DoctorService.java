package org.sovereign.core.services;

import org.sovereign.core.common.Progress;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.packs.LoadedModel;
import org.sovereign.core.packs.ModelRuntime;
import org.sovereign.core.services.DoctorReport.Check;
import org.sovereign.core.services.DoctorReport.Status;
import org.sovereign.packs.runtime.HardwareProfile;
import org.sovereign.packs.runtime.OnnxRuntimeInfo;
import org.sovereign.packs.runtime.RuntimeUnavailableException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Checks that this machine can run the workstation, and reports what it found. Shared by {@code sovereign doctor}
 * and the Settings screen. Every value is read from the running system; nothing is assumed.
 */
public final class DoctorService {

    private static final int STEPS = 7;

    private final DataDirectory dataDirectory;
    private final Supplier<OnnxRuntimeInfo> runtimeProbe;
    private final Supplier<HardwareProfile> hardwareProbe;
    private final Map<String, String> environment;
    private final ModelRuntime models;

    public DoctorService(DataDirectory dataDirectory) {
        this(dataDirectory, null);
    }

    /** Also reports how models run: the thread and execution-provider plan, and every model loaded in this run. */
    public DoctorService(DataDirectory dataDirectory, ModelRuntime models) {
        this(dataDirectory, OnnxRuntimeInfo::probe, HardwareProfile::detect, System.getenv(), models);
    }

    DoctorService(DataDirectory dataDirectory, Supplier<OnnxRuntimeInfo> runtimeProbe,
                  Supplier<HardwareProfile> hardwareProbe, Map<String, String> environment) {
        this(dataDirectory, runtimeProbe, hardwareProbe, environment, null);
    }

    private DoctorService(DataDirectory dataDirectory, Supplier<OnnxRuntimeInfo> runtimeProbe,
                          Supplier<HardwareProfile> hardwareProbe, Map<String, String> environment, ModelRuntime models) {
        this.models = models;
        this.dataDirectory = dataDirectory;
        this.runtimeProbe = runtimeProbe;
        this.hardwareProbe = hardwareProbe;
        this.environment = environment;
    }

    /** Runs every check in turn. Blocks while ONNX Runtime loads (the first time, up to a second or two). */
    public DoctorReport run(Progress progress) {
        List<Check> checks = new ArrayList<>();
        int step = 0;

        progress.update(step++, STEPS, "Checking Java");
        checks.add(javaCheck());
        progress.checkCancelled();

        progress.update(step++, STEPS, "Checking the operating system");
        checks.add(new Check("Operating system",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + ")",
                Status.OK, ""));
        progress.checkCancelled();

        progress.update(step++, STEPS, "Checking the processor");
        HardwareProfile hardware = hardwareProbe.get();
        checks.add(new Check("CPU", hardware.logicalCores() + " cores; vector instructions: "
                + (hardware.simdFeatures().isEmpty() ? "not reported by this system" : String.join(", ", hardware.simdFeatures())),
                Status.OK, ""));
        progress.checkCancelled();

        progress.update(step++, STEPS, "Checking memory");
        checks.add(memoryCheck(hardware));
        progress.checkCancelled();

        progress.update(step++, STEPS, "Loading ONNX Runtime");
        checks.add(runtimeCheck(hardware));
        if (models != null) {
            checks.add(modelsCheck());
        }
        progress.checkCancelled();

        progress.update(step++, STEPS, "Checking the data directory");
        checks.add(dataDirectoryCheck());
        progress.checkCancelled();

        progress.update(step++, STEPS, "Checking for a display");
        checks.add(displayCheck());
        progress.update(step, STEPS, "Done");
        return new DoctorReport(checks);
    }

    private static Check javaCheck() {
        Runtime.Version version = Runtime.version();
        String value = version + " (" + System.getProperty("java.vendor") + ", " + System.getProperty("java.home") + ")";
        return version.feature() >= 17
                ? new Check("Java", value, Status.OK, "")
                : new Check("Java", value, Status.PROBLEM, "Install Java 17 or newer.");
    }

    private static Check memoryCheck(HardwareProfile hardware) {
        if (hardware.totalMemoryBytes() < 0) {
            return new Check("Memory", "not reported by this system", Status.NOTE, "");
        }
        String value = gib(hardware.totalMemoryBytes()) + " total, " + gib(hardware.freeMemoryBytes()) + " free";
        long twoGiB = 2L << 30;
        return hardware.totalMemoryBytes() < twoGiB
                ? new Check("Memory", value, Status.NOTE, "Less than 2 GiB: only small models will fit.")
                : new Check("Memory", value, Status.OK, "");
    }

    private Check runtimeCheck(HardwareProfile hardware) {
        try {
            OnnxRuntimeInfo info = runtimeProbe.get();
            String value = "version " + info.version() + "; execution providers: " + String.join(", ", info.executionProviders())
                    + "; new models run on " + (models != null ? models.runtimePlan()
                    : "CPUExecutionProvider with " + hardware.inferenceThreads(false) + " threads");
            return info.hasCpuProvider()
                    ? new Check("ONNX Runtime", value, Status.OK, "")
                    : new Check("ONNX Runtime", value, Status.PROBLEM, "The CPU execution provider is missing from this ONNX Runtime build.");
        } catch (RuntimeUnavailableException e) {
            return new Check("ONNX Runtime", "not available", Status.PROBLEM, e.getMessage());
        }
    }

    private Check modelsCheck() {
        List<LoadedModel> loaded = models.loadedModels();
        if (loaded.isEmpty()) {
            return new Check("Loaded models", "none in this run (a model loads when it is first used)", Status.OK, "");
        }
        return new Check("Loaded models", String.join("; ", loaded.stream().map(LoadedModel::describe).toList()),
                Status.OK, "");
    }

    private Check dataDirectoryCheck() {
        String where = dataDirectory.path().toString();
        if (!dataDirectory.isWritable()) {
            return new Check("Data directory", where + " (not writable)", Status.PROBLEM,
                    "Choose a directory you can write to.");
        }
        if (dataDirectory.isWritableByOthers()) {
            return new Check("Data directory", where + " (others can write to it)", Status.PROBLEM,
                    "Other users could plant files the workstation loads; run: chmod 700 " + where);
        }
        if (dataDirectory.isAccessibleToOthers()) {
            return new Check("Data directory", where + " (writable)", Status.NOTE,
                    "Other users of this computer can open this directory; run: chmod 700 " + where);
        }
        return new Check("Data directory", where + " (writable, owner only)", Status.OK, "");
    }

    private Check displayCheck() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        boolean linuxLike = !os.startsWith("windows") && !os.startsWith("mac");
        boolean display = !linuxLike || notBlank(environment.get("DISPLAY")) || notBlank(environment.get("WAYLAND_DISPLAY"));
        return display
                ? new Check("Display", "available", Status.OK, "")
                : new Check("Display", "none (DISPLAY and WAYLAND_DISPLAY are not set)", Status.NOTE,
                "The desktop window cannot open here; the command line works.");
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
