package org.sovereign.app.ui.settings;

import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;
import org.sovereign.app.ui.vault.PassphraseStrength;
import org.sovereign.core.services.DoctorReport.Check;

import java.util.Locale;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.StringProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

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
        Button copyDir = new Button("Copy");
        copyDir.setId("copy-data-directory");
        copyDir.setTooltip(new Tooltip("Copy the data directory's path, to open it in your file manager"));
        copyDir.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(viewModel.dataDirectory());
            Clipboard.getSystemClipboard().setContent(content);
        });
        where.add(copyDir, 2, 0);

        Label checkHeading = new Label("This computer");
        checkHeading.getStyleClass().add("section-title");
        Label checkHelp = new Label("What this computer offers the workstation, "
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
        TableColumn<Check, String> what = column("What", 140, Check::name);
        what.setMinWidth(140); // "Operating system" whole, even in the smallest window
        table.getColumns().add(what);
        table.getColumns().add(column("Found", 560, Check::value));
        table.getColumns().add(column("What to do", 230, Check::advice));
        table.setFixedCellSize(26);
        table.prefHeightProperty().bind(Bindings.max(4, Bindings.size(viewModel.checks()))
                .multiply(26).add(32));
        table.setFocusTraversable(true);

        getChildren().addAll(where, preferences(viewModel.preferences()), passphrase(viewModel.passphraseChange()),
                checkHeading, checkHelp, controls, status, table, new LocalApiPane(viewModel.localApi()),
                networkUse(viewModel.networkUse()));
    }

    private static VBox networkUse(NetworkUse vm) {
        Label heading = new Label("Network use");
        heading.getStyleClass().add("section-title");
        Label help = new Label(NetworkUse.EXPLANATION);
        help.setWrapText(true);
        help.getStyleClass().add("muted");
        Label summary = new Label();
        summary.setId("network-use-summary");
        summary.setWrapText(true);
        summary.textProperty().bind(vm.summaryProperty());
        Button refresh = new Button("Read again");
        refresh.setId("network-use-refresh");
        refresh.setOnAction(e -> vm.refresh());
        TableView<NetworkUse.Row> table = new TableView<>(vm.rows());
        table.setId("network-use");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.setPlaceholder(new Label("No network connection was ever made."));
        table.getColumns().add(rowColumn("When", 170, NetworkUse.Row::when));
        table.getColumns().add(rowColumn("Direction", 80, NetworkUse.Row::direction));
        table.getColumns().add(rowColumn("Purpose", 90, NetworkUse.Row::purpose));
        table.getColumns().add(rowColumn("Where", 200, NetworkUse.Row::destination));
        table.getColumns().add(rowColumn("Bytes", 170, NetworkUse.Row::bytes));
        table.getColumns().add(rowColumn("Allowed by", 220, NetworkUse.Row::basis));
        table.setFixedCellSize(26);
        table.prefHeightProperty().bind(Bindings.min(12, Bindings.max(3, Bindings.size(vm.rows()))).multiply(26).add(32));
        return new VBox(8, heading, help, row(summary, refresh), table);
    }

    private static TableColumn<NetworkUse.Row, String> rowColumn(String title, double width,
                                                                Function<NetworkUse.Row, String> value) {
        TableColumn<NetworkUse.Row, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setId("network-col-" + title.toLowerCase(Locale.ROOT).replace(' ', '-'));
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return column;
    }

    private static VBox preferences(Preferences vm) {
        Label heading = new Label("Preferences");
        heading.getStyleClass().add("section-title");
        ValidationSupport validation = new ValidationSupport();

        CheckBox autoLock = new CheckBox("Lock the vault after");
        autoLock.setId("auto-lock-enabled");
        autoLock.selectedProperty().bindBidirectional(vm.autoLockProperty());
        TextField minutes = number("auto-lock-minutes", vm.autoLockMinutesProperty(), "15");
        minutes.disableProperty().bind(autoLock.selectedProperty().not());
        validation.registerValidator(minutes, false, (Control c, String v) -> ValidationResult.fromErrorIf(c,
                Preferences.autoLockProblem(autoLock.isSelected(), v), !Preferences.autoLockProblem(autoLock.isSelected(), v).isEmpty()));
        HBox lockRow = row(autoLock, minutes, new Label("minutes without keyboard or mouse input (untick: never)"));
        Tooltip.install(lockRow, new Tooltip("Locking wipes the keys from memory, as Ctrl+L does. A running answer or "
                + "indexing is allowed to finish first."));

        CheckBox lowPower = new CheckBox("Low-power mode: models use half the cores, to save battery and keep the computer cool");
        lowPower.setId("low-power-mode");
        lowPower.selectedProperty().bindBidirectional(vm.lowPowerProperty());
        TextField threads = number("inference-threads", vm.threadsProperty(), "automatic");
        validation.registerValidator(threads, false, (Control c, String v) -> ValidationResult.fromErrorIf(c,
                Preferences.threadsProblem(v), !Preferences.threadsProblem(v).isEmpty()));
        Label effective = new Label();
        effective.setId("effective-threads");
        effective.setWrapText(true);
        effective.getStyleClass().add("muted");
        effective.textProperty().bind(vm.effectiveThreadsText());
        HBox threadsRow = row(new Label("Threads for models"), threads, new Label("(empty = automatic)"));

        Label kdfHelp = new Label(vm.kdfExplanation());
        kdfHelp.setId("kdf-explanation");
        kdfHelp.setWrapText(true);
        kdfHelp.getStyleClass().add("muted");
        TextField memory = number("kdf-memory", vm.kdfMemoryProperty(), "64");
        validation.registerValidator(memory, false, (Control c, String v) -> ValidationResult.fromErrorIf(c,
                Preferences.kdfMemoryProblem(v, vm.hardware()), !Preferences.kdfMemoryProblem(v, vm.hardware()).isEmpty()));
        TextField passes = number("kdf-iterations", vm.kdfIterationsProperty(), "3");
        validation.registerValidator(passes, false, (Control c, String v) -> ValidationResult.fromErrorIf(c,
                Preferences.kdfIterationsProblem(v), !Preferences.kdfIterationsProblem(v).isEmpty()));
        GridPane kdf = new GridPane();
        kdf.setHgap(12);
        kdf.setVgap(6);
        kdf.addRow(0, new Label("Argon2 memory (MiB)"), memory);
        kdf.addRow(1, new Label("Argon2 passes"), passes);
        TitledPane advanced = new TitledPane("Advanced: passphrase key derivation", new VBox(8, kdfHelp, kdf));
        advanced.setId("advanced-settings");
        advanced.setExpanded(false);

        Label problem = new Label();
        problem.setId("settings-problem");
        problem.getStyleClass().add("error-text");
        problem.setWrapText(true);
        problem.textProperty().bind(vm.problem());
        problem.managedProperty().bind(problem.textProperty().isNotEmpty());
        Button save = new Button("Save");
        save.setId("settings-save");
        save.disableProperty().bind(vm.canSaveProperty().not());
        save.setOnAction(e -> vm.save());
        Button revert = new Button("Undo changes");
        revert.setId("settings-revert");
        revert.disableProperty().bind(vm.changedProperty().not());
        revert.setOnAction(e -> vm.revert());
        Label saved = new Label();
        saved.setId("settings-status");
        saved.textProperty().bind(vm.statusProperty());
        HBox actions = row(save, revert, saved);

        return new VBox(8, heading, lockRow, lowPower, threadsRow, effective, advanced, problem, actions);
    }

    private static VBox passphrase(PassphraseChange vm) {
        Label heading = new Label("Change the passphrase");
        heading.getStyleClass().add("section-title");
        Label help = new Label("Your data stays as it is: only the key that opens it is wrapped again under the new "
                + "passphrase. If you lose the new one, nobody can recover your data.");
        help.setWrapText(true);
        help.getStyleClass().add("muted");
        PasswordField current = secret("current-passphrase", "Current passphrase", vm.currentProperty());
        PasswordField next = secret("changed-passphrase", "New passphrase (several words are easiest to remember)",
                vm.replacementProperty());
        PasswordField confirm = secret("changed-passphrase-confirm", "The new passphrase again", vm.confirmationProperty());
        ProgressBar meter = new ProgressBar();
        meter.setId("changed-strength-meter");
        meter.setMaxWidth(Double.MAX_VALUE);
        meter.progressProperty().bind(vm.strengthFraction());
        PassphraseStrength.colour(meter, vm.strengthProperty());
        Label strength = new Label();
        strength.setId("changed-strength-text");
        strength.textProperty().bind(vm.strengthText());
        Button change = new Button("Change passphrase");
        change.setId("change-passphrase");
        change.disableProperty().bind(vm.canChangeProperty().not());
        change.setOnAction(e -> vm.change());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(22, 22);
        busy.visibleProperty().bind(vm.busyProperty());
        busy.managedProperty().bind(vm.busyProperty());
        Label message = new Label();
        message.setId("change-passphrase-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());
        Label error = new Label();
        error.setId("change-passphrase-error");
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());
        VBox box = new VBox(8, heading, help, current, next, confirm, meter, strength, row(change, busy, message), error);
        box.setMaxWidth(560);
        return box;
    }

    private static PasswordField secret(String id, String prompt, StringProperty value) {
        PasswordField field = new PasswordField();
        field.setId(id);
        field.setPromptText(prompt);
        field.textProperty().bindBidirectional(value);
        return field;
    }

    private static TextField number(String id, StringProperty value, String prompt) {
        TextField field = new TextField();
        field.setId(id);
        field.setPrefColumnCount(6);
        field.setPromptText(prompt);
        field.textProperty().bindBidirectional(value);
        return field;
    }

    private static HBox row(Node... nodes) {
        HBox row = new HBox(8, nodes);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
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
