package org.sovereign.app.ui.audit;

import org.sovereign.app.ui.audit.AuditViewModel.Row;

import java.io.File;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.Side;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/** Audit screen. Lays out and binds; all behaviour is in {@link AuditViewModel}. */
public final class AuditView extends VBox {

    private final AuditViewModel viewModel;

    public AuditView(AuditViewModel viewModel) {
        this.viewModel = viewModel;
        setId("audit-view");
        setSpacing(10);
        setPadding(new Insets(4, 0, 8, 0));

        Label hint = new Label("Every entry names what happened and refers to things by id; none holds your content. "
                + "Verifying re-reads the vault file and checks every entry against the checkpoints this device signed.");
        hint.setWrapText(true);
        hint.getStyleClass().add("muted");

        Button verify = new Button("_Verify log");
        verify.setId("audit-verify");
        verify.disableProperty().bind(viewModel.verifyingProperty());
        verify.setOnAction(e -> viewModel.verify());
        ProgressIndicator progress = new ProgressIndicator();
        progress.setId("audit-verify-progress");
        progress.setPrefSize(22, 22);
        progress.progressProperty().bind(viewModel.verifyProgressProperty());
        progress.visibleProperty().bind(viewModel.verifyingProperty());
        progress.managedProperty().bind(progress.visibleProperty());
        Label result = new Label();
        result.setId("audit-verify-result");
        result.setWrapText(true);
        result.textProperty().bind(viewModel.verifyResultProperty());
        viewModel.verifyHoldsProperty().addListener((o, old, holds) -> {
            result.getStyleClass().removeAll("verify-holds", "verify-fails");
            if (holds != null) {
                result.getStyleClass().add(holds ? "verify-holds" : "verify-fails");
            }
        });
        HBox.setHgrow(result, Priority.ALWAYS);
        HBox verifyRow = new HBox(10, verify, progress, result);
        verifyRow.setAlignment(Pos.CENTER_LEFT);

        ListView<String> problems = new ListView<>(viewModel.problems());
        problems.setId("audit-problems");
        problems.setPrefHeight(70);
        problems.visibleProperty().bind(Bindings.isNotEmpty(viewModel.problems()));
        problems.managedProperty().bind(problems.visibleProperty());

        CategoryAxis days = new CategoryAxis();
        days.setLabel("Day");
        days.setAnimated(false);
        NumberAxis count = new NumberAxis();
        count.setLabel("Entries");
        count.setMinorTickVisible(false);
        count.setAnimated(false);
        StackedBarChart<String, Number> chart = new StackedBarChart<>(days, count, viewModel.perDay());
        chart.setId("audit-chart");
        chart.setTitle("Entries per day, by type (the latest 30 days with entries)");
        chart.setAnimated(false);
        chart.setPrefHeight(190);
        chart.setMinHeight(180);
        chart.setLegendSide(Side.RIGHT);
        chart.setFocusTraversable(false);

        ComboBox<String> type = new ComboBox<>(viewModel.types());
        type.setId("audit-type-filter");
        type.valueProperty().bindBidirectional(viewModel.typeFilterProperty());
        TextField text = new TextField();
        text.setId("audit-text-filter");
        text.setPromptText("Filter by id, actor or reference");
        text.setPrefColumnCount(26);
        text.textProperty().bindBidirectional(viewModel.textFilterProperty());
        Label typeLabel = new Label("_Type");
        typeLabel.setMnemonicParsing(true);
        typeLabel.setLabelFor(type);
        Label textLabel = new Label("_Search");
        textLabel.setMnemonicParsing(true);
        textLabel.setLabelFor(text);
        Label summary = new Label();
        summary.setId("audit-summary");
        summary.getStyleClass().add("muted");
        summary.textProperty().bind(viewModel.summaryProperty());
        Button refresh = new Button("_Refresh");
        refresh.setId("audit-refresh");
        refresh.setOnAction(e -> viewModel.refresh());
        HBox filterRow = new HBox(8, typeLabel, type, textLabel, text, refresh, summary);
        filterRow.setAlignment(Pos.CENTER_LEFT);

        TableView<Row> table = new TableView<>(viewModel.shownEntries());
        table.setId("audit-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.setPlaceholder(new Label("No entries match."));
        table.getColumns().add(column("Seq", 50, r -> Long.toString(r.sequence())));
        table.getColumns().add(column("Time", 150, Row::time));
        table.getColumns().add(column("Type", 160, Row::type));
        table.getColumns().add(column("Actor", 130, Row::actor));
        table.getColumns().add(column("Refs", 440, Row::refs));
        table.setPrefHeight(220);
        Label selectedEntry = new Label();
        selectedEntry.setId("audit-selected-entry");
        selectedEntry.setWrapText(true);
        selectedEntry.getStyleClass().add("muted");
        selectedEntry.textProperty().bind(viewModel.selectedDetailProperty());
        selectedEntry.managedProperty().bind(selectedEntry.textProperty().isNotEmpty());
        table.getSelectionModel().selectedItemProperty().addListener((o, old, row) -> viewModel.selectedProperty().set(row));
        viewModel.selectedProperty().addListener((o, old, row) -> {
            if (row != table.getSelectionModel().getSelectedItem()) {
                table.getSelectionModel().select(row);
            }
        });

        Button export = new Button("Export _proof...");
        export.setId("audit-export-proof");
        export.disableProperty().bind(viewModel.canExportProofProperty().not());
        export.setOnAction(e -> chooseProofTarget());
        Label keyLabel = new Label("Key for auditors (--key)");
        TextField key = new TextField();
        key.setId("audit-log-key");
        key.setEditable(false);
        key.textProperty().bind(viewModel.logKeyProperty());
        HBox.setHgrow(key, Priority.ALWAYS);
        Button copy = new Button("_Copy key");
        copy.setId("audit-copy-key");
        copy.disableProperty().bind(viewModel.logKeyProperty().isEmpty());
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(viewModel.logKeyProperty().get());
            Clipboard.getSystemClipboard().setContent(content);
        });
        HBox proofRow = new HBox(10, export, keyLabel, key, copy);
        proofRow.setAlignment(Pos.CENTER_LEFT);
        Label proofMessage = new Label();
        proofMessage.setId("audit-proof-message");
        proofMessage.setWrapText(true);
        proofMessage.textProperty().bind(viewModel.proofMessageProperty());
        proofMessage.managedProperty().bind(proofMessage.textProperty().isNotEmpty());

        getChildren().addAll(hint, verifyRow, problems, chart, filterRow, table, selectedEntry, proofRow, proofMessage);
        sceneProperty().addListener((o, old, scene) -> {
            if (scene != null) {
                viewModel.refresh(); // each time the screen is shown, including after unlocking again
            }
        });
    }

    private void chooseProofTarget() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export a proof of this audit entry");
        chooser.setInitialFileName(viewModel.suggestedProofName());
        File file = chooser.showSaveDialog(getScene().getWindow());
        if (file != null) {
            viewModel.exportProof(file.toPath());
        }
    }

    /** The view-model behind this screen (tests drive file actions through it, since file choosers are native). */
    public AuditViewModel viewModel() {
        return viewModel;
    }

    private static TableColumn<Row, String> column(String title, double width, Function<Row, String> value) {
        TableColumn<Row, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setId("audit-col-" + title.toLowerCase(Locale.ROOT));
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return column;
    }
}
