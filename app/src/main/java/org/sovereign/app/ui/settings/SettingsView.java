package org.sovereign.app.ui.settings;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.sovereign.app.services.DoctorReport.Check;

import java.util.Locale;
import java.util.function.Function;

/** Settings screen. Lays out and binds; all behaviour is in {@link SettingsViewModel}. */
public final class SettingsView extends VBox {

    public SettingsView(SettingsViewModel viewModel) {
        setId("settings-view");
        setSpacing(16);
        setPadding(new Insets(8, 0, 8, 0));

        GridPane where = new GridPane();
        where.setHgap(12);
        where.setVgap(8);
        where.addRow(0, new Label("Data directory"), readOnly("data-directory", viewModel.dataDirectory()));
        where.addRow(1, new Label("Log file"), readOnly("log-file", viewModel.logFile()));
        where.addRow(2, new Label("Version"), readOnly("version", viewModel.version()));
        TextField fingerprint = readOnly("device-fingerprint", "");
        fingerprint.textProperty().bind(viewModel.deviceFingerprint());
        TextField logKey = readOnly("audit-log-key", "");
        logKey.textProperty().bind(viewModel.auditLogKey());
        where.addRow(3, new Label("This device"), fingerprint);
        where.addRow(4, new Label("Audit log key"), logKey);
        GridPane.setHgrow(where.getChildren().get(1), Priority.ALWAYS);

        Label checkHeading = new Label("This computer");
        checkHeading.getStyleClass().add("section-title");
        Label checkHelp = new Label("The same checks as 'sovereign doctor': what this computer offers the workstation, "
                + "and anything that needs your attention.");
        checkHelp.setWrapText(true);
        checkHelp.getStyleClass().add("muted");

        Button runCheck = new Button("Check again");
        runCheck.setId("run-check");
        runCheck.disableProperty().bind(viewModel.runningProperty());
        runCheck.setOnAction(e -> viewModel.runSystemCheck());
        Button cancel = new Button("Cancel");
        cancel.setId("cancel-check");
        cancel.setCancelButton(false);
        cancel.disableProperty().bind(viewModel.runningProperty().not());
        cancel.setOnAction(e -> viewModel.cancelSystemCheck());
        ProgressBar bar = new ProgressBar();
        bar.setId("check-progress");
        bar.progressProperty().bind(viewModel.progressProperty());
        bar.visibleProperty().bind(viewModel.runningProperty());
        Label status = new Label();
        status.setId("check-status");
        status.textProperty().bind(viewModel.statusProperty());
        status.setWrapText(true);
        HBox controls = new HBox(10, runCheck, cancel, bar);

        TableView<Check> table = new TableView<>(viewModel.checks());
        table.setId("check-results");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.setPlaceholder(new Label("No results yet."));
        table.getColumns().add(column("Verdict", 70, c -> switch (c.status()) {
            case OK -> "ok";
            case NOTE -> "note";
            case PROBLEM -> "problem";
        }));
        table.getColumns().add(column("What", 120, Check::name));
        table.getColumns().add(column("Found", 560, Check::value));
        table.getColumns().add(column("What to do", 230, Check::advice));
        table.setFixedCellSize(26);
        table.prefHeightProperty().bind(javafx.beans.binding.Bindings.max(4, javafx.beans.binding.Bindings.size(viewModel.checks()))
                .multiply(26).add(32));
        table.setFocusTraversable(true);

        getChildren().addAll(where, checkHeading, checkHelp, controls, status, table);
    }

    private static TextField readOnly(String id, String value) {
        TextField field = new TextField(value);
        field.setId(id);
        field.setEditable(false);
        field.setPrefColumnCount(48);
        return field;
    }

    private static TableColumn<Check, String> column(String title, double width, Function<Check, String> value) {
        TableColumn<Check, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setId("col-" + title.toLowerCase(Locale.ROOT).replace(' ', '-'));
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return column;
    }
}
