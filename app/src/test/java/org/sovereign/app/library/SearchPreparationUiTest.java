package org.sovereign.core.library;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.library.SearchPreparation;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.Workstation;
import org.sovereign.core.library.ChunkStore;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.ConsentFixture;
import org.sovereign.testing.HashingEmbedder;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.app.ui.WindowFixture.unlock;
import static org.sovereign.app.ui.WindowFixture.waitUntil;

/**
 * After an unlock the window loads the library's vectors in the background and says so on the Library and Assistant
 * screens ("Preparing search over your library... n %") until they are in memory; then the line goes. Real window
 * (headless on Monocle), real vault with a few hundred embedded passages (deterministic {@link
 * HashingEmbedder}, so no model file is needed to write them).
 */
@ExtendWith(ApplicationExtension.class)
class SearchPreparationUiTest {

    static final String PURPOSE = WindowFixture.PURPOSE;
    private static final Pattern LINE = Pattern.compile("Preparing search over your library\u2026 (\\d+) %");
    private static final String[] WORDS = ("apiary varroa colony queen drone nectar pollen honey frame brood comb wax "
            + "smoker hive swarm tomato courgette compost mulch seed soil trellis harvest orchard pruning graft cider "
            + "river bridge mountain valley forest meadow winter summer autumn spring rain frost").split(" ");

    @TempDir
    static Path dataRoot;

    private MainWindow window;
    private int embedded;

    @Start
    void start(Stage stage) throws Exception {
        Path home = dataRoot.resolve(UUID.randomUUID().toString());
        Workstation context = WindowFixture.workstation(home);
        Path notes = Files.createDirectories(home.resolve("notes"));
        Random random = new Random(5);
        for (int f = 0; f < 80; f++) {
            StringBuilder text = new StringBuilder();
            for (int s = 0; s < 30; s++) {
                for (int w = 0; w < 12; w++) {
                    text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
                }
                text.append(". ");
            }
            Files.writeString(notes.resolve("note-" + f + ".txt"), text);
        }
        HashingEmbedder embedder = new HashingEmbedder();
        embedded = WindowFixture.vaultWithNotes(context, ConsentFixture.consent().purpose(PURPOSE).source(notes)
                .packs(embedder.packDigest()).operations(Operation.INDEX, Operation.EMBED), notes, embedder).report().chunks();
        window = WindowFixture.show(context, stage);
    }

    private ChunkStore chunks() {
        return window.session().workspace().vectors();
    }

    /** Every text {@code label} shows from now on, in order (recorded on the FX thread). */
    private static List<String> record(FxRobot robot, Label label) {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        robot.interact(() -> label.textProperty().addListener((o, old, now) -> seen.add(now)));
        return seen;
    }

    /** The percentages of the progress lines in {@code texts}; fails on any other non-empty text. */
    private static List<Integer> percentages(List<String> texts) {
        List<Integer> out = new ArrayList<>();
        for (String text : texts) {
            if (text.isEmpty()) {
                continue;
            }
            Matcher m = LINE.matcher(text);
            assertThat(m.matches()).as("a plain progress line: %s", text).isTrue();
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    @Test
    void theLibraryAndTheAssistantShowThePreparationLineAfterUnlockUntilTheVectorsAreLoaded(FxRobot robot) throws Exception {
        assertThat(embedded).as("a few hundred embedded passages").isBetween(150, 1000);
        SearchPreparation preparation = window.searchPreparation();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        robot.interact(() -> preparation.statusProperty().addListener((o, old, now) -> lines.add(now)));

        unlock(robot);
        waitUntil(() -> !preparation.preparingProperty().get());
        assertThat(chunks().isLoaded()).as("loaded in the background, before any search").isTrue();
        assertThat(chunks().size()).isEqualTo(embedded);
        List<Integer> first = percentages(lines);
        assertThat(first).as("the line appeared").isNotEmpty();
        assertThat(first).isSorted();
        assertThat(first.get(first.size() - 1)).isEqualTo(100);
        assertThat(lines.get(lines.size() - 1)).as("and went").isEmpty();

        // both screens show it: open them (created once and kept), lock with Ctrl+L, unlock again, watch their labels
        WindowFixture.open(robot, KeyCode.DIGIT1, "#assistant-search-preparing");
        Label assistantLine = robot.lookup("#assistant-search-preparing").queryAs(Label.class);
        WindowFixture.open(robot, KeyCode.DIGIT2, "#library-search-preparing");
        Label libraryLine = robot.lookup("#library-search-preparing").queryAs(Label.class);
        assertThat(libraryLine.isVisible()).isFalse();
        assertThat(libraryLine.getText()).isEmpty();
        ChunkStore before = chunks();

        robot.press(KeyCode.CONTROL, KeyCode.L).release(KeyCode.L, KeyCode.CONTROL);
        waitUntil(() -> robot.lookup("#unlock-passphrase").tryQuery().isPresent());
        assertThat(before.isClosed()).as("locking wiped the loaded vectors").isTrue();
        assertThat(before.size()).isZero();
        List<String> onLibrary = record(robot, libraryLine);
        List<String> onAssistant = record(robot, assistantLine);
        List<Boolean> libraryShown = Collections.synchronizedList(new ArrayList<>());
        robot.interact(() -> libraryLine.visibleProperty().addListener((o, old, now) -> libraryShown.add(now)));

        unlock(robot);
        waitUntil(() -> !preparation.preparingProperty().get());
        assertThat(percentages(onLibrary)).isNotEmpty().isSorted().endsWith(100);
        assertThat(percentages(onAssistant)).isNotEmpty().isSorted().endsWith(100);
        assertThat(libraryShown).as("the Library's line was shown, then hidden").containsSubsequence(true, false);
        assertThat(libraryLine.getText()).isEmpty();
        assertThat(libraryLine.isVisible()).isFalse();
        assertThat(assistantLine.getText()).isEmpty();
        assertThat(chunks().isLoaded()).isTrue();
        assertThat(chunks().size()).isEqualTo(embedded);
    }
}
