package org.sovereign.app.ui;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.assistant.AssistantView;
import org.sovereign.app.ui.assistant.AssistantViewModel;
import org.sovereign.app.ui.shell.Area;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.Workstation;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.ConsentFixture;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.app.ui.WindowFixture.unlock;
import static org.sovereign.app.ui.WindowFixture.waitUntil;

/**
 * Keyboard focus inside scroll panes at 1366x768, in the real window (headless on Monocle): on every screen, and on
 * the Assistant with a conversation longer than its view, the control Tab reaches is scrolled fully (with a margin)
 * into the visible part of every scroll pane around it, moving the view no more than needed (the control focused
 * before stays in view when both fit); focus moved without Tab (a mnemonic, a confirmation bar, a screen's code) is
 * followed too. JavaFX's own scroll pane already brings a control reached by Tab into view, but by jumping it to the
 * far edge (the control before scrolls away), and ignores focus moved any other way. Without
 * {@link org.sovereign.app.ui.controls.ScrollFollowsFocus} the first test fails on the least-movement check (the
 * Assistant's conversation) and the second on the focus moved by code (Settings).
 */
@ExtendWith(ApplicationExtension.class)
class ScrollFollowsFocusUiTest {

    static final String PURPOSE = WindowFixture.PURPOSE;

    @TempDir
    static Path dataRoot;

    private MainWindow window;
    private Stage stage;
    private double formerWidth;
    private double formerHeight;

