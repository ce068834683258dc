package org.sovereign.app.ui;

import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.Workstation;
import org.sovereign.core.common.Progress;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.library.ChunkStore;
import org.sovereign.core.library.Chunker;
import org.sovereign.core.library.IndexReport;
import org.sovereign.core.library.LibraryService;
import org.sovereign.core.library.TextExtractor;
import org.sovereign.core.packs.Packs;
import org.sovereign.packs.embedding.Embedder;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.store.LocalStore;
import org.sovereign.testing.ConsentFixture;
import org.sovereign.testing.Fixtures;
import org.sovereign.testing.TestKdf;
import org.sovereign.testing.Waits;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

/**
 * What the window tests (TestFX, headless on Monocle) share: a {@link Workstation} on a data directory with fast
 * Argon2, optionally a vault holding notes indexed under a consent, the main window shown on the test's stage, and
 * waiting that lets the FX thread catch up.
 * <pre>{@code
 * @Start
 * void start(Stage stage) throws Exception {
 *     Workstation ws = WindowFixture.workstation(home);
 *     consentId = WindowFixture.vaultWithNotes(ws, ConsentFixture.consent().purpose(PURPOSE).source(notes), notes, null)
 *             .consentId();
 *     window = WindowFixture.show(ws, stage);
 * }
 * }</pre>
 */
public final class WindowFixture {

    /** The passphrase of every vault these helpers create. */
    public static final String PASSPHRASE = "orchard lantern seventeen quietly";
    /** The purpose the window tests index notes for. */
    public static final String PURPOSE = "private assistant";

    private WindowFixture() {
    }

    /** A workstation on {@code home} (created if need be), with the fast test KDF; no vault yet. */
    public static Workstation workstation(Path home) {
        DataDirectory dir = DataDirectory.resolve(home).ensureExists();
        return Workstation.create(dir, dir.logDirectory().resolve("sovereign.log"), TestKdf.FAST);
    }

    /** Creates the vault of {@code workstation} with {@link #PASSPHRASE} and locks it again. */
    public static Workstation withVault(Workstation workstation) {
        workstation.store().create(PASSPHRASE.toCharArray()).close();
        return workstation;
    }

    /** What {@link #vaultWithNotes} did: the consent's record id and the indexing report. */
    public record Indexed(String consentId, IndexReport report) {
    }

    /**
     * Creates the vault, grants {@code consent} in it, indexes {@code notes} under the consent's first purpose (with
     * {@code embedder}, or keywords only when it is null) and locks the vault again.
     */
    public static Indexed vaultWithNotes(Workstation workstation, ConsentFixture consent, Path notes, Embedder embedder) {
        try (LocalStore store = workstation.store().create(PASSPHRASE.toCharArray())) {
            return indexed(store, consent, notes, embedder);
        }
    }

    /** Grants {@code consent} in the open {@code store} and indexes {@code notes} under its first purpose. */
    public static Indexed indexed(LocalStore store, ConsentFixture consent, Path notes, Embedder embedder) {
        var terms = consent.build();
        String id = store.consent().grant(terms).recordId();
        IndexReport report = new LibraryService(store, ChunkStore.forSession(store.session()), new TextExtractor(),
                Chunker.defaults(), embedder).index(notes, terms.purposes().get(0), Progress.NONE);
        return new Indexed(id, report);
    }

    /**
     * Imports the tiny Llama fixture into {@code folder}/tiny.mpack and installs it, unsigned, with the user's explicit
     * trust (as the Models screen's "Install anyway" does); returns the workstation's pack service.
     */
    public static Packs installTinyLlama(Workstation workstation, Path folder) {
        Packs packs = workstation.packs();
        Path mpack = folder.resolve("tiny.mpack");
        packs.importer().importFolder(Fixtures.TINY_LLAMA, mpack, "tiny-llama", "1.0.0", null, null);
        packs.installation().install(mpack, List.of(), true, PASSPHRASE::toCharArray, Progress.NONE);
        return packs;
    }

    /** Builds the main window of {@code workstation} and shows it on {@code stage}. */
    public static MainWindow show(Workstation workstation, Stage stage) {
        MainWindow window = MainWindow.create(workstation);
        window.show(stage);
        return window;
    }

    /**
     * Waits until {@code condition} holds ({@link Waits}, at most {@link Waits#DEFAULT_BOUND}; a condition that reads
     * controls is read off the FX thread, as TestFX's own waiting does), then lets the FX thread finish what is queued.
     */
    public static void waitUntil(BooleanSupplier condition) {
        waitUntil(Waits.DEFAULT_BOUND, condition);
    }

    /** {@link #waitUntil(BooleanSupplier)} with a bound of its own. */
    public static void waitUntil(Duration bound, BooleanSupplier condition) {
        Waits.waitUntil("the window", bound, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Types {@link #PASSPHRASE} on the unlock screen, as a person would, and waits for the workstation. */
    public static void unlock(FxRobot robot) throws Exception {
        unlock(robot, PASSPHRASE);
    }

    /** Types {@code passphrase} on the unlock screen and waits for the workstation. */
    public static void unlock(FxRobot robot, String passphrase) throws Exception {
        robot.clickOn("#unlock-passphrase").write(passphrase).type(KeyCode.ENTER);
        waitUntil(() -> robot.lookup("#main-window").tryQuery().isPresent());
    }

    /** Opens an area with its shortcut (Ctrl + {@code digit}) and waits until the node {@code viewId} is there. */
    public static void open(FxRobot robot, KeyCode digit, String viewId) throws Exception {
        robot.press(KeyCode.CONTROL, digit).release(digit, KeyCode.CONTROL);
        waitUntil(() -> robot.lookup(viewId).tryQuery().isPresent());
    }
}
