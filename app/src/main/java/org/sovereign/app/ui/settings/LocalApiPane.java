package org.sovereign.app.ui.settings;

import org.sovereign.app.ui.controls.ConfirmBar;

import java.util.Locale;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.control.cell.CheckBoxListCell;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** Settings' "Local API" section. Lays out and binds; all behaviour is in {@link LocalApiSection}. */
final class LocalApiPane extends VBox {

    LocalApiPane(LocalApiSection vm) {
        super(8);
        setId("local-api");
        Label heading = new Label("Local API");
        heading.getStyleClass().add("section-title");
        Label help = muted(LocalApiSection.EXPLANATION);

        CheckBox serve = new CheckBox("Serve the local API on this computer, on port");
        serve.setId("local-api-switch");
        serve.selectedProperty().bindBidirectional(vm.servingProperty());
        serve.disableProperty().bind(vm.canSwitchProperty().not());
        TextField port = new TextField();
        port.setId("local-api-port");
        port.setPrefColumnCount(6);
        port.textProperty().bindBidirectional(vm.portProperty());
        port.disableProperty().bind(vm.servingProperty().or(vm.busyProperty()));
        Label portProblem = error("local-api-port-problem", vm.portProblemProperty());
        Label status = new Label();
        status.setId("local-api-status");
        status.setWrapText(true);
        status.textProperty().bind(vm.statusProperty());

        TextField address = new TextField();
        address.setId("local-api-address");
        address.setEditable(false);
        address.setPrefColumnCount(30);
        address.textProperty().bind(vm.addressProperty());
        Button copy = copyButton("copy-local-api-address", "Copy the address, to paste it into a program's settings",
                vm.addressProperty());
        Label addressHelp = muted("Programs take this address as their OpenAI base URL, with their own key.");
        VBox where = new VBox(4, row(new Label("Address"), address, copy), addressHelp);
        where.visibleProperty().bind(vm.addressProperty().isNotEmpty());
        where.managedProperty().bind(where.visibleProperty());

        getChildren().addAll(heading, help, row(serve, port), portProblem, status, where, clients(vm), register(vm.form()));
    }

