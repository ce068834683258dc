package org.sovereign.app.ui.assistant;

import org.sovereign.app.ui.assistant.AssistantViewModel.Citation;
import org.sovereign.app.ui.assistant.AssistantViewModel.Exchange;
import org.sovereign.app.ui.assistant.AssistantViewModel.ModelChoice;
import org.sovereign.app.ui.controls.ConfirmBar;
import org.sovereign.app.ui.controls.ScrollFollowsFocus;
import org.sovereign.core.assistant.AssistantService;
import org.sovereign.core.assistant.ConversationService.Summary;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/** Assistant screen. Lays out and binds; all behaviour is in {@link AssistantViewModel}. */
public final class AssistantView extends BorderPane {

    private final AssistantViewModel viewModel;
    private final VBox messages = new VBox(12);
    private final ScrollPane conversation = new ScrollPane(messages);

    public AssistantView(AssistantViewModel viewModel) {
        this.viewModel = viewModel;
        setId("assistant-view");
        setPadding(new Insets(0, 0, 4, 0));
        setMinHeight(420);
        setTop(top());
        setCenter(center());
        setBottom(input());
        sceneProperty().addListener((o, old, scene) -> {
            if (scene != null) {
                viewModel.refresh(); // each time the screen is shown, including after unlocking again
                fillViewportHeight();
            }
        });
    }

    private Node top() {
        ComboBox<ModelChoice> model = new ComboBox<>(viewModel.modelChoices());
        model.setId("assistant-model");
        model.setMaxWidth(320);
        model.setValue(viewModel.modelProperty().get());
        viewModel.modelProperty().addListener((o, old, now) -> model.setValue(now));
        viewModel.modelChoices().addListener((ListChangeListener<ModelChoice>) c -> {
            model.setValue(null); // the items changed under an equal value: set it again so the box shows it
            model.setValue(viewModel.modelProperty().get());
        });
        model.valueProperty().addListener((o, old, now) -> {
            if (now != null && !now.equals(viewModel.modelProperty().get())) {
                viewModel.chooseModel(now);
            }
        });
        Label modelLabel = new Label("_Model");
        modelLabel.setMnemonicParsing(true);
        modelLabel.setLabelFor(model);
        ComboBox<String> purpose = new ComboBox<>(viewModel.purposes());
        purpose.setId("assistant-purpose");
        purpose.valueProperty().bindBidirectional(viewModel.purposeProperty());
        Label purposeLabel = new Label("_Purpose");
        purposeLabel.setMnemonicParsing(true);
        purposeLabel.setLabelFor(purpose);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Button fresh = new Button("New _conversation");
        fresh.setId("assistant-new");
        fresh.setOnAction(e -> viewModel.newConversation());
        fresh.setTooltip(new Tooltip("Start an empty conversation; it is stored (encrypted) from its first question"));
        HBox bar = new HBox(8, modelLabel, model, purposeLabel, purpose, grow, fresh);
        bar.setId("assistant-bar");
        bar.setAlignment(Pos.CENTER_LEFT);
        // words keep their width; the model box gives way first in a narrow window
        modelLabel.setMinWidth(Region.USE_PREF_SIZE);
        purposeLabel.setMinWidth(Region.USE_PREF_SIZE);
        fresh.setMinWidth(Region.USE_PREF_SIZE);
        purpose.setMinWidth(Region.USE_PREF_SIZE);
        model.setMinWidth(120);

        Label hint = new Label();
        hint.setId("assistant-model-hint");
        hint.getStyleClass().add("muted");
        hint.setWrapText(true);
        hint.textProperty().bind(viewModel.modelHintProperty());
        hint.managedProperty().bind(hint.textProperty().isNotEmpty());
        hint.visibleProperty().bind(hint.managedProperty());

        Label chip = new Label();
        chip.setId("assistant-consent-chip");
        chip.getStyleClass().add("consent-chip");
        chip.setWrapText(true);
        chip.setMinHeight(Region.USE_PREF_SIZE);
        chip.textProperty().bind(viewModel.consentChipProperty());
        chip.managedProperty().bind(chip.textProperty().isNotEmpty());
        chip.visibleProperty().bind(chip.managedProperty());
        viewModel.consentRefusedProperty().addListener((o, was, refused) -> {
            chip.getStyleClass().remove("refused");
            if (refused) {
                chip.getStyleClass().add("refused");
            }
        });
        VBox top = new VBox(6, bar, hint, chip, instructions());
        top.setPadding(new Insets(0, 0, 8, 0));
        return top;
    }

