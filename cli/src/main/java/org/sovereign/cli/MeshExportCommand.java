package org.sovereign.cli;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.store.StoreService;
import org.sovereign.mesh.MeshSettings;
import org.sovereign.mesh.bundle.BundleException;
import org.sovereign.mesh.bundle.MeshBundles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code sovereign mesh export}: the cooperative's logs, or what one member lacks, in a bundle file to carry. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes the members' signed logs held in the vault to one bundle file, to carry to another "
                + "member where there is no network (import it there with 'sovereign mesh import').",
                "Handing records to another member needs the same consent as sending them over the network: purpose "
                        + "'mesh', operation 'share'."})
final class MeshExportCommand implements Callable<Integer> {
    @ParentCommand
    MeshCommand mesh;
    @Spec
    CommandSpec spec;
    @Mixin
    PassphraseOptions passphrase;
    @Option(names = "--since", required = true, paramLabel = "PEER|all",
            description = "'all' for every record held, or a member's key (or its first 8 or more hex digits): only "
                    + "what that member is known to lack, from the heads last seen from it.")
    String since;
    @Option(names = "--out", required = true, paramLabel = "BUNDLE", description = "The bundle file to write (replaced if it exists).")
    Path out;
    @Option(names = "--consent", required = true, paramLabel = "ID", description = "The consent to share with the mesh.")
    String consentId;
    @Option(names = "--coop", paramLabel = "ID", description = "The cooperative's id (default: the one this workstation belongs to).")
    String coop;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        String cooperative = cooperative(mesh, coop);
        Path target = out.toAbsolutePath();
        if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
            throw new UserFacingException("--out: the folder " + TerminalText.safe(String.valueOf(target.getParent()))
                    + " does not exist.");
        }
        if (Files.isDirectory(target)) {
            throw new UserFacingException("--out names a folder; give the bundle's file name.");
        }
        try (UnlockedWorkspace workspace = mesh.root.context(true).unlock(passphrase.read("Passphrase", false))) {
            MeshBundles.Exported exported;
            try {
                exported = StoreService.translate(() -> MeshBundles.export(workspace.store(), cooperative, since,
                        consentId, target, Clock.systemUTC()));
            } catch (BundleException e) {
                throw new UserFacingException(e.getMessage() + switch (e.reason()) {
                    case UNKNOWN_PEER -> " Export everything with --since all.";
                    case NO_CONSENT -> " Give one with 'sovereign consent grant --purpose mesh --operations share "
                            + "--source net:*'.";
                    default -> "";
                });
            }
            stdout.println("Exported " + exported.records() + (exported.records() == 1 ? " record" : " records")
                    + " of " + exported.logs() + (exported.logs() == 1 ? " member's log" : " members' logs") + " to "
                    + TerminalText.safe(exported.file().toString()) + " (" + exported.bytes() + " bytes, made for "
                    + (exported.since().equals("all") ? "everyone" : "member " + exported.since().substring(0, 16)) + ").");
            stdout.println("SHA-256: " + exported.sha256());
        }
        return SovereignCli.OK;
    }

    /** The cooperative named with {@code --coop}, else the one saved by an earlier run. */
    static String cooperative(MeshCommand mesh, String coop) {
        if (coop != null) {
            return coop;
        }
        return MeshSettings.load(mesh.dataDir()).map(MeshSettings::cooperative).orElseThrow(() ->
                new UserFacingException("This workstation has not joined a cooperative; name it with --coop ID."));
    }
}
