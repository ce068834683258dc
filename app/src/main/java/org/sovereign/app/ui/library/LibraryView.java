package org.sovereign.app.ui.library;

import org.sovereign.app.ui.controls.ConfirmBar;
import org.sovereign.app.ui.controls.TermsGrid;
import org.sovereign.app.ui.library.LibraryViewModel.ResultRow;
import org.sovereign.app.ui.library.LibraryViewModel.SourceRow;
import org.sovereign.core.common.SafeText;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;

/** Library screen. Lays out and binds; all behaviour is in {@link LibraryViewModel}. */
public final class LibraryView extends VBox {

    private final LibraryViewModel viewModel;

    public LibraryView(LibraryViewModel viewModel) {
        this.viewModel = viewModel;
        setId("library-view");
        setSpacing(10);

        Label hint = new Label("Folders and files the assistant may read. Their text is stored encrypted in your vault, "
                + "only under a consent you give. The files themselves stay where they are.");
        hint.setWrapText(true);
        hint.getStyleClass().add("muted");

        Button addFolder = new Button("Add _folder...");
        addFolder.setId("library-add-folder");
        addFolder.disableProperty().bind(viewModel.canAddProperty().not());
        addFolder.setOnAction(e -> chooseFolder());
        Button addFiles = new Button("Add f_iles...");
        addFiles.setId("library-add-files");
        addFiles.disableProperty().bind(viewModel.canAddProperty().not());
        addFiles.setOnAction(e -> chooseFiles());
        HBox toolbar = new HBox(8, addFolder, addFiles);
        toolbar.setAlignment(Pos.CENTER_LEFT);

        getChildren().addAll(hint, toolbar, consentSheet(), indexingPane(), sourcesPane(), searchPane());
        sceneProperty().addListener((o, old, scene) -> {
            if (scene != null) {
                viewModel.refresh(); // each time the screen is shown, including after unlocking again
            }
        });
    }

