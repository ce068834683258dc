package org.sovereign.packs.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Set;

/**
 * Keeps ONNX Runtime's telemetry off in this process.
 *
 * <p>ONNX Runtime 1.29's Linux and macOS library starts a telemetry uploader when its environment is created: it
 * writes a persistent device id and an event queue under {@code ~/.cache/Microsoft/DeveloperTools/.onnxruntime/}
 * and keeps resolving a Microsoft collector host. Its Java switch ({@link OrtEnvironment#setTelemetry}) can only be
 * called on an existing environment, and by then the uploader, the device id and the first event already exist
 * (seen here: files written and DNS attempts with the switch off). The native library skips all of it only when
 * the environment variable {@code ORT_DISABLE_TELEMETRY} is true at the moment it starts. Java cannot change its own
 * environment, so {@link #disableBeforeLoad()} calls the C library's {@code setenv} through JNA before the
 * environment is created; the launchers also set the variable, and the Java switch is used as well (on Windows,
 * where the native library uses ETW and ignores the variable, it is the switch that counts).
 *
 * <p>{@code setenv} is called at most once per process: glibc then copies the environment into a new array and
 * never frees the old one, so a thread reading the environment at that moment still reads valid memory.
 */
final class OrtTelemetry {

    /** The variable ONNX Runtime reads. */
    static final String SWITCH = "ORT_DISABLE_TELEMETRY";
    private static final Set<String> TRUE = Set.of("1", "true", "yes", "on", "y");
    private static final Logger LOG = LoggerFactory.getLogger(OrtTelemetry.class);

    private OrtTelemetry() {
    }

    /**
     * Makes {@code ORT_DISABLE_TELEMETRY=1} part of this process's native environment; call before the first ONNX
     * Runtime environment is created. Does nothing when the variable is already true.
     *
     * @return whether the native environment now holds the switch (always false on Windows, where it is not needed)
     */
    static boolean disableBeforeLoad() {
        if (isTrue(System.getenv(SWITCH))) {
            return true;
        }
        if (isWindowsOs()) {
            return false;
        }
        try {
            // JNA unpacks its own native library before the first call: into this run's private folder, never a
            // shared or lasting one (see PrivateNativeDirectory)
            PrivateNativeDirectory.pinJna();
            NativeLibrary c = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
            Function setenv = c.getFunction("setenv");
            int rc = setenv.invokeInt(new Object[] {SWITCH, "1", 1});
            String now = c.getFunction("getenv").invokeString(new Object[] {SWITCH}, false);
            if (rc != 0 || !isTrue(now)) {
                LOG.warn("Could not set {} for ONNX Runtime (setenv returned {}); start through the launcher, "
                        + "which sets it.", SWITCH, rc);
                return false;
            }
            return true;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Could not set {} for ONNX Runtime ({}); start through the launcher, which sets it.", SWITCH,
                    e.toString());
            return false;
        }
    }

    /** Turns the runtime's own event switch off on {@code env} (the only switch on Windows). */
    static void disableEvents(OrtEnvironment env) {
        try {
            env.setTelemetry(false);
        } catch (OrtException | RuntimeException e) {
            LOG.warn("ONNX Runtime refused to switch its telemetry events off: {}", e.getMessage());
        }
    }

    static boolean isTrue(String value) {
        return value != null && TRUE.contains(value.strip().toLowerCase(Locale.ROOT));
    }

    private static boolean isWindowsOs() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