    /** The stage is shared with the test classes that run after this one: give it back at its former size. */
    @AfterEach
    void restoreSize() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            stage.setWidth(formerWidth);
            stage.setHeight(formerHeight);
        }).get();
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        Path home = dataRoot.resolve(UUID.randomUUID().toString());
        Workstation context = WindowFixture.workstation(home);
        Path notes = Files.createDirectories(home.resolve("notes"));
        Files.writeString(notes.resolve("mites.md"), "Varroa mites are counted every August. Mites hide in capped brood.");
        Files.writeString(notes.resolve("swarms.md"), "Swarms leave in May. A swarm settles on a branch near the hive.");
        try (LocalStore store = context.store().create(WindowFixture.PASSPHRASE.toCharArray())) {
            for (int i = 0; i < 2; i++) { // a few consents, so the Consent screen's table and details have content
                consent(notes, i).grantIn(store);
            }
            WindowFixture.indexed(store, consent(notes, 2), notes, null);
        }
        window = WindowFixture.show(context, stage);
        formerWidth = stage.getWidth();
        formerHeight = stage.getHeight();
        stage.setX(0);
        stage.setY(0);
        stage.setWidth(1366);
        stage.setHeight(768);
    }

    private static ConsentFixture consent(Path notes, int i) {
        return ConsentFixture.consent().purpose(PURPOSE).source(notes).operations(Operation.INDEX, Operation.GENERATE)
                .notice("Notes for the assistant, consent " + i + ".");
    }

    private Scene scene(FxRobot robot) {
        return robot.lookup("#window-root").query().getScene();
    }

    @Test
    void everyControlReachedByTabLiesInsideTheVisiblePartOfItsScrollPanes(FxRobot robot) throws Exception {
        Scene scene = scene(robot);
        assertThat(scene.getWidth()).isEqualTo(1366);
        assertThat(scene.getHeight()).isEqualTo(768);
        unlock(robot);

        // a conversation longer than the Assistant's message list
        WindowFixture.open(robot, KeyCode.DIGIT1, "#assistant-view");
        AssistantViewModel vm = robot.lookup("#assistant-view").queryAs(AssistantView.class).viewModel();
        for (int i = 0; i < 6; i++) {
            String question = i % 2 == 0 ? "When are varroa mites counted?" : "Where does a swarm settle?";
            robot.interact(() -> {
                vm.questionProperty().set(question);
                vm.send();
            });
            int asked = i + 1;
            waitUntil(() -> !vm.busyProperty().get() && vm.exchanges().size() == asked);
        }
        ScrollPane conversation = robot.lookup("#assistant-conversation").queryAs(ScrollPane.class);
        assertThat(conversation.getContent().getLayoutBounds().getHeight())
                .as("the conversation is taller than its view").isGreaterThan(conversation.getViewportBounds().getHeight() * 1.5);

        List<String> outside = new ArrayList<>();
        List<String> jumped = new ArrayList<>();
        int checkedInPanes = 0;
        for (Area area : Area.values()) {
            robot.press(KeyCode.CONTROL, area.shortcut()).release(area.shortcut(), KeyCode.CONTROL);
            WaitForAsyncUtils.sleep(300, TimeUnit.MILLISECONDS); // screens load their lists in the background
            WaitForAsyncUtils.waitForFxEvents();
            if (area == Area.CONSENT) { // select a consent so its details (and their buttons) are shown
                robot.interact(() -> ((TableView<?>) scene.lookup("#consent-table")).getSelectionModel().select(0));
                WaitForAsyncUtils.waitForFxEvents();
            }
            if (area == Area.ASSISTANT) {
                robot.interact(() -> conversation.setVvalue(0)); // start at the top of the long conversation
            }
            Set<Node> visited = new HashSet<>();
            Node previous = null;
            for (int i = 0; i < 150; i++) {
                robot.type(KeyCode.TAB);
                WaitForAsyncUtils.waitForFxEvents();
                Node focused = scene.getFocusOwner();
                if (focused == null || !visited.add(focused)) {
                    break; // back at the start of the focus cycle
                }
                List<ScrollPane> panes = scrollPanesAround(focused);
                for (ScrollPane pane : panes) {
                    if (!inViewport(focused, pane)) {
                        outside.add(area.title() + ": " + describe(focused) + " outside " + describe(pane)
                                + " " + focused.localToScene(focused.getBoundsInLocal()) + " viewport " + viewport(pane));
                    }
                }
                checkedInPanes += panes.isEmpty() ? 0 : 1;
                // the least movement: if the previous control fits in the view together with this one, it stays in view
                if (previous != null && !panes.isEmpty() && scrollPanesAround(previous).contains(panes.get(0))
                        && fitTogether(previous, focused, panes.get(0)) && !inViewport(previous, panes.get(0))) {
                    jumped.add(area.title() + ": " + describe(previous) + " scrolled out of view on the way to "
                            + describe(focused));
                }
                previous = focused;
            }
            System.out.println("1366x768 " + area.title() + ": " + visited.size() + " controls reached by Tab");
        }
        assertThat(checkedInPanes).as("controls inside scroll panes were reached").isGreaterThan(20);
        assertThat(outside).as("focused controls outside the visible part of their scroll pane").isEmpty();
        assertThat(jumped).as("the view moved more than needed").isEmpty();
    }

    @Test
    void focusMovedWithoutTabIsFollowedToo(FxRobot robot) throws Exception {
        Scene scene = scene(robot);
        unlock(robot);
        robot.press(KeyCode.CONTROL, Area.SETTINGS.shortcut()).release(Area.SETTINGS.shortcut(), KeyCode.CONTROL);
        waitUntil(() -> scene.lookup("#check-results") != null && scene.lookup("#data-directory") != null);
        ScrollPane content = (ScrollPane) scene.lookup(".area-content");
        Node bottom = scene.lookup("#check-results");
        Node top = scene.lookup("#data-directory");
        // what a mnemonic, a confirmation bar or a screen's own code does: focus a control far out of view
        robot.interact(() -> content.setVvalue(content.getVmin()));
        assertThat(inViewport(bottom, content)).as("out of view before").isFalse();
        robot.interact(bottom::requestFocus);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(scene.getFocusOwner()).isSameAs(bottom);
        assertThat(inViewport(bottom, content)).as("the view followed the focus down").isTrue();

        robot.interact(() -> content.setVvalue(content.getVmax()));
        assertThat(inViewport(top, content)).as("out of view before").isFalse();
        robot.interact(top::requestFocus);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(inViewport(top, content)).as("the view followed the focus up").isTrue();
        assertThat(content.getVvalue()).as("to the top, no further").isEqualTo(content.getVmin());
    }

    /** Whether both controls (with the margins) fit in the pane's view at once. */
    private static boolean fitTogether(Node a, Node b, ScrollPane pane) {
        Bounds x = a.localToScene(a.getLayoutBounds());
        Bounds y = b.localToScene(b.getLayoutBounds());
        double height = Math.max(x.getMaxY(), y.getMaxY()) - Math.min(x.getMinY(), y.getMinY());
        return height + 4 * MARGIN <= viewport(pane).getHeight();
    }

    /** The scroll panes that {@code node} is inside (not those inside a control, such as a text area's own). */
    private static List<ScrollPane> scrollPanesAround(Node node) {
        List<ScrollPane> out = new ArrayList<>();
        for (Parent p = node.getParent(); p != null; p = p.getParent()) {
            if (p instanceof ScrollPane pane) {
                out.add(pane);
            }
        }
        return out;
    }

    /** The visible part of {@code pane}'s content, in scene coordinates (the skin's clipped viewport). */
    private static Bounds viewport(ScrollPane pane) {
        for (Node child : pane.getChildrenUnmodifiable()) {
            if (child.getStyleClass().contains("viewport")) {
                return child.localToScene(child.getLayoutBounds());
            }
        }
        throw new AssertionError("no viewport in " + pane);
    }

    /** Room the test wants between a focused control and the top or bottom edge of a pane that scrolls vertically. */
    private static final double MARGIN = 4;

    /**
     * Whether the control's own (layout) bounds lie inside the pane's viewport, with {@link #MARGIN} above and below
     * when the pane scrolls vertically (so the focus ring and a bit of context show). Horizontally the screens fit
     * the width, so the control only has to be inside.
     */
    private static boolean inViewport(Node node, ScrollPane pane) {
        Bounds b = node.localToScene(node.getLayoutBounds());
        Bounds v = viewport(pane);
        boolean scrolls = pane.getContent().getLayoutBounds().getHeight() > v.getHeight() + 0.5;
        double margin = scrolls ? Math.min(MARGIN, Math.max(0, (v.getHeight() - b.getHeight()) / 2)) : 0;
        double slack = 0.5;
        return node.isVisible() && b.getMinX() >= v.getMinX() - slack && b.getMaxX() <= v.getMaxX() + slack
                && b.getMinY() >= v.getMinY() + margin - slack && b.getMaxY() <= v.getMaxY() - margin + slack;
    }

    private static String describe(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (n.getId() != null) {
                return n.getId() + (n == node ? "" : " (in)") + " " + node.getClass().getSimpleName();
            }
        }
        return node.getClass().getSimpleName();
    }
}
