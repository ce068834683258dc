package org.sovereign.app.ui.controls;

import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.MouseEvent;

/**
 * Makes a {@link ScrollPane} follow the keyboard focus: when focus moves to a node inside the pane's content (by Tab,
 * a mnemonic or {@code requestFocus}), the pane scrolls the least it can so that the node, plus a small margin, is
 * fully in view. (JavaFX's own scroll pane only reacts to Tab, and then jumps the node to the far edge.) Focus given
 * by a mouse press inside the pane is left alone: the pressed control is in view, and must stay under the pointer. A node taller or wider than the view is aligned
 * by its top or left edge. Nested panes that follow focus are scrolled innermost first, so the outer pane sees where
 * the node ended up. Install once per pane; FX thread only.
 */
public final class ScrollFollowsFocus {

    /** Room kept between the focused node and the edge of the view, in pixels (the focus ring is drawn outside). */
    public static final double MARGIN = 8;
    private static final String INSTALLED = ScrollFollowsFocus.class.getName();

    private ScrollFollowsFocus() {
    }

    /** Makes {@code pane} follow the focus from now on (wherever it is shown); returns it. Installing twice is harmless. */
    public static ScrollPane install(ScrollPane pane) {
        if (pane.getProperties().containsKey(INSTALLED)) {
            return pane;
        }
        pane.getProperties().put(INSTALLED, Boolean.TRUE);
        // A control focused by a mouse press is where the pointer is, so in view already; scrolling then would move
        // it from under the pointer and the release would miss it (the click would be lost).
        boolean[] mouseDown = {false};
        pane.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> mouseDown[0] = true);
        pane.addEventFilter(MouseEvent.MOUSE_RELEASED, e -> mouseDown[0] = false); // before the control acts on it
        ChangeListener<Node> follow = (o, old, focused) -> {
            if (focused != null && !mouseDown[0] && isInside(focused, pane.getContent())) {
                reveal(focused);
                // a control shown and focused in one go (a confirmation bar) has its final place after the next layout
                Platform.runLater(() -> {
                    if (focused.isFocused() && !mouseDown[0] && isInside(focused, pane.getContent())) {
                        pane.layout();
                        reveal(focused);
                    }
                });
            }
        };
        pane.sceneProperty().addListener((o, old, scene) -> {
            if (old != null) {
                old.focusOwnerProperty().removeListener(follow);
            }
            if (scene != null) {
                scene.focusOwnerProperty().addListener(follow);
            }
        });
        Scene scene = pane.getScene();
        if (scene != null) {
            scene.focusOwnerProperty().addListener(follow);
        }
        return pane;
    }

    /** Scrolls every focus-following pane around {@code node}, innermost first, so that it is in view. */
    static void reveal(Node node) {
        for (Parent p = node.getParent(); p != null; p = p.getParent()) {
            if (p instanceof ScrollPane pane && pane.getProperties().containsKey(INSTALLED)
                    && isInside(node, pane.getContent())) {
                scrollTo(pane, node);
            }
        }
    }

    private static boolean isInside(Node node, Node content) {
        if (content == null) {
            return false;
        }
        for (Node n = node; n != null; n = n.getParent()) {
            if (n == content) {
                return true;
            }
        }
        return false;
    }

    /** Sets the pane's scroll values so that {@code node} (plus the margin) lies in the viewport, moving the least. */
    static void scrollTo(ScrollPane pane, Node node) {
        Node content = pane.getContent();
        Bounds viewport = pane.getViewportBounds();
        Bounds contentBounds = content.getLayoutBounds();
        Bounds target = content.sceneToLocal(node.localToScene(node.getBoundsInLocal()));
        if (target == null || viewport.getWidth() <= 0 || viewport.getHeight() <= 0) {
            return;
        }
        double extraHeight = contentBounds.getHeight() - viewport.getHeight();
        if (extraHeight > 0) {
            double top = offset(pane.getVvalue(), pane.getVmin(), pane.getVmax(), extraHeight);
            double wanted = least(top, viewport.getHeight(), target.getMinY() - contentBounds.getMinY(),
                    target.getMaxY() - contentBounds.getMinY(), extraHeight);
            if (wanted != top) {
                pane.setVvalue(pane.getVmin() + wanted / extraHeight * (pane.getVmax() - pane.getVmin()));
            }
        }
        double extraWidth = contentBounds.getWidth() - viewport.getWidth();
        if (extraWidth > 0) {
            double left = offset(pane.getHvalue(), pane.getHmin(), pane.getHmax(), extraWidth);
            double wanted = least(left, viewport.getWidth(), target.getMinX() - contentBounds.getMinX(),
                    target.getMaxX() - contentBounds.getMinX(), extraWidth);
            if (wanted != left) {
                pane.setHvalue(pane.getHmin() + wanted / extraWidth * (pane.getHmax() - pane.getHmin()));
            }
        }
    }

    /** The content offset (in pixels, 0..extra) that a scroll value stands for. */
    private static double offset(double value, double min, double max, double extra) {
        return max > min ? (value - min) / (max - min) * extra : 0;
    }

    /**
     * The view's new start along one axis: unchanged if [from, to] (plus margin) is in [start, start + size], else
     * moved just enough (to {@code from} if the node does not fit), kept within 0..extra.
     */
    private static double least(double start, double size, double from, double to, double extra) {
        double lo = from - MARGIN;
        double hi = to + MARGIN;
        double wanted = start;
        if (hi - lo > size || lo < start) {
            wanted = lo;
        } else if (hi > start + size) {
            wanted = hi - size;
        }
        return Math.max(0, Math.min(extra, wanted));
    }
}
