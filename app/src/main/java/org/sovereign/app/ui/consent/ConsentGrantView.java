package org.sovereign.app.ui.consent;

import org.sovereign.app.ui.controls.TermsGrid;
import org.sovereign.store.consent.Operation;

import java.io.File;
import java.nio.file.Path;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;

/** The "Give consent" form. Lays out and binds; behaviour is in {@link ConsentGrantViewModel}. */
final class ConsentGrantView extends VBox {

    ConsentGrantView(ConsentGrantViewModel vm) {
        setId("consent-grant-form");
        setSpacing(8);
        getStyleClass().add("details-pane");

        Label heading = new Label("Give consent");
        heading.getStyleClass().add("section-title");

        TextField purpose = new TextField();
        purpose.setId("grant-purpose");
        purpose.setPromptText("e.g. private assistant");
        purpose.textProperty().bindBidirectional(vm.purposeProperty());

        FlowPane ops = new FlowPane(14, 4);
        for (Operation op : Operation.values()) {
            CheckBox box = new CheckBox(describe(op));
            box.setId("grant-op-" + op.jsonName());
            box.selectedProperty().bindBidirectional(vm.operationProperty(op));
            if (op == Operation.SHARE && !vm.shareAvailable()) {
                box.setDisable(true);
            }
            ops.getChildren().add(box);
        }
        Label shareNote = new Label(ConsentGrantViewModel.SHARE_UNAVAILABLE);
        shareNote.setId("grant-share-note");
        shareNote.getStyleClass().add("muted");
        shareNote.setWrapText(true);
        shareNote.setMinHeight(Region.USE_PREF_SIZE);
        shareNote.setVisible(!vm.shareAvailable());
        shareNote.setManaged(!vm.shareAvailable());
        VBox opsBox = new VBox(4, ops, shareNote);

        ListView<Path> sources = new ListView<>(vm.sources());
        sources.setId("grant-sources");
        sources.setPrefHeight(56);
        sources.setPlaceholder(new Label("No folder or file yet."));
        Button addFolder = new Button("Add _folder...");
        addFolder.setId("grant-add-folder");
        addFolder.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("A folder this consent covers");
            File dir = chooser.showDialog(getScene().getWindow());
            if (dir != null) {
                vm.addSource(dir.toPath());
            }
        });
        Button addFile = new Button("Add f_ile...");
        addFile.setId("grant-add-file");
        addFile.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("A file this consent covers");
            File file = chooser.showOpenDialog(getScene().getWindow());
            if (file != null) {
                vm.addSource(file.toPath());
            }
        });
        Button remove = new Button("Remove");
        remove.setId("grant-remove-source");
        remove.disableProperty().bind(sources.getSelectionModel().selectedItemProperty().isNull());
        remove.setOnAction(e -> vm.removeSource(sources.getSelectionModel().getSelectedItem()));
        HBox.setHgrow(sources, Priority.ALWAYS);
        HBox sourceRow = new HBox(8, sources, new VBox(4, addFolder, addFile, remove));

        TextField days = new TextField();
        days.setId("grant-days");
        days.setPrefColumnCount(5);
        days.textProperty().bindBidirectional(vm.validDaysProperty());
        HBox daysRow = new HBox(6, days, new Label("days from now"));
        daysRow.setAlignment(Pos.CENTER_LEFT);

        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(6);
        grid.addRow(0, label("_Purpose", purpose), purpose);
        grid.addRow(1, new Label("It may"), opsBox);
        grid.addRow(2, new Label("Covering"), sourceRow);
        grid.addRow(3, label("Valid f_or", days), daysRow);
        GridPane.setHgrow(purpose, Priority.ALWAYS);
        TermsGrid.labelColumnKeepsItsWords(grid);

        Label noticeHeading = new Label("The notice you agree to, exactly as it will be signed:");
        TextArea notice = new TextArea();
        notice.setId("grant-notice");
        notice.setEditable(false);
        notice.setWrapText(true);
        notice.setPrefRowCount(3);
        notice.textProperty().bind(vm.noticeProperty());
        Label problem = new Label();
        problem.setId("grant-problem");
        problem.getStyleClass().add("error-text");
        problem.setWrapText(true);
        problem.textProperty().bind(vm.shownProblemProperty());

        Button give = new Button("_Give consent");
        give.setId("grant-give");
        give.disableProperty().bind(vm.canGiveProperty().not());
        give.setOnAction(e -> vm.give());
        Button cancel = new Button("Cancel");
        cancel.setId("grant-cancel");
        cancel.setOnAction(e -> vm.closeForm());
        HBox buttons = new HBox(10, give, cancel);

        getChildren().addAll(heading, grid, noticeHeading, notice, problem, buttons);
        visibleProperty().bind(vm.openProperty());
        managedProperty().bind(visibleProperty());
        visibleProperty().addListener((o, was, is) -> {
            if (is) {
                purpose.requestFocus();
            }
        });
    }

    private static Label label(String text, Node target) {
        Label label = new Label(text);
        label.setMnemonicParsing(true);
        label.setLabelFor(target);
        return label;
    }

    private static String describe(Operation op) {
        return switch (op) {
            case INDEX -> "index (store their text in the vault)";
            case EMBED -> "embed (compute search vectors)";
            case GENERATE -> "generate (use them in answers)";
            case SHARE -> "share (send derived data to mesh peers)";
        };
    }
}
