package org.sovereign.cli;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.files.AtomicFiles;
import org.sovereign.core.store.StoreService;
import org.sovereign.mesh.MeshSettings;
import org.sovereign.mesh.membership.Invite;
import org.sovereign.mesh.membership.JoinedCooperative;
import org.sovereign.mesh.net.KnownPeers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "invite", mixinStandardHelpOptions = true,
        description = {"Invites one person to the cooperative (stewards only): writes an invite file and prints its "
                + "short code. Either lets one device ask to join; this workstation's 'mesh serve' admits it.",
                "The invitation is a signed record of your log; peers receive it the next time you serve."})
final class MeshInviteCommand implements Callable<Integer> {
    @ParentCommand
    MeshCommand mesh;
    @Spec
    CommandSpec spec;
    @Mixin
    PassphraseOptions passphrase;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the invite file.")
    Path outFile;
    @Option(names = "--peer", paramLabel = "HOST:PORT",
            description = "Where the invited device connects first (repeatable; default: this workstation's listen address).")
    List<String> peers = new ArrayList<>();
    @Option(names = "--valid-days", paramLabel = "N", converter = NumberOptions.AtLeastOne.class,
            description = "How long the invitation may be used (default: ${DEFAULT-VALUE} days).")
    int validDays = 7;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = mesh.dataDir();
        JoinedCooperative joined = JoinedCooperative.load(dir).orElseThrow(() -> new UserFacingException(
                "This workstation belongs to no cooperative. Found one with 'sovereign mesh create' or join one with "
                        + "'sovereign mesh join INVITE'."));
        List<String> contact = new ArrayList<>();
        for (String peer : peers) {
            try {
                contact.add(KnownPeers.parse(peer));
            } catch (IllegalArgumentException e) {
                throw new UserFacingException("--peer: " + e.getMessage());
            }
        }
        if (contact.isEmpty()) {
            MeshSettings s = MeshSettings.load(dir).orElseThrow(() -> new UserFacingException(
                    "Name where the invited device connects with --peer HOST:PORT."));
            contact.add(s.bindAddress() + ":" + s.port());
        }
        if (validDays > 365) {
            throw new UserFacingException("--valid-days is at most 365.");
        }
        Instant until = Instant.now().plus(Duration.ofDays(validDays));
        try (UnlockedWorkspace workspace = mesh.root.context(true).unlock(passphrase.read("Passphrase", false))) {
            MeshMembers.Member member = MeshMembers.open(workspace, joined.genesis().coop(), joined.genesis(), null, "");
            if (!joined.genesis().stewards().contains(member.log().self())) {
                throw new UserFacingException("Only a steward can invite, and this device is not one of the cooperative's "
                        + "stewards.");
            }
            Invite invite = StoreService.translate(() -> Invite.issue(member.log(), joined.genesis(), contact,
                    until.toEpochMilli()));
            try {
                AtomicFiles.write(outFile, invite.toFile());
            } catch (IOException e) {
                throw new UserFacingException("The invite file " + TerminalText.safe(outFile) + " cannot be written: "
                        + e.getMessage(), e);
            }
            out.println("Invitation to " + TerminalText.safe(joined.genesis().name()) + ", valid until " + until
                    + ". Give the invited person one of these (each works once):");
            out.println("  the file " + TerminalText.safe(outFile));
            out.println("  the short code " + TerminalText.safe(invite.shortCode()));
            out.println("They run 'sovereign mesh join' with it while this workstation runs 'sovereign mesh serve'.");
        }
        return SovereignCli.OK;
    }
}
