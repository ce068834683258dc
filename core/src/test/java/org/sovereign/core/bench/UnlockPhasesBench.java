package org.sovereign.core.bench;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.Workstation;
import org.sovereign.core.common.Progress;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.consent.GrantRequest;
import org.sovereign.core.store.StoreService;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.vault.crypto.Argon2idKdf;
import org.sovereign.store.vault.crypto.KdfParams;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Where the time of an unlock goes, first in a fresh JVM and then again in the same JVM (issue 16: the window's
 * first unlock after launch took far longer than later ones). Not a test. Two steps, each in its own JVM:
 * <pre>
 * ./mvnw -B -q -o dependency:build-classpath -pl core -Dmdep.outputFile=target/cp.txt
 * CP=core/target/classes:core/target/test-classes:$(cat core/target/cp.txt)
 * java -cp $CP org.sovereign.core.bench.UnlockPhasesBench setup /tmp/unlock-home
 * java -cp $CP org.sovereign.core.bench.UnlockPhasesBench measure /tmp/unlock-home [parts]
 * </pre>
 * ({@code warm} first runs {@link StoreService#warmUp()}, as the unlock screen does; {@code parts} first times a SQLite connection and one Argon2id derivation, each cold and then warm.)
 * {@code setup} creates a vault with the production (calibrated) key derivation, installs the bundled embedding pack
 * and indexes a few notes; {@code measure} unlocks it as the window does (unlock, open the workspace, load the
 * stored vectors, load the embedding model, list conversations), locks, and does it all again, printing wall and
 * CPU time and the classes loaded per phase.
 */
public final class UnlockPhasesBench {

    private static final String PASS = "a long passphrase for the unlock bench";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private UnlockPhasesBench() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[1]);
        DataDirectory dir = DataDirectory.resolve(home).ensureExists();
        if (args[0].equals("setup")) {
            Workstation ws = Workstation.create(dir, home.resolve("bench.log"));
            ws.store().create(PASS.toCharArray()).close();
            ws.packs().installation().installDefault(PASS::toCharArray, Progress.NONE);
            Path notes = Files.createDirectories(home.resolve("notes"));
            for (int i = 0; i < 40; i++) {
                Files.writeString(notes.resolve("note-" + i + ".txt"), ("Note " + i + ": the bees foraged on lime "
                        + "and clover; the varroa count was low; the pantry needs flour and rice. ").repeat(20));
            }
            try (UnlockedWorkspace w = ws.unlock(PASS.toCharArray())) {
                w.consents().grant(new GrantRequest(List.of("private assistant"),
                        EnumSet.of(Operation.INDEX, Operation.EMBED, Operation.GENERATE), List.of(notes), List.of(), 30));
                System.out.println(w.library().index(notes, "private assistant", Progress.NONE).chunks() + " passages");
            }
            ws.packs().runtime().unloadModels();
            return;
        }
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.printf(Locale.ROOT, "JVM up for %d ms before main%n", System.currentTimeMillis() - jvmStart);
        if (args.length > 2 && args[2].equals("parts")) { // the unlock's parts alone, cold then warm
            for (int i = 1; i <= 2; i++) {
                phase("SQLite connection " + i, () -> {
                    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:")) {
                        return c.isValid(1);
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                phase("Argon2id m=64 MiB t=3 " + i, () -> Argon2idKdf.deriveKey(PASS.toCharArray(), new byte[16],
                        KdfParams.defaults()));
            }
        }
        if (args.length > 2 && args[2].equals("warm")) { // as the window does while the passphrase is typed
            phase("StoreService.warmUp", () -> {
                StoreService.warmUp();
                return null;
            });
        }
        Workstation ws = phase("Workstation.create", () -> Workstation.create(dir, home.resolve("bench.log")));
        for (int round = 1; round <= 2; round++) {
            System.out.println("-- unlock " + round);
            LocalStore store = phase("store unlock (KDF, audit check)", () -> ws.store().unlock(PASS.toCharArray()));
            UnlockedWorkspace w = phase("open workspace", () -> ws.open(store));
            phase("load stored vectors", () -> {
                w.libraryWithoutModel().loadVectors(Progress.NONE);
                return null;
            });
            phase("embedding model (ONNX session)", () -> w.models().embedder().orElseThrow());
            phase("list conversations", () -> w.conversations().list());
            phase("first search", () -> w.library().search("varroa count", 5, "private assistant"));
            w.close();
        }
        ws.packs().runtime().unloadModels();
    }

    private static <T> T phase(String name, Supplier<T> work) {
        long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        long cpu = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        T out = work.get();
        long wall = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf(Locale.ROOT, "%-34s %6d ms wall %6d ms CPU %6d classes loaded%n", name, wall,
                (THREADS.getCurrentThreadCpuTime() - cpu) / 1_000_000,
                ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount() - classes);
        return out;
    }
}
