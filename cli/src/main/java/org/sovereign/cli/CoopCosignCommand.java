package org.sovereign.cli;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.mesh.governance.Governance;
import org.sovereign.mesh.governance.Proposal;
import org.sovereign.mesh.governance.ProposalKind;
import org.sovereign.packs.signing.KeyId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "cosign", mixinStandardHelpOptions = true,
        description = {"For stewards: co-signs a signed pack folder with your pack-signing key once the cooperative "
                + "has adopted it (a closed adopt-pack proposal whose first option won, for exactly this pack).",
                "Members who trust the stewards' pack keys install it once enough stewards co-signed: "
                        + "'sovereign coop install'."})
final class CoopCosignCommand implements Callable<Integer> {
    @ParentCommand
    CoopCommand coop;
    @Spec
    CommandSpec spec;
    @Mixin
    CoopOptions options;
    @Mixin
    PassphraseOptions passphrase;
    @Parameters(index = "0", paramLabel = "PROPOSAL", description = "The adopt-pack proposal (or its first 8 or more digits).")
    String proposal;
    @Option(names = "--pack", required = true, paramLabel = "DIR", description = "The signed pack folder.")
    Path pack;
    @Option(names = "--key", required = true, paramLabel = "KEY",
            description = "Your pack-signing key (from 'sovereign pack keygen'); KEY.pub must sit beside it.")
    Path key;

    @Override
    public Integer call() {
        var keys = coop.root.context(true).packs().keys();
        String digest = keys.signedDigest(pack);
        try (CoopSession session = CoopSession.open(coop.root, options, passphrase)) {
            Governance g = session.governance();
            Proposal p = session.proposal(proposal);
            if (p.kind() != ProposalKind.ADOPT_PACK) {
                throw new UserFacingException("The proposal is a " + p.kind().wireName() + " proposal, not an "
                        + "adopt-pack one.");
            }
            if (!g.passed(p.id())) {
                throw new UserFacingException("The cooperative has not adopted the pack: the proposal is not closed "
                        + "with '" + TerminalText.safe(p.options().get(0)) + "' winning.");
            }
            if (!g.adoptedPacks().contains(p.subject())) {
                throw new UserFacingException("The cooperative has retired this pack since it adopted it.");
            }
            if (!p.subject().equals(digest)) {
                throw new UserFacingException("The pack in " + pack + " is " + digest + ", not the pack the proposal "
                        + "adopted (" + p.subject() + ").");
            }
        }
        String id = keys.cosign(pack, key);
        spec.commandLine().getOut().println("Co-signed " + pack + " (" + digest + ") with key " + KeyId.shortForm(id)
                + ".");
        return SovereignCli.OK;
    }
}
