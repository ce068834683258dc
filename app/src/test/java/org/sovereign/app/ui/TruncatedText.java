package org.sovereign.app.ui;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextField;
import javafx.scene.text.Text;

/**
 * Finds text a person cannot read whole on a shown screen: a {@link Labeled} whose skin displays a shortened text
 * (its ellipsis), and a one-line {@link TextField} whose text is wider than the field.
 */
final class TruncatedText {

    private TruncatedText() {
    }

    /** One description per cut-off text under {@code root}, in its visible part of the tree; empty when all is whole. */
    static List<String> under(Node root) {
        root.applyCss();
        List<String> found = new ArrayList<>();
        walk(root, found);
        return found;
    }

    private static void walk(Node node, List<String> found) {
        if (!node.isVisible()) {
            return;
        }
        if (node instanceof Labeled labeled) {
            check(labeled, found);
        } else if (node instanceof TextField field) {
            check(field, found);
        }
        if (node instanceof Parent parent) {
            for (Node child : parent.getChildrenUnmodifiable()) {
                walk(child, found);
            }
        }
    }

    private static void check(Labeled labeled, List<String> found) {
        String full = labeled.getText();
        if (full == null || full.isEmpty()) {
            return;
        }
        String expected = labeled.isMnemonicParsing() ? full.replaceFirst("_(?=.)", "") : full;
        // the skin's LabeledText is the child Text that shows the (possibly clipped) string
        String shown = labeled.getChildrenUnmodifiable().stream().filter(n -> n instanceof Text)
                .map(n -> ((Text) n).getText()).findFirst().orElse("");
        if (!shown.equals(expected)) {
            found.add(labeled.getClass().getSimpleName() + (labeled.getId() == null ? "" : " #" + labeled.getId())
                    + " shows \"" + shown + "\" instead of \"" + expected + "\"");
        }
    }

    private static void check(TextField field, List<String> found) {
        String text = field.getText();
        if (text == null || text.isEmpty()) {
            return;
        }
        Text probe = new Text(text);
        probe.setFont(field.getFont());
        double needed = probe.getLayoutBounds().getWidth();
        double room = field.getWidth() - field.snappedLeftInset() - field.snappedRightInset();
        if (needed > room + 0.5) {
            found.add("TextField" + (field.getId() == null ? "" : " #" + field.getId()) + " is " + Math.round(room)
                    + " px wide for text " + Math.round(needed) + " px wide: \"" + text + "\"");
        }
    }
}
