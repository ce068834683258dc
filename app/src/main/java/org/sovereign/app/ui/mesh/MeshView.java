package org.sovereign.app.ui.mesh;

import org.sovereign.app.ui.mesh.MeshViewModel.Row;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;

/** Mesh screen. Lays out and binds; all behaviour is in {@link MeshViewModel}. */
public final class MeshView extends VBox {

    public MeshView(MeshViewModel viewModel) {
        setId("mesh-view");
        setSpacing(10);
        setPadding(new Insets(4, 0, 8, 0));

        Label status = new Label();
        status.setId("mesh-status");
        status.setWrapText(true);
        status.textProperty().bind(viewModel.statusProperty());

        Label warning = new Label();
        warning.setId("mesh-warning");
        warning.setWrapText(true);
        warning.getStyleClass().add("verify-fails");
        warning.textProperty().bind(viewModel.warningProperty());
        warning.visibleProperty().bind(viewModel.warningProperty().isNotEmpty());
        warning.managedProperty().bind(warning.visibleProperty());

        Label witnesses = new Label();
        witnesses.setId("mesh-witnesses");
        witnesses.setWrapText(true);
        witnesses.textProperty().bind(viewModel.witnessesProperty());
        witnesses.visibleProperty().bind(viewModel.joinedProperty());
        witnesses.managedProperty().bind(witnesses.visibleProperty());

        Label explain = new Label("Members publish their audit checkpoints and cosign each other's after checking that "
                + "each one extends the last they saw, so a log that was rolled back or rewritten is noticed by the "
                + "others. Each row is a member whose signed log this workstation holds.");
        explain.setWrapText(true);
        explain.getStyleClass().add("muted");
        explain.visibleProperty().bind(viewModel.joinedProperty());
        explain.managedProperty().bind(explain.visibleProperty());

        TableView<Row> table = new TableView<>(viewModel.rows());
        table.setId("mesh-members");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.setPlaceholder(new Label("No member's log is held here yet."));
        table.getColumns().add(column("Member", 160, Row::member));
        table.getColumns().add(column("Standing", 150, Row::standing));
        table.getColumns().add(column("Records", 80, Row::records));
        table.getColumns().add(column("Audit checkpoint", 260, Row::checkpoint));
        table.getColumns().add(column("Notes", 320, Row::notes));
        table.visibleProperty().bind(viewModel.joinedProperty());
        table.managedProperty().bind(table.visibleProperty());

        Button refresh = new Button("_Refresh");
        refresh.setId("mesh-refresh");
        refresh.setOnAction(e -> viewModel.refresh());

        getChildren().addAll(status, warning, witnesses, explain, table, refresh);
    }

    private static TableColumn<Row, String> column(String title, double width, Function<Row, String> value) {
        TableColumn<Row, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(c -> new ReadOnlyStringWrapper(value.apply(c.getValue())));
        return column;
    }
}
