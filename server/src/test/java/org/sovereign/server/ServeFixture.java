package org.sovereign.server;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.Workstation;
import org.sovereign.core.common.Progress;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.consent.GrantRequest;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.TestKdf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.sovereign.testing.Fixtures.TINY_LLAMA;

/**
 * What the local API tests start from: a data directory with a real vault, the bundled embedding pack and the tiny
 * Llama fixture installed, a library folder indexed under its own consent, an unlocked workspace and the server on
 * 127.0.0.1 (any free port). Closing it stops the server and locks the workspace.
 */
final class ServeFixture implements AutoCloseable {

    static final String PASS = "a long and private passphrase";
    static final String TINY = "tiny-llama";
    static final String MINILM = "all-minilm-l6-v2";
    static final String LIBRARY_PURPOSE = "private library";

    static {
        // the JDK server reads this once per JVM: a request still arriving after 2 s is dropped (slow-loris test)
        System.setProperty(ApiServer.MAX_REQ_TIME_PROPERTY, "2");
    }

    final Path home;
    final Path notes;
    final Workstation workstation;
    final UnlockedWorkspace workspace;
    ApiServer server;

    ServeFixture(Path tmp) throws IOException {
        home = tmp.resolve("home");
        notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("mites.md"), "Varroa mites are counted with a sugar roll in August. "
                + "A count above three mites per hundred bees calls for treatment.");
        workstation = Workstation.create(DataDirectory.resolve(home), home.resolve("sovereign.log"), TestKdf.FAST);
        workstation.store().create(PASS.toCharArray()).close();
        workstation.packs().installation().installDefault(PASS::toCharArray, Progress.NONE);
        Path mpack = tmp.resolve("tiny.mpack");
        workstation.packs().importer().importFolder(TINY_LLAMA, mpack, TINY, "1.0", "Apache-2.0", null);
        workstation.packs().installation().install(mpack, List.of(), true, PASS::toCharArray, Progress.NONE);
        workspace = workstation.unlock(PASS.toCharArray());
        workspace.consents().grant(new GrantRequest(List.of(LIBRARY_PURPOSE), EnumSet.of(Operation.INDEX,
                Operation.EMBED), List.of(notes), List.of(), 30));
        workspace.library().index(notes, LIBRARY_PURPOSE, Progress.NONE);
        server = ApiServer.start(workspace, workstation.packs(), ApiServer.Options.loopback(0));
    }

    /** Registers a client allowed {@code ops} on any pack (and to ask about {@code sources}); returns its key. */
    String register(String name, Set<Operation> ops, List<Path> sources) {
        ApiClients.Registration r = server.clients().add(new ApiClients.ClientGrant(name, ops, List.of(), sources, 30));
        try {
            return new String(r.key());
        } finally {
            r.wipe();
        }
    }

    /** The official OpenAI client pointed at the server with {@code key}, no retries. */
    OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey(key).maxRetries(0)
                .timeout(Duration.ofSeconds(60)).build();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            try {
                workspace.close();
            } finally {
                workstation.packs().runtime().unloadModels();
            }
        }
    }
}
