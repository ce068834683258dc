package org.sovereign.app.ui.models;

import org.sovereign.app.ui.controls.ConfirmBar;
import org.sovereign.app.ui.models.ModelsViewModel.HfStage;
import org.sovereign.app.ui.models.ModelsViewModel.ImportStage;
import org.sovereign.app.ui.models.ModelsViewModel.Row;
import org.sovereign.app.ui.models.ModelsViewModel.VariantRow;

import java.io.File;
import java.util.List;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableBooleanValue;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;

/** Models screen. Lays out and binds; all behaviour is in {@link ModelsViewModel}. */
public final class ModelsView extends VBox {

    static final String EMPTY_TEXT = "No model pack is installed yet. A pack is a .mpack file (or a pack folder) "
            + "holding an ONNX model, its tokenizer and a signed list of its files. Get one from a publisher you trust "
            + "and import it here (or drop it on this screen), or make one from a Hugging Face ONNX folder with "
            + "Import Hugging Face folder.";

    static final String GUIDANCE_TITLE = "Getting a chat model";
    /** Shown whenever no text-generation pack is installed: what the Assistant lacks, and which models work. */
    static final String GUIDANCE = "No chat model is installed, so the Assistant only lists passages from your "
            + "documents. Chat models that work: decoder-only \"Instruct\" models exported to ONNX with a key/value "
            + "cache, as the onnx-community organisation on Hugging Face publishes them, for example its versions of "
            + "Qwen2.5-0.5B-Instruct, Llama-3.2-1B-Instruct, SmolLM2-360M-Instruct, Phi-3-mini or Gemma 3 1B. "
            + "Download one, then choose Import Hugging Face folder.";
    /** Behind "Which files to download": the files, the variant, what does not work, speed and licences. */
    static final List<String> GUIDANCE_DETAILS = List.of(
            "What to download: from the model's \"Files and versions\" page on huggingface.co (on any computer with "
                    + "internet access), the files at the top (config.json, generation_config.json, tokenizer.json, "
                    + "tokenizer_config.json, special_tokens_map.json) and, from the onnx folder, one variant with its "
                    + ".onnx_data files if it has any: model_q4.onnx on most computers, model_int8.onnx or "
                    + "model_quantized.onnx on a CPU without AVX2. Keep them in one folder with the onnx folder inside, "
                    + "and copy it here (a USB stick will do).",
            "What does not work: GGUF files, weights without an ONNX export, encoder-decoder models (T5, Whisper) "
                    + "and image or audio models.",
            "Models of about 1 billion parameters or fewer answer at a usable speed on an ordinary laptop. Each model "
                    + "has its own licence; Llama and Gemma ask you to accept theirs on the website before downloading.");

    private final ModelsViewModel viewModel;

    public ModelsView(ModelsViewModel viewModel) {
        this.viewModel = viewModel;
        setId("models-view");
        setSpacing(10);

        Label hint = new Label("The models on this computer. Each pack's files are checked against its signed list "
                + "before it is installed, and again whenever you ask. Drop a .mpack file, a pack folder or a "
                + "Hugging Face model folder anywhere here to import it.");
        hint.setWrapText(true);
        hint.getStyleClass().add("muted");

        getChildren().addAll(hint, hardwarePane(), toolbar(), chatGuidance(), huggingFacePane(), importPane(),
                packsPane(), message());
        setOnDragOver(this::dragOver);
        setOnDragDropped(this::dragDropped);
        sceneProperty().addListener((o, old, scene) -> {
            if (scene != null) {
                viewModel.refresh(); // each time the screen is shown
            }
        });
    }

