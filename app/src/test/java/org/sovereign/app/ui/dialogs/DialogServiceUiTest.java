package org.sovereign.app.ui.dialogs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import javafx.scene.Scene;
import javafx.scene.control.DialogPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import javafx.stage.Window;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class DialogServiceUiTest {

    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(), 400, 300));
        stage.show();
    }

    @Test
    void anErrorDialogIsOwnedByTheWindowAndKeepsDetailsBehindAToggle(FxRobot robot) {
        DialogService dialogs = new DialogService(() -> stage, Path.of("/logs/sovereign.log"));

        robot.interact(() -> dialogs.showError("Import", "The pack could not be imported because a file was changed.",
                new SecurityException("model.onnx: digest mismatch")));

        DialogPane pane = robot.lookup("#dialog-error").queryAs(DialogPane.class);
        Window dialogWindow = pane.getScene().getWindow();
        assertThat(((Stage) dialogWindow).getOwner()).isSameAs(stage);
        assertThat(pane.getContentText()).isEqualTo("The pack could not be imported because a file was changed.");
        assertThat(pane.isExpanded()).isFalse();
        TextArea details = (TextArea) pane.getExpandableContent().lookup("#error-details");
        assertThat(details.getText()).startsWith("SecurityException: model.onnx: digest mismatch");

        robot.interact(() -> ((Stage) dialogWindow).close());
    }
}
