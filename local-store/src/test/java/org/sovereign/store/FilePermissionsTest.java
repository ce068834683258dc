package org.sovereign.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.fs.PrivateFiles;
import org.sovereign.store.vault.VaultBackup;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Red-team finding (issue 15): vault.db, its checkpoint file and backups were 0644 (readable by every local user).
 * Every file the local store writes is 0600 from creation, and a looser mode found at open is tightened.
 */
class FilePermissionsTest {

    private static final KdfParams FAST = new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1);
    private final Clock clock = Clock.systemUTC();

    @TempDir
    Path root;
    Path home;

    private static char[] pass() {
        return "correct horse battery staple".toCharArray();
    }

    @BeforeEach
    void posixOnly() {
        assumeTrue(PrivateFiles.isPosix(root), "POSIX permissions only");
        home = root.resolve("data"); // created by the store
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private Path sibling(String suffix) {
        Path db = LocalStore.vaultFile(home);
        return db.resolveSibling(db.getFileName() + suffix);
    }

    @Test
    void everyFileTheStoreWritesIsPrivateToItsOwner() throws Exception {
        Path backup = root.resolve("backup.svbk");
        try (LocalStore store = LocalStore.create(home, pass(), FAST, clock)) {
            store.record(AuditTypes.DOCUMENT_INGESTED, Map.of("document", "d"));
            store.audit().flush();
            // while open, the WAL and shared-memory files exist
            for (String suffix : new String[] {"", "-wal", "-shm", ".checkpoint", ".lock"}) {
                assertThat(sibling(suffix)).as(suffix).exists();
                assertThat(mode(sibling(suffix))).as("vault.db" + suffix).isEqualTo("rw-------");
            }
            store.backupTo(backup);
        }
        assertThat(mode(home)).as("the data directory the store created").isEqualTo("rwx------");
        assertThat(mode(backup)).isEqualTo("rw-------");
        Path restored = root.resolve("restored.db");
        VaultBackup.restore(backup, pass(), restored);
        assertThat(mode(restored)).isEqualTo("rw-------");
        try (var files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left behind")
                    .containsExactlyInAnyOrder("data", "backup.svbk", "restored.db");
        }
    }

    @Test
    void looserModesFoundAtOpenAreTightened() throws Exception {
        try (LocalStore store = LocalStore.create(home, pass(), FAST, clock)) {
            store.record(AuditTypes.DOCUMENT_INGESTED, Map.of("document", "d"));
        }
        for (String suffix : new String[] {"", ".checkpoint", ".lock"}) {
            Files.setPosixFilePermissions(sibling(suffix), PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            for (String suffix : new String[] {"", "-wal", "-shm", ".checkpoint", ".lock"}) {
                assertThat(mode(sibling(suffix))).as("vault.db" + suffix).isEqualTo("rw-------");
            }
        }
    }
}
