package org.sovereign.app.ui;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.shell.MainWindow;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first-run screens (create the vault, then the built-in search model step) with the keyboard only, in the real
 * window (headless on Monocle) at the smallest window size the workstation allows (900x600): every control Tab
 * reaches lies inside the window (and inside the visible part of any scroll pane around it). These screens have no
 * scroll pane: they fit, and this test keeps it so (at 1366x768 they fit a fortiori).
 */
@ExtendWith(ApplicationExtension.class)
class FirstRunScrollUiTest {

    @TempDir
    Path home;
    private Stage stage;
    private double formerWidth;
    private double formerHeight;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        WindowFixture.show(WindowFixture.workstation(home), stage);
        formerWidth = stage.getWidth();
        formerHeight = stage.getHeight();
    }

    /** The stage is shared with the test classes that run after this one: give it back at its former size. */
    @AfterEach
    void restoreSize() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            stage.setWidth(formerWidth);
            stage.setHeight(formerHeight);
        }).get();
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void size(FxRobot robot, double width, double height) {
        robot.interact(() -> {
            stage.setX(0);
            stage.setY(0);
            stage.setWidth(width);
            stage.setHeight(height);
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void atTheSmallestWindowTheFirstRunControlsReachedByTabAreInView(FxRobot robot) throws Exception {
        walkBothSteps(robot, MainWindow.MIN_WIDTH, MainWindow.MIN_HEIGHT);
    }

    private void walkBothSteps(FxRobot robot, double width, double height) throws Exception {
        size(robot, width, height);
        Scene scene = robot.lookup("#new-passphrase").query().getScene();
        assertThat(scene.getHeight()).isEqualTo(height);
        List<String> outside = new ArrayList<>();
        int reached = walk(robot, scene, "create", outside);

        robot.clickOn("#new-passphrase").write("short but now much longer words");
        robot.clickOn("#confirm-passphrase").write("short but now much longer words");
        robot.clickOn("#create-vault");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#default-pack-step").tryQuery().isPresent());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#pack-continue").query().isVisible());
        reached += walk(robot, scene, "search model step", outside);

        assertThat(reached).isGreaterThanOrEqualTo(4); // passphrase, confirmation, show/hide or create, continue
        assertThat(outside).as("focused controls out of view at %sx%s", width, height).isEmpty();
    }

    private static int walk(FxRobot robot, Scene scene, String step, List<String> outside) {
        Set<Node> visited = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            robot.type(KeyCode.TAB);
            WaitForAsyncUtils.waitForFxEvents();
            Node focused = scene.getFocusOwner();
            if (focused == null || !visited.add(focused)) {
                break;
            }
            Bounds b = focused.localToScene(focused.getLayoutBounds());
            boolean inWindow = b.getMinX() >= -0.5 && b.getMinY() >= -0.5 && b.getMaxX() <= scene.getWidth() + 0.5
                    && b.getMaxY() <= scene.getHeight() + 0.5;
            boolean inPanes = true;
            for (Parent p = focused.getParent(); p != null; p = p.getParent()) {
                if (p instanceof ScrollPane pane) {
                    Bounds v = viewport(pane);
                    inPanes &= b.getMinY() >= v.getMinY() - 0.5 && b.getMaxY() <= v.getMaxY() + 0.5
                            && b.getMinX() >= v.getMinX() - 0.5 && b.getMaxX() <= v.getMaxX() + 0.5;
                }
            }
            if (!inWindow || !inPanes) {
                outside.add(step + ": " + focused.getId() + " " + focused.getClass().getSimpleName() + " at " + b);
            }
        }
        System.out.println("first run, " + step + ": " + visited.size() + " controls reached by Tab");
        return visited.size();
    }

    private static Bounds viewport(ScrollPane pane) {
        for (Node child : pane.getChildrenUnmodifiable()) {
            if (child.getStyleClass().contains("viewport")) {
                return child.localToScene(child.getLayoutBounds());
            }
        }
        throw new AssertionError("no viewport in " + pane);
    }
}
