package org.sovereign.core.packs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.settings.AppSettings;
import org.sovereign.core.store.StoreService;
import org.sovereign.packs.embedding.Embedder;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.packs.pack.PackInstaller;
import org.sovereign.packs.pack.StagingFolder;
import org.sovereign.packs.runtime.HardwareProfile;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.vault.crypto.KdfParams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sovereign.testing.Fixtures.TINY_LLAMA;

/** Verify, install, re-verify and the catalog's stale-folder cleanup, on real files and a real vault (audit effects the CLI tests do not look into). */
class PackInstallationTest {

    static final String PASS = PackTestHome.PASS;

    @TempDir
    Path tmp;
    private Path home;
    private StoreService store;
    private final AtomicReference<AppSettings> settings = new AtomicReference<>(AppSettings.defaults());
    private Packs packs;
    private PackTestHome fixture;

    @BeforeEach
    void setUp() {
        fixture = new PackTestHome(tmp.resolve("home"), settings::get);
        home = fixture.home;
        store = fixture.store;
        packs = fixture.packs;
    }

    @AfterEach
    void unload() {
        fixture.close();
    }

    private void installTiny() {
        fixture.installTiny(tmp);
    }

    @Test
    void startingCleansUpFoldersACrashedInstallLeftButNotOnesStillBeingWritten() throws Exception {
        Path packsDir = home.resolve("packs");
        Path crashed = Files.createDirectory(packsDir.resolve(PackInstaller.STAGING_PREFIX + "crashed"));
        Files.writeString(crashed.resolve("model.onnx"), "half a model");
        Files.createFile(packsDir.resolve(PackInstaller.STAGING_PREFIX + "crashed.lock"));
        Path removing = Files.createDirectory(packsDir.resolve(PackCatalog.REMOVING_PREFIX + "old-1.0"));
        try (StagingFolder live = StagingFolder.create(packsDir, PackInstaller.STAGING_PREFIX)) {
            new PackCatalog(home);

            assertThat(crashed).doesNotExist();
            assertThat(packsDir.resolve(PackInstaller.STAGING_PREFIX + "crashed.lock")).doesNotExist();
            assertThat(removing).doesNotExist();
            assertThat(live.path()).isDirectory();
        }
        try (var left = Files.list(packsDir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("all-minilm-l6-v2-1.20.0-beta30");
        }
    }

    @Test
    void cancellingAVerificationStopsAndLeavesNothingBehind() {
        Path mpack = tmp.resolve("tiny.mpack");
        packs.importer().importFolder(TINY_LLAMA, mpack, "tiny-llama", "1.0", "Apache-2.0", null);
        assertThatThrownBy(() -> packs.installation().verify(mpack, List.of(), cancelled()))
                .isInstanceOf(CancellationException.class);
        try (var left = Files.list(home.resolve("packs"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("all-minilm-l6-v2-1.20.0-beta30");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void cancellingAReverificationStopsWithoutAVerdictAndAFullRunPasses() {
        String id = packs.overview().details().get(0).id();
        assertThatThrownBy(() -> packs.installation().reverify(id, null, cancelled()))
                .isInstanceOf(CancellationException.class);
        long[] seen = new long[2];
        PackInstallation.ReverifyResult result = packs.installation().reverify(id, null, new Progress() {
            @Override
            public void update(long done, long total, String message) {
                seen[0] = done;
                seen[1] = total;
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        });
        assertThat(result.ok()).isTrue();
        assertThat(result.message()).startsWith("All ").contains("files match the manifest");
        assertThat(seen[1]).isPositive();
        assertThat(seen[0]).isEqualTo(seen[1]);
    }

    /** Issue 16: the bundled pack is audited as what it is (checked against this build's digest), not as "trusted anyway". */
    @Test
    void theBundledPackIsAuditedAsVerifiedByTheBuildsDigestNotAsTrustedAnyway() {
        try (LocalStore local = store.unlock(PASS.toCharArray())) {
            List<AuditEntry> entries = local.audit().entries(0, local.audit().size()).stream()
                    .filter(e -> "all-minilm-l6-v2-1.20.0-beta30".equals(e.refs().get("pack"))).toList();
            assertThat(entries).extracting(AuditEntry::type)
                    .containsExactly(AuditTypes.PACK_INSTALLING, AuditTypes.PACK_INSTALLED, AuditTypes.PACK_VERIFIED);
            assertThat(entries.get(1).refs()).containsEntry("trust", "bundled-digest")
                    .containsEntry("verdict", "bundled-digest");
        }
    }

    @Test
    void bundledPackWithAnotherDigestIsRemovedAndRejected() throws Exception {
        Path fake = Files.createDirectories(tmp.resolve("fake-default"));
        packs.importer().importFolder(TINY_LLAMA, fake.resolve(DefaultPackBuilder.FILE), "tiny-llama", "1.0", null, null);
        System.setProperty(DefaultPack.DIR_PROPERTY, fake.toString());

        assertThatThrownBy(() -> packs.installation().installDefault(PASS::toCharArray, Progress.NONE))
                .isInstanceOf(UserFacingException.class)
                .hasMessageContaining("does not match the digest recorded in this build");
        try (var left = Files.list(packs.catalog().packsDir())) {
            assertThat(left.map(p -> p.getFileName().toString())).as("only the pack installed before")
                    .containsExactly("all-minilm-l6-v2-1.20.0-beta30");
        }
        try (LocalStore local = store.unlock(PASS.toCharArray())) {
            assertThat(local.audit().entries(0, local.audit().size())).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(AuditTypes.PACK_REJECTED);
                assertThat(e.refs()).containsEntry("verdict", "digest-mismatch");
            });
        }
    }

    /**
     * The rename that installs a pack cannot share the vault's transaction, so its intent is committed first: when
     * that entry cannot be written, the pack never appears in the packs folder, not even for a moment (a kill then
     * would have left it installed without any entry). Watched with the file system's own events.
     */
    @Test
    void aPackIsNeverMovedIntoPlaceBeforeItsInstallIsWrittenDown() throws Exception {
        Path mpack = tmp.resolve("tiny.mpack");
        packs.importer().importFolder(TINY_LLAMA, mpack, "tiny-llama", "1.0", "Apache-2.0", null);
        Path packsDir = packs.catalog().packsDir();
        try (WatchService watch = packsDir.getFileSystem().newWatchService()) {
            packsDir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            auditRefuses("pack.installing");
            assertThatThrownBy(() -> packs.installation().install(mpack, List.of(), true, PASS::toCharArray,
                    Progress.NONE)).isInstanceOf(RuntimeException.class);
            assertThat(created(watch)).as("names that appeared in the packs folder").doesNotContain("tiny-llama-1.0");
        }
        auditRefuses(null);

        packs.installation().install(mpack, List.of(), true, PASS::toCharArray, Progress.NONE);
        List<AuditEntry> entries = packEntries("tiny-llama-1.0");
        // the first attempt's choice to trust it anyway was recorded before its intent was refused
        assertThat(entries).extracting(AuditEntry::type).containsExactly(AuditTypes.PACK_TRUSTED_ANYWAY,
                AuditTypes.PACK_TRUSTED_ANYWAY, AuditTypes.PACK_INSTALLING, AuditTypes.PACK_INSTALLED);
        assertThat(entries.get(3).refs()).containsEntry("intent", Long.toString(entries.get(2).sequence()))
                .containsEntry("manifest", entries.get(2).refs().get("manifest"));
    }

    /** A removal is audited (it was not at all), and written down before the folder leaves the packs folder. */
    @Test
    void aRemovalIsWrittenDownBeforeThePackLeavesAndConfirmedAfter() throws Exception {
        installTiny();
        auditRefuses("pack.removing");
        assertThatThrownBy(() -> packs.installation().remove("tiny-llama", PASS::toCharArray))
                .isInstanceOf(RuntimeException.class);
        assertThat(packs.catalog().packsDir().resolve("tiny-llama-1.0")).as("still installed").isDirectory();
        auditRefuses(null);

        assertThat(packs.installation().remove("tiny-llama", PASS::toCharArray)).isEqualTo("tiny-llama-1.0");
        assertThat(packs.catalog().packsDir().resolve("tiny-llama-1.0")).doesNotExist();
        List<AuditEntry> entries = packEntries("tiny-llama-1.0");
        assertThat(entries).extracting(AuditEntry::type).endsWith(AuditTypes.PACK_REMOVING, AuditTypes.PACK_REMOVED);
        AuditEntry intent = entries.get(entries.size() - 2);
        assertThat(intent.refs().get("manifest")).matches("[0-9a-f]{64}");
        assertThat(entries.get(entries.size() - 1).refs())
                .containsEntry("intent", Long.toString(intent.sequence()));
    }

    /** Makes the vault refuse audit entries of {@code type} (as a crash at that point would); null lifts it. */
    private void auditRefuses(String type) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + LocalStore.vaultFile(home));
             Statement st = c.createStatement()) {
            st.executeUpdate("DROP TRIGGER IF EXISTS refuse_entry");
            if (type != null) {
                st.executeUpdate("CREATE TRIGGER refuse_entry BEFORE INSERT ON audit_entry WHEN CAST(NEW.entry AS TEXT)"
                        + " LIKE '%\"" + type + "\"%' BEGIN SELECT RAISE(ABORT, 'refused'); END");
            }
        }
    }

    private List<AuditEntry> packEntries(String pack) {
        try (LocalStore local = store.unlock(PASS.toCharArray())) {
            return local.audit().entries(0, local.audit().size()).stream()
                    .filter(e -> pack.equals(e.refs().get("pack"))).toList();
        }
    }

    private static List<String> created(WatchService watch) {
        List<String> names = new ArrayList<>();
        for (WatchKey key = watch.poll(); key != null; key = watch.poll()) {
            key.pollEvents().forEach(e -> names.add(String.valueOf(e.context())));
            key.reset();
        }
        return names;
    }

    /** Progress that asks to stop at once. */
    private static Progress cancelled() {
        return new Progress() {
            @Override
            public void update(long done, long total, String message) {
            }

            @Override
            public boolean isCancelled() {
                return true;
            }
        };
    }
}
