package org.sovereign.cli;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.egress.EgressLedgerView;
import org.sovereign.core.files.AtomicFiles;
import org.sovereign.core.store.StoreService;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.AuditException;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditLog;
import org.sovereign.store.audit.log.CheckpointFile;
import org.sovereign.store.vault.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Verify and read the tamper-evident audit log, and export proofs anyone can check.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Show.class, AuditCommand.CheckpointNow.class,
                AuditCommand.Proof.class, AuditCommand.VerifyProof.class, AuditCommand.Egress.class})
final class AuditCommand {

    @ParentCommand
    RootCommand root;

    /** Opens the log read-only with public data (no passphrase): the entries hold no content. */
    <T> T readOnly(Function<AuditLog, T> use) {
        Path dataDir = root.context(true).dataDirectory().path();
        if (!LocalStore.exists(dataDir)) {
            throw new UserFacingException("There is no vault in " + dataDir + " yet; run 'sovereign vault init' first.");
        }
        return StoreService.translate(() -> {
            try (Vault vault = Vault.open(LocalStore.vaultFile(dataDir))) {
                AuditLog log = AuditLog.open(vault.auditStore(), CheckpointFile.beside(vault.file()),
                        LocalStore.verifierKey(vault.deviceIdentity()), Clock.systemUTC());
                return use.apply(log);
            }
        });
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Checks every entry against the signed checkpoints (public data only). Exit 0 only when it holds.",
                    "With --unlock also against the vault's own sealed record of its latest checkpoint (needs the passphrase)."})
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Option(names = "--unlock", description = "Also check the vault's sealed record (catches a log emptied or rolled back"
                + " inside the database); records nothing.")
        boolean unlock;

        @Override
        public Integer call() {
            AuditLog.Verification v = unlock ? withPassphrase() : audit.root.context(true).store().verifyAudit();
            if (v.holds()) {
                spec.commandLine().getOut().println("The audit log holds: " + v.size() + " entries, all matching the signed checkpoints.");
                return SovereignCli.OK;
            }
            PrintWriter err = spec.commandLine().getErr();
            err.println("The audit log does NOT verify:");
            v.problems().forEach(p -> err.println("  - " + TerminalText.safe(p)));
            return SovereignCli.USER_ERROR;
        }

        private AuditLog.Verification withPassphrase() {
            Path dataDir = audit.root.context(true).dataDirectory().path();
            if (!LocalStore.exists(dataDir)) {
                throw new UserFacingException("There is no vault in " + dataDir + " yet; run 'sovereign vault init' first.");
            }
            char[] pass = passphrase.read("Passphrase", false);
            try {
                return StoreService.translate(() -> LocalStore.verifyAudit(dataDir, pass));
            } finally {
                Arrays.fill(pass, '\0');
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints the latest entries, newest last.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;
        @Spec
        CommandSpec spec;
        @Option(names = "--type", paramLabel = "T", description = "Only entries of this type (e.g. consent.given).")
        String type;
        @Option(names = "--limit", paramLabel = "N", converter = NumberOptions.AtLeastOne.class,  description = "At most N entries (default: ${DEFAULT-VALUE}).")
        int limit = 50;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw new UserFacingException("--limit must be at least 1.");
            }
            List<AuditEntry> shown = audit.readOnly(log -> {
                List<AuditEntry> matching = new ArrayList<>();
                for (long to = log.size(); to > 0 && matching.size() < limit; to -= 1000) {
                    List<AuditEntry> page = log.entries(Math.max(0, to - 1000), to);
                    for (int i = page.size() - 1; i >= 0 && matching.size() < limit; i--) {
                        if (type == null || page.get(i).type().equals(type)) {
                            matching.add(0, page.get(i));
                        }
                    }
                }
                return matching;
            });
            PrintWriter out = spec.commandLine().getOut();
            for (AuditEntry e : shown) {
                out.printf("%6d  %s  %-22s %s%s%n", e.sequence(), e.time(), TerminalText.safe(e.type()),
                        TerminalText.safe(e.actor()), TerminalText.safe(describe(e.refs())));
            }
            if (shown.isEmpty()) {
                out.println(type == null ? "The audit log is empty." : "No entries of type " + type + ".");
            }
            return SovereignCli.OK;
        }

        private static String describe(Map<String, String> refs) {
            StringBuilder sb = new StringBuilder();
            new TreeMap<>(refs).forEach((k, v) -> sb.append("  ").append(k).append('=').append(v));
            return sb.toString();
        }
    }

    @Command(name = "checkpoint", mixinStandardHelpOptions = true, description = "Signs a checkpoint of the log now and prints it.")
    static final class CheckpointNow implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;

        @Override
        public Integer call() {
            try (LocalStore local = audit.root.context(true).store().unlock(passphrase.read("Passphrase", false))) {
                spec.commandLine().getOut().print(local.audit().checkpoint(local.signer()).encode());
            }
            return SovereignCli.OK;
        }
    }

    @Command(name = "proof", mixinStandardHelpOptions = true,
            description = "Writes an offline proof (C2SP tlog-proof) that entry SEQ is in the log, with the entry itself.")
    static final class Proof implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "SEQ", converter = NumberOptions.AtLeastZero.class)
        long sequence;
        @Option(names = "--out", required = true, paramLabel = "FILE")
        Path out;

        @Override
        public Integer call() throws IOException {
            record Made(byte[] file, String key) {
            }
            Made made = audit.readOnly(log -> {
                if (sequence < 0 || sequence >= log.size()) {
                    throw new UserFacingException("There is no audit entry " + sequence + "; the log has " + log.size() + " entries.");
                }
                if (log.needsCheckpoint()) {
                    throw new UserFacingException("Entry " + sequence + " is not covered by a checkpoint yet; run 'sovereign audit checkpoint' first.");
                }
                return new Made(log.proof(sequence).toBytes(), log.logKey().encode());
            });
            AtomicFiles.write(out, made.file());
            PrintWriter o = spec.commandLine().getOut();
            o.println("Proof of entry " + sequence + " written to " + out.toAbsolutePath() + ".");
            o.println("Anyone can check it with: sovereign audit verify-proof " + out.getFileName() + " --key " + made.key());
            return SovereignCli.OK;
        }
    }

    @Command(name = "verify-proof", mixinStandardHelpOptions = true,
            description = {"Verifies a proof file with public keys only (no vault needed).",
                    "Without --key, the key of the vault in the data directory is used, if there is one."})
    static final class VerifyProof implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FILE")
        Path file;
        @Option(names = "--key", paramLabel = "VERIFIER_KEY", description = "A log key like name+hex+base64 (repeatable).")
        List<String> keys = new ArrayList<>();

        @Override
        public Integer call() {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UserFacingException("The proof file " + file + " cannot be read.");
            }
            List<String> trusted = new ArrayList<>(keys);
            if (trusted.isEmpty()) {
                Path dataDir = audit.root.context(true).dataDirectory().path();
                if (!LocalStore.exists(dataDir)) {
                    throw new UserFacingException("Give the log's key with --key (it is printed by 'sovereign audit proof').");
                }
                try (Vault vault = Vault.open(LocalStore.vaultFile(dataDir))) {
                    trusted.add(LocalStore.verifierKey(vault.deviceIdentity()).encode());
                }
            }
            AuditEntry entry;
            try {
                entry = AuditLog.verifyProofFile(bytes, trusted);
            } catch (AuditException e) {
                throw new UserFacingException("The proof does not verify: " + e.getMessage());
            }
            spec.commandLine().getOut().println("The proof holds: entry " + entry.sequence() + " (" + entry.type() + ", "
                    + entry.time() + ") is in the log signed by " + trusted.get(0).split("\\+")[0] + ".");
            return SovereignCli.OK;
        }
    }

    @Command(name = "egress", mixinStandardHelpOptions = true,
            description = {"The egress ledger: every network connection this workstation ever made, accepted or refused,"
                    + " from the audit log (public data only, no passphrase)."})
    static final class Egress implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<EgressLedgerView.Connection> rows = audit.readOnly(EgressLedgerView::read);
            PrintWriter out = spec.commandLine().getOut();
            if (rows.isEmpty()) {
                out.println(EgressLedgerView.NEVER_USED);
                return SovereignCli.OK;
            }
            for (EgressLedgerView.Connection c : rows) {
                String where = c.peer().isEmpty() ? c.destination() : c.peer() + " -> " + c.destination();
                out.printf("%6d  %s  %-9s %-10s %s  %s  (%s)%s%n", c.sequence(), c.time(),
                        c.refused() ? "REFUSED" : c.kind().words(), TerminalText.safe(c.purpose()),
                        TerminalText.safe(where), c.bytesText(),
                        TerminalText.safe(c.basisText(id -> "consent " + id)),
                        c.closed() ? "  closed " + c.closedAt() : "");
            }
            long refused = rows.stream().filter(EgressLedgerView.Connection::refused).count();
            out.println(rows.size() - refused + " connection(s), " + refused + " refused (nothing was opened for those).");
            return SovereignCli.OK;
        }
    }
}
