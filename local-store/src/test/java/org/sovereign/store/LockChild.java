package org.sovereign.store;

import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.vault.VaultInUseException;
import org.sovereign.store.vault.crypto.KdfParams;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The second process of {@link VaultLockTest}. Arguments: data directory, mode.
 * <ul>
 *   <li>{@code hold}: unlocks the store, records one entry, prints {@code open <auditSize>}, then waits for a line on
 *       standard input, closes the store and prints {@code closed}.</li>
 *   <li>{@code try}: tries to unlock the store once and prints {@code in-use <message>} or {@code opened}.</li>
 * </ul>
 */
public final class LockChild {

    static final char[] PASSPHRASE = "lock test passphrase".toCharArray();
    static final KdfParams FAST = new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1);

    private LockChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        if (args[1].equals("try")) {
            try (LocalStore store = LocalStore.unlock(dir, PASSPHRASE.clone(), Clock.systemUTC())) {
                store.record(AuditTypes.DOCUMENT_INGESTED, Map.of("document", "from-second-process"));
                System.out.println("opened");
            } catch (VaultInUseException e) {
                System.out.println("in-use " + e.getMessage());
            }
            System.out.flush();
            return;
        }
        try (LocalStore store = LocalStore.unlock(dir, PASSPHRASE.clone(), Clock.systemUTC())) {
            store.record(AuditTypes.DOCUMENT_INGESTED, Map.of("document", "from-child"));
            System.out.println("open " + store.audit().size());
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        System.out.println("closed");
        System.out.flush();
    }
}
