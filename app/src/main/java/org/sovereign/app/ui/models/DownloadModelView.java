package org.sovereign.app.ui.models;

import org.sovereign.app.ui.models.DownloadModelViewModel.Stage;
import org.sovereign.packs.importer.ModelVariant;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * The content of the "Download a model" dialog (layout and bindings only; behaviour in
 * {@link DownloadModelViewModel}): the repository field, its variants, the consent notice when one is needed, progress.
 */
public final class DownloadModelView extends VBox {

    /**
     * Opens the dialog over {@code owner} (not modal: a long download may run while the person uses other screens;
     * closing the window cancels a running download, keeping what arrived).
     */
    public static javafx.stage.Stage open(Window owner, DownloadModelViewModel vm) {
        javafx.stage.Stage stage = new javafx.stage.Stage();
        stage.initOwner(owner);
        stage.setTitle("Download a model");
        stage.setScene(new Scene(new DownloadModelView(vm)));
        if (owner != null && owner.getScene() != null) {
            stage.getScene().getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        stage.setOnHidden(e -> vm.cancel());
        stage.show();
        return stage;
    }

    public DownloadModelView(DownloadModelViewModel vm) {
        super(10);
        setPadding(new Insets(14));
        setPrefWidth(620);

        Label intro = new Label("Download a model from the Hugging Face Hub (optional; the only place the workstation "
                + "goes online). Name an ONNX repository, for example onnx-community/Qwen2.5-0.5B-Instruct.");
        intro.setWrapText(true);

        TextField repo = new TextField();
        repo.setId("download-repo");
        repo.setPromptText("owner/name");
        repo.textProperty().bindBidirectional(vm.repoProperty());
        Button look = new Button("_Look up");
        look.setId("download-look");
        look.disableProperty().bind(vm.busyProperty().or(vm.repoProperty().isEmpty()));
        look.setOnAction(e -> vm.look());
        repo.setOnAction(e -> vm.look());
        HBox repoRow = new HBox(8, repo, look);
        repo.setPrefColumnCount(36);

        ListView<ModelVariant> variants = new ListView<>(vm.variants());
        variants.setId("download-variants");
        variants.setPrefHeight(150);
        variants.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(ModelVariant v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : v.key() + "  " + v.fileName() + "  " + ModelVariant.bytes(v.sizeBytes())
                        + ", needs about " + ModelVariant.memory(v.ramEstimateBytes()) + " of memory");
            }
        });
        vm.chosenProperty().addListener((o, was, now) -> variants.getSelectionModel().select(now));
        variants.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null) {
                vm.chosenProperty().set(now);
            }
        });
        BooleanBinding choosing = vm.stageProperty().isEqualTo(Stage.CHOOSING);
        variants.visibleProperty().bind(choosing);
        variants.managedProperty().bind(choosing);
        Label reason = new Label();
        reason.setWrapText(true);
        reason.textProperty().bind(vm.defaultReasonProperty());
        reason.visibleProperty().bind(choosing);
        reason.managedProperty().bind(choosing);

        Label notice = new Label();
        notice.setId("download-consent-notice");
        notice.setWrapText(true);
        notice.textProperty().bind(Bindings.concat("To continue, this consent is needed:\n", vm.consentNoticeProperty()));
        BooleanBinding consent = vm.stageProperty().isEqualTo(Stage.CONSENT);
        notice.visibleProperty().bind(consent);
        notice.managedProperty().bind(consent);
        Button allow = new Button("_Allow");
        allow.setId("download-allow");
        allow.setOnAction(e -> vm.allow());
        allow.visibleProperty().bind(consent);
        allow.managedProperty().bind(consent);

        ProgressBar bar = new ProgressBar();
        bar.progressProperty().bind(vm.progressProperty());
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.visibleProperty().bind(vm.busyProperty());
        bar.managedProperty().bind(vm.busyProperty());
        Label progressText = new Label();
        progressText.textProperty().bind(vm.progressTextProperty());
        progressText.visibleProperty().bind(vm.busyProperty());
        progressText.managedProperty().bind(vm.busyProperty());

        Button download = new Button("_Download");
        download.setId("download-start");
        download.setDefaultButton(true);
        download.disableProperty().bind(vm.busyProperty().or(choosing.not()));
        download.setOnAction(e -> vm.download());
        Button cancel = new Button("_Cancel");
        cancel.disableProperty().bind(vm.busyProperty().not());
        cancel.setOnAction(e -> vm.cancel());

        Label message = new Label();
        message.setId("download-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());

        getChildren().addAll(intro, repoRow, variants, reason, notice, allow, bar, progressText,
                new HBox(8, download, cancel), message);
    }
}
