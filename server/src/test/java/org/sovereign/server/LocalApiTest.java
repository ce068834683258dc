package org.sovereign.server;

import com.openai.client.OpenAIClient;
import com.openai.errors.UnauthorizedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.store.consent.Operation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sovereign.server.ServeFixture.MINILM;
import static org.sovereign.server.ServeFixture.TINY;

/**
 * {@link LocalApi}, what the window drives: start, stop, a port in use in plain words, clients managed through the
 * running server, and the clients' states and terms ({@link ClientStatus}). Real vault, real server on 127.0.0.1.
 */
class LocalApiTest {

    @TempDir
    Path tmp;
    private ServeFixture f;
    private LocalApi api;

    @BeforeEach
    void setUp() throws IOException {
        f = new ServeFixture(tmp);
        api = new LocalApi(f.workspace, f.workstation.packs());
    }

    @AfterEach
    void tearDown() {
        try {
            api.close();
        } finally {
            f.close();
        }
    }

    @Test
    void aPortInUseIsSaidPlainlyAndAFreeOneServesUntilStopped() {
        int taken = f.server.address().getPort();
        assertThatThrownBy(() -> api.start(ApiServer.Options.loopback(taken)))
                .isInstanceOfSatisfying(LocalApi.StartFailure.class, e -> assertThat(e.portInUse()).isTrue())
                .hasMessage("Port " + taken + " is in use by another program; choose another port.");
        assertThat(api.baseUrl()).isEmpty();

        String url = api.start(ApiServer.Options.loopback(0));
        assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/v1");
        assertThat(api.start(ApiServer.Options.loopback(0))).as("already serving: the same server").isEqualTo(url);
        String key = register(api, "notes", EnumSet.of(Operation.GENERATE), List.of(), List.of());
        OpenAIClient client = client(url, key);
        try {
            assertThat(client.models().list().data()).extracting(m -> m.id()).contains(TINY, MINILM);

            api.clients().revoke("notes");
            assertThatThrownBy(() -> client.models().list()).as("revoked through the running server: refused at once")
                    .isInstanceOf(UnauthorizedException.class);
        } finally {
            client.close();
        }
        api.stop();
        assertThat(api.baseUrl()).isEmpty();
        api.stop(); // nothing to stop
        assertThat(f.workspace.store().verifyAudit().holds()).isTrue();

        api.close();
        assertThatThrownBy(() -> api.start(ApiServer.Options.loopback(0))).isInstanceOf(UserFacingException.class)
                .hasMessage("The vault is locked, so the local API cannot start.");
    }

    @Test
    void clientStatusesSayWhatEachConsentAllowsAndWhetherItMayCall() {
        String tinyDigest = api.packs().stream().filter(p -> p.name().equals(TINY)).findFirst().orElseThrow().digest();
        assertThat(api.packs()).extracting(p -> p.name()).containsExactlyInAnyOrder(TINY, MINILM);
        register(api, "editor", EnumSet.of(Operation.GENERATE, Operation.EMBED), List.of(tinyDigest), List.of());
        register(api, "notes", EnumSet.of(Operation.GENERATE), List.of(), List.of(f.notes));
        register(api, "old", EnumSet.of(Operation.EMBED), List.of(), List.of());
        api.clients().revoke("old");
        String withdrawn = register(api, "script", EnumSet.of(Operation.EMBED), List.of(), List.of());
        assertThat(withdrawn).startsWith("sov-");
        String scriptConsent = api.clients().list().stream().filter(c -> c.name().equals("script")).findFirst()
                .orElseThrow().consentId();
        f.workspace.consents().withdraw(scriptConsent, false);

        Map<String, ClientStatus> byName = new java.util.HashMap<>();
        api.clientStatuses().forEach(s -> byName.put(s.client().name(), s));

        ClientStatus editor = byName.get("editor");
        assertThat(editor.state()).isEqualTo(ClientStatus.State.MAY_CALL);
        assertThat(editor.mayCall()).isTrue();
        assertThat(editor.validUntil()).isAfter(editor.client().created().plusSeconds(29L * 86_400));
        assertThat(editor.allowedWords(d -> d.equals(tinyDigest) ? TINY : d))
                .isEqualTo("generate text and compute embeddings, with tiny-llama");
        assertThat(byName.get("notes").allowedWords(d -> d)).isEqualTo("generate text, with any installed model; ask about "
                + f.notes.toAbsolutePath().normalize());
        assertThat(byName.get("notes").sources()).containsExactly(f.notes.toAbsolutePath().normalize());
        assertThat(byName.get("old").state()).isEqualTo(ClientStatus.State.REVOKED);
        assertThat(byName.get("script").state()).isEqualTo(ClientStatus.State.CONSENT_WITHDRAWN);
        assertThat(byName.get("script").operations()).isEqualTo(Set.of(Operation.EMBED));
    }

    private static String register(LocalApi api, String name, Set<Operation> ops, List<String> packs, List<Path> sources) {
        ApiClients.Registration r = api.clients().add(new ApiClients.ClientGrant(name, ops, packs, sources, 30));
        try {
            return new String(r.key());
        } finally {
            r.wipe();
        }
    }

    private static OpenAIClient client(String url, String key) {
        return com.openai.client.okhttp.OpenAIOkHttpClient.builder().baseUrl(url).apiKey(key).maxRetries(0).build();
    }
}
