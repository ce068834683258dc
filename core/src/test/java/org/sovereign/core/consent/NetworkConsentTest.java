package org.sovereign.core.consent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.TestKdf;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A consent that names network hosts: recorded as {@code net:HOST}, never turned into a path, told in plain words. */
class NetworkConsentTest {

    @TempDir
    Path tmp;

    @Test
    void hostsAreRecordedAsNetworkSourcesAndTheNoticeSaysWhatTheyReceive() {
        GrantRequest request = new GrantRequest(List.of("pack-fetch"), Set.of(Operation.SHARE), List.of(),
                List.of("HuggingFace.co ", "*.hf.co"), List.of(), 7, null);

        assertThat(request.problem()).isEmpty();
        assertThat(request.recordedSources()).containsExactly("net:huggingface.co", "net:*.hf.co");
        assertThat(request.noticeText()).isEqualTo("You allow this workstation to contact huggingface.co, any host "
                + "under hf.co over the network for the purpose of pack-fetch: they receive its requests (which files "
                + "it asks for) and this computer's network address, and nothing from your documents. This lasts 7 "
                + "days. You can withdraw this consent at any time; withdrawing is as easy as giving it.");

        try (LocalStore store = LocalStore.create(tmp.resolve("home"), "a long and private passphrase".toCharArray(),
                TestKdf.FAST, Clock.systemUTC())) {
            ConsentHistory h = new Consents(store, Clock.systemUTC()).grant(request);
            assertThat(h.terms().sources()).containsExactlyInAnyOrder("net:huggingface.co", "net:*.hf.co");
        }
    }

    @Test
    void somethingThatIsNoHostIsRefusedInPlainWords() {
        GrantRequest request = new GrantRequest(List.of("pack-fetch"), Set.of(Operation.SHARE), List.of(),
                List.of("huggingface.co/models"), List.of(), 7, null);

        assertThat(request.problem()).isEqualTo("'huggingface.co/models' is not a host name (like huggingface.co, or "
                + "*.hf.co for every host under hf.co).");
        assertThat(new GrantRequest(List.of("x"), Set.of(Operation.SHARE), List.of(), List.of(), List.of(), 7, null)
                .problem()).isEqualTo("Add at least one folder or file.");
    }
}
