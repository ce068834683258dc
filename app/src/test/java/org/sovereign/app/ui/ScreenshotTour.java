package org.sovereign.app.ui;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.assistant.AssistantView;
import org.sovereign.app.ui.assistant.AssistantViewModel;
import org.sovereign.app.ui.models.ModelsView;
import org.sovereign.app.ui.models.ModelsViewModel;
import org.sovereign.core.Workstation;
import org.sovereign.core.common.Progress;
import org.sovereign.core.packs.Packs;
import org.sovereign.packs.embedding.Embedder;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.ConsentFixture;
import org.sovereign.testing.Fixtures;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

/**
 * Not a test: saves a PNG of each main screen of the real window (headless Monocle, {@link Scene#snapshot}) into the
 * folder given by {@code -Dscreenshots.dir}, for the README. It builds a demo data directory first: a vault, the
 * bundled embedding pack, a consent and a few fixture notes indexed under it. Run by {@code docs/screenshots/take.sh};
 * its name does not match the test patterns, so {@code ./mvnw verify} skips it.
 */
@ExtendWith(ApplicationExtension.class)
@EnabledIfSystemProperty(named = "screenshots.dir", matches = ".+")
class ScreenshotTour {

    private static final String PASSPHRASE = WindowFixture.PASSPHRASE;
    private static final String PURPOSE = "private assistant";

    /** A fixed, readable place (it shows on the screens); emptied at the start of each run. */
    private final Path home = Path.of(System.getProperty("java.io.tmpdir"), "sovereign-demo");
    private Stage stage;
    private Path out;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        out = Files.createDirectories(Path.of(System.getProperty("screenshots.dir")));
        if (Files.exists(home)) {
            try (var walk = Files.walk(home)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Workstation context = WindowFixture.workstation(home.resolve("data"));
        Path notes = Files.createDirectories(home.resolve("Notes"));
        Files.writeString(notes.resolve("beekeeping.md"), "# Beekeeping diary\n\nVarroa mites are counted with a sugar roll "
                + "in August; more than three mites per hundred bees means treating the colony before winter.\n\n"
                + "The queen in hive two was marked blue this spring. Swarm cells appeared in May.");
        Files.writeString(notes.resolve("garden.html"), "<html><body><h1>Kitchen garden</h1><p>Tomatoes need staking when "
                + "they reach knee height. Courgettes want full sun and plenty of water.</p><p>Compost is turned every "
                + "three weeks.</p></body></html>");
        Files.writeString(notes.resolve("workstation.txt"), "The vault is locked after ten idle minutes. Forgetting a "
                + "source erases its key, so its passages cannot be read again, not even from a backup made later.");
        Packs packs = context.packs();
        try (LocalStore store = context.store().create(PASSPHRASE.toCharArray())) {
            packs.installation().installDefault(store, Progress.NONE);
            Optional<Embedder> embedder = packs.runtime().openDefaultEmbedder();
            try {
                WindowFixture.indexed(store, ConsentFixture.consent().principal("Ada").controller("Ada's workstation")
                        .purpose(PURPOSE).source(notes).packs(embedder.map(e -> List.of(e.packDigest())).orElse(List.of()))
                        .operations(Operation.INDEX, Operation.EMBED, Operation.GENERATE).jurisdiction("local")
                        .retention("P90D").validFor(Duration.ofDays(90))
                        .notice("You allow this workstation to index and embed the documents in " + notes
                                + " and answer questions from them, for 90 days."), notes, embedder.orElse(null));
            } finally {
                embedder.ifPresent(Embedder::close);
            }
        }
        WindowFixture.show(context, stage); // 1200 x 760: Monocle's headless screen is 1280 x 800
    }

    @Test
    void saveEachMainScreen(FxRobot robot) throws Exception {
        settle();
        save("unlock");
        robot.clickOn("#unlock-passphrase").write(PASSPHRASE).type(KeyCode.ENTER);
        waitUntil(() -> robot.lookup("#main-window").tryQuery().isPresent());

        open(robot, KeyCode.DIGIT1);
        waitUntil(() -> robot.lookup("#assistant-view").tryQuery().isPresent());
        AssistantViewModel assistant = robot.lookup("#assistant-view").queryAs(AssistantView.class).viewModel();
        robot.clickOn("#assistant-input").write("When are varroa mites counted?").type(KeyCode.ENTER);
        waitUntil(() -> assistant.lastAnswerProperty().get() != null && !assistant.busyProperty().get());
        save("assistant");

        open(robot, KeyCode.DIGIT2);
        waitUntil(() -> robot.lookup("#library-view").tryQuery().isPresent());
        waitUntil(() -> !robot.lookup("#library-sources").queryTableView().getItems().isEmpty());
        robot.clickOn("#library-search-field").write("tomatoes staking").type(KeyCode.ENTER);
        waitUntil(() -> !robot.lookup("#library-results").queryListView().getItems().isEmpty());
        save("library");

        String[] names = {"models", "consent", "audit", "settings"};
        KeyCode[] keys = {KeyCode.DIGIT3, KeyCode.DIGIT4, KeyCode.DIGIT5, KeyCode.DIGIT8};
        for (int i = 0; i < names.length; i++) {
            open(robot, keys[i]);
            settle();
            if (names[i].equals("audit") && robot.lookup("#audit-verify").tryQuery().isPresent()) {
                robot.clickOn("#audit-verify"); // shows the verification result
                waitUntil(() -> robot.lookup("#audit-verify").queryButton().isDisabled() == false);
            }
            save(names[i]);
        }

        // the Models screen's route to a chat model: a Hugging Face folder's variants, the best fit preselected
        open(robot, KeyCode.DIGIT3);
        settle();
        ModelsView models = robot.lookup("#models-view").queryAs(ModelsView.class);
        Path repo = Fixtures.TINY_LLAMA.resolveSibling("hf-repos").resolve("llama");
        robot.interact(() -> models.filesDropped(List.of(repo.toFile())));
        waitUntil(() -> models.viewModel().hfStageProperty().get() == ModelsViewModel.HfStage.CHOOSING);
        save("models-hugging-face");
    }

    private static void open(FxRobot robot, KeyCode digit) {
        robot.press(KeyCode.CONTROL, digit).release(digit, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Lets background loads (lists, checks) finish and the scene settle. */
    private static void settle() throws Exception {
        Thread.sleep(1500);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static void waitUntil(BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, condition::getAsBoolean);
        settle();
    }

    private void save(String name) throws Exception {
        AtomicReference<WritableImage> shot = new AtomicReference<>();
        WaitForAsyncUtils.asyncFx(() -> shot.set(stage.getScene().snapshot(null))).get(30, TimeUnit.SECONDS);
        WritableImage image = shot.get();
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage png = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        PixelReader pixels = image.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                png.setRGB(x, y, pixels.getArgb(x, y));
            }
        }
        Path file = out.resolve(name + ".png");
        ImageIO.write(png, "png", file.toFile());
        System.out.println("saved " + file + " (" + w + "x" + h + ")");
    }
}
