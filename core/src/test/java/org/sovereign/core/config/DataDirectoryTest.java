package org.sovereign.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataDirectoryTest {

    private static final Path HOME = Path.of("/home/ada");

    @Test
    void followsEachOperatingSystemsConvention() {
        assertThat(DataDirectory.resolve(null, Map.of(), "Linux", HOME).path()).isEqualTo(Path.of("/home/ada/.local/share/sovereign"));
        assertThat(DataDirectory.resolve(null, Map.of("XDG_DATA_HOME", "/data/xdg"), "Linux", HOME).path())
                .isEqualTo(Path.of("/data/xdg/sovereign"));
        assertThat(DataDirectory.resolve(null, Map.of("XDG_DATA_HOME", "relative/ignored"), "Linux", HOME).path())
                .as("the XDG spec says relative paths are invalid").isEqualTo(Path.of("/home/ada/.local/share/sovereign"));
        assertThat(DataDirectory.resolve(null, Map.of(), "Mac OS X", HOME).path())
                .isEqualTo(Path.of("/home/ada/Library/Application Support/Sovereign"));
        assertThat(DataDirectory.resolve(null, Map.of("APPDATA", "/appdata"), "Windows 11", HOME).path())
                .isEqualTo(Path.of("/appdata/Sovereign"));
    }

    @Test
    void optionBeatsEnvironmentBeatsConvention() {
        Map<String, String> env = Map.of("SOVEREIGN_HOME", "/env/home", "XDG_DATA_HOME", "/data/xdg");
        assertThat(DataDirectory.resolve(Path.of("/opt/choice"), env, "Linux", HOME).path()).isEqualTo(Path.of("/opt/choice"));
        assertThat(DataDirectory.resolve(null, env, "Linux", HOME).path()).isEqualTo(Path.of("/env/home"));
    }

    @Test
    void createsTheDirectoryForItsOwnerOnly(@TempDir Path tmp) throws Exception {
        DataDirectory dir = DataDirectory.resolve(tmp.resolve("a/b/sovereign"), Map.of(), "Linux", HOME).ensureExists();

        assertThat(dir.path()).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.path()))).isEqualTo("rwx------");
        assertThat(dir.isWritable()).isTrue();
        assertThat(dir.isAccessibleToOthers()).isFalse();
    }

    @Test
    void leavesAnExistingDirectoryAloneButNoticesWhenOthersCanReadIt(@TempDir Path tmp) throws Exception {
        Path existing = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));

        DataDirectory dir = DataDirectory.resolve(existing, Map.of(), "Linux", HOME).ensureExists();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rwxr-xr-x");
        assertThat(dir.isAccessibleToOthers()).isTrue();
    }

    @Test
    void aFileInTheWayIsAPlainError(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> DataDirectory.resolve(file, Map.of(), "Linux", HOME).ensureExists())
                .isInstanceOf(DataDirectoryException.class)
                .hasMessage("The data directory " + file + " exists but is not a directory.");
    }

    @Test
    void anExistingDirectoryOthersCanWriteToIsRefusedAndLeftAsItWas(@TempDir Path tmp) throws Exception {
        for (String mode : new String[] {"rwxrwxrwx", "rwxrwx---", "rwx-w----"}) {
            Path shared = Files.createDirectories(tmp.resolve(mode.replace('-', '_')));
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString(mode));
            DataDirectory dir = DataDirectory.resolve(shared, Map.of(), "Linux", tmp);

            assertThat(dir.isWritableByOthers()).isTrue();
            assertThatThrownBy(dir::ensureExists).isInstanceOf(DataDirectoryException.class)
                    .hasMessage("Other users of this computer can write to the data directory " + shared + ", so they "
                            + "could plant or replace the files the workstation loads. Make it private to you (chmod 700 "
                            + shared + ") or choose another data directory.");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo(mode);
        }
    }
}
