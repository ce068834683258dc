package org.sovereign.app.ui.governance;

import org.sovereign.app.ui.governance.GovernanceViewModel.OptionVote;
import org.sovereign.app.ui.governance.GovernanceViewModel.Row;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Governance screen. Lays out and binds; all behaviour is in {@link GovernanceViewModel}. */
public final class GovernanceView extends VBox {

    public GovernanceView(GovernanceViewModel viewModel) {
        setId("governance-view");
        setSpacing(10);
        setPadding(new Insets(4, 0, 8, 0));

        Label status = new Label();
        status.setId("governance-status");
        status.setWrapText(true);
        status.textProperty().bind(viewModel.statusProperty());

        TableView<Row> table = new TableView<>(viewModel.rows());
        table.setId("governance-proposals");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.setPlaceholder(new Label("No proposal yet."));
        table.getColumns().add(column("Proposal", 320, Row::text));
        table.getColumns().add(column("Kind", 110, Row::kind));
        table.getColumns().add(column("State", 90, Row::state));
        table.getColumns().add(column("Result", 240, Row::result));
        table.setPrefHeight(220);
        table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> viewModel.selectedProperty().set(now));
        viewModel.selectedProperty().addListener((o, was, now) -> {
            if (table.getSelectionModel().getSelectedItem() != now) {
                table.getSelectionModel().select(now);
            }
        });
        table.visibleProperty().bind(viewModel.joinedProperty());
        table.managedProperty().bind(table.visibleProperty());

        Label explain = new Label("Move a slider to put votes for (right) or against (left) an option; n votes cost n "
                + "times n voice credits. Your latest vote replaces earlier ones, and it counts once the stewards' "
                + "close includes it.");
        explain.setWrapText(true);
        explain.getStyleClass().add("muted");
        VBox sliders = new VBox(6);
        sliders.setId("governance-options");
        viewModel.options().addListener((ListChangeListener<OptionVote>) c -> {
            sliders.getChildren().clear();
            viewModel.options().forEach(o -> sliders.getChildren().add(sliderRow(o)));
        });
        Label cost = new Label();
        cost.setId("governance-cost");
        cost.textProperty().bind(viewModel.costProperty());
        Button vote = new Button("_Sign my vote");
        vote.setId("governance-vote");
        vote.disableProperty().bind(viewModel.canVoteProperty().not());
        vote.setOnAction(e -> viewModel.vote());
        Button refresh = new Button("_Refresh");
        refresh.setId("governance-refresh");
        refresh.setOnAction(e -> viewModel.refresh());
        HBox actions = new HBox(10, vote, refresh, cost);
        actions.setAlignment(Pos.CENTER_LEFT);
        Label message = new Label();
        message.setId("governance-message");
        message.setWrapText(true);
        message.textProperty().bind(viewModel.messageProperty());
        VBox voting = new VBox(8, explain, sliders, actions, message);
        voting.visibleProperty().bind(viewModel.selectedProperty().isNotNull());
        voting.managedProperty().bind(voting.visibleProperty());

        getChildren().addAll(status, table, voting);
    }

    private static HBox sliderRow(OptionVote option) {
        Label name = new Label(option.option());
        name.setMinWidth(120);
        Slider slider = new Slider(-GovernanceViewModel.MAX_VOTES, GovernanceViewModel.MAX_VOTES, option.votes().get());
        slider.setId("governance-slider-" + option.option());
        slider.setMajorTickUnit(5);
        slider.setMinorTickCount(4);
        slider.setSnapToTicks(true);
        slider.setShowTickMarks(true);
        slider.setShowTickLabels(true);
        slider.setBlockIncrement(1);
        slider.valueProperty().addListener((o, was, now) -> option.votes().set((int) Math.round(now.doubleValue())));
        Label value = new Label();
        value.textProperty().bind(option.votes().asString("%d votes"));
        HBox.setHgrow(slider, Priority.ALWAYS);
        HBox row = new HBox(10, name, slider, value);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    private static TableColumn<Row, String> column(String title, double width, Function<Row, String> value) {
        TableColumn<Row, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(c -> new ReadOnlyStringWrapper(value.apply(c.getValue())));
        return column;
    }
}
