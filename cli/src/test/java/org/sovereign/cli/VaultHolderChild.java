package org.sovereign.cli;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.Workstation;
import org.sovereign.core.config.DataDirectory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The first process of {@link VaultInUseCliTest}, standing in for an open window: unlocks the vault of a data
 * directory (arguments: data directory, passphrase file), prints {@code open}, and locks it again when a line
 * arrives on standard input.
 */
public final class VaultHolderChild {

    private VaultHolderChild() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        char[] passphrase = Files.readString(Path.of(args[1])).strip().toCharArray();
        Workstation workstation = Workstation.create(DataDirectory.resolve(home), home.resolve("logs").resolve("holder.log"));
        try (UnlockedWorkspace workspace = workstation.unlock(passphrase)) {
            System.out.println("open " + workspace.store().audit().size());
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        System.out.println("closed");
        System.out.flush();
    }
}
