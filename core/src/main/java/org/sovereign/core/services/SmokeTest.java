package org.sovereign.core.services;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.Workstation;
import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.consent.GrantRequest;
import org.sovereign.core.library.IndexReport;
import org.sovereign.core.library.Passage;
import org.sovereign.packs.pack.FileTrees;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.vault.crypto.KdfParams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * Checks an installed copy end to end without touching the person's data: a throwaway vault in a temporary folder,
 * the bundled embedding pack installed and verified, one sentence indexed under a consent and found again by a search
 * with other words, the audit log verified; the folder is deleted afterwards. Needs no network. Blocks for a few
 * seconds (model load).
 */
public final class SmokeTest {

    private static final String PURPOSE = "smoke test";
    private static final String SENTENCE = "Honey bees dance to tell the hive where the flowers are.";
    private static final String QUERY = "how do bees share where food is";

    private final Consumer<String> steps;

    /** @param steps receives one plain line per step as it completes */
    public SmokeTest(Consumer<String> steps) {
        this.steps = steps;
    }

    /**
     * Runs every step; returns normally when all passed.
     *
     * @throws UserFacingException naming the step that failed
     */
    public void run() {
        Path root;
        try {
            root = Files.createTempDirectory("sovereign-smoke-");
        } catch (IOException e) {
            throw new UserFacingException("The smoke test could not create a temporary folder: " + e.getMessage(), e);
        }
        try {
            runIn(root);
        } finally {
            FileTrees.deleteQuietly(root);
        }
    }

    private void runIn(Path root) {
        DataDirectory dir = DataDirectory.resolve(root.resolve("data")).ensureExists();
        Workstation workstation = Workstation.create(dir, dir.logDirectory().resolve("sovereign.log"),
                new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1));
        steps.accept("Created a throwaway data folder in " + root);
        if (workstation.packs().installation().defaultPackName().isEmpty()) {
            throw new UserFacingException("This build has no bundled embedding pack, so the smoke test cannot run.");
        }
        char[] passphrase = randomPassphrase();
        try (UnlockedWorkspace workspace = workstation.open(workstation.store().create(passphrase))) {
            steps.accept("Created and unlocked a vault");
            var installed = workstation.packs().installation().installDefault(workspace.store(), Progress.NONE);
            steps.accept("Installed and verified the bundled pack " + installed.pack().manifest().installDirName());

            Path docs = Files.createDirectories(root.resolve("documents"));
            Path note = Files.writeString(docs.resolve("bees.txt"), SENTENCE, StandardCharsets.UTF_8);
            workspace.consents().grant(new GrantRequest(List.of(PURPOSE), EnumSet.of(Operation.INDEX, Operation.EMBED),
                    List.of(docs), List.of(), 1));
            steps.accept("Gave a consent to index and embed the test folder");
            IndexReport report = workspace.library().index(docs, PURPOSE, Progress.NONE);
            if (!report.indexed().contains(note)) {
                throw new UserFacingException("Indexing did not index the test sentence: " + report.failed());
            }
            steps.accept("Embedded and indexed one sentence");
            List<Passage> hits = workspace.library().search(QUERY, 3, PURPOSE);
            if (hits.isEmpty() || !hits.get(0).document().equals(note)) {
                throw new UserFacingException("A search with other words did not find the test sentence.");
            }
            steps.accept("Found it again by meaning (\"" + QUERY + "\")");
            var verification = workspace.store().verifyAudit();
            if (!verification.holds()) {
                throw new UserFacingException("The audit log did not verify: " + String.join("; ", verification.problems()));
            }
            steps.accept("Verified the audit log (" + verification.size() + " entries)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Arrays.fill(passphrase, '\0');
            workstation.packs().runtime().unloadModels();
        }
    }

    private static char[] randomPassphrase() {
        SecureRandom random = new SecureRandom();
        char[] p = new char[24];
        for (int i = 0; i < p.length; i++) {
            p[i] = (char) ('a' + random.nextInt(26));
        }
        return p;
    }
}