    private Node center() {
        messages.setPadding(new Insets(8));
        messages.setId("assistant-messages");
        Label empty = new Label("Ask a question about your documents. Answers cite the passages they use.");
        empty.getStyleClass().add("muted");
        empty.setWrapText(true);
        empty.visibleProperty().bind(Bindings.isEmpty(viewModel.exchanges()));
        empty.managedProperty().bind(empty.visibleProperty());
        messages.getChildren().add(empty);
        viewModel.exchanges().addListener((ListChangeListener<Exchange>) c -> {
            messages.getChildren().retainAll(empty);
            int n = 0;
            for (Exchange x : viewModel.exchanges()) {
                messages.getChildren().add(exchange(x, ++n));
            }
        });
        messages.heightProperty().addListener((o, old, h) -> conversation.setVvalue(1.0)); // follow the answer
        conversation.setId("assistant-conversation");
        conversation.setFitToWidth(true);
        conversation.getStyleClass().add("conversation");
        ScrollFollowsFocus.install(conversation);

        BorderPane.setMargin(conversation, new Insets(0, 0, 8, 0));
        BorderPane center = new BorderPane(conversation);
        center.setLeft(conversationsPanel());
        center.setRight(citationPanel());
        return center;
    }

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT)
            .withZone(ZoneId.systemDefault());

    private Node conversationsPanel() {
        Label heading = new Label("Conversations");
        heading.getStyleClass().add("section-title");
        ListView<Summary> list = new ListView<>(viewModel.conversations());
        list.setId("assistant-conversations");
        Label noneYet = new Label();
        noneYet.textProperty().bind(Bindings.when(viewModel.conversationsLoadingProperty())
                .then(AssistantViewModel.LOADING_CONVERSATIONS).otherwise(AssistantViewModel.NO_CONVERSATIONS));
        noneYet.setId("assistant-conversations-none");
        noneYet.setWrapText(true);
        noneYet.setPadding(new Insets(6));
        list.setPlaceholder(noneYet);
        list.setTooltip(new Tooltip("Your conversations, stored encrypted; the most recent first. Arrow keys open them."));
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Summary item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                Label name = new Label(item.title());
                name.getStyleClass().add("conversation-title");
                Label when = new Label(WHEN.format(item.lastActivity()) + " · " + item.exchanges()
                        + (item.exchanges() == 1 ? " question" : " questions"));
                when.getStyleClass().add("muted");
                name.setMinWidth(0);
                when.setMinWidth(0);
                VBox box = new VBox(1, name, when);
                box.maxWidthProperty().bind(getListView().widthProperty().subtract(24)); // long titles end in "..."
                setText(null);
                setGraphic(box);
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        list.getSelectionModel().selectedItemProperty().addListener((o, old, now) -> {
            if (now != null && now.id() != viewModel.currentConversationProperty().get()) {
                viewModel.openConversation(now);
            }
        });
        Runnable select = () -> {
            long id = viewModel.currentConversationProperty().get();
            Summary match = viewModel.conversations().stream().filter(c -> c.id() == id).findFirst().orElse(null);
            if (match == null) {
                list.getSelectionModel().clearSelection();
            } else if (list.getSelectionModel().getSelectedItem() != match) {
                list.getSelectionModel().select(match);
            }
        };
        viewModel.conversations().addListener((ListChangeListener<Summary>) c -> select.run());
        viewModel.currentConversationProperty().addListener((o, old, now) -> select.run());

        TextField title = new TextField();
        title.setId("assistant-title");
        title.setPromptText("Title");
        title.textProperty().bindBidirectional(viewModel.titleProperty());
        title.setOnAction(e -> viewModel.rename());
        title.setTooltip(new Tooltip("Type a new title and press Enter (or Rename). Titles are stored encrypted."));
        Button rename = new Button("_Rename");
        rename.setId("assistant-rename");
        rename.setOnAction(e -> viewModel.rename());
        rename.setMinWidth(Region.USE_PREF_SIZE);
        HBox renameRow = new HBox(6, title, rename);
        HBox.setHgrow(title, Priority.ALWAYS);
        Button delete = new Button("De_lete conversation");
        delete.setId("assistant-delete");
        delete.setMaxWidth(Double.MAX_VALUE);
        delete.setTooltip(new Tooltip("Erase this conversation's key: nothing of it can be read again"));
        delete.setOnAction(e -> viewModel.askDelete());
        title.disableProperty().bind(viewModel.currentConversationProperty().lessThan(0));
        rename.disableProperty().bind(viewModel.currentConversationProperty().lessThan(0));
        delete.disableProperty().bind(viewModel.currentConversationProperty().lessThan(0).or(viewModel.busyProperty()));
        ConfirmBar confirm = new ConfirmBar("assistant-delete",
                "Delete this conversation for good? Its key is erased, so it cannot be read again.", "Delete",
                viewModel::confirmDelete, () -> {
                    viewModel.cancelDelete();
                    delete.requestFocus();
                }, viewModel.confirmingDeleteProperty(), false);
        confirm.setMaxWidth(Double.MAX_VALUE);
        Label message = new Label();
        message.setId("assistant-conversation-message");
        message.getStyleClass().add("muted");
        message.setWrapText(true);
        message.setMinHeight(Region.USE_PREF_SIZE);
        message.textProperty().bind(viewModel.conversationMessageProperty());
        message.managedProperty().bind(message.textProperty().isNotEmpty());
        message.visibleProperty().bind(message.managedProperty());
        VBox panel = new VBox(6, heading, list, renameRow, delete, confirm, message);
        panel.setId("assistant-conversations-panel");
        panel.setPrefWidth(240);
        panel.setMinWidth(200);
        panel.setMaxWidth(240);
        BorderPane.setMargin(panel, new Insets(0, 8, 8, 0));
        return panel;
    }

    private Node instructions() {
        TextArea prompt = new TextArea();
        prompt.setId("assistant-system-prompt");
        prompt.setWrapText(true);
        prompt.setPrefRowCount(2);
        prompt.setPromptText(AssistantService.DEFAULT_INSTRUCTIONS);
        prompt.textProperty().bindBidirectional(viewModel.systemPromptProperty());
        tabMovesFocus(prompt);
        Label explain = new Label("Instructions the model gets before your question, for this conversation only. Empty "
                + "means the default shown in grey. The passages found in your library are always added after them.");
        explain.setWrapText(true);
        explain.getStyleClass().add("muted");
        Button save = new Button("Save instructions");
        save.setId("assistant-system-save");
        save.setOnAction(e -> viewModel.saveSystemPrompt());
        Button reset = new Button("Use the default");
        reset.setId("assistant-system-default");
        reset.setOnAction(e -> viewModel.useDefaultSystemPrompt());
        HBox buttons = new HBox(6, save, reset);
        HBox row = new HBox(8, prompt, buttons);
        HBox.setHgrow(prompt, Priority.ALWAYS);
        buttons.setAlignment(Pos.TOP_LEFT);
        VBox body = new VBox(4, explain, row);
        TitledPane pane = new TitledPane("Instructions for the model (system prompt)", body);
        pane.setId("assistant-instructions");
        pane.setExpanded(false);
        pane.setAnimated(false);
        return pane;
    }

    private Node exchange(Exchange x, int n) {
        Label q = new Label(x.question());
        q.setId("assistant-question-" + n);
        q.setWrapText(true);
        q.getStyleClass().add("bubble-question");
        HBox qRow = new HBox(q);
        qRow.setAlignment(Pos.CENTER_RIGHT);

        Label answer = new Label();
        answer.setId("assistant-answer-" + n);
        answer.setWrapText(true);
        answer.setMinHeight(Region.USE_PREF_SIZE);
        answer.textProperty().bind(x.answerProperty());
        answer.managedProperty().bind(x.answerProperty().isNotEmpty());
        answer.visibleProperty().bind(answer.managedProperty());
        Label status = new Label();
        status.setId("assistant-status-" + n);
        status.getStyleClass().add("muted");
        status.textProperty().bind(x.statusProperty());
        status.managedProperty().bind(x.statusProperty().isNotEmpty());
        status.visibleProperty().bind(status.managedProperty());
        Label note = new Label();
        note.setId("assistant-note-" + n);
        note.setWrapText(true);
        note.setMinHeight(Region.USE_PREF_SIZE);
        note.getStyleClass().add("muted");
        note.setTooltip(new Tooltip("The model can read only so much at once; the newest messages of this "
                + "conversation were sent with the question, the oldest ones were not."));
        note.textProperty().bind(x.noteProperty());
        note.managedProperty().bind(x.noteProperty().isNotEmpty());
        note.visibleProperty().bind(note.managedProperty());
        Label problem = new Label();
        problem.setId("assistant-problem-" + n);
        problem.setWrapText(true);
        problem.setMinHeight(Region.USE_PREF_SIZE);
        problem.getStyleClass().add("error-text");
        problem.textProperty().bind(x.problemProperty());
        problem.managedProperty().bind(x.problemProperty().isNotEmpty());
        problem.visibleProperty().bind(problem.managedProperty());

        VBox cites = new VBox(2);
        cites.setId("assistant-citations-" + n);
        Runnable showCitations = () -> {
            cites.getChildren().clear();
            for (Citation cite : x.citations()) {
                // passages only: each passage shown once, whole, here (the answer above is just its first line)
                Hyperlink link = new Hyperlink(x.passagesOnlyProperty().get()
                        ? cite.label() + "\n" + cite.passage() : cite.label() + "  " + cite.snippet());
                link.setWrapText(x.passagesOnlyProperty().get());
                link.setMinHeight(Region.USE_PREF_SIZE);
                link.setId("assistant-citation-" + n + "-" + cite.number());
                link.setTooltip(new Tooltip("Open " + cite.document() + " at this passage"));
                link.setOnAction(e -> viewModel.selectedCitationProperty().set(cite));
                cites.getChildren().add(link);
            }
        };
        showCitations.run(); // a stored exchange comes with its citations
        x.citations().addListener((ListChangeListener<Citation>) c -> showCitations.run());

        Button copy = new Button("Copy");
        copy.setId("assistant-copy-" + n);
        copy.disableProperty().bind(x.writingProperty().or(x.answerProperty().isEmpty()));
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(x.copyText());
            Clipboard.getSystemClipboard().setContent(content);
        });
        Button again = new Button("Regenerate");
        again.setId("assistant-regenerate-" + n);
        again.disableProperty().bind(viewModel.busyProperty());
        again.setOnAction(e -> viewModel.regenerate(x));
        Button edit = new Button("Edit question");
        edit.setId("assistant-edit-" + n);
        edit.setTooltip(new Tooltip("Put this question back in the input to change it; sending replaces this answer "
                + "and removes the ones after it"));
        edit.disableProperty().bind(viewModel.busyProperty());
        edit.setOnAction(e -> {
            viewModel.edit(x);
            if (getScene() != null && getScene().lookup("#assistant-input") instanceof TextArea input) {
                input.requestFocus();
                input.end();
            }
        });
        HBox actions = new HBox(6, copy, again, edit);
        actions.managedProperty().bind(x.writingProperty().not());
        actions.visibleProperty().bind(actions.managedProperty());

        VBox bubble = new VBox(6, answer, note, status, problem, cites, actions);
        bubble.getStyleClass().add("bubble-answer");
        return new VBox(6, qRow, bubble);
    }

    private Node citationPanel() {
        Label title = new Label();
        title.setId("assistant-cited-title");
        title.getStyleClass().add("section-title");
        Label where = new Label();
        where.setId("assistant-cited-path");
        where.setWrapText(true);
        where.getStyleClass().add("muted");
        TextArea text = new TextArea();
        text.setId("assistant-cited-text");
        text.setEditable(false);
        text.setWrapText(true);
        text.setPrefRowCount(3);
        tabMovesFocus(text);
        text.setMinHeight(Region.USE_PREF_SIZE);
        Button close = new Button("Close");
        close.setId("assistant-cited-close");
        close.setOnAction(e -> viewModel.selectedCitationProperty().set(null));
        viewModel.selectedCitationProperty().addListener((o, old, c) -> {
            title.setText(c == null ? "" : c.label());
            where.setText(c == null ? "" : c.location());
            text.setText(c == null ? "" : c.passage());
        });

        Label origin = new Label("Opening the document...");
        origin.setId("assistant-doc-origin");
        origin.setWrapText(true);
        origin.setMinHeight(Region.USE_PREF_SIZE);
        origin.getStyleClass().add("muted");
        Label warning = new Label();
        warning.setId("assistant-doc-warning");
        warning.setWrapText(true);
        warning.setMinHeight(Region.USE_PREF_SIZE);
        warning.getStyleClass().add("warning");
        warning.managedProperty().bind(warning.textProperty().isNotEmpty());
        warning.visibleProperty().bind(warning.managedProperty());
        Text before = new Text();
        before.getStyleClass().add("document-text");
        Text passage = new Text();
        passage.setId("assistant-doc-passage");
        passage.getStyleClass().addAll("document-text", "document-passage");
        Text after = new Text();
        after.getStyleClass().add("document-text");
        TextFlow flow = new TextFlow(before, passage, after);
        flow.setId("assistant-doc-text");
        flow.setPadding(new Insets(6));
        ScrollPane doc = new ScrollPane(flow);
        doc.setId("assistant-doc");
        doc.setFitToWidth(true);
        doc.getStyleClass().add("document-viewer");
        ScrollFollowsFocus.install(doc);
        VBox.setVgrow(doc, Priority.ALWAYS);
        Button openFile = new Button("_Open file");
        openFile.setId("assistant-doc-open-file");
        openFile.setTooltip(new Tooltip("Open the file in this computer's own application for it"));
        openFile.setOnAction(e -> viewModel.openCitedFile());
        viewModel.documentProperty().addListener((o, old, d) -> {
            before.setText(d == null ? "" : d.before());
            passage.setText(d == null ? "" : d.passage());
            after.setText(d == null ? "" : d.after());
            origin.setText(d == null ? "Opening the document..." : d.origin());
            warning.setText(d == null ? "" : d.warning());
            openFile.setDisable(d == null || !d.fileExists());
            if (d != null) {
                scrollToPassage(doc, flow, passage);
            }
        });
        HBox buttons = new HBox(6, openFile, close);
        Label openProblem = new Label();
        openProblem.setId("assistant-doc-open-problem");
        openProblem.setWrapText(true);
        openProblem.setMinHeight(Region.USE_PREF_SIZE);
        openProblem.getStyleClass().add("error-text");
        openProblem.textProperty().bind(viewModel.openFileProblemProperty());
        openProblem.managedProperty().bind(openProblem.textProperty().isNotEmpty());
        openProblem.visibleProperty().bind(openProblem.managedProperty());
        VBox panel = new VBox(6, title, where, text, origin, warning, doc, buttons, openProblem);
        panel.setId("assistant-cited");
        panel.getStyleClass().add("details-pane");
        panel.setPrefWidth(380);
        panel.setMinWidth(280);
        panel.setMaxWidth(380);
        BorderPane.setMargin(panel, new Insets(0, 0, 8, 8));
        panel.visibleProperty().bind(viewModel.selectedCitationProperty().isNotNull());
        panel.managedProperty().bind(panel.visibleProperty());
        return panel;
    }

    /**
     * Tab leaves the text area (as everywhere else) instead of typing a tab, so the keyboard never gets stuck in it;
     * Ctrl+Tab does the same, as JavaFX's text areas already do.
     */
    static void tabMovesFocus(TextArea area) {
        area.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.TAB && !e.isControlDown()) {
                e.consume();
                area.fireEvent(new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.TAB, e.isShiftDown(), true, false, false));
            }
        });
    }

    /** Scrolls the document so the passage sits near the top third of the view, after the next layout. */
    private static void scrollToPassage(ScrollPane doc, TextFlow flow, Text passage) {
        Platform.runLater(() -> {
            doc.applyCss();
            doc.layout();
            double content = flow.getBoundsInLocal().getHeight();
            double view = doc.getViewportBounds().getHeight();
            double y = passage.getBoundsInParent().getMinY();
            double room = content - view;
            doc.setVvalue(room <= 0 ? 0 : Math.max(0, Math.min(1, (y - view / 3) / room)));
        });
    }

    private Node input() {
        TextArea question = new TextArea();
        question.setId("assistant-input");
        question.setPromptText("Ask about your documents (Enter sends, Shift+Enter starts a new line)");
        question.setWrapText(true);
        question.setPrefRowCount(2);
        question.textProperty().bindBidirectional(viewModel.questionProperty());
        tabMovesFocus(question);
        question.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER) {
                e.consume();
                if (e.isShiftDown()) {
                    question.replaceSelection("\n");
                } else {
                    viewModel.send();
                }
            }
        });
        HBox.setHgrow(question, Priority.ALWAYS);
        Button send = new Button("_Send");
        send.setId("assistant-send");
        send.setDefaultButton(false);
        send.setMaxWidth(Double.MAX_VALUE);
        send.disableProperty().bind(viewModel.canSendProperty().not());
        send.setOnAction(e -> viewModel.send());
        Button stop = new Button("S_top");
        stop.setId("assistant-stop");
        stop.setMaxWidth(Double.MAX_VALUE);
        stop.disableProperty().bind(viewModel.busyProperty().not());
        stop.setOnAction(e -> viewModel.stop());
        VBox buttons = new VBox(6, send, stop);
        buttons.setMinWidth(90);
        HBox box = new HBox(8, question, buttons);
        box.setAlignment(Pos.CENTER_LEFT);

        Label editing = new Label("Editing a question: sending replaces its answer and removes the answers after it. "
                + "Escape cancels.");
        editing.setId("assistant-editing");
        editing.setWrapText(true);
        editing.getStyleClass().add("warning");
        Button cancelEdit = new Button("Cancel edit");
        cancelEdit.setId("assistant-edit-cancel");
        cancelEdit.setOnAction(e -> viewModel.cancelEdit());
        HBox editBar = new HBox(8, editing, cancelEdit);
        editBar.setId("assistant-edit-bar");
        editBar.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(editing, Priority.ALWAYS);
        editBar.visibleProperty().bind(viewModel.editingProperty().isNotNull());
        editBar.managedProperty().bind(editBar.visibleProperty());
        question.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && viewModel.editingProperty().get() != null) {
                e.consume();
                viewModel.cancelEdit();
            }
        });
        Label preparing = new Label();
        preparing.setId("assistant-search-preparing");
        preparing.getStyleClass().add("muted");
        preparing.textProperty().bind(viewModel.searchPreparationProperty());
        preparing.managedProperty().bind(preparing.textProperty().isNotEmpty());
        preparing.visibleProperty().bind(preparing.managedProperty());
        return new VBox(4, preparing, editBar, box);
    }

    /** The shell scrolls screens; this one fills the visible height instead, so the input stays in view. */
    private void fillViewportHeight() {
        for (Node p = getParent(); p != null; p = p.getParent()) {
            if (p instanceof ScrollPane scroll) {
                prefHeightProperty().bind(Bindings.createDoubleBinding(
                        () -> Math.max(getMinHeight(), scroll.getViewportBounds().getHeight() - 16),
                        scroll.viewportBoundsProperty()));
                return;
            }
        }
    }

    /** The view-model behind this screen. */
    public AssistantViewModel viewModel() {
        return viewModel;
    }
}
