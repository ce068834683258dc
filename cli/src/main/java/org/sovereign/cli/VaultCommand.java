package org.sovereign.cli;

import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.store.StoreService;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditLog;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.audit.log.CheckpointFile;
import org.sovereign.store.vault.Vault;
import org.sovereign.store.vault.VaultBackup;
import org.sovereign.store.vault.VaultSession;
import org.sovereign.store.vault.crypto.KdfParams;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "vault", mixinStandardHelpOptions = true,
        description = "Create and look after the encrypted vault.",
        subcommands = {VaultCommand.Init.class, VaultCommand.UnlockCheck.class, VaultCommand.ChangePassphrase.class,
                VaultCommand.Backup.class, VaultCommand.Restore.class, VaultCommand.Recover.class,
                VaultCommand.RecoveryKey.class})
final class VaultCommand {

    @ParentCommand
    RootCommand root;

    StoreService store() {
        return root.context(true).store();
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Creates the vault in the data directory and this device's signing identity.",
                    "Remember the passphrase: without it (or a recovery key, --recovery-key) nobody can open the vault."})
    static final class Init implements Callable<Integer> {
        @ParentCommand
        VaultCommand vault;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Option(names = "--argon2-memory-mib", paramLabel = "MIB", converter = NumberOptions.AtLeastOne.class,
                description = "Argon2id memory (default: 64, or the Settings value).")
        Integer memoryMib;
        @Option(names = "--argon2-iterations", paramLabel = "N", converter = NumberOptions.AtLeastOne.class,
                description = "Argon2id passes (default: calibrated so unlocking takes about 0.75 s here, at least 3; or the Settings value).")
        Integer iterations;
        @Option(names = "--no-default-pack", description = "Do not install the embedding pack bundled with this build.")
        boolean noDefaultPack;
        @Option(names = "--recovery-key", description = "Also create a recovery key, printed once, that can set a new passphrase.")
        boolean recoveryKey;

        @Override
        public Integer call() {
            StoreService store = vault.store();
            if (store.vaultExists()) {
                throw new UserFacingException("A vault exists already in this data directory. Nothing was changed.");
            }
            KdfParams kdf;
            if (memoryMib != null || iterations != null) { // explicit values bypass calibration
                if ((memoryMib != null && memoryMib <= 0) || (iterations != null && iterations <= 0)) {
                    throw new UserFacingException("Those Argon2id settings are not allowed: use positive numbers.");
                }
                kdf = StoreService.kdfFor(memoryMib == null ? 0 : memoryMib, iterations == null ? 0 : iterations);
            } else {
                var settings = vault.root.context(true).settings().get();
                kdf = StoreService.kdfFor(settings.kdfMemoryMiB(), settings.kdfIterations());
            }
            try (LocalStore local = store.create(passphrase.read("New passphrase", true), kdf)) {
                PrintWriter out = spec.commandLine().getOut();
                out.println("Vault created.");
                out.println("Device fingerprint: " + local.deviceIdentity().fingerprint());
                out.println("Audit log key:      " + local.audit().logKey().encode());
                if (recoveryKey) {
                    printRecoveryKey(out, local.createRecoveryKey());
                }
                var packs = vault.root.context(true).packs().installation();
                if (!noDefaultPack && packs.defaultPackPending()) {
                    var installed = StoreService.translate(() -> packs.installDefault(local, Progress.NONE));
                    out.println("Installed the bundled embedding pack " + installed.pack().manifest().installDirName()
                            + " (verified by digest), so semantic search works offline.");
                }
            }
            return SovereignCli.OK;
        }
    }

    @Command(name = "unlock-check", mixinStandardHelpOptions = true,
            description = "Unlocks the vault, verifies the audit log, and locks it again.")
    static final class UnlockCheck implements Callable<Integer> {
        @ParentCommand
        VaultCommand vault;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;

        @Override
        public Integer call() {
            try (LocalStore local = vault.store().unlock(passphrase.read("Passphrase", false))) {
                spec.commandLine().getOut().println("Unlocked. The audit log holds " + local.audit().size()
                        + " entries and verifies. Device fingerprint: " + local.deviceIdentity().fingerprint());
            }
            return SovereignCli.OK;
        }
    }

    @Command(name = "change-passphrase", mixinStandardHelpOptions = true,
            description = "Changes the passphrase (new one from --new-passphrase-file, SOVEREIGN_NEW_PASSPHRASE or a prompt).")
    static final class ChangePassphrase implements Callable<Integer> {
        @ParentCommand
        VaultCommand vault;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Option(names = "--new-passphrase-file", paramLabel = "FILE", description = "Read the new passphrase from FILE.")
        Path newPassphraseFile;

        @Override
        public Integer call() {
            char[] current = passphrase.read("Current passphrase", false);
            char[] copy = current.clone();
            char[] replacement = null;
            try (LocalStore local = vault.store().unlock(current)) {
                replacement = newPassphrase();
                char[] r = replacement;
                StoreService.translate(() -> {
                    local.changePassphrase(copy, r);
                    return null;
                });
                spec.commandLine().getOut().println("Passphrase changed.");
            } finally {
                Arrays.fill(copy, '\0');
                if (replacement != null) {
                    Arrays.fill(replacement, '\0');
                }
            }
            return SovereignCli.OK;
        }

        private char[] newPassphrase() {
            return VaultCommand.newPassphrase(newPassphraseFile);
        }
    }

    /** Prints a recovery key once, with a plain warning, and wipes it. */
    static void printRecoveryKey(PrintWriter out, char[] key) {
        try {
            out.println();
            out.println("Recovery key (shown only this once):");
            out.print("  ");
            out.println(key);
            out.println("Write it down and keep it somewhere safe, away from this computer. Anyone who has it can set a new");
            out.println("passphrase for this vault ('sovereign vault recover'); it is the only way back in if you forget yours.");
            out.flush();
        } finally {
            Arrays.fill(key, '\0');
        }
    }

    /** The new passphrase: --new-passphrase-file, else SOVEREIGN_NEW_PASSPHRASE, else a prompt (asked twice). */
    static char[] newPassphrase(Path newPassphraseFile) {
        if (newPassphraseFile != null) {
            return PassphraseOptions.fromFile(newPassphraseFile);
        }
        String env = System.getenv("SOVEREIGN_NEW_PASSPHRASE");
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        PassphraseOptions prompt = new PassphraseOptions();
        prompt.environment = Map.of();
        return prompt.read("New passphrase", true);
    }

    @Command(name = "recover", mixinStandardHelpOptions = true,
            description = {"Sets a new passphrase with the recovery key, for when the passphrase is forgotten.",
                    "The recovery key comes from --recovery-key-file FILE, SOVEREIGN_RECOVERY_KEY or a prompt; the new",
                    "passphrase from --new-passphrase-file, SOVEREIGN_NEW_PASSPHRASE or a prompt."})
    static final class Recover implements Callable<Integer> {
        static final String ENV = "SOVEREIGN_RECOVERY_KEY";
        @ParentCommand
        VaultCommand vault;
        @Spec
        CommandSpec spec;
        @Option(names = "--recovery-key-file", paramLabel = "FILE", description = "Read the recovery key from the first line of FILE.")
        Path recoveryKeyFile;
        @Option(names = "--new-passphrase-file", paramLabel = "FILE", description = "Read the new passphrase from FILE.")
        Path newPassphraseFile;

        @Override
        public Integer call() {
            StoreService store = vault.store();
            if (!store.vaultExists()) {
                throw new UserFacingException("There is no vault in this data directory yet. Nothing was changed.");
            }
            char[] key = recoveryKey();
            char[] replacement;
            try {
                replacement = VaultCommand.newPassphrase(newPassphraseFile);
            } catch (RuntimeException e) {
                Arrays.fill(key, '\0');
                throw e;
            }
            store.recover(key, replacement).close(); // wipes both arrays
            spec.commandLine().getOut().println("A new passphrase is set; the vault is unlocked with it from now on. "
                    + "The recovery key still works; make a new one with 'sovereign vault recovery-key' if it may have been seen.");
            return SovereignCli.OK;
        }

        private char[] recoveryKey() {
            if (recoveryKeyFile != null) {
                return PassphraseOptions.fromFile(recoveryKeyFile);
            }
            String env = System.getenv(ENV);
            if (env != null && !env.isEmpty()) {
                return env.toCharArray();
            }
            Console console = System.console();
            if (console == null) {
                throw new UserFacingException("No recovery key given: use --recovery-key-file FILE or set " + ENV + ".");
            }
            char[] typed = console.readPassword("Recovery key: ");
            if (typed == null || typed.length == 0) {
                throw new UserFacingException("No recovery key was entered.");
            }
            return typed;
        }
    }

    @Command(name = "recovery-key", mixinStandardHelpOptions = true,
            description = {"Creates a new recovery key (the old one stops working) and prints it once,",
                    "or with --remove deletes it so that only the passphrase opens the vault."})
    static final class RecoveryKey implements Callable<Integer> {
        @ParentCommand
        VaultCommand vault;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Option(names = "--remove", description = "Remove the recovery key instead of creating one.")
        boolean remove;

        @Override
        public Integer call() {
            try (LocalStore local = vault.store().unlock(passphrase.read("Passphrase", false))) {
                PrintWriter out = spec.commandLine().getOut();
                if (remove) {
                    out.println(StoreService.translate(local::removeRecoveryKey)
                            ? "Recovery key removed; only the passphrase opens the vault now."
                            : "This vault had no recovery key. Nothing was changed.");
                } else {
                    printRecoveryKey(out, StoreService.translate(local::createRecoveryKey));
                }
            }
            return SovereignCli.OK;
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true, description = "Writes an encrypted backup of the vault to FILE.")
    static final class Backup implements Callable<Integer> {
        @ParentCommand
        VaultCommand vault;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Parameters(paramLabel = "FILE", description = "Where to write the backup (must not exist).")
        Path file;

        @Override
        public Integer call() {
            if (Files.exists(file)) {
                throw new UserFacingException(file + " exists already; choose a new file name. Nothing was written.");
            }
            try (LocalStore local = vault.store().unlock(passphrase.read("Passphrase", false))) {
                StoreService.translate(() -> {
                    local.backupTo(file);
                    return null;
                });
                spec.commandLine().getOut().println("Backup written to " + file.toAbsolutePath()
                        + ". It opens with the passphrase you have now.");
            }
            return SovereignCli.OK;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Restores the vault from a backup FILE (with the passphrase valid when it was made).",
                    "The current vault is kept beside it as vault.db.before-restore-<time>.",
                    "A backup older than the last audit checkpoint is refused unless --accept-rollback is given;",
                    "accepting it is recorded in the audit log."})
    static final class Restore implements Callable<Integer> {
        @ParentCommand
        VaultCommand vault;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Parameters(paramLabel = "FILE", description = "The backup file.")
        Path file;
        @Option(names = "--accept-rollback", description = "Restore even though the backup is older than the last audit checkpoint.")
        boolean acceptRollback;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(file)) {
                throw new UserFacingException("There is no backup file at " + file + ".");
            }
            Path dataDir = vault.root.context(true).dataDirectory().path();
            Path target = LocalStore.vaultFile(dataDir);
            Path staged = dataDir.resolve("vault.db.restoring");
            Files.deleteIfExists(staged);
            char[] pass = passphrase.read("Passphrase of the backup", false);
            try {
                StoreService.translate(() -> {
                    VaultBackup.restore(file, pass, staged);
                    return null;
                });
                CheckpointFile checkpointFile = CheckpointFile.beside(target);
                boolean rolledBack;
                try (Vault restored = Vault.open(staged)) {
                    if (checkpointFile.read().isEmpty()) { // a new machine: the backup's own latest checkpoint anchors it
                        restored.auditStore().checkpoints().stream().reduce((a, b) -> b).ifPresent(checkpointFile::write);
                    }
                    AuditLog.Verification v = AuditLog.verify(restored.auditStore(), checkpointFile,
                            LocalStore.verifierKey(restored.deviceIdentity()));
                    if (!v.holds() && !v.rolledBack()) {
                        throw new UserFacingException("The backup's audit log does not verify: " + v.problems().get(0)
                                + " Nothing was restored.");
                    }
                    rolledBack = v.rolledBack();
                    if (rolledBack && !acceptRollback) {
                        throw new UserFacingException("This backup is older than the vault's last audit checkpoint (its log has only "
                                + v.size() + " entries): restoring it would roll the log back. Nothing was restored. "
                                + "Run again with --accept-rollback to restore it anyway; that choice is recorded in the log.");
                    }
                }
                // no other Sovereign process may have the vault open while its file is replaced
                try (var held = StoreService.translate(() -> Vault.lockForReplacement(target))) {
                    if (Files.exists(target)) {
                        String stamp = DateTimeFormatter.ISO_INSTANT.format(Instant.now()).replace(':', '-');
                        Files.move(target, target.resolveSibling("vault.db.before-restore-" + stamp));
                    }
                    Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
                }
                if (rolledBack) {
                    try (Vault restored = Vault.open(target); VaultSession session = restored.unlock(pass)) {
                        AuditLog.reanchorAfterRestore(restored.auditStore(), checkpointFile, session.deviceSigner(), Clock.systemUTC());
                    }
                }
                try (LocalStore local = vault.store().unlock(pass.clone())) {
                    local.record(AuditTypes.BACKUP_RESTORED, Map.of("file", file.getFileName().toString()));
                    spec.commandLine().getOut().println("Vault restored from " + file + (rolledBack
                            ? "; the audit log was rolled back to " + local.audit().size() + " entries and that is recorded." : "."));
                }
            } finally {
                Arrays.fill(pass, '\0');
                Files.deleteIfExists(staged);
                Files.deleteIfExists(staged.resolveSibling(staged.getFileName() + ".lock")); // nobody else uses it
            }
            return SovereignCli.OK;
        }
    }
}
