package org.sovereign.cli;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.store.StoreService;
import org.sovereign.mesh.MeshSettings;
import org.sovereign.mesh.log.MalformedRecordException;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.mesh.membership.Genesis;
import org.sovereign.mesh.membership.JoinedCooperative;
import org.sovereign.mesh.net.MeshProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Founds a cooperative: writes its genesis (id, name, stewards and how many of them must sign an "
                + "admission) as the first record of this device's log. This device is its first steward.",
                "Nothing is sent; members join with an invitation ('sovereign mesh invite')."})
final class MeshCreateCommand implements Callable<Integer> {
    @ParentCommand
    MeshCommand mesh;
    @Spec
    CommandSpec spec;
    @Mixin
    PassphraseOptions passphrase;
    @Option(names = "--coop", required = true, paramLabel = "ID",
            description = "The cooperative's id: letters, digits and . _ : - (e.g. bees-north).")
    String coop;
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The cooperative's name, for people.")
    String name;
    @Option(names = "--steward", paramLabel = "KEY",
            description = "Another steward's device key (64 hexadecimal digits, as 'mesh status --unlock' prints it); repeatable.")
    List<String> stewards = new ArrayList<>();
    @Option(names = "--k", paramLabel = "N", converter = NumberOptions.AtLeastOne.class,
            description = "How many stewards must sign an admission or a removal (default: ${DEFAULT-VALUE}).")
    int k = 1;
    @Option(names = "--port", paramLabel = "PORT", converter = NumberOptions.AtLeastOne.class,
            description = "The port this workstation listens on as a member (default: " + MeshProfile.DEFAULT_PORT + ").")
    Integer port;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = mesh.dataDir();
        JoinedCooperative.load(dir).ifPresent(j -> {
            throw new UserFacingException("This workstation already belongs to the cooperative "
                    + TerminalText.safe(j.genesis().name()) + ". Leave it first with 'sovereign mesh leave'.");
        });
        for (String key : stewards) {
            if (!key.matches("[0-9a-f]{64}")) {
                throw new UserFacingException("--steward takes a device key of 64 lower-case hexadecimal digits, not '"
                        + TerminalText.safe(key) + "'.");
            }
        }
        if (port != null && port > 65_535) {
            throw new UserFacingException("--port is a number from 1 to 65535, not " + port + ".");
        }
        try (UnlockedWorkspace workspace = mesh.root.context(true).unlock(passphrase.read("Passphrase", false))) {
            Genesis genesis = StoreService.translate(() -> {
                VaultRecordStore store = VaultRecordStore.open(workspace.store().session(), coop);
                RecordSigner self = RecordSigner.of(workspace.store().session());
                if (!store.heads().isEmpty()) {
                    throw new UserFacingException("This vault already holds records of a cooperative with the id "
                            + TerminalText.safe(coop) + "; choose another id.");
                }
                Genesis g;
                try {
                    g = Genesis.create(self, coop, name, stewards, k, System.currentTimeMillis());
                } catch (MalformedRecordException | IllegalArgumentException e) {
                    throw new UserFacingException(e.getMessage());
                }
                store.append(g.record());
                return g;
            });
            new JoinedCooperative(genesis, null).save(dir);
            new MeshSettings(coop, "127.0.0.1", port != null ? port : MeshProfile.DEFAULT_PORT).save(dir);
            out.println("Founded the cooperative " + TerminalText.safe(genesis.name()) + " (id " + TerminalText.safe(coop)
                    + ") with " + genesis.stewards().size() + (genesis.stewards().size() == 1 ? " steward" : " stewards")
                    + "; " + genesis.k() + " must sign each admission or removal.");
            out.println("Invite members with 'sovereign mesh invite', then run 'sovereign mesh serve' to admit them.");
        }
        return SovereignCli.OK;
    }
}
