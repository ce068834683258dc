package org.sovereign.app.ui.vault;

import org.sovereign.app.ui.vault.DefaultPackStepViewModel.Phase;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** First run, after the vault: the built-in search model is installed. Lays out and binds only. */
public final class DefaultPackStepView extends VBox {

    public DefaultPackStepView(DefaultPackStepViewModel vm) {
        setId("default-pack-step");
        getStyleClass().add("vault-gate");
        setSpacing(12);
        setAlignment(Pos.CENTER_LEFT);
        setMaxWidth(520);
        setMaxHeight(USE_PREF_SIZE);

        Label title = new Label("Your vault is ready. One more step.");
        title.getStyleClass().add("area-title");
        Label explain = VaultCreateView.wrapped(vm.explanation());
        explain.setId("pack-explanation");

        ProgressBar bar = new ProgressBar(0);
        bar.setId("pack-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(vm.progressProperty());
        Label status = VaultCreateView.wrapped("");
        status.setId("pack-status");
        status.textProperty().bind(vm.statusProperty());
        Label error = VaultCreateView.wrapped("");
        error.setId("pack-error");
        error.getStyleClass().add("error-text");
        error.textProperty().bind(vm.errorProperty());
        error.managedProperty().bind(vm.errorProperty().isNotEmpty());

        Button skip = new Button("Stop");
        skip.setId("pack-cancel");
        skip.setTooltip(new Tooltip("Stop installing; you can continue without the search model"));
        skip.setOnAction(e -> vm.cancel());
        skip.visibleProperty().bind(vm.runningProperty());
        skip.managedProperty().bind(skip.visibleProperty());
        Button retry = new Button("Try again");
        retry.setId("pack-retry");
        retry.setOnAction(e -> vm.install());
        retry.visibleProperty().bind(vm.phaseProperty().isEqualTo(Phase.NOT_INSTALLED));
        retry.managedProperty().bind(retry.visibleProperty());
        Button withoutIt = new Button("Continue without it");
        withoutIt.setId("pack-skip");
        withoutIt.setTooltip(new Tooltip("Open the workstation; search then uses keywords only"));
        withoutIt.setOnAction(e -> vm.continueToWorkstation());
        withoutIt.visibleProperty().bind(retry.visibleProperty());
        withoutIt.managedProperty().bind(withoutIt.visibleProperty());
        Button go = new Button("Continue");
        go.setId("pack-continue");
        go.setDefaultButton(true);
        go.setOnAction(e -> vm.continueToWorkstation());
        go.visibleProperty().bind(vm.phaseProperty().isEqualTo(Phase.INSTALLED));
        go.managedProperty().bind(go.visibleProperty());

        getChildren().addAll(title, explain, bar, status, error, new HBox(10, go, skip, retry, withoutIt));
        vm.phaseProperty().addListener((o, old, now) -> {
            if (now == Phase.INSTALLED) {
                go.requestFocus();
            } else if (now == Phase.NOT_INSTALLED) {
                retry.requestFocus();
            }
        });
    }
}
