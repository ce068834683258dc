package org.sovereign.cli;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.store.StoreService;
import org.sovereign.mesh.MeshSettings;
import org.sovereign.mesh.membership.JoinedCooperative;
import org.sovereign.mesh.membership.MembershipRecords;
import org.sovereign.mesh.net.KnownPeers;
import org.sovereign.mesh.net.MeshNode;
import org.sovereign.mesh.net.MeshProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "leave", mixinStandardHelpOptions = true,
        description = {"Leaves the cooperative: writes a signed leave record, tells the peers it can reach (within "
                + "--wait seconds, while the consent to share holds), then withdraws that consent and forgets the "
                + "cooperative. Your vault keeps the records it holds."})
final class MeshLeaveCommand implements Callable<Integer> {
    @ParentCommand
    MeshCommand mesh;
    @Spec
    CommandSpec spec;
    @Mixin
    PassphraseOptions passphrase;
    @Option(names = "--wait", paramLabel = "SECONDS", converter = NumberOptions.AtLeastOne.class,
            description = "How long to try to tell peers (default: ${DEFAULT-VALUE}).")
    int waitSeconds = 15;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = mesh.dataDir();
        JoinedCooperative joined = JoinedCooperative.load(dir).orElseThrow(() -> new UserFacingException(
                "This workstation belongs to no cooperative, so there is nothing to leave."));
        String coop = joined.genesis().coop();
        try (UnlockedWorkspace workspace = mesh.root.context(true).unlock(passphrase.read("Passphrase", false))) {
            MeshMembers.Member member = MeshMembers.open(workspace, coop, joined.genesis(), null, "");
            StoreService.translate(() -> member.log().append(MembershipRecords.LEAVE, MembershipRecords.VERSION,
                    MembershipRecords.leave(joined.genesis().hash())));
            String consent = joined.shareConsent();
            boolean told = false;
            if (consent != null && MeshMembers.active(workspace, consent)) {
                int port = MeshSettings.load(dir).map(MeshSettings::port).orElse(MeshProfile.DEFAULT_PORT);
                Path peersFile = MeshSettings.knownPeersFile(dir);
                MeshProfile profile = MeshProfile.defaults(coop, port, KnownPeers.load(peersFile));
                try (MeshNode node = MeshNode.join(profile, member.sync(), workspace.network(), () -> consent, peersFile,
                        member.join())) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
                    while (!told && System.nanoTime() < deadline) {
                        node.announce();
                        Thread.sleep(500);
                        told = member.sync().recordsSent() > 0;
                    }
                }
                workspace.consents().withdraw(consent, false);
            }
            JoinedCooperative.forget(dir);
            try {
                Files.deleteIfExists(MeshSettings.file(dir));
            } catch (IOException e) {
                throw new UserFacingException("The mesh settings file cannot be removed: " + e.getMessage(), e);
            }
            out.println("You left the cooperative " + TerminalText.safe(joined.genesis().name()) + ". "
                    + (told ? "A peer received your leave record. "
                    : "No peer could be told now; your leave record stays in your vault. ")
                    + (consent != null ? "The consent to share is withdrawn." : ""));
        }
        return SovereignCli.OK;
    }
}
