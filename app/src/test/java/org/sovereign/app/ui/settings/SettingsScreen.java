package org.sovereign.app.ui.settings;

import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.KeyCode;

/** What the Settings window tests do on the screen, as a person would: scroll to a control, type, click, read. */
final class SettingsScreen {

    private SettingsScreen() {
    }

    /** Scrolls the area so {@code id} is on screen, as a person scrolls to it. */
    static Node reveal(FxRobot robot, String id) {
        Node node = robot.lookup(id).query();
        robot.interact(() -> {
            ScrollPane pane = robot.lookup(".area-content").queryAs(ScrollPane.class);
            Node content = pane.getContent();
            Bounds b = content.sceneToLocal(node.localToScene(node.getBoundsInLocal()));
            double room = content.getBoundsInLocal().getHeight() - pane.getViewportBounds().getHeight();
            if (room > 0) {
                pane.setVvalue(Math.max(0, Math.min(1, (b.getMinY() - 20) / room)));
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
        return node;
    }

    /** Replaces the text of the field {@code id} by typing, as a person would (select all, type). */
    static void type(FxRobot robot, String id, String text) {
        reveal(robot, id);
        robot.clickOn(id).press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
        if (text.isEmpty()) {
            robot.type(KeyCode.BACK_SPACE);
        } else {
            robot.write(text);
        }
    }

    static void click(FxRobot robot, String id) {
        reveal(robot, id);
        robot.clickOn(id);
    }

    static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }
}
