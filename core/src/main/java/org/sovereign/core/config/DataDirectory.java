package org.sovereign.core.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where the workstation keeps everything it stores (vault, packs, logs).
 *
 * <p>Chosen in this order: the {@code --data-dir} option, the {@code SOVEREIGN_HOME} environment variable,
 * then the operating system's convention: {@code $XDG_DATA_HOME/sovereign} (or {@code ~/.local/share/sovereign})
 * on Linux, {@code %APPDATA%\Sovereign} on Windows, {@code ~/Library/Application Support/Sovereign} on macOS.
 */
public final class DataDirectory {

    public static final String ENV_VARIABLE = "SOVEREIGN_HOME";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path path;

    private DataDirectory(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    public Path path() {
        return path;
    }

    public Path logDirectory() {
        return path.resolve("logs");
    }

    /** Where the directory would be, without touching the disk. */
    public static DataDirectory resolve(Path override, Map<String, String> env, String osName, Path userHome) {
        if (override != null) {
            return new DataDirectory(override);
        }
        String fromEnv = env.get(ENV_VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new DataDirectory(Path.of(fromEnv));
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            Path base = appData != null && !appData.isBlank() ? Path.of(appData) : userHome.resolve("AppData").resolve("Roaming");
            return new DataDirectory(base.resolve("Sovereign"));
        }
        if (os.startsWith("mac")) {
            return new DataDirectory(userHome.resolve("Library").resolve("Application Support").resolve("Sovereign"));
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : userHome.resolve(".local").resolve("share");
        return new DataDirectory(base.resolve("sovereign"));
    }

    /** Resolves against this process's environment. */
    public static DataDirectory resolve(Path override) {
        return resolve(override, System.getenv(), System.getProperty("os.name", ""), Path.of(System.getProperty("user.home")));
    }

    /**
     * Creates the directory (and its parents) if missing. A directory created here is readable by its owner only
     * (0700 where the file system has POSIX permissions); an existing directory's permissions are left as they are, but
     * one that other users may write to is refused: they could plant or replace files the workstation loads (its
     * vault, model packs, settings). Nothing is changed in that case: the directory may be shared on purpose.
     *
     * @throws DataDirectoryException if it cannot be created, the path is not a directory, or others may write to it
     */
    public DataDirectory ensureExists() {
        try {
            if (Files.isDirectory(path)) {
                if (isWritableByOthers()) {
                    throw new DataDirectoryException("Other users of this computer can write to the data directory "
                            + path + ", so they could plant or replace the files the workstation loads. Make it private "
                            + "to you (chmod 700 " + path + ") or choose another data directory.", null);
                }
                return this;
            }
            if (Files.exists(path)) {
                throw new DataDirectoryException("The data directory " + path + " exists but is not a directory.", null);
            }
            Path parent = path.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (supportsPosix()) {
                Files.createDirectory(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.setPosixFilePermissions(path, OWNER_ONLY); // the umask may have removed bits; set exactly
            } else {
                Files.createDirectory(path);
            }
            return this;
        } catch (IOException e) {
            throw new DataDirectoryException("The data directory " + path + " could not be created: " + describe(e), e);
        }
    }

    /** True when this process can create files in the directory. */
    public boolean isWritable() {
        if (!Files.isDirectory(path)) {
            return false;
        }
        try {
            Path probe = Files.createTempFile(path, ".write-check", ".tmp");
            Files.delete(probe);
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** True when the directory exists and others than its owner may read or enter it. */
    public boolean isAccessibleToOthers() {
        if (!supportsPosix() || !Files.isDirectory(path)) {
            return false;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            return perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"));
        } catch (IOException e) {
            return false;
        }
    }

    /** True when the directory exists and its group or other users may create, delete or rename files in it. */
    public boolean isWritableByOthers() {
        if (!supportsPosix() || !Files.isDirectory(path)) {
            return false;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            return perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean supportsPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT)
                + (e.getMessage() != null ? " (" + e.getMessage() + ")" : "");
    }

    @Override
    public String toString() {
        return path.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataDirectory other && other.path.equals(path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path);
    }
}
