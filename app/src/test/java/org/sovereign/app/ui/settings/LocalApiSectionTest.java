package org.sovereign.app.ui.settings;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.FxThread;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.UnlockedSession;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.Workstation;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.ConsentFixture;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settings' "Local API" without a window: the switch serves on 127.0.0.1 and stops, a port in use or a wrong port is
 * said plainly, a program is registered under its own consent with its key shown once, revoked only after
 * confirmation (refused by the running server at once), and locking the vault stops the server first. Real vault, real
 * server, real sockets on 127.0.0.1.
 */
class LocalApiSectionTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path home;
    private Workstation workstation;
    private Path notes;
    private VaultSessionState session;
    private LocalApiSection vm;

    @BeforeAll
    static void toolkit() throws Exception {
        FxThread.start();
    }

    @BeforeEach
    void setUp() throws Exception {
        notes = Files.createDirectories(home.resolve("notes"));
        Files.writeString(notes.resolve("hives.md"), "Varroa mites are counted in August.");
        workstation = WindowFixture.workstation(home.resolve("data"));
        WindowFixture.vaultWithNotes(workstation, ConsentFixture.consent().purpose(WindowFixture.PURPOSE).source(notes)
                .operations(Operation.INDEX), notes, null);
        session = FxThread.call(() -> UnlockedSession.of(workstation));
        vm = FxThread.call(() -> new LocalApiSection(session, workstation.packs(), BackgroundTasks.sameThread(), CLOCK));
    }

    @AfterEach
    void lock() throws Exception {
        FxThread.run(session::lock);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Whether a listener could take {@code port} on 127.0.0.1 now (nothing else holds it). */
    private static boolean portIsFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return s.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    private static int get(String url, String key) throws Exception {
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/models"));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void serveOn(int port) throws Exception {
        FxThread.run(() -> {
            vm.portProperty().set(Integer.toString(port));
            vm.servingProperty().set(true);
        });
    }

    @Test
    void theSwitchServesOnTheChosenPortOfThisComputerAndStopsIt() throws Exception {
        assertThat(vm.statusProperty().get()).isEqualTo("Stopped: no program can reach the local API.");
        assertThat(vm.portProperty().get()).isEqualTo("8765");
        int port = freePort();

        serveOn(port);

        assertThat(vm.statusProperty().get()).isEqualTo("Running at http://127.0.0.1:" + port + ".");
        assertThat(vm.addressProperty().get()).isEqualTo("http://127.0.0.1:" + port + "/v1");
        assertThat(get(vm.addressProperty().get(), null)).as("it answers: a call without a key").isEqualTo(401);
        assertThat(portIsFree(port)).isFalse();

        FxThread.run(() -> vm.servingProperty().set(false));

        assertThat(vm.statusProperty().get()).isEqualTo("Stopped: no program can reach the local API.");
        assertThat(vm.addressProperty().get()).isEmpty();
        assertThat(portIsFree(port)).as("the port is closed").isTrue();
        assertThat(session.workspace().store().verifyAudit().holds()).isTrue();
    }

    @Test
    void aWrongPortOrOneInUseIsSaidInPlainWords() throws Exception {
        for (String wrong : new String[] {"", "web", "0", "70000"}) {
            FxThread.run(() -> vm.portProperty().set(wrong));
            assertThat(vm.portProblemProperty().get()).as(wrong)
                    .isEqualTo("The port is a whole number from 1 to 65535 (8765 unless another program uses it).");
            assertThat(vm.canSwitchProperty().get()).isFalse();
        }
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            serveOn(taken.getLocalPort());
            assertThat(vm.portProblemProperty().get()).isEmpty();
            assertThat(vm.statusProperty().get()).isEqualTo("Could not start: port " + taken.getLocalPort()
                    + " is in use by another program; choose another port.");
            assertThat(vm.servingProperty().get()).as("the switch is off again").isFalse();
            assertThat(vm.addressProperty().get()).isEmpty();
            assertThat(vm.canSwitchProperty().get()).isTrue();
        }
    }

    @Test
    void aProgramIsRegisteredUnderItsOwnConsentShownOnceAndRevokedOnlyAfterConfirmation() throws Exception {
        ApiClientForm form = vm.form();
        assertThat(form.sources()).extracting(ApiClientForm.Choice::value).containsExactly(notes.toAbsolutePath().normalize());
        assertThat(form.canAddProperty().get()).as("no name yet").isFalse();
        FxThread.run(() -> {
            form.nameProperty().set("notes app");
            form.generateProperty().set(false);
        });
        assertThat(form.problemProperty().get()).isEqualTo("Choose at least one thing the program may do.");
        FxThread.run(() -> form.askProperty().set(true));
        assertThat(form.generateProperty().get()).as("asking comes with generating").isTrue();
        assertThat(form.problemProperty().get()).isEqualTo("Tick at least one library folder the program may ask about.");
        FxThread.run(() -> {
            form.sources().get(0).selectedProperty().set(true);
            form.daysProperty().set("0");
        });
        assertThat(form.problemProperty().get()).isEqualTo("Enter how many days it may call, from 1 to 3650.");
        FxThread.run(() -> form.daysProperty().set("30"));
        assertThat(form.problemProperty().get()).isEmpty();
        assertThat(form.untilProperty().get()).isEqualTo("Until 6 January 2027.");
        int port = freePort();
        serveOn(port);

        FxThread.run(form::add);

        String key = form.newKeyProperty().get();
        assertThat(key).startsWith("sov-").hasSizeGreaterThan(40);
        assertThat(form.newKeyForProperty().get()).isEqualTo("notes app");
        assertThat(form.nameProperty().get()).as("the form is ready for the next program").isEmpty();
        assertThat(vm.clients()).hasSize(1);
        LocalApiSection.ClientRow row = vm.clients().get(0);
        assertThat(row.name()).isEqualTo("notes app");
        assertThat(row.allows()).isEqualTo("generate text, with any installed model; ask about "
                + notes.toAbsolutePath().normalize());
        assertThat(row.until()).matches("\\d{1,2} [A-Z][a-z]+ \\d{4}");
        assertThat(row.status()).isEqualTo("may call");
        ConsentHistory consent = session.workspace().store().consent().all().stream()
                .filter(h -> h.terms().purposes().contains("local API: notes app")).findFirst().orElseThrow();
        assertThat(consent.terms().operations()).isEqualTo(Set.of(Operation.GENERATE));
        assertThat(get(vm.addressProperty().get(), key)).isEqualTo(200);

        FxThread.run(form::dismissKey);
        assertThat(form.newKeyProperty().get()).as("shown once").isEmpty();

        FxThread.run(() -> vm.askRevoke(row));
        assertThat(vm.revokeQuestion().get()).startsWith("Revoke 'notes app'? Its key stops working at once");
        FxThread.run(vm::cancelRevoke);
        assertThat(vm.clients().get(0).status()).isEqualTo("may call");
        assertThat(get(vm.addressProperty().get(), key)).as("kept").isEqualTo(200);

        FxThread.run(() -> vm.askRevoke(row));
        FxThread.run(vm::confirmRevoke);

        assertThat(vm.clientsMessageProperty().get())
                .isEqualTo("Revoked 'notes app': its key no longer works and its consent is withdrawn.");
        assertThat(vm.clients().get(0).status()).startsWith("revoked on ");
        assertThat(vm.clients().get(0).mayCall()).isFalse();
        assertThat(get(vm.addressProperty().get(), key)).as("refused at once by the running server").isEqualTo(401);
    }

    @Test
    void lockingTheVaultStopsTheServerWhileItsKeysStillWork() throws Exception {
        int port = freePort();
        serveOn(port);
        assertThat(portIsFree(port)).isFalse();

        FxThread.run(session::lock);

        assertThat(vm.servingProperty().get()).isFalse();
        assertThat(vm.statusProperty().get()).isEqualTo("Stopped when the vault locked.");
        assertThat(vm.addressProperty().get()).isEmpty();
        assertThat(vm.clients()).isEmpty();
        assertThat(portIsFree(port)).isTrue();
        FxThread.run(() -> UnlockedSession.unlockAgain(session, workstation));
        assertThat(session.workspace().store().verifyAudit().holds()).isTrue();
        serveOn(port);
        assertThat(vm.statusProperty().get()).as("it starts again after unlocking").startsWith("Running at ");
    }
}
