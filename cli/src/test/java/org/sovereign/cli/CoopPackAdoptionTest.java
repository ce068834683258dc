package org.sovereign.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.mesh.governance.Governance;
import org.sovereign.mesh.governance.GovernanceRecords;
import org.sovereign.mesh.governance.Policy;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.store.LocalStore;
import org.sovereign.store.vault.crypto.Hex;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.testing.Fixtures.TINY_LLAMA;

/**
 * Pack adoption end to end: a proposal to adopt a pack by its digest, votes, a close by k = 2 stewards, the stewards'
 * co-signatures, and a member installing the pack as trusted by the cooperative, without --trust-anyway.
 */
class CoopPackAdoptionTest {
    static final String COOP = CoopVaultCommandsTest.COOP;
    static final String PASSPHRASE = CoopVaultCommandsTest.PASSPHRASE;

    @TempDir
    Path tmp;

    @Test
    void aPackTheCooperativeVotedToAdoptIsInstalledAsTrustedByTheCooperative() throws Exception {
        Path home = tmp.resolve("home");
        CliRun cli = new CliRun(home);
        Path pass = Files.writeString(tmp.resolve("pass"), PASSPHRASE + "\n");
        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                "--argon2-iterations", "1", "--no-default-pack")).as(cli.err()).isZero();
        String alice;
        try (LocalStore store = LocalStore.unlock(home, PASSPHRASE.toCharArray(), Clock.systemUTC())) {
            alice = Hex.encode(store.session().deviceIdentity().publicKey());
        }
        MeshLog bob = new MeshLog(COOP, RecordSigner.generate(), new MemoryRecordStore(), Clock.systemUTC());
        List<String> policy = List.of("--coop", COOP, "--steward", alice, "--steward", bob.self(), "--k", "2",
                "--passphrase-file", pass.toString());

        // A publisher's signed pack folder, and each steward's pack-signing key.
        Path mpack = tmp.resolve("tiny.mpack");
        assertThat(cli.run("pack", "import", TINY_LLAMA.toString(), "--out", mpack.toString(), "--name", "tiny-llama",
                "--licence", "Apache-2.0")).as(cli.err()).isZero();
        Path pack = unzip(mpack, tmp.resolve("tiny-llama"));
        for (String key : List.of("publisher", "steward-a", "steward-b")) {
            assertThat(cli.run("pack", "keygen", "--out", tmp.resolve(key + ".key").toString())).as(cli.err()).isZero();
        }
        assertThat(cli.run("pack", "sign", pack.toString(), "--key", tmp.resolve("publisher.key").toString()))
                .as(cli.err()).isZero();
        List<String> install = new ArrayList<>(List.of("coop", "install", pack.toString(),
                "--steward-pack-key", tmp.resolve("steward-a.key.pub").toString(),
                "--steward-pack-key", tmp.resolve("steward-b.key.pub").toString()));
        install.addAll(policy);

        // Proposal (by the pack folder: its digest is what is voted on), votes.
        assertThat(run(cli, policy, "coop", "propose", "adopt-pack", pack.toString(), "--text", "Trust tiny-llama."))
                .as(cli.err()).isZero();
        String id = CoopVaultCommandsTest.proposalId(cli.out());
        assertThat(cli.out()).contains(" for pack sha256:");
        assertThat(run(cli, policy, "coop", "vote", id.substring(0, 12), "yes=5")).as(cli.err()).isZero();
        bob.append(GovernanceRecords.VOTE, 1, GovernanceRecords.vote(id, Map.of("yes", 2, "no", -1)));
        deliver(home, bob);

        // Not adopted yet: the stewards cannot co-sign it, and a member cannot install it.
        assertThat(run(cli, policy, "coop", "cosign", id, "--pack", pack.toString(), "--key",
                tmp.resolve("steward-a.key").toString())).isEqualTo(1);
        assertThat(cli.err().strip()).isEqualTo("The cooperative has not adopted the pack: the proposal is not closed "
                + "with 'yes' winning.");
        assertThat(cli.run(install.toArray(String[]::new))).isEqualTo(1);

        // Close: alice signs with the CLI, bob the same body in his own log.
        assertThat(run(cli, policy, "coop", "close", id)).as(cli.err()).isZero();
        assertThat(cli.out()).contains("The close is signed by 1 of the 2 stewards it needs.");
        bob.append(GovernanceRecords.CLOSE, 1, governanceIn(home, alice, bob.self()).closeBody(id));
        deliver(home, bob);
        assertThat(run(cli, policy, "coop", "proposals")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("closed by 2 stewards: yes wins.");

        // One steward's co-signature is not enough.
        assertThat(run(cli, policy, "coop", "cosign", id, "--pack", pack.toString(), "--key",
                tmp.resolve("steward-a.key").toString())).as(cli.err()).isZero();
        assertThat(cli.run(install.toArray(String[]::new))).isEqualTo(1);
        assertThat(cli.err().strip()).startsWith("Signed by 1 of the 2 keys of cooperative 'coop-cli', but 2 are "
                + "required.");

        assertThat(run(cli, policy, "coop", "cosign", id, "--pack", pack.toString(), "--key",
                tmp.resolve("steward-b.key").toString())).as(cli.err()).isZero();
        assertThat(cli.run(install.toArray(String[]::new))).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Installed tiny-llama-1.0.", "Signed by 2 of the 2 keys of cooperative "
                + "'coop-cli' (2 required).").doesNotContain("trust it anyway");
        assertThat(home.resolve("packs/tiny-llama-1.0/signatures")).isDirectory();
        assertThat(cli.run("audit", "show", "--limit", "20")).isZero();
        assertThat(cli.out()).contains("pack=tiny-llama-1.0").doesNotContain("trusted_anyway");
    }

    private static int run(CliRun cli, List<String> policy, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(policy);
        return cli.run(all.toArray(String[]::new));
    }

    private static void deliver(Path home, MeshLog from) {
        try (LocalStore store = LocalStore.unlock(home, PASSPHRASE.toCharArray(), Clock.systemUTC())) {
            MeshLog mine = new MeshLog(COOP, RecordSigner.of(store.session()), VaultRecordStore.open(store.session(), COOP),
                    Clock.systemUTC());
            Governance.recordsOf(from).forEach(mine::receive);
        }
    }

    /** What a steward other than the vault's owner computes from the same records. */
    private static Governance governanceIn(Path home, String alice, String bob) {
        try (LocalStore store = LocalStore.unlock(home, PASSPHRASE.toCharArray(), Clock.systemUTC())) {
            MeshLog held = new MeshLog(COOP, RecordSigner.of(store.session()), VaultRecordStore.open(store.session(), COOP),
                    Clock.systemUTC());
            List<LogRecord> records = Governance.recordsOf(held);
            return Governance.of(new Policy(COOP, Set.of(alice, bob), Set.of(alice, bob), 2, Policy.DEFAULT_CREDITS),
                    records);
        }
    }

    private static Path unzip(Path zip, Path dir) throws Exception {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : z.stream().toList()) {
                Path target = dir.resolve(e.getName()).normalize();
                assertThat(target.startsWith(dir)).isTrue();
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, target);
                }
            }
        }
        return dir;
    }
}
