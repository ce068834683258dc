package org.sovereign.mesh.membership;

import org.junit.jupiter.api.Test;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invite files and short codes: what they hold, and that a changed or mistyped one is refused before use. */
class InviteTest {
    private final RecordSigner steward = Coop.key(1);

    private MeshLog stewardLog(Coop coop) {
        return stewardLogOf(coop, steward);
    }

    @Test
    void anInviteFileCarriesTheGenesisTheStewardsSignedInvitationAndTheSecret() {
        Coop coop = new Coop("bees", 1, steward);
        Invite issued = Invite.issue(stewardLog(coop), coop.genesis, List.of("127.0.0.1:7801"), 5_000);

        Invite read = Invite.readFile(issued.toFile());
        assertThat(read.complete()).isTrue();
        assertThat(read.key()).isEqualTo(issued.key());
        assertThat(read.coop()).isEqualTo("bees");
        assertThat(read.peers()).containsExactly("127.0.0.1:7801");
        assertThat(read.expires()).contains(5_000L);
        assertThat(read.genesis().orElseThrow().hash()).isEqualTo(coop.genesis.hash());
        assertThat(new String(issued.toFile(), StandardCharsets.UTF_8)).startsWith("{\"format\":\"sovereign-mesh-invite/v1\"");
    }

    @Test
    void aChangedInviteFileIsRefused() {
        Coop coop = new Coop("bees", 1, steward);
        Invite issued = Invite.issue(stewardLog(coop), coop.genesis, List.of("127.0.0.1:7801"), 5_000);
        String file = new String(issued.toFile(), StandardCharsets.UTF_8);

        String laterExpiry = file.replace("\"expires\":5000", "\"expires\":9000");
        assertThatThrownBy(() -> Invite.readFile(laterExpiry.getBytes(StandardCharsets.UTF_8)))
                .hasMessage("The invitation was not signed by a steward of the cooperative.");
        String otherPeer = file.replace("127.0.0.1:7801", "127.0.0.1:7802");
        assertThatThrownBy(() -> Invite.readFile(otherPeer.getBytes(StandardCharsets.UTF_8)))
                .hasMessage("The invitation was not signed by a steward of the cooperative.");
        String secret = file.substring(file.indexOf("\"secret\":\"") + 10, file.indexOf("\"secret\":\"") + 34);
        String otherSecret = file.replace(secret, "00".repeat(Invite.SECRET_BYTES));
        assertThatThrownBy(() -> Invite.readFile(otherSecret.getBytes(StandardCharsets.UTF_8)))
                .hasMessage("The invitation is for another secret.");
        assertThatThrownBy(() -> Invite.readFile("{\"hello\":1}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("This is not an invite file of this version.");

        // an invitation signed by someone who is no steward, with the genesis of the cooperative
        RecordSigner outsider = Coop.key(9);
        Coop theirs = new Coop("bees", 1, outsider);
        Invite foreign = Invite.issue(stewardLogOf(theirs, outsider), theirs.genesis, List.of("127.0.0.1:7801"), 5_000);
        String mixed = new String(foreign.toFile(), StandardCharsets.UTF_8);
        String genesisJson = new String(coop.genesis.record().wire(), StandardCharsets.UTF_8);
        String theirGenesis = new String(theirs.genesis.record().wire(), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Invite.readFile(mixed.replace(theirGenesis, genesisJson).getBytes(StandardCharsets.UTF_8)))
                .hasMessage("The invitation was not signed by a steward of the cooperative.");
    }

    private static MeshLog stewardLogOf(Coop coop, RecordSigner signer) {
        MemoryRecordStore store = new MemoryRecordStore();
        store.append(coop.genesis.record());
        return new MeshLog(coop.id, signer, store, Clock.systemUTC());
    }

    @Test
    void aShortCodeCarriesTheSecretAndAGenesisPrefixAndIsCheckedAgainstWhatThePeerSends() {
        Coop coop = new Coop("bees", 1, steward);
        Invite issued = Invite.issue(stewardLog(coop), coop.genesis, List.of("127.0.0.1:7801"), 5_000);
        String code = issued.shortCode();
        assertThat(code).matches("bees@127\\.0\\.0\\.1:7801/([0-9A-HJKMNP-TV-Z]{5}-){7}[0-9A-HJKMNP-TV-Z]{5}");
        assertThat(Invite.looksLikeCode(code)).isTrue();

        Invite typed = Invite.parseCode(code.toLowerCase(java.util.Locale.ROOT).replace("-", " "));
        assertThat(typed.complete()).isFalse();
        assertThat(typed.key()).isEqualTo(issued.key());
        assertThat(typed.peers()).containsExactly("127.0.0.1:7801");

        Invite completed = typed.completedWith(coop.genesis.record(), issued.record().orElseThrow());
        assertThat(completed.complete()).isTrue();
        Coop impostor = new Coop("bees", 1, Coop.key(9));
        assertThatThrownBy(() -> typed.completedWith(impostor.genesis.record(), issued.record().orElseThrow()))
                .hasMessage("The cooperative's genesis does not match the invite.");
    }

    @Test
    void aMistypedShortCodeIsRefusedWithAPlainReason() {
        Coop coop = new Coop("bees", 1, steward);
        String code = Invite.issue(stewardLog(coop), coop.genesis, List.of("127.0.0.1:7801"), 5_000).shortCode();
        int last = code.length() - 1;
        char swapped = code.charAt(last) == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> Invite.parseCode(code.substring(0, last) + swapped))
                .hasMessageStartingWith("The short code has a typo");
        assertThatThrownBy(() -> Invite.parseCode(code.replace(":7801", ":7802")))
                .hasMessageStartingWith("The short code has a typo");
        assertThatThrownBy(() -> Invite.parseCode(code.replace("bees@", "wasps@")))
                .hasMessageStartingWith("The short code has a typo");
        assertThatThrownBy(() -> Invite.parseCode(code.substring(0, last)))
                .hasMessageStartingWith("The short code is too short");
        assertThatThrownBy(() -> Invite.parseCode(code + "U")).hasMessageContaining("'U'");
    }

    @Test
    void onlyAStewardInvites() {
        Coop coop = new Coop("bees", 1, steward);
        MemoryRecordStore store = new MemoryRecordStore();
        MeshLog memberLog = new MeshLog("bees", Coop.key(10), store, Clock.systemUTC());
        assertThatThrownBy(() -> Invite.issue(memberLog, coop.genesis, List.of("127.0.0.1:1"), 1))
                .hasMessage("Only a steward of the cooperative can invite.");
    }
}
