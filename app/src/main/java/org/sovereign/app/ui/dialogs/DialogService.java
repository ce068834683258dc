package org.sovereign.app.ui.dialogs;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * The one way screens talk to the person in a dialog: the owner window is always set, the main text is a plain
 * sentence, and technical details (never a stack trace) sit behind "Show details".
 */
public final class DialogService {

    private final Supplier<Window> owner;
    private final Path logFile;

    public DialogService(Supplier<Window> owner, Path logFile) {
        this.owner = owner;
        this.logFile = logFile;
    }

    /** Shows an error and returns at once. {@code plainMessage} is a full sentence for a non-expert. */
    public void showError(String heading, String plainMessage, Throwable cause) {
        Alert alert = build(Alert.AlertType.ERROR, heading, plainMessage);
        TextArea details = new TextArea(details(cause));
        details.setEditable(false);
        details.setWrapText(true);
        details.setId("error-details");
        VBox box = new VBox(6, new Label("What the workstation saw:"), details);
        alert.getDialogPane().setExpandableContent(box);
        alert.show();
    }

    public void showInformation(String heading, String message) {
        build(Alert.AlertType.INFORMATION, heading, message).show();
    }

    private Alert build(Alert.AlertType type, String heading, String message) {
        Alert alert = new Alert(type, message, ButtonType.OK);
        Window window = owner.get();
        if (window != null) {
            alert.initOwner(window);
        }
        alert.setTitle(heading);
        alert.setHeaderText(heading);
        alert.getDialogPane().setId("dialog-" + type.name().toLowerCase(Locale.ROOT));
        alert.getDialogPane().setMinWidth(460);
        return alert;
    }

    /** The chain of causes as "Type: message" lines, plus where the full log is. Package-visible for tests. */
    String details(Throwable cause) {
        StringBuilder sb = new StringBuilder();
        Set<Throwable> seen = new LinkedHashSet<>();
        for (Throwable t = cause; t != null && seen.add(t); t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append("\nbecause: ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
        }
        sb.append("\n\nThe full record is in the log file: ").append(logFile);
        return sb.toString();
    }
}
