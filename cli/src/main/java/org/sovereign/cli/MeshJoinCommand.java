package org.sovereign.cli;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.consent.GrantRequest;
import org.sovereign.core.egress.NetworkPurposes;
import org.sovereign.mesh.MeshSettings;
import org.sovereign.mesh.membership.Genesis;
import org.sovereign.mesh.membership.Invite;
import org.sovereign.mesh.membership.JoinedCooperative;
import org.sovereign.mesh.net.KnownPeers;
import org.sovereign.mesh.net.MeshNode;
import org.sovereign.mesh.net.MeshProfile;
import org.sovereign.mesh.net.WeakMeshConfigurationException;
import org.sovereign.store.consent.Operation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "join", mixinStandardHelpOptions = true,
        description = {"Joins a cooperative with an invitation (an invite file or its short code): first asks for your "
                + "consent to share, naming the cooperative and what may be sent; then connects and waits until a "
                + "steward admits this device.",
                "Withdrawing the consent later leaves the cooperative at once."})
final class MeshJoinCommand implements Callable<Integer> {
    /** How long a consent to share lasts. */
    static final int CONSENT_DAYS = 365;

    @ParentCommand
    MeshCommand mesh;
    @Spec
    CommandSpec spec;
    @Mixin
    PassphraseOptions passphrase;
    @Parameters(paramLabel = "INVITE", description = "The invite file, or the short code (COOP@HOST:PORT/XXXXX-...).")
    String inviteText;
    @Option(names = "--name", paramLabel = "NAME", description = "The name the stewards see for this device.")
    String name = "";
    @Option(names = "--port", paramLabel = "PORT", converter = NumberOptions.AtLeastOne.class,
            description = "The port to listen on (default: the saved one, else " + MeshProfile.DEFAULT_PORT + ").")
    Integer port;
    @Option(names = "--wait", paramLabel = "SECONDS", converter = NumberOptions.AtLeastOne.class,
            description = "How long to wait for admission (default: ${DEFAULT-VALUE}).")
    int waitSeconds = 600;

