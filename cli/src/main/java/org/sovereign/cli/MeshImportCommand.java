package org.sovereign.cli;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.store.StoreService;
import org.sovereign.mesh.bundle.BundleException;
import org.sovereign.mesh.bundle.BundleImport;
import org.sovereign.mesh.bundle.MeshBundles;
import org.sovereign.mesh.log.Receipt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sovereign mesh import}: checks a bundle completely, then adds its records as if a peer had sent them. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Adds the signed records of a bundle made by another member ('sovereign mesh export') to the "
                + "logs in the vault. The whole bundle is checked first; an altered or incomplete one is refused and "
                + "nothing of it is added. Importing the same bundle again changes nothing."})
final class MeshImportCommand implements Callable<Integer> {
    @ParentCommand
    MeshCommand mesh;
    @Spec
    CommandSpec spec;
    @Mixin
    PassphraseOptions passphrase;
    @Parameters(paramLabel = "BUNDLE", description = "The bundle file.")
    Path bundle;
    @Option(names = "--coop", paramLabel = "ID", description = "The cooperative's id (default: the one this workstation belongs to).")
    String coop;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String cooperative = MeshExportCommand.cooperative(mesh, coop);
        if (!Files.isRegularFile(bundle)) {
            throw new UserFacingException("There is no file " + TerminalText.safe(bundle.toString()) + ".");
        }
        try (UnlockedWorkspace workspace = mesh.root.context(true).unlock(passphrase.read("Passphrase", false))) {
            MeshBundles.Imported imported;
            try {
                imported = StoreService.translate(() -> MeshBundles.importFile(workspace.store(), cooperative, bundle,
                        Clock.systemUTC()));
            } catch (BundleException e) {
                throw new UserFacingException(TerminalText.safe(e.getMessage()) + " Nothing of it was imported.");
            }
            BundleImport result = imported.result();
            int records = imported.manifest().recordCount();
            out.println("Checked the bundle from member " + result.exporter().substring(0, 16) + ": " + records
                    + (records == 1 ? " record" : " records") + ", signatures and chains valid.");
            out.println("Added " + result.count(Receipt.APPENDED) + " new, " + result.count(Receipt.DUPLICATE)
                    + " already held" + (result.refused() > 0 ? ", " + result.refused() + " refused" : "") + ".");
            for (Map.Entry<String, long[]> gap : result.gaps().entrySet()) {
                out.println("Not added: the records of member " + gap.getKey().substring(0, 16) + " start at place "
                        + gap.getValue()[0] + ", but this workstation holds only " + gap.getValue()[1]
                        + " of that log. Ask that member for a bundle made with --since all.");
            }
            for (String frozen : result.newlyFrozen()) {
                out.println("Frozen key: " + frozen.substring(0, 16) + " signed two different records at one place "
                        + "(both kept as evidence).");
            }
            if (result.behindOwnPublishedHead()) {
                out.println("This workstation's own log is behind: peers hold it up to record " + result.ownPublished()
                        + ", this vault only up to " + result.ownHeld() + " (was it restored from a backup?). Nothing "
                        + "will be written to it until the missing records arrive: import a bundle a peer made with "
                        + "--since all, or sync with peers.");
            }
            out.println("SHA-256: " + imported.sha256());
        }
        return SovereignCli.OK;
    }
}
