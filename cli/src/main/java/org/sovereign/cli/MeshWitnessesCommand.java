package org.sovereign.cli;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.store.StoreService;
import org.sovereign.mesh.MeshSettings;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.mesh.witness.Witness;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code sovereign mesh witnesses}: who witnessed this workstation's audit log, and any fork or rollback found. */
@Command(name = "witnesses", mixinStandardHelpOptions = true,
        description = {"Shows which members of the cooperative witnessed (cosigned) this workstation's latest published "
                + "audit checkpoint, the other members' logs you hold, and any evidence that a log was forked or rolled back.",
                "Checkpoints are published and cosigned while 'sovereign mesh serve' runs."})
final class MeshWitnessesCommand implements Callable<Integer> {
    @ParentCommand
    MeshCommand mesh;
    @Spec
    CommandSpec spec;
    @Mixin
    PassphraseOptions passphrase;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<MeshSettings> settings = MeshSettings.load(mesh.dataDir());
        if (settings.isEmpty()) {
            out.println("This workstation has not joined a cooperative, so no peer witnesses its audit log yet.");
            return SovereignCli.OK;
        }
        String coop = settings.get().cooperative();
        try (UnlockedWorkspace workspace = mesh.root.context(true).unlock(passphrase.read("Passphrase", false))) {
            RecordSigner self = RecordSigner.of(workspace.store().session());
            MeshLog log = StoreService.translate(() -> new MeshLog(coop, self,
                    VaultRecordStore.open(workspace.store().session(), coop), Clock.systemUTC()));
            Witness witness = new Witness(log, self, workspace.store().signer().keyName(), Clock.systemUTC());
            Witness.Report mine = witness.report(log.self());
            out.println("Your audit log: " + workspace.store().audit().size() + " entries.");
            if (mine.latest().isEmpty()) {
                out.println("Published to the cooperative: nothing yet (run 'sovereign mesh serve').");
            } else {
                out.println("Published to the cooperative: a checkpoint of " + mine.latest().get().checkpoint().size()
                        + " entries.");
                printWitnesses(out, mine.witnesses());
            }
            witness.rollback(workspace.store().audit()).ifPresent(problem -> out.println("Warning: " + problem));
            mine.forks().forEach(f -> out.println("Evidence against this log: " + f + "."));
            TreeSet<String> others = new TreeSet<>(log.heads().keySet());
            others.remove(log.self());
            for (String member : others) {
                Witness.Report r = witness.report(member);
                if (r.latest().isEmpty() && r.forks().isEmpty()) {
                    continue;
                }
                out.println("Member " + member.substring(0, 16) + ": " + r.latest().map(p -> "checkpoint of "
                        + p.checkpoint().size() + " entries, witnessed by " + r.witnesses().size()
                        + (r.witnesses().size() == 1 ? " member" : " members")).orElse("no checkpoint"));
                r.forks().forEach(f -> out.println("  Evidence: " + f + "."));
            }
        }
        return SovereignCli.OK;
    }

    private static void printWitnesses(PrintWriter out, List<Witness.Cosigner> witnesses) {
        if (witnesses.isEmpty()) {
            out.println("Witnessed by: no member yet.");
            return;
        }
        out.println("Witnessed by " + witnesses.size() + (witnesses.size() == 1 ? " member:" : " members:"));
        witnesses.forEach(w -> out.println("  " + w.member().substring(0, 16) + "  " + TerminalText.safe(w.name())
                + "  at " + Instant.ofEpochSecond(w.time())));
    }
}
