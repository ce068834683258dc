package org.sovereign.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.mesh.governance.Governance;
import org.sovereign.mesh.governance.GovernanceRecords;
import org.sovereign.mesh.governance.ProposalKind;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sovereign coop tally} over a folder of exported records. */
class CoopCommandTest {
    @TempDir
    Path tmp;

    private static MeshLog member() {
        return new MeshLog("coop-cli", RecordSigner.generate(), new MemoryRecordStore(), Clock.systemUTC());
    }

    private static void export(Path file, MeshLog log) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (LogRecord r : Governance.recordsOf(log)) {
            lines.append(new String(r.wire(), StandardCharsets.UTF_8)).append('\n');
        }
        Files.writeString(file, lines);
    }

    @Test
    void tallyPrintsTheTotalsTheWinnerAndTheInputsRecomputedFromTheRecords() throws Exception {
        MeshLog alice = member();
        MeshLog bob = member();
        String id = alice.append(GovernanceRecords.PROPOSAL, 1, GovernanceRecords.proposal(ProposalKind.ADOPT_PACK,
                "sha256:" + "cd".repeat(32), "Trust the translation pack.", List.of("yes", "no"), "packs", 0, 0)).hash();
        alice.append(GovernanceRecords.VOTE, 1, GovernanceRecords.vote(id, Map.of("yes", 6)));
        bob.append(GovernanceRecords.VOTE, 1, GovernanceRecords.vote(id, Map.of("yes", 3, "no", -2)));
        bob.append(GovernanceRecords.VOTE, 1, GovernanceRecords.vote(id, Map.of("no", 11)));
        Path dir = Files.createDirectories(tmp.resolve("records"));
        export(dir.resolve("alice.jsonl"), alice);
        export(dir.resolve("bob.jsonl"), bob);
        CliRun cli = new CliRun(tmp.resolve("home"));

        assertThat(cli.run("coop", "tally", id, "--records", dir.toString(), "--coop", "coop-cli",
                "--steward", alice.self())).as(cli.err()).isZero();

        // By hand: bob's later vote costs 121 > 100 and is refused; yes = 6 + 3, no = -2.
        assertThat(cli.out()).contains("Proposal: Trust the translation pack. (adopt-pack sha256:cdcd",
                "State: open.", "  yes: 9", "  no: -2", "Result: yes wins", "Members counted: 2",
                "Inputs: 2 records, Merkle root ", "Refused records: 1",
                "The vote costs 121 voice credits; each member has 100.");
    }

    @Test
    void anUnknownProposalIsOneLineAndExitOne() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        CliRun cli = new CliRun(tmp.resolve("home"));

        assertThat(cli.run("coop", "tally", "ab".repeat(32), "--records", dir.toString(), "--coop", "coop-cli",
                "--steward", "01".repeat(32))).isEqualTo(1);
        assertThat(cli.err().strip()).startsWith("No proposal abab").doesNotContain("\n").doesNotContain("Exception");
    }
}
