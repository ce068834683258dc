package org.sovereign.cli;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.mesh.governance.Governance;
import org.sovereign.mesh.governance.Policy;
import org.sovereign.packs.pack.InstallResult;
import org.sovereign.packs.signing.Cooperative;
import org.sovereign.packs.signing.EcKeys;
import org.sovereign.packs.signing.KeyFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Installs a pack the cooperative adopted: trusted when as many stewards as a close needs "
                + "co-signed it with the pack keys given, and the logs in the vault show it adopted and not retired.",
                "No --trust-anyway: a pack the cooperative did not adopt is refused. The install is recorded in the "
                        + "audit log."})
final class CoopInstallCommand implements Callable<Integer> {
    @ParentCommand
    CoopCommand coop;
    @Spec
    CommandSpec spec;
    @Mixin
    CoopOptions options;
    @Mixin
    PassphraseOptions passphrase;
    @Parameters(paramLabel = "FILE", description = "The pack folder or .mpack file.")
    Path file;
    @Option(names = "--steward-pack-key", required = true, paramLabel = "PUBKEY",
            description = "A steward's public pack key (KEY.pub from 'sovereign pack keygen'); repeat for each steward.")
    List<Path> stewardKeys = new ArrayList<>();
    @Option(names = "--progress", description = "Show progress on stderr even when it is not a terminal.")
    boolean showProgress;

    @Override
    public Integer call() {
        List<PublicKey> keys = new ArrayList<>();
        for (Path p : stewardKeys) {
            try {
                keys.add(EcKeys.readPublicKey(p));
            } catch (KeyFileException e) {
                throw new UserFacingException("Steward key " + p + ": " + e.getMessage());
            } catch (IOException e) {
                throw new UserFacingException("The steward key file " + p + " cannot be read.");
            }
        }
        try (CoopSession session = CoopSession.open(coop.root, options, passphrase)) {
            Governance g = session.governance();
            Policy now = g.currentPolicy();
            Cooperative cooperative;
            try {
                cooperative = new Cooperative(now.coop(), keys, Math.min(now.k(), keys.size()),
                        Optional.of(g.adoptedPacks()));
            } catch (IllegalArgumentException e) {
                throw new UserFacingException("--steward-pack-key: " + e.getMessage());
            }
            if (keys.size() < now.k()) {
                throw new UserFacingException("A close needs " + now.k() + " stewards; give each one's pack key with "
                        + "--steward-pack-key.");
            }
            InstallResult r = coop.root.context(true).packs().installation().installTrustedBy(
                    session.workspace().store(), file, List.of(cooperative),
                    PackCommand.progress(spec.commandLine().getErr(), "Installing", showProgress));
            PackCommand.printInstalled(spec.commandLine().getOut(), r);
        }
        return SovereignCli.OK;
    }
}