    private VBox consentSheet() {
        Label heading = new Label("Consent needed before anything is read");
        heading.getStyleClass().add("section-title");
        Label intro = new Label("No consent you gave covers this yet. Read what you would allow; nothing is read unless you press Allow.");
        intro.setWrapText(true);

        Label purpose = new Label(LibraryViewModel.PURPOSE);
        purpose.setId("library-consent-purpose");
        ListView<Path> roots = new ListView<>(viewModel.pendingRoots());
        roots.setId("library-consent-sources");
        roots.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(Path item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : SafeText.forDisplay(item));
            }
        });
        roots.setPrefHeight(48);
        Label ops = new Label();
        ops.setId("library-consent-operations");
        ops.setWrapText(true);
        ops.textProperty().bind(viewModel.operationsTextProperty());
        TextField days = new TextField();
        days.setId("library-consent-days");
        days.setPrefColumnCount(5);
        days.textProperty().bindBidirectional(viewModel.daysProperty());
        Label problem = new Label();
        problem.setId("library-consent-problem");
        problem.getStyleClass().add("error-text");
        problem.textProperty().bind(viewModel.consentProblemProperty());
        HBox daysRow = new HBox(8, days, new Label("days"), problem);
        daysRow.setAlignment(Pos.CENTER_LEFT);
        TextArea notice = new TextArea();
        notice.setId("library-consent-notice");
        notice.setEditable(false);
        notice.setWrapText(true);
        notice.setPrefRowCount(3);
        notice.textProperty().bind(viewModel.noticeProperty());

        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(6);
        grid.addRow(0, new Label("Purpose"), purpose);
        grid.addRow(1, new Label("Folders and files"), roots);
        grid.addRow(2, new Label("It may"), ops);
        grid.addRow(3, new Label("For how long"), daysRow);
        grid.addRow(4, new Label("Text you sign"), notice);
        GridPane.setHgrow(notice, Priority.ALWAYS);
        TermsGrid.labelColumnKeepsItsWords(grid);
        GridPane.setHgrow(roots, Priority.ALWAYS);

        Button allow = new Button("_Allow and index");
        allow.setId("library-consent-allow");
        allow.setDefaultButton(true);
        allow.disableProperty().bind(viewModel.noticeProperty().isEmpty().or(viewModel.busyProperty()));
        allow.setOnAction(e -> viewModel.allowAndIndex());
        Button decline = new Button("Don't allow");
        decline.setId("library-consent-decline");
        decline.setCancelButton(true);
        decline.setOnAction(e -> viewModel.declineConsent());
        HBox actions = new HBox(10, allow, decline);

        VBox sheet = new VBox(8, heading, intro, grid, actions);
        sheet.setId("library-consent-sheet");
        sheet.getStyleClass().addAll("details-pane", "consent-sheet");
        sheet.visibleProperty().bind(viewModel.consentSheetOpenProperty());
        sheet.managedProperty().bind(sheet.visibleProperty());
        sheet.visibleProperty().addListener((o, was, is) -> {
            if (is) {
                allow.requestFocus();
            }
        });
        return sheet;
    }

    private VBox indexingPane() {
        ProgressBar bar = new ProgressBar();
        bar.setId("library-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(viewModel.progressProperty());
        HBox.setHgrow(bar, Priority.ALWAYS);
        Button cancel = new Button("_Cancel");
        cancel.setId("library-cancel");
        cancel.setOnAction(e -> viewModel.cancelIndexing());
        HBox row = new HBox(10, bar, cancel);
        row.setAlignment(Pos.CENTER_LEFT);
        Label status = new Label();
        status.setId("library-progress-text");
        status.textProperty().bind(viewModel.progressTextProperty());
        VBox running = new VBox(4, row, status);
        running.visibleProperty().bind(viewModel.indexingProperty());
        running.managedProperty().bind(running.visibleProperty());

        Label summary = new Label();
        summary.setId("library-summary");
        summary.setWrapText(true);
        summary.getStyleClass().add("library-summary");
        summary.textProperty().bind(viewModel.summaryProperty());
        summary.visibleProperty().bind(viewModel.summaryProperty().isNotEmpty());
        summary.managedProperty().bind(summary.visibleProperty());
        Label message = new Label();
        message.setId("library-message");
        message.setWrapText(true);
        message.textProperty().bind(viewModel.messageProperty());
        message.managedProperty().bind(viewModel.messageProperty().isNotEmpty());
        return new VBox(6, running, summary, message);
    }

    private VBox sourcesPane() {
        Label heading = new Label("Sources");
        heading.getStyleClass().add("section-title");
        TableView<SourceRow> table = new TableView<>(viewModel.sources());
        table.setId("library-sources");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.setPlaceholder(new Label("Nothing added yet. Add a folder or files to let the assistant read them."));
        table.getColumns().add(column("Folder or file", 380, LibraryViewModel.SourceRow::rootText));
        table.getColumns().add(column("Kind", 70, SourceRow::kind));
        table.getColumns().add(column("Indexed under consent", 420, SourceRow::consent));
        table.setPrefHeight(130);
        table.getSelectionModel().selectedItemProperty().addListener((o, old, row) -> viewModel.selectedProperty().set(row));
        viewModel.selectedProperty().addListener((o, old, row) -> {
            if (row != table.getSelectionModel().getSelectedItem()) {
                table.getSelectionModel().select(row);
            }
        });

        Button reindex = new Button("Index _again");
        reindex.setId("library-reindex");
        reindex.disableProperty().bind(viewModel.canForgetProperty().not().or(viewModel.canAddProperty().not()));
        reindex.setOnAction(e -> viewModel.reindexSelected());
        Button forget = new Button("F_orget...");
        forget.setId("library-forget");
        forget.disableProperty().bind(viewModel.canForgetProperty().not());
        forget.setOnAction(e -> viewModel.requestForget());
        HBox actions = new HBox(10, reindex, forget);

        ConfirmBar confirm = new ConfirmBar("library-forget", "Forget this source? Its key is erased, so the text stored "
                + "from it can never be recovered, not even from a copy of the vault. The files on disk are not touched. "
                + "This cannot be undone.", "Yes, forget it", viewModel::confirmForget, viewModel::cancelForget,
                viewModel.confirmingForgetProperty(), false);
        return new VBox(6, heading, table, actions, confirm);
    }

    private VBox searchPane() {
        Label heading = new Label("Search your library");
        heading.getStyleClass().add("section-title");
        TextField field = new TextField();
        field.setId("library-search-field");
        field.setPromptText("Words to look for, then Enter");
        field.textProperty().bindBidirectional(viewModel.queryProperty());
        field.setOnAction(e -> viewModel.search());
        HBox.setHgrow(field, Priority.ALWAYS);
        Button go = new Button("_Search");
        go.setId("library-search");
        go.disableProperty().bind(viewModel.searchingProperty());
        go.setOnAction(e -> viewModel.search());
        HBox row = new HBox(8, field, go);
        Label status = new Label();
        status.setId("library-search-status");
        status.getStyleClass().add("muted");
        status.textProperty().bind(viewModel.searchStatusProperty());
        status.managedProperty().bind(viewModel.searchStatusProperty().isNotEmpty());

        Label preparing = new Label();
        preparing.setId("library-search-preparing");
        preparing.getStyleClass().add("muted");
        preparing.textProperty().bind(viewModel.searchPreparationProperty());
        preparing.managedProperty().bind(viewModel.searchPreparationProperty().isNotEmpty());
        preparing.visibleProperty().bind(preparing.managedProperty());

        ListView<ResultRow> results = new ListView<>(viewModel.results());
        results.setId("library-results");
        results.setPrefHeight(220);
        results.setPlaceholder(new Label("Results appear here."));
        results.setCellFactory(list -> new ResultCell(list));
        return new VBox(6, heading, row, preparing, status, results);
    }

    /** A result: "name - passage n" and the passage with the query words in bold. */
    private static final class ResultCell extends ListCell<ResultRow> {
        private final ListView<ResultRow> list;

        ResultCell(ListView<ResultRow> list) {
            this.list = list;
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(ResultRow row, boolean empty) {
            super.updateItem(row, empty);
            setText(null);
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            Label where = new Label(row.documentName() + "  \u00b7  passage " + row.passage());
            where.getStyleClass().add("library-result-source");
            TextFlow flow = new TextFlow();
            flow.getStyleClass().add("library-result-text");
            List<Text> runs = row.runs().stream().map(run -> {
                Text t = new Text(run.text().replace('\n', ' '));
                t.getStyleClass().add(run.match() ? "library-match" : "library-plain");
                return t;
            }).toList();
            flow.getChildren().setAll(runs);
            flow.prefWidthProperty().bind(list.widthProperty().subtract(36));
            VBox box = new VBox(2, where, flow);
            setGraphic(box);
        }
    }

    private void chooseFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Add a folder to the library");
        File dir = chooser.showDialog(getScene().getWindow());
        if (dir != null) {
            viewModel.addFolder(dir.toPath());
        }
    }

    private void chooseFiles() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Add files to the library");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Documents", "*.txt", "*.md", "*.markdown", "*.html", "*.htm", "*.pdf"),
                new FileChooser.ExtensionFilter("Any file", "*"));
        List<File> files = chooser.showOpenMultipleDialog(getScene().getWindow());
        if (files != null && !files.isEmpty()) {
            viewModel.addSources(files.stream().map(File::toPath).toList());
        }
    }

    /** The view-model behind this screen (tests drive file actions through it, since file choosers are native). */
    public LibraryViewModel viewModel() {
        return viewModel;
    }

    private static TableColumn<SourceRow, String> column(String title, double width, Function<SourceRow, String> value) {
        TableColumn<SourceRow, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return column;
    }
}
