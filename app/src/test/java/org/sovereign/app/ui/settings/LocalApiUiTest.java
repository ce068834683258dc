package org.sovereign.app.ui.settings;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.Workstation;
import org.sovereign.store.LocalStore;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.stage.Stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sovereign.app.ui.WindowFixture.waitUntil;
import static org.sovereign.app.ui.settings.SettingsScreen.click;
import static org.sovereign.app.ui.settings.SettingsScreen.reveal;
import static org.sovereign.app.ui.settings.SettingsScreen.text;
import static org.sovereign.app.ui.settings.SettingsScreen.type;

/**
 * The local API from Settings in the real window (headless on Monocle): switched on, a program registered with its
 * key shown once, that key used by a real HTTP client on 127.0.0.1 ({@code GET /v1/models}), revoked (the next call
 * gets 401), switched off; and closing the window stops it. The audit log verifies after each.
 */
@ExtendWith(ApplicationExtension.class)
class LocalApiUiTest {

    @TempDir
    static Path dataRoot;

    private Workstation context;
    private MainWindow window;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Path home = dataRoot.resolve(UUID.randomUUID().toString());
        context = WindowFixture.withVault(WindowFixture.workstation(home));
        WindowFixture.installTinyLlama(context, home);
        window = WindowFixture.show(context, stage);
    }

    @AfterEach
    void lock(FxRobot robot) {
        robot.interact(() -> window.session().lock()); // stops the server, should a step have failed
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> models(int port, String key) throws Exception {
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int switchOn(FxRobot robot) throws Exception {
        WindowFixture.unlock(robot);
        robot.clickOn("#nav-settings");
        waitUntil(() -> robot.lookup("#local-api").tryQuery().isPresent());
        assertThat(text(robot, "#local-api-status")).isEqualTo("Stopped: no program can reach the local API.");
        int port = freePort();
        type(robot, "#local-api-port", Integer.toString(port));
        click(robot, "#local-api-switch");
        waitUntil(() -> text(robot, "#local-api-status").startsWith("Running"));
        assertThat(text(robot, "#local-api-status")).isEqualTo("Running at http://127.0.0.1:" + port + ".");
        return port;
    }

    @Test
    void switchedOnAProgramRegisteredHereCallsWithItsKeyUntilRevokedThenItIsSwitchedOff(FxRobot robot) throws Exception {
        int port = switchOn(robot);
        assertThat(robot.lookup("#local-api-address").queryAs(TextField.class).getText())
                .isEqualTo("http://127.0.0.1:" + port + "/v1");
        click(robot, "#copy-local-api-address");
        assertThat(WaitForAsyncUtils.asyncFx(() -> Clipboard.getSystemClipboard().getString()).get(10, TimeUnit.SECONDS))
                .isEqualTo("http://127.0.0.1:" + port + "/v1");

        type(robot, "#client-name", "editor");
        reveal(robot, "#client-packs");
        Node tick = robot.lookup("#client-packs .check-box").query();
        robot.clickOn(tick);
        assertThat(((CheckBox) tick).isSelected()).as("the tiny Llama ticked").isTrue();
        click(robot, "#add-client");
        waitUntil(() -> !robot.lookup("#new-client-key").queryAs(TextField.class).getText().isEmpty());
        String key = robot.lookup("#new-client-key").queryAs(TextField.class).getText();
        assertThat(key).startsWith("sov-");
        assertThat(text(robot, "#client-key-once")).contains("will not be shown again");

        HttpResponse<String> listed = models(port, key);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(listed.body()).contains("\"id\":\"tiny-llama\"");

        click(robot, "#client-key-done");
        assertThat(robot.lookup("#new-client-key").queryAs(TextField.class).getText()).as("shown once").isEmpty();
        TableView<?> clients = robot.lookup("#api-clients").queryTableView();
        assertThat(clients.getItems()).hasSize(1);
        LocalApiSection.ClientRow row = (LocalApiSection.ClientRow) clients.getItems().get(0);
        assertThat(row.allows()).isEqualTo("generate text, with tiny-llama");
        assertThat(row.status()).isEqualTo("may call");
        reveal(robot, "#api-clients");
        robot.clickOn(robot.lookup("#api-clients .table-cell").match((Labeled cell) -> "editor".equals(cell.getText()))
                .<Node>query());
        click(robot, "#revoke-client");
        waitUntil(() -> robot.lookup("#revoke-client-bar").query().isVisible());
        assertThat(models(port, key).statusCode()).as("nothing changes before the confirmation").isEqualTo(200);
        click(robot, "#revoke-client-confirm");
        waitUntil(() -> ((LocalApiSection.ClientRow) clients.getItems().get(0)).status().startsWith("revoked on "));

        HttpResponse<String> refused = models(port, key);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("revoked");

        click(robot, "#local-api-switch");
        waitUntil(() -> text(robot, "#local-api-status").startsWith("Stopped"));
        assertThat(text(robot, "#local-api-status")).isEqualTo("Stopped: no program can reach the local API.");
        assertThatThrownBy(() -> models(port, key)).isInstanceOf(ConnectException.class);
        LocalStore store = window.session().unlockedProperty().get();
        assertThat(store.verifyAudit().holds()).isTrue();
    }

    @Test
    void closingTheWindowStopsTheServerAndTheAuditLogVerifies(FxRobot robot) throws Exception {
        int port = switchOn(robot);

        robot.interact(stage::close);

        waitUntil(() -> !window.session().isUnlocked());
        assertThatThrownBy(() -> models(port, "sov-none")).isInstanceOf(ConnectException.class);
        try (LocalStore store = context.store().unlock(WindowFixture.PASSPHRASE.toCharArray())) {
            assertThat(store.verifyAudit().holds()).isTrue();
        }
    }
}
