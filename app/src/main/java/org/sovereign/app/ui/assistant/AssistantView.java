package org.sovereign.app.ui.assistant;

import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.sovereign.app.ui.assistant.AssistantViewModel.Citation;
import org.sovereign.app.ui.assistant.AssistantViewModel.Exchange;
import org.sovereign.app.ui.assistant.AssistantViewModel.ModelChoice;

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
        model.setPrefWidth(260);
        model.setValue(viewModel.modelProperty().get());
        viewModel.modelProperty().addListener((o, old, now) -> model.setValue(now));
        viewModel.modelChoices().addListener((ListChangeListener<ModelChoice>) c -> model.setValue(viewModel.modelProperty().get()));
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
        HBox bar = new HBox(8, modelLabel, model, purposeLabel, purpose, grow, fresh);
        bar.setAlignment(Pos.CENTER_LEFT);

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
        chip.textProperty().bind(viewModel.consentChipProperty());
        chip.managedProperty().bind(chip.textProperty().isNotEmpty());
        chip.visibleProperty().bind(chip.managedProperty());
        viewModel.consentRefusedProperty().addListener((o, was, refused) -> {
            chip.getStyleClass().remove("refused");
            if (refused) {
                chip.getStyleClass().add("refused");
            }
        });
        VBox top = new VBox(6, bar, hint, chip);
        top.setPadding(new Insets(0, 0, 8, 0));
        return top;
    }

    private Node center() {
        messages.setPadding(new Insets(8));
        messages.setId("assistant-messages");
        Label empty = new Label("Ask a question about your documents. Answers cite the passages they use.");
        empty.getStyleClass().add("muted");
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

        BorderPane.setMargin(conversation, new Insets(0, 0, 8, 0));
        BorderPane center = new BorderPane(conversation);
        center.setRight(citationPanel());
        return center;
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
        x.citations().addListener((ListChangeListener<Citation>) c -> {
            cites.getChildren().clear();
            for (Citation cite : x.citations()) {
                Hyperlink link = new Hyperlink(cite.label() + "  " + cite.snippet());
                link.setId("assistant-citation-" + n + "-" + cite.number());
                link.setOnAction(e -> viewModel.selectedCitationProperty().set(cite));
                cites.getChildren().add(link);
            }
        });

        Button copy = new Button("Copy");
        copy.setId("assistant-copy-" + n);
        copy.disableProperty().bind(x.writingProperty().or(x.answerProperty().isEmpty()));
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(x.answerProperty().get());
            Clipboard.getSystemClipboard().setContent(content);
        });
        Button again = new Button("Regenerate");
        again.setId("assistant-regenerate-" + n);
        again.disableProperty().bind(viewModel.busyProperty());
        again.setOnAction(e -> viewModel.regenerate(x));
        HBox actions = new HBox(6, copy, again);
        actions.managedProperty().bind(x.writingProperty().not());
        actions.visibleProperty().bind(actions.managedProperty());

        VBox bubble = new VBox(6, answer, status, problem, cites, actions);
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
        VBox.setVgrow(text, Priority.ALWAYS);
        Button close = new Button("Close");
        close.setId("assistant-cited-close");
        close.setOnAction(e -> viewModel.selectedCitationProperty().set(null));
        viewModel.selectedCitationProperty().addListener((o, old, c) -> {
            title.setText(c == null ? "" : c.label());
            where.setText(c == null ? "" : c.location());
            text.setText(c == null ? "" : c.text());
        });
        VBox panel = new VBox(6, title, where, text, close);
        panel.setId("assistant-cited");
        panel.getStyleClass().add("details-pane");
        panel.setPrefWidth(300);
        panel.setMaxWidth(300);
        BorderPane.setMargin(panel, new Insets(0, 0, 8, 8));
        panel.visibleProperty().bind(viewModel.selectedCitationProperty().isNotNull());
        panel.managedProperty().bind(panel.visibleProperty());
        return panel;
    }

    private Node input() {
        TextArea question = new TextArea();
        question.setId("assistant-input");
        question.setPromptText("Ask about your documents (Enter sends, Shift+Enter starts a new line)");
        question.setWrapText(true);
        question.setPrefRowCount(2);
        question.textProperty().bindBidirectional(viewModel.questionProperty());
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
        return box;
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