    private VBox hardwarePane() {
        Label heading = new Label("This computer");
        heading.getStyleClass().add("section-title");
        Label hardware = new Label();
        hardware.setId("models-hardware");
        hardware.setWrapText(true);
        hardware.textProperty().bind(viewModel.hardwareTextProperty());
        Label runtime = new Label();
        runtime.setId("models-runtime");
        runtime.setWrapText(true);
        runtime.textProperty().bind(viewModel.runtimeTextProperty());

        ToggleGroup power = new ToggleGroup();
        ToggleButton normal = new ToggleButton("_Normal");
        normal.setId("models-power-normal");
        normal.setTooltip(new Tooltip("Models use every core: fastest answers."));
        ToggleButton low = new ToggleButton("_Low power");
        low.setId("models-power-low");
        low.setTooltip(new Tooltip("Models use half the cores: slower, but saves battery and keeps the computer cool."));
        for (ToggleButton b : List.of(normal, low)) {
            b.setToggleGroup(power);
            b.getStyleClass().add("filter-button");
        }
        (viewModel.lowPowerProperty().get() ? low : normal).setSelected(true);
        power.selectedToggleProperty().addListener((o, old, now) -> {
            if (now == null) {
                old.setSelected(true); // one of the two is always on
            } else {
                viewModel.lowPowerProperty().set(now == low);
            }
        });
        viewModel.lowPowerProperty().addListener((o, was, is) -> (is ? low : normal).setSelected(true));
        Label powerNote = new Label("Applies to models loaded from now on; a loaded model reloads with it the next "
                + "time it is used.");
        powerNote.getStyleClass().add("muted");
        powerNote.setWrapText(true);
        HBox powerRow = new HBox(6, normal, low, powerNote);
        powerRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(powerNote, Priority.ALWAYS);

        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(6);
        grid.addRow(0, fieldName("Hardware"), hardware);
        grid.addRow(1, fieldName("Runtime"), runtime);
        grid.addRow(2, fieldName("Power mode"), powerRow);
        GridPane.setHgrow(hardware, Priority.ALWAYS);
        VBox box = new VBox(6, heading, grid);
        box.setId("models-hardware-pane");
        return box;
    }

