package org.sovereign.app.ui.consent;

import org.sovereign.app.ui.consent.ConsentViewModel.Filter;
import org.sovereign.app.ui.consent.ConsentViewModel.Row;
import org.sovereign.app.ui.controls.ConfirmBar;
import org.sovereign.app.ui.controls.TermsGrid;

import java.io.File;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/** Consent screen. Lays out and binds; all behaviour is in {@link ConsentViewModel}. */
public final class ConsentView extends VBox {

    private final ConsentViewModel viewModel;

    public ConsentView(ConsentViewModel viewModel) {
        this.viewModel = viewModel;
        setId("consent-view");
        setSpacing(10);
        setPadding(new Insets(4, 0, 8, 0));

        Label hint = new Label("Give consent here. Each consent below shows the exact "
                + "text you agreed to. Withdrawing one takes effect at once.");
        hint.setWrapText(true);
        hint.getStyleClass().add("muted");

        ToggleGroup filters = new ToggleGroup();
        HBox toolbar = new HBox(6);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        for (Filter f : Filter.values()) {
            ToggleButton b = new ToggleButton();
            b.setId("consent-filter-" + f.name().toLowerCase(Locale.ROOT));
            b.textProperty().bind(viewModel.filterLabel(f));
            b.setToggleGroup(filters);
            b.setUserData(f);
            b.setSelected(viewModel.filterProperty().get() == f);
            b.getStyleClass().add("filter-button");
            toolbar.getChildren().add(b);
        }
        filters.selectedToggleProperty().addListener((o, old, now) -> {
            if (now == null) {
                old.setSelected(true);
            } else {
                viewModel.filterProperty().set((Filter) now.getUserData());
            }
        });
        viewModel.filterProperty().addListener((o, old, f) -> filters.getToggles().stream()
                .filter(t -> t.getUserData() == f).findFirst().ifPresent(t -> t.setSelected(true)));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Button refresh = new Button("_Refresh");
        refresh.setId("consent-refresh");
        refresh.setOnAction(e -> viewModel.refresh());
        Button verify = new Button("_Verify a receipt...");
        verify.setId("consent-verify-receipt");
        verify.setOnAction(e -> chooseReceiptToVerify());
        Button give = new Button("Give _new consent...");
        give.setId("consent-give-open");
        give.disableProperty().bind(viewModel.grantForm().openProperty());
        give.setOnAction(e -> viewModel.grantForm().openForm());
        toolbar.getChildren().addAll(grow, give, refresh, verify);

        TableView<Row> table = new TableView<>(viewModel.shownConsents());
        table.setId("consent-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.setPlaceholder(new Label("No consent in this list."));
        table.getColumns().add(column("Purposes", 160, Row::purposes));
        table.getColumns().add(column("Sources", 270, Row::sources));
        table.getColumns().add(column("Operations", 180, Row::operations));
        table.getColumns().add(column("Valid until", 140, Row::validUntil));
        table.getColumns().add(column("Status", 170, Row::status));
        table.setPrefHeight(170);
        table.getSelectionModel().selectedItemProperty().addListener((o, old, row) -> viewModel.selectedProperty().set(row));
        viewModel.selectedProperty().addListener((o, old, row) -> {
            if (row != table.getSelectionModel().getSelectedItem()) {
                table.getSelectionModel().select(row);
            }
        });

        Label receiptResult = new Label();
        receiptResult.setId("consent-receipt-result");
        receiptResult.setWrapText(true);
        receiptResult.textProperty().bind(viewModel.receiptResultProperty());
        receiptResult.managedProperty().bind(receiptResult.textProperty().isNotEmpty());

        getChildren().addAll(hint, toolbar, new ConsentGrantView(viewModel.grantForm()), table, receiptResult, details());
        sceneProperty().addListener((o, old, scene) -> {
            if (scene != null) {
                viewModel.refresh(); // each time the screen is shown, including after unlocking again
            }
        });
    }

    private VBox details() {
        Label heading = new Label("Selected consent");
        heading.getStyleClass().add("section-title");
        Label none = new Label("Select a consent above to see the exact text you agreed to and its history.");
        none.getStyleClass().add("muted");
        none.visibleProperty().bind(viewModel.selectedProperty().isNull());
        none.managedProperty().bind(none.visibleProperty());

        TextField id = new TextField();
        id.setId("consent-record-id");
        id.setEditable(false);
        id.textProperty().bind(viewModel.selectedIdProperty());
        TextArea notice = new TextArea();
        notice.setId("consent-notice");
        notice.setEditable(false);
        notice.setWrapText(true);
        notice.setPrefRowCount(3);
        notice.textProperty().bind(viewModel.selectedNoticeProperty());
        ListView<String> events = new ListView<>(viewModel.selectedEvents());
        events.setId("consent-events");
        events.setPrefHeight(76);

        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(6);
        grid.addRow(0, new Label("Record id"), id);
        grid.addRow(1, new Label("Notice you agreed to"), notice);
        grid.addRow(2, new Label("History"), events);
        GridPane.setHgrow(id, Priority.ALWAYS);
        TermsGrid.labelColumnKeepsItsWords(grid);

        Button withdraw = new Button("_Withdraw consent...");
        withdraw.setId("consent-withdraw");
        withdraw.disableProperty().bind(viewModel.canWithdrawProperty().not());
        withdraw.setOnAction(e -> viewModel.requestWithdrawal());
        Button export = new Button("E_xport receipt...");
        export.setId("consent-export");
        export.disableProperty().bind(viewModel.canExportProperty().not());
        export.setOnAction(e -> chooseReceiptTarget());
        HBox actions = new HBox(10, withdraw, export);

        ConfirmBar confirm = new ConfirmBar("consent-withdraw", "Withdraw this consent? The workstation stops using these "
                + "documents for it at once. This cannot be undone; you can give a new consent later.", "Yes, withdraw",
                viewModel::confirmWithdrawal, viewModel::cancelWithdrawal, viewModel.confirmingWithdrawalProperty(), true);

        CheckBox erase = new CheckBox("Also _erase what the library stored under this consent (its passages and search "
                + "data are destroyed for good; sources another consent still covers are kept)");
        erase.setId("consent-withdraw-erase");
        erase.setWrapText(true);
        erase.selectedProperty().bindBidirectional(viewModel.eraseOnWithdrawProperty());
        erase.visibleProperty().bind(viewModel.confirmingWithdrawalProperty());
        erase.managedProperty().bind(erase.visibleProperty());

        Label message = new Label();
        message.setId("consent-message");
        message.setWrapText(true);
        message.textProperty().bind(viewModel.messageProperty());

        VBox box = new VBox(8, heading, none, grid, actions, confirm, erase, message);
        grid.visibleProperty().bind(viewModel.selectedProperty().isNotNull());
        grid.managedProperty().bind(grid.visibleProperty());
        actions.visibleProperty().bind(Bindings.not(none.visibleProperty()));
        actions.managedProperty().bind(actions.visibleProperty());
        box.getStyleClass().add("details-pane");
        return box;
    }

    private void chooseReceiptTarget() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export consent receipt");
        chooser.setInitialFileName(viewModel.suggestedReceiptName());
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Consent receipt (JSON)", "*.json"));
        File file = chooser.showSaveDialog(getScene().getWindow());
        if (file != null) {
            viewModel.exportReceipt(file.toPath());
        }
    }

    private void chooseReceiptToVerify() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Verify a consent receipt");
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Consent receipt (JSON)", "*.json"),
                new FileChooser.ExtensionFilter("Any file", "*"));
        File file = chooser.showOpenDialog(getScene().getWindow());
        if (file != null) {
            viewModel.verifyReceipt(file.toPath());
        }
    }

    /** The view-model behind this screen (tests drive file actions through it, since file choosers are native). */
    public ConsentViewModel viewModel() {
        return viewModel;
    }

    private static TableColumn<Row, String> column(String title, double width, Function<Row, String> value) {
        TableColumn<Row, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setId("consent-col-" + title.toLowerCase(Locale.ROOT).replace(' ', '-'));
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return column;
    }
}
