package org.sovereign.app.ui;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.library.LibraryView;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.Workstation;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.TestKdf;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.Node;
import javafx.scene.control.TableView;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a person reads before signing or to get back in is shown whole: in the real window (headless on Monocle) at
 * 1366x768 and at the smallest size (900x600), no label or one-line field of the unlock screen (and its recovery
 * form), the recovery-key screen, the Consent screen's form and details and the Library's consent sheet is cut off.
 */
@ExtendWith(ApplicationExtension.class)
class ReadableTextUiTest {

    private static final String PASSPHRASE = "orchard lantern seventeen quietly";

    @TempDir
    static Path dataRoot;

    private Stage stage;
    private double formerWidth;
    private double formerHeight;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        formerWidth = stage.getWidth();
        formerHeight = stage.getHeight();
    }

    /** The stage is shared with the test classes that run after this one: give it back at its former size. */
    @AfterEach
    void restoreSize() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            if (!Double.isNaN(formerWidth) && formerWidth > 0) {
                stage.setWidth(formerWidth);
                stage.setHeight(formerHeight);
            }
        }).get();
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void recoveryKeyScreenAt1366x768() throws Exception {
        recoveryKeyScreen(new FxRobot(), 1366, 768);
    }

    @Test
    void recoveryKeyScreenAt900x600() throws Exception {
        recoveryKeyScreen(new FxRobot(), MainWindow.MIN_WIDTH, MainWindow.MIN_HEIGHT);
    }

    @Test
    void unlockAndConsentScreensAt1366x768() throws Exception {
        unlockAndConsentScreens(new FxRobot(), 1366, 768);
    }

    @Test
    void unlockAndConsentScreensAt900x600() throws Exception {
        unlockAndConsentScreens(new FxRobot(), MainWindow.MIN_WIDTH, MainWindow.MIN_HEIGHT);
    }

    private void recoveryKeyScreen(FxRobot robot, double width, double height) throws Exception {
        Path home = dataRoot.resolve(UUID.randomUUID().toString());
        Workstation context = workstation(home);
        open(robot, context, width, height);
        robot.clickOn("#new-passphrase").write("aaaaaaaaaaaa");
        // the bar's colour follows the strength, and the text agrees with the rule (long enough, too guessable)
        assertThat(robot.lookup("#strength-meter").query().getStyleClass()).contains("strength-weak");
        assertThat(robot.lookup("#strength-text").queryLabeled().getText()).startsWith("Too weak: easy to guess");
        robot.interact(() -> robot.lookup("#new-passphrase").queryTextInputControl().clear());
        robot.clickOn("#new-passphrase").write(PASSPHRASE);
        assertThat(robot.lookup("#strength-meter").query().getStyleClass()).contains("strength-fair")
                .doesNotContain("strength-weak");
        robot.clickOn("#confirm-passphrase").write(PASSPHRASE);
        robot.clickOn("#with-recovery-key");
        assertWhole(robot, "#vault-create");
        robot.clickOn("#create-vault");
        waitUntil(() -> robot.lookup("#recovery-key-pane").tryQuery().map(Node::isVisible).orElse(false));
        assertWhole(robot, "#recovery-key-pane");
    }

    private void unlockAndConsentScreens(FxRobot robot, double width, double height) throws Exception {
        Path home = dataRoot.resolve(UUID.randomUUID().toString());
        Workstation context = workstation(home);
        Path notes = Files.createDirectories(home.resolve("notes"));
        Files.writeString(notes.resolve("garden.md"), "The lantern by the pear tree is lit at dusk.\n");
        try (LocalStore store = context.store().create(PASSPHRASE.toCharArray())) {
            Instant now = Instant.now();
            store.consent().grant(new ConsentTerms(UUID.randomUUID().toString(), "ada", "ada's workstation",
                    List.of("private assistant"), List.of("dpv-pd:Document"), List.of(notes.toString()), List.of(),
                    EnumSet.of(Operation.INDEX, Operation.GENERATE), "EU", "P30D", now.minusSeconds(1),
                    now.plus(Duration.ofDays(30)), "Withdraw on the Consent screen",
                    "Your notes will be indexed and used to answer your questions, on this computer only.", "en"));
        }
        open(robot, context, width, height);

        waitUntil(() -> robot.lookup("#vault-unlock").tryQuery().isPresent());
        assertWhole(robot, "#vault-unlock");
        robot.clickOn("#forgot-passphrase");
        waitUntil(() -> robot.lookup("#recovery-form").query().isVisible());
        assertWhole(robot, "#vault-unlock");
        robot.clickOn("#recover-cancel");

        robot.clickOn("#unlock-passphrase").write(PASSPHRASE).type(KeyCode.ENTER);
        waitUntil(() -> robot.lookup("#main-window").tryQuery().isPresent());
        // the Assistant's empty conversation list and the window's notice (built-in search model missing here)
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT1).release(KeyCode.DIGIT1, KeyCode.CONTROL);
        waitUntil(() -> robot.lookup("#assistant-conversations-none").tryQuery().map(Node::isVisible).orElse(false));
        assertWhole(robot, "#assistant-conversations");
        assertWhole(robot, "#assistant-bar");
        assertWhole(robot, "#assistant-messages");
        if (robot.lookup("#shell-notice").tryQuery().map(Node::isVisible).orElse(false)) {
            assertWhole(robot, "#shell-notice");
        }
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT4).release(KeyCode.DIGIT4, KeyCode.CONTROL);
        waitUntil(() -> robot.lookup("#consent-table").tryQuery()
                .map(t -> !((TableView<?>) t).getItems().isEmpty()).orElse(false));
        robot.clickOn("private assistant");
        waitUntil(() -> !robot.lookup("#consent-record-id").queryTextInputControl().getText().isEmpty());
        robot.clickOn("#consent-give-open");
        waitUntil(() -> robot.lookup("#consent-grant-form").query().isVisible());
        assertWhole(robot, "#consent-grant-form");
        assertWhole(robot, "#consent-record-id");
        assertWhole(robot, "#consent-notice");
        robot.interact(() -> robot.lookup("#consent-withdraw").queryButton().fire());
        assertWhole(robot, "#consent-withdraw-bar");

        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        waitUntil(() -> robot.lookup("#library-view").tryQuery().isPresent());
        Path other = Files.createDirectories(home.resolve("letters"));
        robot.interact(() -> robot.lookup("#library-view").queryAs(LibraryView.class).viewModel().addFolder(other));
        waitUntil(() -> robot.lookup("#library-consent-sheet").query().isVisible());
        assertWhole(robot, "#library-consent-sheet");
    }

    private static Workstation workstation(Path home) {
        DataDirectory dir = DataDirectory.resolve(home).ensureExists();
        return Workstation.create(dir, dir.logDirectory().resolve("sovereign.log"), TestKdf.FAST);
    }

    private void open(FxRobot robot, Workstation context, double width, double height) {
        robot.interact(() -> {
            MainWindow.create(context).show(stage);
            stage.setX(0);
            stage.setY(0);
            stage.setWidth(width);
            stage.setHeight(height);
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void assertWhole(FxRobot robot, String query) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Node root = robot.lookup(query).query();
        List<String> cut = WaitForAsyncUtils.asyncFx(() -> TruncatedText.under(root)).get();
        snapshot(query);
        assertThat(cut).as("cut-off text in %s at %.0fx%.0f", query, stage.getWidth(), stage.getHeight()).isEmpty();
    }

    /** With -Dreadable.screenshots=DIR, saves the window as a PNG there for a person to look at (no assertion). */
    private void snapshot(String query) throws Exception {
        String dir = System.getProperty("readable.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        WritableImage image = WaitForAsyncUtils.asyncFx(() -> stage.getScene().snapshot(null)).get();
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage png = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                png.setRGB(x, y, image.getPixelReader().getArgb(x, y));
            }
        }
        Path folder = Files.createDirectories(Path.of(dir));
        ImageIO.write(png, "png", folder.resolve(query.substring(1) + "-" + w + "x" + h + ".png").toFile());
    }

    private static void waitUntil(BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition::getAsBoolean);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