    /** Where the answer to the consent question is read (standard input; tests replace it). */
    static java.io.InputStream answers = System.in;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = mesh.dataDir();
        Invite invite = readInvite(inviteText);
        if (invite.expires().map(e -> e < System.currentTimeMillis()).orElse(false)) {
            throw new UserFacingException("The invitation expired on " + Instant.ofEpochMilli(invite.expires().get())
                    + ". Ask a steward for a new one.");
        }
        JoinedCooperative.load(dir).filter(j -> !j.genesis().coop().equals(invite.coop())).ifPresent(j -> {
            throw new UserFacingException("This workstation belongs to the cooperative "
                    + TerminalText.safe(j.genesis().name()) + ". Leave it first with 'sovereign mesh leave'.");
        });
        if (name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
            throw new UserFacingException("--name is at most 100 printable characters.");
        }
        if (port != null && port > 65_535) {
            throw new UserFacingException("--port is a number from 1 to 65535, not " + port + ".");
        }
        int listenPort = port != null ? port : MeshSettings.load(dir).map(MeshSettings::port).orElse(MeshProfile.DEFAULT_PORT);
        try (UnlockedWorkspace workspace = mesh.root.context(true).unlock(passphrase.read("Passphrase", false))) {
            String notice = notice(invite);
            out.println(notice);
            out.print("Type yes to give this consent and join, anything else to stop: ");
            out.flush();
            String answer = readAnswer();
            if (!answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
                out.println("You did not join; nothing was sent.");
                return SovereignCli.USER_ERROR;
            }
            String consentId = workspace.consents().grant(new GrantRequest(List.of(NetworkPurposes.MESH),
                    Set.of(Operation.SHARE), List.of(), List.of("*"), List.of(), CONSENT_DAYS, notice)).recordId();
            out.println("Consent " + consentId + " given.");
            new MeshSettings(invite.coop(), "127.0.0.1", listenPort).save(dir);
            Path peersFile = MeshSettings.knownPeersFile(dir);
            KnownPeers.add(peersFile, invite.peers());
            invite.genesis().ifPresent(g -> new JoinedCooperative(g, consentId).save(dir));
            MeshMembers.Member member = MeshMembers.open(workspace, invite.coop(), invite.genesis().orElse(null), invite,
                    name);
            String self = member.log().self();
            CountDownLatch admitted = new CountDownLatch(1);
            member.gate().onChange(m -> {
                if (m.admits(self)) {
                    admitted.countDown();
                }
            });
            member.gate().membership().filter(m -> m.admits(self)).ifPresent(m -> admitted.countDown());
            MeshProfile profile = MeshProfile.defaults(invite.coop(), listenPort, KnownPeers.load(peersFile));
            try (MeshNode node = MeshNode.join(profile, member.sync(), workspace.network(), () -> consentId, peersFile,
                    member.join())) {
                MeshMembers.watch(node, workspace, consentId, dir, member, admitted::countDown);
                out.println("Connected on 127.0.0.1:" + listenPort + ". Asking the stewards to admit this device ("
                        + MeshMembers.shortKey(self) + ")...");
                out.flush();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
                while (admitted.getCount() > 0 && node.isConnected() && System.nanoTime() < deadline) {
                    if (!member.join().invite().complete()) {
                        node.sendExtra(null, member.join().hello());
                        if (member.join().awaitInvite(Duration.ofSeconds(2))) {
                            Genesis g = member.join().invite().genesis().orElseThrow();
                            new JoinedCooperative(g, consentId).save(dir);
                            out.println("The peer showed the cooperative " + TerminalText.safe(g.name())
                                    + "; it matches the short code.");
                        }
                        continue;
                    }
                    node.sendExtra(null, member.join().request());
                    admitted.await(2, TimeUnit.SECONDS);
                }
                MeshMembers.saveRefusals(dir, member, new java.util.concurrent.atomic.AtomicReference<>());
                if (!node.isConnected()) {
                    out.println("The consent to share is no longer in force, so this workstation left the cooperative.");
                    return SovereignCli.USER_ERROR;
                }
                if (!member.gate().membership().map(m -> m.admits(self)).orElse(false)) {
                    out.println("No steward admitted this device within " + waitSeconds + " seconds. Run the same "
                            + "command again later (the invitation stays valid until it expires or is used).");
                    return SovereignCli.USER_ERROR;
                }
                node.announce();
                out.println("Admitted to " + TerminalText.safe(member.gate().membership().orElseThrow().genesis().name())
                        + " as " + MeshMembers.shortKey(self) + ". Run 'sovereign mesh serve --consent " + consentId
                        + "' to stay connected; 'sovereign mesh leave' to leave.");
            } catch (WeakMeshConfigurationException e) {
                throw new UserFacingException(e.getMessage());
            }
        }
        return SovereignCli.OK;
    }

    /** What the person is asked to allow, naming the cooperative and what may be sent. */
    static String notice(Invite invite) {
        String who = invite.genesis().map(g -> "the cooperative \"" + g.name() + "\" (id " + invite.coop() + ")")
                .orElse("the cooperative with the id " + invite.coop() + " (its name is checked against the short code "
                        + "once connected)");
        return "You allow this workstation to join " + who + " and to connect to its members' computers over the "
                + "network, for the purpose of " + NetworkPurposes.MESH + ". What may be sent: your pack offers, your "
                + "audit checkpoints (for members to witness) and your votes, each as a record signed by this device, "
                + "and the members' records you hold. Members see this computer's network address and its device key. "
                + "Nothing from your documents or conversations is sent. This lasts " + CONSENT_DAYS + " days. You can "
                + "withdraw this consent at any time; the workstation then leaves the cooperative at once.";
    }

    private static String readAnswer() {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(answers, Charset.defaultCharset()));
            String line = in.readLine();
            return line == null ? "" : line;
        } catch (IOException e) {
            return "";
        }
    }

    static Invite readInvite(String text) {
        Path file = null;
        try {
            file = Path.of(text);
        } catch (InvalidPathException e) {
            // not a file name
        }
        try {
            if (file != null && Files.isRegularFile(file)) {
                if (Files.size(file) > 256 * 1024) {
                    throw new UserFacingException("'" + TerminalText.safe(text) + "' is too large to be an invite file.");
                }
                return Invite.readFile(Files.readAllBytes(file));
            }
            if (Invite.looksLikeCode(text)) {
                return Invite.parseCode(text);
            }
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage());
        } catch (IOException e) {
            throw new UserFacingException("The invite file " + TerminalText.safe(text) + " cannot be read.", e);
        }
        throw new UserFacingException("'" + TerminalText.safe(text) + "' is neither an invite file nor a short code "
                + "(COOP@HOST:PORT/XXXXX-...).");
    }
}
