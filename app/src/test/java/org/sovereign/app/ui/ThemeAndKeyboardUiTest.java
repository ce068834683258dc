package org.sovereign.app.ui;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.assistant.AssistantView;
import org.sovereign.app.ui.assistant.AssistantViewModel;
import org.sovereign.app.ui.shell.Area;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.Workstation;
import org.sovereign.core.settings.AppSettings;
import org.sovereign.core.settings.SettingsStore;
import org.sovereign.testing.ConsentFixture;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.app.ui.WindowFixture.unlock;
import static org.sovereign.app.ui.WindowFixture.waitUntil;

/**
 * The dark theme (applied from the saved settings at start, switched live, persisted) and the Assistant screen at
 * 1366x768 with the keyboard only, in the real window (headless on Monocle).
 */
@ExtendWith(ApplicationExtension.class)
class ThemeAndKeyboardUiTest {

    static final String PURPOSE = WindowFixture.PURPOSE;

    @TempDir
    static Path dataRoot;

    private Path home;
    private Workstation context;
    private MainWindow window;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        home = dataRoot.resolve(UUID.randomUUID().toString());
        context = WindowFixture.workstation(home);
        context.settings().save(context.settings().get().withTheme(AppSettings.Theme.DARK));
        Path notes = Files.createDirectories(home.resolve("notes"));
        Files.writeString(notes.resolve("mites.md"), "Varroa mites are counted every August.");
        WindowFixture.vaultWithNotes(context, ConsentFixture.consent().purpose(PURPOSE).source(notes), notes, null);
        window = WindowFixture.show(context, stage);
        stage.setX(0);
        stage.setY(0);
        stage.setWidth(1366);
        stage.setHeight(768);
    }

    private Scene scene(FxRobot robot) {
        return robot.lookup("#window-root").query().getScene();
    }

    private boolean dark(FxRobot robot) {
        return scene(robot).getStylesheets().stream().anyMatch(s -> s.endsWith("workstation-dark.css"));
    }

    private Color summaryColour(FxRobot robot) {
        return (Color) robot.lookup("#area-summary").queryAs(Label.class).getTextFill();
    }

    @Test
    void theSavedDarkThemeAppliesAtStartAndTheSwitchChangesItLiveAndPersistsIt(FxRobot robot) throws Exception {
        unlock(robot);
        assertThat(dark(robot)).as("the saved theme applies at start").isTrue();
        assertThat(summaryColour(robot)).isEqualTo(Color.web("#a9b1bb"));
        ToggleButton toggle = robot.lookup("#nav-theme").queryAs(ToggleButton.class);
        assertThat(toggle.getText()).isEqualTo("Light theme");
        assertThat(toggle.getTooltip().getText()).contains("Ctrl+Shift+T");

        robot.clickOn("#nav-theme");
        waitUntil(() -> !dark(robot));
        assertThat(summaryColour(robot)).isEqualTo(Color.web("#5a6470"));
        assertThat(new SettingsStore(home).get().theme()).as("saved to disk").isEqualTo(AppSettings.Theme.LIGHT);
        assertThat(toggle.getText()).isEqualTo("Dark theme");

        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.T).release(KeyCode.T, KeyCode.SHIFT, KeyCode.CONTROL);
        waitUntil(() -> dark(robot));
        assertThat(summaryColour(robot)).isEqualTo(Color.web("#a9b1bb"));
        assertThat(new SettingsStore(home).get().theme()).isEqualTo(AppSettings.Theme.DARK);
        assertThat(toggle.isSelected()).isTrue();
    }

    @Test
    void atThe1366By768WindowTheAssistantsControlsAreReachedByTabAndLieInsideTheWindow(FxRobot robot) throws Exception {
        Scene scene = scene(robot);
        assertThat(scene.getWidth()).isEqualTo(1366);
        assertThat(scene.getHeight()).isEqualTo(768);
        unlock(robot);
        WindowFixture.open(robot, KeyCode.DIGIT1, "#assistant-view");
        AssistantViewModel vm = robot.lookup("#assistant-view").queryAs(AssistantView.class).viewModel();

        // ask a question with the keyboard only: Tab to the input, type, Enter
        Set<String> reached = walk(robot, scene, Set.of("assistant-input"), 60);
        assertThat(reached).contains("assistant-input");
        robot.write("When are varroa mites counted?").type(KeyCode.ENTER);
        waitUntil(() -> vm.lastAnswerProperty().get() != null && !vm.busyProperty().get()
                && !vm.conversations().isEmpty());

        // the rail is one toggle group: Tab reaches its selected button, arrows and Ctrl+1..7 the others
        for (String id : List.of("nav-library", "nav-settings", "nav-theme")) {
            assertThat(inside(scene.lookup("#" + id), scene)).as(id + " lies inside the window").isTrue();
        }
        Set<String> wanted = Set.of("nav-assistant", "nav-theme", "assistant-model",
                "assistant-purpose", "assistant-new", "assistant-conversations", "assistant-title", "assistant-rename",
                "assistant-delete", "assistant-input", "assistant-citation-1-1", "assistant-copy-1",
                "assistant-regenerate-1", "assistant-edit-1");
        Set<String> seen = walk(robot, scene, wanted, 120);
        assertThat(seen).containsAll(wanted);
        for (String id : wanted) {
            Node node = scene.lookup("#" + id);
            assertThat(inside(node, scene)).as(id + " lies inside the 1366x768 window").isTrue();
        }
        // the send and stop buttons are reached by their mnemonics (Alt+S, Alt+T) and must be on screen too
        assertThat(inside(scene.lookup("#assistant-send"), scene)).isTrue();
        assertThat(inside(scene.lookup("#assistant-stop"), scene)).isTrue();

        // a citation is opened from the keyboard, and its viewer's Open file / Close buttons are reached by Tab
        focus(robot, scene, "assistant-citation-1-1", 120);
        robot.type(KeyCode.SPACE);
        waitUntil(() -> vm.documentProperty().get() != null);
        Set<String> viewer = walk(robot, scene, Set.of("assistant-doc-open-file", "assistant-cited-close"), 120);
        assertThat(viewer).contains("assistant-doc-open-file", "assistant-cited-close");
        assertThat(inside(scene.lookup("#assistant-doc-open-file"), scene)).isTrue();
        assertThat(inside(scene.lookup("#assistant-doc-passage"), scene)).as("the passage is in view").isTrue();
        screenshot(scene);
    }

    /** With -Dtheme.screenshot=FILE, writes the window as a PNG there (to look at; no assertion). */
    private static void screenshot(Scene scene) throws Exception {
        String file = System.getProperty("theme.screenshot");
        if (file == null) {
            return;
        }
        WritableImage image = WaitForAsyncUtils.asyncFx(() -> scene.snapshot(null)).get();
        BufferedImage out = new BufferedImage((int) image.getWidth(), (int) image.getHeight(),
                BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, image.getPixelReader().getArgb(x, y));
            }
        }
        ImageIO.write(out, "png", Path.of(file).toFile());
    }

    @Test
    void atThe1366By768WindowEveryScreensFocusableControlsLieInsideTheWindow(FxRobot robot) throws Exception {
        Scene scene = scene(robot);
        unlock(robot);
        List<String> outside = new ArrayList<>();
        for (Area area : Area.values()) {
            robot.press(KeyCode.CONTROL, area.shortcut()).release(area.shortcut(), KeyCode.CONTROL);
            WaitForAsyncUtils.sleep(300, TimeUnit.MILLISECONDS); // screens load their lists in the background
            WaitForAsyncUtils.waitForFxEvents();
            Set<Node> visited = new HashSet<>();
            for (int i = 0; i < 80; i++) {
                robot.type(KeyCode.TAB);
                WaitForAsyncUtils.waitForFxEvents();
                Node focused = scene.getFocusOwner();
                if (focused == null || !visited.add(focused)) {
                    break; // back at the start of the focus cycle
                }
                if (!inside(focused, scene)) {
                    outside.add(area.title() + ": " + idOf(focused) + " " + focused.getClass().getSimpleName());
                }
            }
            System.out.println("1366x768 " + area.title() + ": " + visited.size() + " controls reached by Tab");
        }
        assertThat(outside).as("focused controls outside the 1366x768 window").isEmpty();
    }

    /** Presses Tab up to {@code limit} times, collecting the ids of the focused nodes, until all of {@code wanted} were seen. */
    private static Set<String> walk(FxRobot robot, Scene scene, Set<String> wanted, int limit) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < limit && !seen.containsAll(wanted); i++) {
            robot.type(KeyCode.TAB);
            WaitForAsyncUtils.waitForFxEvents();
            Node focused = scene.getFocusOwner();
            String id = idOf(focused);
            if (id != null) {
                seen.add(id);
                order.add(id);
            }
            if (focused instanceof TextArea && wanted.size() == 1 && wanted.contains(id)) {
                break;
            }
        }
        return seen;
    }

    private static void focus(FxRobot robot, Scene scene, String id, int limit) {
        for (int i = 0; i < limit && !id.equals(idOf(scene.getFocusOwner())); i++) {
            robot.type(KeyCode.TAB);
            WaitForAsyncUtils.waitForFxEvents();
        }
        assertThat(idOf(scene.getFocusOwner())).isEqualTo(id);
    }

    /** The id of the node or of its nearest ancestor that has one (a ComboBox's editor, a list's cell...). */
    private static String idOf(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (n.getId() != null) {
                return n.getId();
            }
        }
        return null;
    }

    private static boolean inside(Node node, Scene scene) {
        Bounds b = node.localToScene(node.getBoundsInLocal());
        return node.isVisible() && b.getWidth() > 0 && b.getMinX() >= 0 && b.getMinY() >= 0
                && b.getMaxX() <= scene.getWidth() && b.getMaxY() <= scene.getHeight();
    }
}
