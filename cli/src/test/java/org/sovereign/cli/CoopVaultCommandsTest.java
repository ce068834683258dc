package org.sovereign.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.mesh.governance.Governance;
import org.sovereign.mesh.governance.GovernanceRecords;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.Receipt;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.store.LocalStore;
import org.sovereign.store.vault.crypto.Hex;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sovereign coop propose|vote|delegate|revoke|close|proposals|tally} over the member's logs in a real vault. */
class CoopVaultCommandsTest {
    static final String COOP = "coop-cli";
    static final String PASSPHRASE = "a long and private passphrase";

    @TempDir
    Path tmp;
    Path home;
    Path pass;
    CliRun cli;
    String alice;

    @BeforeEach
    void setUp() throws Exception {
        home = tmp.resolve("home");
        cli = new CliRun(home);
        pass = Files.writeString(tmp.resolve("pass"), PASSPHRASE + "\n");
        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                "--argon2-iterations", "1", "--no-default-pack")).as(cli.err()).isZero();
        try (LocalStore store = LocalStore.unlock(home, PASSPHRASE.toCharArray(), Clock.systemUTC())) {
            alice = Hex.encode(store.session().deviceIdentity().publicKey());
        }
    }

    /** Runs a coop command as alice, the only steward, with the cooperative and passphrase options added. */
    int coop(String... args) {
        List<String> all = new ArrayList<>(List.of("coop"));
        all.addAll(List.of(args));
        all.addAll(List.of("--coop", COOP, "--steward", alice, "--passphrase-file", pass.toString()));
        return cli.run(all.toArray(String[]::new));
    }

    /** Hands every record of {@code log} to alice's vault, as the mesh would. */
    void deliver(MeshLog log) {
        try (LocalStore store = LocalStore.unlock(home, PASSPHRASE.toCharArray(), Clock.systemUTC())) {
            MeshLog mine = new MeshLog(COOP, RecordSigner.of(store.session()), VaultRecordStore.open(store.session(), COOP),
                    Clock.systemUTC());
            for (LogRecord r : Governance.recordsOf(log)) {
                assertThat(mine.receive(r)).isIn(Receipt.APPENDED, Receipt.DUPLICATE);
            }
        }
    }

    static String proposalId(String out) {
        Matcher m = Pattern.compile("Proposed ([0-9a-f]{64})").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    @Test
    void aMemberProposesVotesDelegatesAndAStewardClosesAllAsSignedRecordsInTheVault() {
        assertThat(coop("propose", "adopt-pack", "sha256:" + "cd".repeat(32), "--text", "Trust the translation pack."))
                .as(cli.err()).isZero();
        String id = proposalId(cli.out());
        String prefix = id.substring(0, 16);
        MeshLog bob = new MeshLog(COOP, RecordSigner.generate(), new MemoryRecordStore(), Clock.systemUTC());
        bob.append(GovernanceRecords.VOTE, 1, GovernanceRecords.vote(id, Map.of("yes", 3)));
        deliver(bob);

        assertThat(coop("vote", prefix, "yes=6", "no=-2")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Voted on Trust the translation pack. yes 6, no -2.",
                "Cost: 40 of 100 voice credits; 60 left.");
        assertThat(coop("delegate", bob.self(), "--area", "packs")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Delegated your vote for proposals of the area packs to " + bob.self().substring(0, 16));
        assertThat(coop("revoke", "--area", "packs")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Revoked your delegation for proposals of the area packs.");

        assertThat(coop("proposals")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Policy in force: 100 voice credits per member per proposal, 1 of 1 stewards close",
                "Open:", prefix + "  adopt-pack sha256:cdcd", "open; 2 members count so far, leading: yes.",
                "Closed:\n  none".replace("\n", System.lineSeparator()));

        assertThat(coop("close", prefix)).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Signed the close of Trust the translation pack. over 4 records",
                "The proposal is closed: yes wins.");
        assertThat(coop("proposals")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Open:" + System.lineSeparator() + "  none", "closed by 1 stewards: yes wins.");
        // By hand: yes = alice 6 + bob 3 = 9; no = -2.
        assertThat(coop("tally", prefix)).as(cli.err()).isZero();
        assertThat(cli.out()).contains("State: closed.", "  yes: 9", "  no: -2", "Result: yes wins", "Members counted: 2");
    }

    @Test
    void splitPrintsEachMembersShareAndTheReceiptsAndAStewardSignsIt() {
        MeshLog bob = new MeshLog(COOP, RecordSigner.generate(), new MemoryRecordStore(), Clock.systemUTC());
        MeshLog carol = new MeshLog(COOP, RecordSigner.generate(), new MemoryRecordStore(), Clock.systemUTC());
        LogRecord heavy = bob.append(GovernanceRecords.USAGE, 1, GovernanceRecords.usage(carol.self(),
                "service:answers", 400, "2026-12"));
        carol.append(GovernanceRecords.COUNTERSIGN, 1, GovernanceRecords.countersign(heavy.hash()));
        deliver(bob);
        deliver(carol);

        assertThat(coop("split", "--period", "2026-12", "--sign")).as(cli.err()).isZero();
        // By hand: one receipt, sqrt(400) = 20 points; no floor: carol has the whole split.
        assertThat(cli.out()).contains("Period 2026-12: 1 countersigned receipt, steward floor 0.0000 % each.",
                "  " + carol.self().substring(0, 16) + "  100.0000 %  (20.0 points from 1 receipt)",
                "  " + heavy.hash().substring(0, 16) + "  " + bob.self().substring(0, 16) + " used 400 of "
                        + "service:answers from " + carol.self().substring(0, 16),
                "Signed the statement.", "1 of the 1 stewards needed; matches this recomputation byte for byte.");
        assertThat(coop("split", "--period", "2026-11")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("0 countersigned receipts", "  " + alice.substring(0, 16) + "  100.0000 %",
                "Signed by stewards: not yet.");
        assertOneLine(coop("split", "--period", "2026/12"), "A period is 1 to 32 letters, digits, dots, dashes or "
                + "underscores (e.g. 2026-12), not '2026/12'.");
    }

    @Test
    void badInputIsOneLineAndExitOne() {
        assertThat(coop("propose", "adopt-pack", "sha256:" + "cd".repeat(32), "--text", "Trust it.")).isZero();
        String prefix = proposalId(cli.out()).substring(0, 16);

        assertOneLine(coop("vote", prefix, "yes=11"), "These votes cost 121 voice credits; each member has 100.");
        assertOneLine(coop("vote", prefix, "yes=lots"), "A vote is OPTION=N with N a whole number such as 3 or -2, "
                + "not 'yes=lots'.");
        assertOneLine(coop("vote", prefix, "maybe=1"), "'maybe' is not an option of the proposal.");
        assertOneLine(coop("vote", "0123456789abcdef", "yes=1"), "No proposal 0123456789abcdef is known; "
                + "'sovereign coop proposals' lists them.");
        assertOneLine(coop("propose", "dissolve", "x", "--text", "t"), "KIND is one of adopt-pack, retire-pack, "
                + "change-policy, admit-member, remove-member, change-shares, not 'dissolve'.");
        assertOneLine(coop("propose", "adopt-pack", "my-pack", "--text", "t"), "A pack is named by its digest, "
                + "sha256: and 64 lower-case hex digits.");
        assertOneLine(coop("propose", "change-policy", "credits=0", "--text", "t"), "Each member needs at least one "
                + "voice credit, not 0.");
        assertOneLine(coop("delegate", alice), "You cannot delegate to yourself.");
        assertOneLine(coop("delegate", "nobody"), "KEY takes a member's key, 64 lower-case hex digits, not 'nobody'.");
        assertOneLine(coop("close", prefix, "--k", "2"), "The steward threshold must be between 1 and the number of "
                + "stewards (1), not 2.");
        assertOneLine(cli.run("coop", "close", prefix, "--coop", COOP, "--steward", "ab".repeat(32),
                "--passphrase-file", pass.toString()), "Only stewards sign closes; this device's key "
                + alice.substring(0, 16) + " is not one.");
        assertThat(coop("close", prefix)).isZero();
        assertOneLine(coop("close", prefix), "The proposal is already closed.");
        assertOneLine(coop("vote", prefix, "yes=1"), "The proposal is closed; no more votes count.");
    }

    private void assertOneLine(int exit, String message) {
        assertThat(exit).as(cli.out() + cli.err()).isEqualTo(1);
        assertThat(cli.err().strip()).isEqualTo(message);
    }
}
