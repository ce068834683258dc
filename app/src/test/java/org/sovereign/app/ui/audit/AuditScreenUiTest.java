package org.sovereign.app.ui.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.Workstation;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditLog;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.testing.ConsentFixture;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.matcher.control.LabeledMatchers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.app.ui.WindowFixture.waitUntil;

/** The Audit screen in the real window (headless on Monocle): entries, chart, verification, tampering, proofs. */
@ExtendWith(ApplicationExtension.class)
class AuditScreenUiTest {

    static final String PASSPHRASE = WindowFixture.PASSPHRASE;

    @TempDir
    static Path dataRoot;

    private Path home;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        home = dataRoot.resolve(UUID.randomUUID().toString());
        Workstation context = WindowFixture.workstation(home);
        try (LocalStore store = context.store().create(PASSPHRASE.toCharArray())) {
            ConsentFixture.consent().purpose("private assistant").source(home.resolve("notes"))
                    .notice("Your notes will be indexed.").grantIn(store);
        }
        window = WindowFixture.show(context, stage);
    }

    private void unlockAndOpenAudit(FxRobot robot) throws Exception {
        WindowFixture.unlock(robot);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT5).release(KeyCode.DIGIT5, KeyCode.CONTROL);
        // vault.created, consent.given, vault.unlocked
        waitUntil(() -> table(robot).getItems().size() == 3);
    }

    @SuppressWarnings("unchecked")
    private static TableView<AuditViewModel.Row> table(FxRobot robot) {
        return robot.lookup("#audit-table").queryAs(TableView.class);
    }

    private static String result(FxRobot robot) {
        return robot.lookup("#audit-verify-result").queryAs(Label.class).getText();
    }

    @Test
    void showsEntriesNewestFirstFiltersThemAndChartsThemPerDay(FxRobot robot) throws Exception {
        unlockAndOpenAudit(robot);

        assertThat(table(robot).getItems()).extracting(AuditViewModel.Row::type)
                .containsExactly(AuditTypes.VAULT_UNLOCKED, AuditTypes.CONSENT_GIVEN, AuditTypes.VAULT_CREATED);
        assertThat(table(robot).getItems()).extracting(AuditViewModel.Row::sequence).containsExactly(2L, 1L, 0L);
        assertThat(table(robot).getItems().get(1).refs()).contains("consent=").contains("status=dpv:ConsentGiven");

        @SuppressWarnings("unchecked")
        StackedBarChart<String, Number> chart = robot.lookup("#audit-chart").queryAs(StackedBarChart.class);
        assertThat(chart.getData()).extracting(s -> s.getName())
                .containsExactly(AuditTypes.CONSENT_GIVEN, AuditTypes.VAULT_CREATED, AuditTypes.VAULT_UNLOCKED);
        String today = LocalDate.now(ZoneId.systemDefault()).toString();
        assertThat(chart.getData()).allSatisfy(s -> assertThat(s.getData()).singleElement()
                .satisfies(d -> {
                    assertThat(d.getXValue()).isEqualTo(today);
                    assertThat(d.getYValue().intValue()).isEqualTo(1);
                }));

        @SuppressWarnings("unchecked")
        ComboBox<String> type = robot.lookup("#audit-type-filter").queryAs(ComboBox.class);
        assertThat(type.getItems()).containsExactly(AuditViewModel.ALL_TYPES, AuditTypes.CONSENT_GIVEN,
                AuditTypes.VAULT_CREATED, AuditTypes.VAULT_UNLOCKED);
        robot.interact(() -> type.setValue(AuditTypes.CONSENT_GIVEN));
        assertThat(table(robot).getItems()).extracting(AuditViewModel.Row::type).containsExactly(AuditTypes.CONSENT_GIVEN);

        robot.interact(() -> type.setValue(AuditViewModel.ALL_TYPES));
        robot.clickOn("#audit-text-filter").write("unlocked");
        assertThat(table(robot).getItems()).extracting(AuditViewModel.Row::type).containsExactly(AuditTypes.VAULT_UNLOCKED);
    }

    @Test
    void verifyLogSaysItHolds(FxRobot robot) throws Exception {
        unlockAndOpenAudit(robot);

        robot.clickOn("#audit-verify");

        waitUntil(() -> result(robot).startsWith("The log holds"));
        assertThat(result(robot)).startsWith("The log holds: 3 entries, all matching the signed checkpoints.");
        assertThat(robot.lookup("#audit-problems").queryAs(ListView.class).isVisible()).isFalse();
    }

    @Test
    void verifyLogFindsAByteChangedInTheFileWhileTheVaultIsUnlocked(FxRobot robot) throws Exception {
        unlockAndOpenAudit(robot);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + LocalStore.vaultFile(home));
             PreparedStatement read = c.prepareStatement("SELECT entry FROM audit_entry WHERE seq = 1");
             ResultSet rs = read.executeQuery()) {
            rs.next();
            byte[] entry = rs.getBytes(1);
            entry[entry.length / 2] ^= 0x04;
            try (PreparedStatement write = c.prepareStatement("UPDATE audit_entry SET entry = ? WHERE seq = 1")) {
                write.setBytes(1, entry);
                assertThat(write.executeUpdate()).isEqualTo(1);
            }
        }

        robot.clickOn("#audit-verify");

        waitUntil(() -> result(robot).startsWith("The log does NOT hold"));
        assertThat(result(robot)).startsWith("The log does NOT hold: Audit entry 1 was changed after it was written.");
        @SuppressWarnings("unchecked")
        ListView<String> problems = robot.lookup("#audit-problems").queryAs(ListView.class);
        assertThat(problems.isVisible()).isTrue();
        assertThat(problems.getItems()).contains("Audit entry 1 was changed after it was written.");
    }

    @Test
    void exportsAProofOfTheSelectedEntryThatAnAuditorCanCheckWithTheShownKey(FxRobot robot) throws Exception {
        unlockAndOpenAudit(robot);
        robot.clickOn(robot.from(table(robot)).lookup(LabeledMatchers.hasText(AuditTypes.VAULT_UNLOCKED)).queryLabeled());
        robot.type(KeyCode.DOWN);
        assertThat(table(robot).getSelectionModel().getSelectedItem().type())
                .as("rows are selectable with the arrow keys").isEqualTo(AuditTypes.CONSENT_GIVEN);
        Path proof = home.resolve("entry-1.proof");

        AuditViewModel vm = robot.lookup("#audit-view").queryAs(AuditView.class).viewModel();
        robot.interact(() -> vm.exportProof(proof));
        waitUntil(() -> robot.lookup("#audit-proof-message").queryAs(Label.class).getText().startsWith("Proof of entry 1"));

        String key = robot.lookup("#audit-log-key").queryAs(TextField.class).getText();
        assertThat(key).isEqualTo(window.session().unlockedProperty().get().audit().logKey().encode());
        assertThat(robot.lookup("#audit-proof-message").queryAs(Label.class).getText()).contains("--key " + key);
        AuditEntry proven = AuditLog.verifyProofFile(Files.readAllBytes(proof), List.of(key));
        assertThat(proven.sequence()).isEqualTo(1);
        assertThat(proven.type()).isEqualTo(AuditTypes.CONSENT_GIVEN);
    }
}
