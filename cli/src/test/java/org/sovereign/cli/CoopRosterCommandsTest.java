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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code coop} commands of a workstation that founded its cooperative with {@code mesh create}: the members,
 * stewards and threshold are the signed roster, so no --coop, --steward or --member is typed, and votes of keys the
 * roster does not admit (never admitted, or removed) do not count.
 */
class CoopRosterCommandsTest {
    static final String COOP = "coop-roster";
    static final String PASSPHRASE = CoopVaultCommandsTest.PASSPHRASE;

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
        assertThat(run("mesh", "create", "--coop", COOP, "--name", "Bee keepers")).as(cli.err()).isZero();
    }

    /** Runs a command as alice with only the passphrase option added. */
    int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--passphrase-file", pass.toString()));
        return cli.run(all.toArray(String[]::new));
    }

    int coop(String... args) {
        List<String> all = new ArrayList<>(List.of("coop"));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    /** Stores every record of {@code log} in alice's vault as held records (as an older bundle would have left them). */
    void deliver(MeshLog log) {
        try (LocalStore store = LocalStore.unlock(home, PASSPHRASE.toCharArray(), Clock.systemUTC())) {
            MeshLog mine = new MeshLog(COOP, RecordSigner.of(store.session()), VaultRecordStore.open(store.session(), COOP),
                    Clock.systemUTC());
            for (LogRecord r : Governance.recordsOf(log)) {
                assertThat(mine.receive(r)).isIn(Receipt.APPENDED, Receipt.DUPLICATE);
            }
        }
    }

    static MeshLog member() {
        return new MeshLog(COOP, RecordSigner.generate(), new MemoryRecordStore(), Clock.systemUTC());
    }

    @Test
    void theFoundersRosterDecidesWhoCountsWithNoStewardOrMemberOptions() throws Exception {
        MeshLog bob = member();
        MeshLog carol = member();
        MeshLog dave = member();
        assertThat(run("mesh", "admit", bob.self(), "--name", "Bob")).as(cli.err()).isZero();
        assertThat(run("mesh", "admit", carol.self(), "--name", "Carol")).as(cli.err()).isZero();

        assertThat(coop("propose", "adopt-pack", "sha256:" + "ab".repeat(32), "--text", "Trust the bee pack."))
                .as(cli.err()).isZero();
        String id = CoopVaultCommandsTest.proposalId(cli.out());
        String prefix = id.substring(0, 16);
        bob.append(GovernanceRecords.VOTE, 1, GovernanceRecords.vote(id, Map.of("yes", 3)));
        carol.append(GovernanceRecords.VOTE, 1, GovernanceRecords.vote(id, Map.of("no", 5)));
        dave.append(GovernanceRecords.VOTE, 1, GovernanceRecords.vote(id, Map.of("no", 9)));
        deliver(bob);
        deliver(carol);
        deliver(dave);
        assertThat(coop("proposals")).as(cli.err()).isZero();
        // alice has not voted yet; bob and carol are admitted, dave never was.
        assertThat(cli.out()).contains("1 of 1 stewards close", "open; 2 members count so far, leading: no.");

        assertThat(run("mesh", "remove", carol.self().substring(0, 8), "--reason", "left the valley"))
                .as(cli.err()).isZero();
        assertThat(coop("vote", prefix, "yes=2")).as(cli.err()).isZero();
        assertThat(coop("close", prefix)).as(cli.err()).isZero();
        assertThat(cli.out()).contains("The proposal is closed: yes wins.");

        // By hand: yes = alice 2 + bob 3 = 5; carol (removed) and dave (never admitted) do not count.
        assertThat(coop("tally", prefix)).as(cli.err()).isZero();
        assertThat(cli.out()).contains("State: closed.", "  yes: 5", "Result: yes wins", "Members counted: 2",
                alice.substring(0, 16) + " voted, 4 credits", bob.self().substring(0, 16) + " voted, 9 credits");
        assertThat(cli.out()).doesNotContain(carol.self().substring(0, 16) + " voted",
                dave.self().substring(0, 16) + " voted", "  no: 5", "  no: 9", "  no: 14");

        // The same records exported to a folder: the roster comes from the membership records among them.
        Path folder = Files.createDirectories(tmp.resolve("records"));
        StringBuilder lines = new StringBuilder();
        try (LocalStore store = LocalStore.unlock(home, PASSPHRASE.toCharArray(), Clock.systemUTC())) {
            MeshLog held = new MeshLog(COOP, RecordSigner.of(store.session()), VaultRecordStore.open(store.session(), COOP),
                    Clock.systemUTC());
            Governance.recordsOf(held).forEach(r -> lines.append(new String(r.wire(), StandardCharsets.UTF_8))
                    .append('\n'));
        }
        Files.writeString(folder.resolve("all.jsonl"), lines);
        assertThat(coop("tally", prefix, "--records", folder.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("State: closed.", "  yes: 5", "Members counted: 2");
        assertThat(cli.out()).doesNotContain(carol.self().substring(0, 16) + " voted");
    }

    @Test
    void optionsThatContradictTheRosterAreRefusedInOneLine() {
        MeshLog bob = member();
        assertOneLine(coop("proposals", "--steward", bob.self()), "--steward contradicts the cooperative's signed "
                + "records, which name 1 stewards; leave --steward out to use them.");
        assertOneLine(coop("proposals", "--member", alice, "--member", bob.self()), "--member contradicts the "
                + "cooperative's signed records, which name 1 admitted members; leave --member out to use them.");
        assertOneLine(coop("proposals", "--k", "2"), "--k 2 contradicts the cooperative's genesis, where 1 stewards "
                + "must sign; leave --k out.");
        assertThat(coop("proposals", "--coop", COOP, "--steward", alice, "--k", "1")).as("repeating the roster is fine")
                .isZero();
        assertOneLine(coop("proposals", "--coop", "another-coop"), "This workstation holds no genesis of the "
                + "cooperative another-coop, so name its stewards with --steward KEY.");
    }

    private void assertOneLine(int exit, String message) {
        assertThat(exit).as(cli.out() + cli.err()).isEqualTo(1);
        assertThat(cli.err().strip()).isEqualTo(message);
    }
}