    private static VBox clients(LocalApiSection vm) {
        Label heading = new Label("Programs that may use it");
        heading.setStyle("-fx-font-weight: bold;");
        TableView<LocalApiSection.ClientRow> table = new TableView<>(vm.clients());
        table.setId("api-clients");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.setPlaceholder(new Label("No program is registered yet."));
        table.getColumns().add(column("Name", 120, LocalApiSection.ClientRow::name));
        table.getColumns().add(column("May", 420, LocalApiSection.ClientRow::allows));
        table.getColumns().add(column("Until", 130, LocalApiSection.ClientRow::until));
        table.getColumns().add(column("Status", 170, LocalApiSection.ClientRow::status));
        table.setFixedCellSize(26);
        table.prefHeightProperty().bind(Bindings.min(8, Bindings.max(2, Bindings.size(vm.clients()))).multiply(26).add(32));
        Button revoke = new Button("Revoke…");
        revoke.setId("revoke-client");
        revoke.disableProperty().bind(Bindings.createBooleanBinding(() -> {
            LocalApiSection.ClientRow selected = table.getSelectionModel().getSelectedItem();
            return selected == null || !selected.mayCall();
        }, table.getSelectionModel().selectedItemProperty()));
        revoke.setOnAction(e -> vm.askRevoke(table.getSelectionModel().getSelectedItem()));
        ConfirmBar confirm = new ConfirmBar("revoke-client", vm.revokeQuestion(), "Revoke", vm::confirmRevoke,
                vm::cancelRevoke, vm.revokingProperty().isNotNull(), false);
        Label message = new Label();
        message.setId("api-clients-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.clientsMessageProperty());
        message.managedProperty().bind(message.textProperty().isNotEmpty());
        return new VBox(8, heading, table, revoke, confirm, message);
    }

    private static VBox register(ApiClientForm vm) {
        Label heading = new Label("Register a program");
        heading.setStyle("-fx-font-weight: bold;");
        TextField name = new TextField();
        name.setId("client-name");
        name.setPromptText("What you call it, e.g. editor");
        name.setPrefColumnCount(24);
        name.textProperty().bindBidirectional(vm.nameProperty());
        CheckBox generate = check("client-generate", "Generate text (chat completions)", vm.generateProperty());
        CheckBox embed = check("client-embed", "Compute embeddings", vm.embedProperty());
        CheckBox ask = check("client-ask", "Ask about library folders (with citations; includes generating text)",
                vm.askProperty());
        ListView<ApiClientForm.Choice<String>> models = choices("client-packs", vm.packs(), "No model is installed.");
        ListView<ApiClientForm.Choice<java.nio.file.Path>> folders = choices("client-sources", vm.sources(),
                "The library has no folder yet.");
        folders.disableProperty().bind(vm.askProperty().not());
        TextField days = new TextField();
        days.setId("client-days");
        days.setPrefColumnCount(5);
        days.textProperty().bindBidirectional(vm.daysProperty());
        Label until = new Label();
        until.setId("client-until");
        until.textProperty().bind(vm.untilProperty());

        GridPane form = new GridPane();
        form.setHgap(12);
        form.setVgap(6);
        form.addRow(0, new Label("Name"), name);
        form.addRow(1, new Label("It may"), new VBox(4, generate, embed, ask));
        form.addRow(2, new Label("Models"), new VBox(4, models, muted("Tick none to allow any installed model.")));
        form.addRow(3, new Label("Library folders"), folders);
        form.addRow(4, new Label("For"), row(days, new Label("days"), until));

        Label problem = error("client-problem", vm.problemProperty());
        Button add = new Button("Register and show its key");
        add.setId("add-client");
        add.disableProperty().bind(vm.canAddProperty().not());
        add.setOnAction(e -> vm.add());
        Label failure = error("client-error", vm.errorProperty());

        TextField key = new TextField();
        key.setId("new-client-key");
        key.setEditable(false);
        key.setPrefColumnCount(48);
        key.textProperty().bind(vm.newKeyProperty());
        Button copy = copyButton("copy-client-key", "Copy the key", vm.newKeyProperty());
        Button done = new Button("Done");
        done.setId("client-key-done");
        done.setOnAction(e -> vm.dismissKey());
        Label keyFor = new Label();
        keyFor.textProperty().bind(Bindings.concat("The key of '", vm.newKeyForProperty(), "':"));
        Label once = new Label(ApiClientForm.SHOWN_ONCE);
        once.setId("client-key-once");
        once.setWrapText(true);
        VBox shown = new VBox(6, keyFor, row(key, copy), once, done);
        shown.setId("client-key");
        shown.getStyleClass().add("confirm-bar");
        shown.visibleProperty().bind(vm.newKeyProperty().isNotEmpty());
        shown.managedProperty().bind(shown.visibleProperty());

        VBox box = new VBox(8, heading, form, problem, add, failure, shown);
        box.setMaxWidth(900);
        return box;
    }

    private static <T> ListView<ApiClientForm.Choice<T>> choices(String id, ObservableList<ApiClientForm.Choice<T>> items,
                                                                 String empty) {
        ListView<ApiClientForm.Choice<T>> list = new ListView<>(items);
        list.setId(id);
        list.setCellFactory(CheckBoxListCell.forListView(ApiClientForm.Choice::selectedProperty));
        list.setPlaceholder(new Label(empty));
        list.setFixedCellSize(26);
        list.setPrefWidth(520);
        list.prefHeightProperty().bind(Bindings.min(5, Bindings.max(1, Bindings.size(items))).multiply(26).add(4));
        return list;
    }

    private static CheckBox check(String id, String text, javafx.beans.property.BooleanProperty value) {
        CheckBox box = new CheckBox(text);
        box.setId(id);
        box.selectedProperty().bindBidirectional(value);
        return box;
    }

    private static Button copyButton(String id, String tooltip, ObservableStringValue text) {
        Button copy = new Button("Copy");
        copy.setId(id);
        copy.setTooltip(new Tooltip(tooltip));
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(text.get());
            Clipboard.getSystemClipboard().setContent(content);
        });
        return copy;
    }

    private static Label error(String id, ObservableStringValue text) {
        Label label = new Label();
        label.setId(id);
        label.getStyleClass().add("error-text");
        label.setWrapText(true);
        label.textProperty().bind(text);
        label.managedProperty().bind(label.textProperty().isNotEmpty());
        return label;
    }

    private static Label muted(String text) {
        Label label = new Label(text);
        label.setWrapText(true);
        label.getStyleClass().add("muted");
        return label;
    }

    private static HBox row(Node... nodes) {
        HBox row = new HBox(8, nodes);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    private static TableColumn<LocalApiSection.ClientRow, String> column(String title, double width,
                                                                        Function<LocalApiSection.ClientRow, String> value) {
        TableColumn<LocalApiSection.ClientRow, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setId("api-client-col-" + title.toLowerCase(Locale.ROOT));
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return column;
    }
}