    private HBox toolbar() {
        Button importFile = new Button("_Import pack...");
        importFile.setId("models-import");
        importFile.setTooltip(new Tooltip("Choose a .mpack file: it is verified first, and you see the result "
                + "before anything is installed."));
        importFile.disableProperty().bind(viewModel.workingProperty());
        importFile.setOnAction(e -> chooseFile());
        Button importFolder = new Button("Import pack _folder...");
        importFolder.setId("models-import-folder");
        importFolder.setTooltip(new Tooltip("Choose an unpacked pack folder (one holding manifest.json)."));
        importFolder.disableProperty().bind(viewModel.workingProperty());
        importFolder.setOnAction(e -> chooseFolder());
        Button importHf = new Button("Import _Hugging Face folder...");
        importHf.setId("models-import-hf");
        importHf.setTooltip(new Tooltip("Choose a model folder downloaded from Hugging Face (config.json, tokenizer "
                + "files and an onnx folder): you choose the variant, then it is made into a pack and installed."));
        importHf.disableProperty().bind(viewModel.workingProperty());
        importHf.setOnAction(e -> chooseHuggingFaceFolder());
        Button download = new Button("_Download from Hugging Face...");
        download.setId("models-download");
        download.setTooltip(new Tooltip("Download a model from the Hugging Face Hub (online, only under a consent that "
                + "names the Hub's hosts), check every file, and install it."));
        download.disableProperty().bind(viewModel.workingProperty());
        download.setOnAction(e -> {
            Stage dialog = DownloadModelView.open(getScene() == null ? null : getScene().getWindow(),
                    viewModel.downloadDialog());
            dialog.addEventHandler(WindowEvent.WINDOW_HIDDEN, closed -> viewModel.refresh());
        });
        show(download, viewModel.downloadOfferedProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Button refresh = new Button("Refres_h");
        refresh.setId("models-refresh");
        refresh.setTooltip(new Tooltip("List the installed packs again."));
        refresh.setOnAction(e -> viewModel.refresh());
        Button bundled = new Button("Install the _bundled embedding pack");
        bundled.setId("models-install-bundled");
        bundled.setTooltip(new Tooltip("The embedding pack that ships with the workstation (for search by meaning); "
                + "checked against the digest built into the program."));
        bundled.disableProperty().bind(viewModel.workingProperty());
        bundled.setOnAction(e -> viewModel.installBundled());
        show(bundled, viewModel.defaultPendingProperty());
        HBox bar = new HBox(8, importHf, download, importFile, importFolder, bundled, grow, refresh);
        bar.setAlignment(Pos.CENTER_LEFT);
        return bar;
    }

    private VBox chatGuidance() {
        Label heading = new Label(GUIDANCE_TITLE);
        heading.getStyleClass().add("section-title");
        Label summary = wrapped(GUIDANCE);
        summary.setId("models-chat-guidance-text");
        VBox details = new VBox(6);
        details.setId("models-chat-guidance-details");
        GUIDANCE_DETAILS.forEach(p -> details.getChildren().add(wrapped(p)));
        ToggleButton more = new ToggleButton("Which _files to download");
        more.setId("models-chat-guidance-more");
        more.getStyleClass().add("filter-button");
        more.setTooltip(new Tooltip("Show which files of a model to download, and which models do not work."));
        more.selectedProperty().addListener((o, was, is) -> more.setText(is ? "Hide the details"
                : "Which _files to download"));
        show(details, more.selectedProperty());
        VBox box = new VBox(6, heading, summary, more, details);
        box.setId("models-chat-guidance");
        box.getStyleClass().add("details-pane");
        show(box, viewModel.chatGuidanceProperty());
        return box;
    }

    private static Label wrapped(String text) {
        Label label = new Label(text);
        label.setWrapText(true);
        label.setMinHeight(Region.USE_PREF_SIZE);
        return label;
    }

    private VBox huggingFacePane() {
        Label heading = new Label("Import a Hugging Face folder");
        heading.getStyleClass().add("section-title");
        Label source = new Label();
        source.setId("models-hf-source");
        source.setWrapText(true);
        source.textProperty().bind(viewModel.hfSourceProperty());
        ObjectProperty<HfStage> stage = viewModel.hfStageProperty();

        ProgressBar bar = new ProgressBar();
        bar.setId("models-hf-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(viewModel.progressProperty());
        HBox.setHgrow(bar, Priority.ALWAYS);
        Button cancel = new Button("_Cancel");
        cancel.setId("models-hf-cancel");
        cancel.setTooltip(new Tooltip("Stop now. Nothing is installed, and nothing is left behind."));
        cancel.setOnAction(e -> viewModel.cancelHuggingFace());
        Label status = new Label();
        status.setId("models-hf-status");
        status.textProperty().bind(viewModel.progressTextProperty());
        VBox running = new VBox(4, new HBox(10, bar, cancel), status);
        show(running, stage.isEqualTo(HfStage.READING).or(stage.isEqualTo(HfStage.IMPORTING)));

        Label pick = new Label("Variants in this folder (one goes into the pack):");
        VBox list = new VBox(6);
        list.setId("models-hf-variants");
        ToggleGroup group = new ToggleGroup();
        Runnable rebuild = () -> {
            list.getChildren().clear();
            group.getToggles().clear();
            for (VariantRow v : viewModel.variants()) {
                RadioButton radio = new RadioButton(v.key() + "  (" + v.file() + ", " + v.size() + ")");
                radio.setMnemonicParsing(false); // file names have underscores
                radio.setId("models-hf-variant-" + v.key());
                radio.setUserData(v);
                radio.setToggleGroup(group);
                radio.setDisable(!v.usable());
                radio.setSelected(v.equals(viewModel.chosenVariantProperty().get()));
                Label facts = new Label(v.facts());
                facts.setWrapText(true);
                facts.setMinHeight(Region.USE_PREF_SIZE);
                facts.getStyleClass().add("muted");
                facts.setPadding(new Insets(0, 0, 0, 24));
                list.getChildren().add(new VBox(2, radio, facts));
            }
        };
        viewModel.variants().addListener((ListChangeListener<VariantRow>) c -> rebuild.run());
        group.selectedToggleProperty().addListener((o, old, now) -> {
            if (now != null) {
                viewModel.chosenVariantProperty().set((VariantRow) now.getUserData());
            }
        });
        viewModel.chosenVariantProperty().addListener((o, old, now) -> group.getToggles().stream()
                .filter(t -> t.getUserData() != null && t.getUserData().equals(now)).findFirst()
                .ifPresent(t -> t.setSelected(true)));
        Label choice = new Label();
        choice.setId("models-hf-choice");
        choice.setWrapText(true);
        choice.textProperty().bind(viewModel.hfChoiceProperty());
        Label unsigned = new Label("The pack is made on this computer from the folder you chose. Nobody signs it, so "
                + "import only models from a source you trust; the install is recorded in the audit log.");
        unsigned.setWrapText(true);
        unsigned.getStyleClass().add("muted");
        Button importIt = new Button("_Import this variant");
        importIt.setId("models-hf-import");
        importIt.setDefaultButton(true);
        importIt.setTooltip(new Tooltip("Make a pack of the chosen variant and install it."));
        importIt.disableProperty().bind(Bindings.createBooleanBinding(() ->
                viewModel.chosenVariantProperty().get() == null || !viewModel.chosenVariantProperty().get().usable(),
                viewModel.chosenVariantProperty()));
        importIt.setOnAction(e -> viewModel.importChosenVariant());
        Button dismiss = new Button("Don't import");
        dismiss.setId("models-hf-dismiss");
        dismiss.setTooltip(new Tooltip("Close this without importing anything."));
        dismiss.setOnAction(e -> viewModel.cancelHuggingFace());
        VBox choosing = new VBox(8, pick, list, choice, unsigned, new HBox(10, importIt, dismiss));
        show(choosing, stage.isEqualTo(HfStage.CHOOSING));

        Label error = new Label();
        error.setId("models-hf-error");
        error.setWrapText(true);
        error.setMinHeight(Region.USE_PREF_SIZE);
        error.getStyleClass().add("verify-fails");
        error.textProperty().bind(viewModel.hfErrorProperty());
        show(error, viewModel.hfErrorProperty().isNotEmpty()
                .and(stage.isEqualTo(HfStage.CHOOSING).or(stage.isEqualTo(HfStage.FAILED))));

        Label result = new Label();
        result.setId("models-hf-result");
        result.setWrapText(true);
        result.setMinHeight(Region.USE_PREF_SIZE);
        result.textProperty().bind(viewModel.hfResultProperty());
        Button another = new Button("Choose another _folder...");
        another.setId("models-hf-another");
        another.setOnAction(e -> chooseHuggingFaceFolder());
        Button close = new Button("Close");
        close.setId("models-hf-close");
        close.setOnAction(e -> viewModel.cancelHuggingFace());
        VBox ended = new VBox(8, result, new HBox(10, another, close));
        show(result, stage.isEqualTo(HfStage.DONE));
        show(ended, stage.isEqualTo(HfStage.DONE).or(stage.isEqualTo(HfStage.FAILED)));

        VBox pane = new VBox(8, heading, source, running, error, choosing, ended);
        pane.setId("models-hf-pane");
        pane.getStyleClass().add("details-pane");
        show(pane, stage.isNotEqualTo(HfStage.NONE));
        stage.addListener((o, was, now) -> {
            switch (now) {
                case READING, IMPORTING -> cancel.requestFocus();
                case CHOOSING -> (importIt.isDisabled() ? dismiss : importIt).requestFocus();
                case DONE, FAILED -> close.requestFocus();
                case NONE -> { }
            }
        });
        return pane;
    }

    private VBox importPane() {
        Label heading = new Label("Import");
        heading.getStyleClass().add("section-title");
        Label source = new Label();
        source.setId("models-import-source");
        source.setWrapText(true);
        source.textProperty().bind(viewModel.importSourceProperty());

        BooleanBinding inProgress = viewModel.importStageProperty().isEqualTo(ImportStage.VERIFYING)
                .or(viewModel.importStageProperty().isEqualTo(ImportStage.INSTALLING));
        BooleanBinding atVerdict = viewModel.importStageProperty().isEqualTo(ImportStage.VERDICT);
        ProgressBar bar = new ProgressBar();
        bar.setId("models-import-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(viewModel.progressProperty());
        HBox.setHgrow(bar, Priority.ALWAYS);
        Button cancel = new Button("_Cancel");
        cancel.setId("models-import-cancel");
        cancel.setTooltip(new Tooltip("Stop now. Nothing is installed, and nothing is left behind."));
        cancel.setOnAction(e -> viewModel.cancelImport());
        Label status = new Label();
        status.setId("models-import-status");
        status.textProperty().bind(viewModel.progressTextProperty());
        VBox running = new VBox(4, new HBox(10, bar, cancel), status);
        show(running, inProgress);

        Label verdict = new Label();
        verdict.setId("models-import-verdict");
        verdict.setWrapText(true);
        verdict.textProperty().bind(viewModel.importVerdictProperty());
        Button install = new Button("Install");
        install.setId("models-install");
        install.setDefaultButton(true);
        install.setTooltip(new Tooltip("Install the pack; the install is recorded in the audit log."));
        install.setOnAction(e -> viewModel.installImported());
        show(install, viewModel.importTrustedProperty().and(viewModel.importInstallableProperty()));
        Button anyway = new Button("Install _anyway...");
        anyway.setId("models-install-anyway");
        anyway.setTooltip(new Tooltip("Install although no key you trust signed it. You are asked to confirm, and "
                + "your choice is recorded in the audit log."));
        anyway.setOnAction(e -> viewModel.installImported());
        anyway.disableProperty().bind(viewModel.confirmingTrustAnywayProperty());
        show(anyway, viewModel.importTrustedProperty().not().and(viewModel.importInstallableProperty()));
        Button dismiss = new Button("Don't install");
        dismiss.setId("models-import-dismiss");
        dismiss.setTooltip(new Tooltip("Close this without installing anything."));
        dismiss.setOnAction(e -> viewModel.cancelImport());
        HBox actions = new HBox(10, install, anyway, dismiss);
        ConfirmBar trustAnyway = new ConfirmBar("models-trust", "Install a pack that no key you trust has signed? "
                + "Anyone could have made it. Your choice is recorded in the audit log.", "Yes, install anyway",
                viewModel::confirmInstallAnyway, viewModel::cancelInstallAnyway,
                viewModel.confirmingTrustAnywayProperty(), false);
        VBox decided = new VBox(8, verdict, actions, trustAnyway);
        show(decided, atVerdict);

        VBox pane = new VBox(8, heading, source, running, decided);
        pane.setId("models-import-pane");
        pane.getStyleClass().add("details-pane");
        show(pane, viewModel.importStageProperty().isNotEqualTo(ImportStage.NONE));
        pane.visibleProperty().addListener((o, was, is) -> {
            if (is) {
                cancel.requestFocus();
            }
        });
        atVerdict.addListener((o, was, is) -> {
            if (is) {
                (install.isVisible() ? install : anyway.isVisible() ? anyway : dismiss).requestFocus();
            }
        });
        return pane;
    }

    private VBox packsPane() {
        Label heading = new Label("Installed packs");
        heading.getStyleClass().add("section-title");
        TableView<Row> table = new TableView<>(viewModel.rows());
        table.setId("models-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.setPlaceholder(new Label("No model pack is installed."));
        table.getColumns().add(column("Name", 150, Row::name));
        table.getColumns().add(column("Version", 90, Row::version));
        table.getColumns().add(column("Kind", 100, Row::kind));
        table.getColumns().add(column("Size", 70, Row::size));
        table.getColumns().add(column("Licence", 80, Row::licence));
        table.getColumns().add(column("Trust", 80, Row::trustWord));
        table.getColumns().add(column("Memory", 80, r -> switch (r.fitVerdict()) {
            case FITS -> "fits";
            case TIGHT -> "tight";
            case TOO_LARGE -> "too large";
            case UNKNOWN -> "unknown";
        }));
        table.getColumns().add(column("Runs on", 200, Row::runs));
        table.setPrefHeight(170);
        table.getSelectionModel().selectedItemProperty().addListener((o, old, row) -> viewModel.selectedProperty().set(row));
        viewModel.selectedProperty().addListener((o, old, row) -> {
            if (row != table.getSelectionModel().getSelectedItem()) {
                table.getSelectionModel().select(row);
            }
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE) {
                viewModel.requestRemove();
            }
        });
        show(table, Bindings.isNotEmpty(viewModel.rows()));

        Label empty = new Label(EMPTY_TEXT);
        empty.setId("models-empty");
        empty.setWrapText(true);
        show(empty, Bindings.isEmpty(viewModel.rows()).and(viewModel.loadingProperty().not()));

        Button reverify = new Button("_Re-verify");
        reverify.setId("models-reverify");
        reverify.setTooltip(new Tooltip("Re-read every file of the selected pack and check it against the signed "
                + "list (takes as long as reading the files)."));
        Button load = new Button("Loa_d now");
        load.setId("models-load");
        load.setTooltip(new Tooltip("Load the selected model now, to see where it runs and with how many threads. "
                + "Models otherwise load when first used."));
        Button remove = new Button("Re_move...");
        remove.setId("models-remove");
        remove.setTooltip(new Tooltip("Delete the selected pack from this computer (Delete key in the list)."));
        for (Button b : List.of(reverify, load, remove)) {
            b.disableProperty().bind(viewModel.hasSelectionProperty().not().or(viewModel.workingProperty()));
        }
        reverify.setOnAction(e -> viewModel.reverifySelected());
        load.setOnAction(e -> viewModel.loadSelected());
        remove.setOnAction(e -> viewModel.requestRemove());
        HBox actions = new HBox(10, reverify, load, remove);
        show(actions, Bindings.isNotEmpty(viewModel.rows()));

        ProgressBar bar = new ProgressBar();
        bar.setId("models-reverify-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(viewModel.progressProperty());
        HBox.setHgrow(bar, Priority.ALWAYS);
        Button cancel = new Button("Cancel");
        cancel.setId("models-reverify-cancel");
        cancel.setTooltip(new Tooltip("Stop re-verifying; nothing is changed."));
        cancel.setOnAction(e -> viewModel.cancelReverify());
        Label status = new Label();
        status.textProperty().bind(viewModel.progressTextProperty());
        VBox running = new VBox(4, new HBox(10, bar, cancel), status);
        show(running, viewModel.reverifyingProperty());
        viewModel.reverifyingProperty().addListener((o, was, is) -> {
            if (is) {
                cancel.requestFocus();
            }
        });

        Label result = new Label();
        result.setId("models-reverify-result");
        result.setWrapText(true);
        result.textProperty().bind(viewModel.reverifyResultProperty());
        show(result, viewModel.reverifyResultProperty().isNotEmpty());
        viewModel.reverifyOkProperty().addListener((o, was, ok) -> {
            result.getStyleClass().removeAll("verify-holds", "verify-fails");
            if (ok != null) {
                result.getStyleClass().add(ok ? "verify-holds" : "verify-fails");
            }
        });

        ConfirmBar confirm = new ConfirmBar("models-remove", "Remove this pack from this computer? Its files are "
                + "deleted; you can install it again from its .mpack file.", "Yes, remove it",
                viewModel::confirmRemove, viewModel::cancelRemove, viewModel.confirmingRemoveProperty(), false);

        return new VBox(6, heading, empty, table, details(), actions, running, result, confirm);
    }

    private GridPane details() {
        Label trust = detail("models-detail-trust", r -> r.trust());
        Label signer = detail("models-detail-signer", Row::signer);
        Label files = detail("models-detail-files", Row::files);
        Label fit = detail("models-detail-fit", Row::fit);
        Label runs = detail("models-detail-runs", Row::runs);
        GridPane grid = new GridPane();
        grid.setId("models-details");
        grid.setHgap(12);
        grid.setVgap(4);
        grid.addRow(0, fieldName("Signature"), trust);
        grid.addRow(1, fieldName("Signer"), signer);
        grid.addRow(2, fieldName("Files"), files);
        grid.addRow(3, fieldName("Memory"), fit);
        grid.addRow(4, fieldName("Runs on"), runs);
        GridPane.setHgrow(trust, Priority.ALWAYS);
        show(grid, viewModel.hasSelectionProperty());
        return grid;
    }

    /** A row name that keeps its full width (the value beside it wraps instead). */
    private static Label fieldName(String text) {
        Label label = new Label(text);
        label.setMinWidth(Region.USE_PREF_SIZE);
        return label;
    }

    private Label detail(String id, Function<Row, String> value) {
        Label label = new Label();
        label.setId(id);
        label.setWrapText(true);
        label.textProperty().bind(Bindings.createStringBinding(() -> viewModel.selectedProperty().get() == null ? ""
                : value.apply(viewModel.selectedProperty().get()), viewModel.selectedProperty()));
        return label;
    }

    private Label message() {
        Label message = new Label();
        message.setId("models-message");
        message.setWrapText(true);
        message.textProperty().bind(viewModel.messageProperty());
        message.managedProperty().bind(viewModel.messageProperty().isNotEmpty());
        return message;
    }

    private static void show(Node node, ObservableBooleanValue when) {
        node.visibleProperty().bind(when);
        node.managedProperty().bind(node.visibleProperty());
    }

    // ---------------------------------------------------------------- files

    private void dragOver(DragEvent e) {
        if (e.getDragboard().hasFiles() && !viewModel.workingProperty().get()) {
            e.acceptTransferModes(TransferMode.COPY);
        }
        e.consume();
    }

    private void dragDropped(DragEvent e) {
        boolean done = e.getDragboard().hasFiles();
        if (done) {
            filesDropped(e.getDragboard().getFiles());
        }
        e.setDropCompleted(done);
        e.consume();
    }

    /** What a drop does: imports the first file or folder dropped (tests call it, as no OS drag exists there). */
    public void filesDropped(List<File> files) {
        if (!files.isEmpty()) {
            viewModel.importPack(files.get(0).toPath());
        }
    }

    private void chooseFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Import a model pack");
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Model packs", "*.mpack"),
                new FileChooser.ExtensionFilter("Any file", "*"));
        File file = chooser.showOpenDialog(getScene().getWindow());
        if (file != null) {
            viewModel.importPack(file.toPath());
        }
    }

    private void chooseFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Import a model pack folder");
        File dir = chooser.showDialog(getScene().getWindow());
        if (dir != null) {
            viewModel.importPack(dir.toPath());
        }
    }

    private void chooseHuggingFaceFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Import a Hugging Face model folder");
        File dir = chooser.showDialog(getScene().getWindow());
        if (dir != null) {
            viewModel.openHuggingFaceFolder(dir.toPath());
        }
    }

    /** The view-model behind this screen (tests drive file actions through it, since file choosers are native). */
    public ModelsViewModel viewModel() {
        return viewModel;
    }

    private static TableColumn<Row, String> column(String title, double width, Function<Row, String> value) {
        TableColumn<Row, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return column;
    }
}
