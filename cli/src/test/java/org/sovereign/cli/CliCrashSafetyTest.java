package org.sovereign.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.Workstation;
import org.sovereign.core.assistant.ConversationService;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.library.LibraryService;
import org.sovereign.core.library.Passage;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.vault.Scope;
import org.sovereign.testing.Fixtures;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Crash safety of the whole product (issue 15): a child JVM runs the {@code sovereign} command line doing mixed work
 * (index a folder, search, ask, consent grant and withdraw with and without erasure, pack install and remove,
 * conversation delete) and is killed with SIGKILL at a random moment, round after round on one data directory. After
 * every round, in this JVM: the vault unlocks, {@code audit verify} passes (with and without the passphrase), the pack
 * list shows only complete packs whose files verify (never a staging folder), every write the command line
 * acknowledged (printed its success line for) before the kill is there, nothing indexed is there twice, and the next
 * {@code index} run picks up where the killed one stopped. The seed is printed with every failure; run one seed
 * again with {@code -Dcrash.seed=N} (and {@code -Dcrash.rounds=N}).
 */
class CliCrashSafetyTest {

    private static final int ROUNDS = Integer.getInteger("crash.rounds", 50);
    private static final long SEED = Long.getLong("crash.seed", 20261207L);
    private static final String PURPOSE = "private assistant";
    private static final String PACK = "tiny-llama";
    private static final Pattern CONSENT_ROW = Pattern.compile("^(\\S+)\\s+(given|withdrawn|expired|suspended|[a-z]+)\\s+until .*  "
            + Pattern.quote(PURPOSE) + "  (.+)$");
    private static final Pattern CONVERSATION = Pattern.compile("^Conversation (\\d+); recorded as audit entry");

    @TempDir
    Path tmp;

    private Path home;
    private Path pass;
    private Path library;
    private Path mpack;
    private CliRun cli;
    private Random random;
    private String where = "";

    /** Library documents (file name to its current unique word) that an acknowledged index run saw. */
    private final Map<String, String> indexedWords = new HashMap<>();
    /** Every word a library document ever had, for the no-duplicate check. */
    private final Map<String, String> documentWords = new LinkedHashMap<>();
    /** Words of library documents an acknowledged index run replaced: never found again. */
    private final Set<String> replacedWords = new HashSet<>();
    private int nextDocument;

    /** Scratch consents (id to state), each over its own folder. */
    private final Map<String, Scratch> scratch = new LinkedHashMap<>();
    private int nextScratch;

    private final Set<Long> conversations = new HashSet<>();
    private final Set<Long> deletedConversations = new HashSet<>();
    /** Document versions (words) found in the library so far: each was ingested, so each has an audit entry. */
    private final Set<String> versionsFound = new HashSet<>();

    private boolean packInstalled;

    // what was measured, for docs/benchmarks.md
    private int killedMidCommand;
    private int commandsAcknowledged;
    /** Documents a killed index run had stored (found before any run acknowledged them), so later runs skip them. */
    private final Set<String> storedByKilledRuns = new HashSet<>();

    private static final class Scratch {
        final Path folder;
        final List<String> words;
        boolean withdrawn;
        boolean erased;
        boolean indexed;

        Scratch(Path folder, List<String> words) {
            this.folder = folder;
            this.words = words;
        }
    }

    /** One command of a round's script and what its success line looks like. */
    private record Step(Kind kind, List<String> args, String subject) {
    }

    private enum Kind { INDEX_LIBRARY, SEARCH, ASK, GRANT, INDEX_SCRATCH, WITHDRAW, WITHDRAW_ERASE, INSTALL, REMOVE,
        DELETE_CONVERSATION }

    @Test
    void sigkillAtRandomMomentsLosesNoAcknowledgedWriteAndLeavesTheVaultAndPacksWhole() throws Exception {
        random = new Random(SEED);
        setUp();
        warmUp();
        long started = System.nanoTime();
        for (int round = 0; round < ROUNDS; round++) {
            where = "seed " + SEED + ", round " + round + " (rerun with -Dcrash.seed=" + SEED + ")";
            addLibraryDocuments();
            libraryAtScriptTime = currentLibrary();
            List<Step> steps = script();
            // one round in ten runs to the end, one in twenty is killed while the JVM starts, the others inside a
            // command chosen at random, at a random moment of as long as that kind of command took last time
            int dice = random.nextInt(20);
            int target = dice < 2 ? Integer.MAX_VALUE : dice == 2 ? -1 : random.nextInt(steps.size());
            double fraction = random.nextDouble();
            Outcome outcome = runChild(round, steps, target, fraction);
            if (outcome.killed() && outcome.inFlight() >= 0) {
                killedMidCommand++;
            }
            int acknowledgedBefore = commandsAcknowledged;
            learn(steps, outcome);
            System.out.printf(Locale.ROOT, "round %d: %s; %s after %d ms, %d acknowledged%n", round,
                    steps.stream().map(s -> s.kind().name().toLowerCase(Locale.ROOT)).toList(),
                    outcome.killed() ? "killed in " + (outcome.inFlight() >= 0 ? steps.get(outcome.inFlight()).kind()
                            .name().toLowerCase(Locale.ROOT) : "start-up") : "finished", outcome.millis(),
                    commandsAcknowledged - acknowledgedBefore);
            check();
        }
        // the last word: an index run to the end finds every document exactly once
        assertThat(cli.run("index", library.toString(), "--consent", mainConsent, "--passphrase-file", pass.toString()))
                .as(where + ": " + cli.err()).isZero();
        acknowledgeLibraryIndex(currentLibrary());
        check();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        System.out.printf(Locale.ROOT, "CliCrashSafetyTest: seed %d, %d rounds, %d killed inside a command, "
                        + "%d commands acknowledged, %d documents indexed, %d left to a later run after a kill, %d s%n",
                SEED, ROUNDS, killedMidCommand, commandsAcknowledged, documentWords.size(), storedByKilledRuns.size(), seconds);
        assertThat(killedMidCommand).as("rounds whose kill landed inside a command").isGreaterThanOrEqualTo(ROUNDS / 2);
    }

    private String mainConsent;

    private void setUp() throws IOException {
        home = tmp.resolve("home");
        cli = new CliRun(home);
        pass = Files.writeString(tmp.resolve("pass"), "crash harness passphrase\n");
        library = Files.createDirectories(tmp.resolve("library"));
        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                "--argon2-iterations", "1", "--no-default-pack")).as(cli.err()).isZero();
        assertThat(cli.run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", PURPOSE,
                "--operations", "index", "--source", library.toString())).as(cli.err()).isZero();
        mainConsent = cli.out().strip();
        mpack = tmp.resolve("tiny.mpack");
        assertThat(cli.run("pack", "import", Fixtures.TINY_LLAMA.toString(), "--out", mpack.toString(), "--name", PACK))
                .as(cli.err()).isZero();
    }

    /**
     * A first child that runs to the end and archives the classes it loaded (class-data sharing); the killed children
     * map that archive instead of loading and verifying every class again. Without an archive they just start slower.
     */
    private void warmUp() throws Exception {
        Path archive = tmp.resolve("children.jsa");
        String pf = pass.toString();
        classDataSharing = List.of("-XX:ArchiveClassesAtExit=" + archive);
        List<Step> steps = List.of(
                new Step(Kind.INDEX_LIBRARY, List.of("index", library.toString(), "--consent", mainConsent, "--passphrase-file", pf), null),
                new Step(Kind.SEARCH, List.of("search", "bees", "--passphrase-file", pf), null),
                new Step(Kind.ASK, List.of("ask", "bees", "--passphrase-file", pf), null),
                new Step(Kind.SEARCH, List.of("consent", "list", "--passphrase-file", pf), null),
                new Step(Kind.SEARCH, List.of("pack", "list"), null));
        where = "warm-up";
        Outcome outcome = runChild(-1, steps, Integer.MAX_VALUE, 0);
        assertThat(outcome.killed()).isFalse();
        classDataSharing = Files.isRegularFile(archive) ? List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto")
                : List.of();
        check();
    }

    // ------------------------------------------------------------------ the work

    /** New documents for the library (a burst now and then) and, sometimes, a changed one. */
    private void addLibraryDocuments() throws IOException {
        int count = random.nextInt(4) == 0 ? 12 + random.nextInt(12) : random.nextInt(4);
        for (int i = 0; i < count; i++) {
            String name = String.format(Locale.ROOT, "note-%04d.md", nextDocument);
            writeDocument(name, "harnessdoc" + letters(nextDocument++) + "x");
        }
        if (!documentWords.isEmpty() && random.nextInt(4) == 0) {
            List<String> names = new ArrayList<>(currentLibrary().keySet());
            String name = names.get(random.nextInt(names.size()));
            writeDocument(name, "harnessdoc" + letters(nextDocument++) + "x");
        }
    }

    private void writeDocument(String name, String word) throws IOException {
        Files.writeString(library.resolve(name), "A note written for the crash harness. It mentions " + word
                + " once, and some ordinary words about bees, hives and winter.\n");
        documentWords.put(word, name);
    }

    /** The library folder as it is now: file name to its current word. */
    private Map<String, String> currentLibrary() {
        Map<String, String> now = new HashMap<>();
        documentWords.forEach((word, name) -> {
            try {
                if (Files.readString(library.resolve(name)).contains(" " + word + " ")) {
                    now.put(name, word);
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        return now;
    }

    private static String letters(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            s.append((char) ('a' + n % 26));
            n /= 26;
        }
        return s.toString();
    }

    private List<Step> script() throws IOException {
        List<Step> steps = new ArrayList<>();
        String pf = pass.toString();
        int count = 1 + random.nextInt(3);
        boolean packDone = false;
        Set<String> used = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int pick = random.nextInt(11);
            List<String> active = scratch.entrySet().stream().filter(e -> !e.getValue().withdrawn)
                    .map(Map.Entry::getKey).filter(id -> !used.contains(id)).sorted().toList();
            if (pick <= 1) {
                steps.add(new Step(Kind.INDEX_LIBRARY, List.of("index", library.toString(), "--consent", mainConsent,
                        "--passphrase-file", pf), null));
            } else if (pick == 3) {
                String word = documentWords.isEmpty() ? "bees" : List.copyOf(documentWords.keySet())
                        .get(random.nextInt(documentWords.size()));
                steps.add(new Step(random.nextBoolean() ? Kind.SEARCH : Kind.ASK,
                        List.of(random.nextBoolean() ? "search" : "ask", word, "--passphrase-file", pf), null));
            } else if (pick == 4) {
                steps.add(new Step(Kind.ASK, List.of("ask", "winter", "hives", "--passphrase-file", pf), null));
            } else if (pick == 5) {
                Path folder = Files.createDirectories(tmp.resolve("scratch-" + nextScratch));
                List<String> words = new ArrayList<>();
                for (int d = 0; d < 3; d++) {
                    String word = "harnessscratch" + letters(nextScratch * 3 + d) + "x";
                    Files.writeString(folder.resolve("s" + d + ".txt"), "Scratch text with " + word + " in it.\n");
                    words.add(word);
                }
                nextScratch++;
                steps.add(new Step(Kind.GRANT, List.of("consent", "grant", "--passphrase-file", pf, "--purpose", PURPOSE,
                        "--operations", "index", "--source", folder.toString()), folder.toString() + "\n"
                        + String.join(" ", words)));
            } else if (pick == 6 && !active.isEmpty()) {
                String id = active.get(random.nextInt(active.size()));
                used.add(id);
                steps.add(new Step(Kind.INDEX_SCRATCH, List.of("index", scratch.get(id).folder.toString(), "--consent", id,
                        "--passphrase-file", pf), id));
            } else if (pick == 7 && !active.isEmpty()) {
                String id = active.get(random.nextInt(active.size()));
                used.add(id);
                boolean erase = random.nextBoolean();
                List<String> args = new ArrayList<>(List.of("consent", "withdraw", id, "--passphrase-file", pf));
                if (erase) {
                    args.add("--erase");
                }
                steps.add(new Step(erase ? Kind.WITHDRAW_ERASE : Kind.WITHDRAW, args, id));
            } else if (pick == 8 && !packDone) {
                packDone = true;
                steps.add(packInstalled ? new Step(Kind.REMOVE, List.of("pack", "remove", PACK, "--passphrase-file", pf), PACK)
                        : new Step(Kind.INSTALL, List.of("pack", "install", mpack.toString(), "--trust-anyway",
                        "--passphrase-file", pf), PACK));
            } else if (pick >= 9 && !conversations.isEmpty()) {
                long id = conversations.stream().sorted().toList().get(random.nextInt(conversations.size()));
                if (used.add("conversation " + id)) {
                    steps.add(new Step(Kind.DELETE_CONVERSATION, List.of("conversations", "delete", Long.toString(id),
                            "--passphrase-file", pf), Long.toString(id)));
                }
            } else {
                // what was picked has nothing to work on (no active scratch consent, no conversation, the pack done)
                steps.add(new Step(Kind.SEARCH, List.of("search", "winter", "--passphrase-file", pf), null));
            }
        }
        return steps;
    }

    // ------------------------------------------------------------------ the child

    /** What a child printed per command, whether it was killed and which command was running then. */
    private record Outcome(Map<Integer, List<String>> printed, Map<Integer, Integer> exitCodes, boolean killed,
                           int inFlight, long millis) {
    }

    /** How long each kind of command took the last time it ran to the end (ms), so a kill can land anywhere inside one. */
    private final Map<Kind, Long> lastDuration = new HashMap<>();
    private long lastStart = 1000;

    /**
     * Runs the script in a child JVM and kills it with SIGKILL inside command {@code target} ({@code -1}: while the
     * JVM starts; past the end: not at all), {@code fraction} of the time that kind of command took last time.
     */
    private Outcome runChild(int round, List<Step> steps, int target, double fraction) throws Exception {
        Path scriptFile = tmp.resolve("script-" + round + ".txt");
        // the data directory goes on every command line of the script
        Files.write(scriptFile, steps.stream().map(s -> String.join("\t", s.args()) + "\t--data-dir\t" + home).toList(),
                StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dfile.encoding=UTF-8", "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
        command.addAll(classDataSharing);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashCliChild.class.getName(),
                scriptFile.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        long started = System.nanoTime();
        Process child = builder.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Map<String, Long> seenAt = new java.util.concurrent.ConcurrentHashMap<>();
        Thread reader = new Thread(() -> {
            // lines end at a new line or a carriage return: index progress ("[3/40] Indexing ...") is one line each
            try (InputStreamReader in = new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)) {
                StringBuilder line = new StringBuilder();
                String running = "";
                for (int c = in.read(); c >= 0; c = in.read()) {
                    if (c != '\n' && c != '\r') {
                        line.append((char) c);
                        continue;
                    }
                    String text = line.toString();
                    line.setLength(0);
                    if (text.isEmpty()) {
                        continue;
                    }
                    if (text.startsWith("@@")) {
                        String[] parts = text.split(" ");
                        seenAt.put(parts[0] + " " + parts[1], System.nanoTime());
                        running = parts[1];
                    } else if (text.startsWith("[") && text.indexOf('/') > 1) {
                        seenAt.put("progress " + running + " " + text.substring(1, text.indexOf('/')), System.nanoTime());
                    }
                    lines.add(text);
                }
            } catch (IOException ignored) {
                // the pipe closes when the child dies
            }
        }, "crash-child-reader");
        reader.start();
        boolean killed = false;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180); // a guard against a hung child
            if (target < steps.size()) {
                String marker = "@@begin " + target;
                while (target >= 0 && !seenAt.containsKey(marker) && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                long wait;
                int total = libraryAtScriptTime.size();
                int pending = (int) libraryAtScriptTime.entrySet().stream()
                        .filter(e -> !e.getValue().equals(indexedWords.get(e.getKey()))).count();
                if (target >= 0 && steps.get(target).kind() == Kind.INDEX_LIBRARY && pending >= 2 && fraction < 0.7) {
                    // inside the run, after it stored some of the new documents and before the rest
                    int from = Math.max(1, total - pending + 1);
                    int done = from + (int) (fraction / 0.7 * (total - from));
                    String progress = "progress " + target + " " + done;
                    String end = "@@end " + target;
                    while (!seenAt.containsKey(progress) && !seenAt.containsKey(end) && child.isAlive()
                            && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    wait = 0;
                } else {
                    long span = target < 0 ? lastStart : lastDuration.getOrDefault(steps.get(target).kind(), 1500L);
                    wait = (long) (fraction * span);
                }
                if (!child.waitFor(wait, TimeUnit.MILLISECONDS)) {
                    child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close, no flush
                    killed = true;
                }
            }
            if (!killed && !child.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                fail(where + ": the child did not finish within 180 s: " + lines);
            }
            child.waitFor(60, TimeUnit.SECONDS); // the kill takes effect
        } finally {
            child.destroyForcibly();
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        Long firstBegin = seenAt.get("@@begin 0");
        if (firstBegin != null) {
            lastStart = TimeUnit.NANOSECONDS.toMillis(firstBegin - started);
        }
        for (int i = 0; i < steps.size(); i++) {
            Long begin = seenAt.get("@@begin " + i);
            Long end = seenAt.get("@@end " + i);
            if (begin != null && end != null) {
                lastDuration.put(steps.get(i).kind(), TimeUnit.NANOSECONDS.toMillis(end - begin));
            }
        }

        Map<Integer, List<String>> printed = new LinkedHashMap<>();
        Map<Integer, Integer> codes = new HashMap<>();
        int current = -1;
        for (String line : lines) {
            if (line.startsWith("@@begin ")) {
                current = Integer.parseInt(line.substring(8));
                printed.put(current, new ArrayList<>());
            } else if (line.startsWith("@@end ")) {
                String[] parts = line.split(" ");
                codes.put(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
                current = -1;
            } else if (current >= 0) {
                printed.get(current).add(line);
            }
        }
        for (Map.Entry<Integer, List<String>> e : printed.entrySet()) {
            String text = String.join("\n", e.getValue());
            assertThat(text).as(where + ": command " + steps.get(e.getKey()).args() + " printed").doesNotContain("Internal error");
            Integer code = codes.get(e.getKey());
            if (code != null) {
                assertThat(code).as(where + ": exit code of " + steps.get(e.getKey()).args() + ", which printed:\n" + text)
                        .isZero();
            }
        }
        int inFlight = killed && current >= 0 ? current : -1;
        return new Outcome(printed, codes, killed, inFlight, millis);
    }

    // ------------------------------------------------------------------ what was acknowledged

    /** Updates the model with every command whose success line was printed. */
    private void learn(List<Step> steps, Outcome outcome) {
        for (Map.Entry<Integer, List<String>> e : outcome.printed().entrySet()) {
            Step step = steps.get(e.getKey());
            List<String> out = e.getValue();
            switch (step.kind()) {
                case INDEX_LIBRARY -> {
                    if (out.stream().anyMatch(l -> l.startsWith(library + ": ") && l.contains(" indexed, "))) {
                        acknowledgeLibraryIndex(libraryAtScriptTime);
                        commandsAcknowledged++;
                    }
                }
                case ASK -> out.stream().map(CONVERSATION::matcher).filter(Matcher::find).findFirst().ifPresent(m -> {
                    conversations.add(Long.parseLong(m.group(1)));
                    commandsAcknowledged++;
                });
                case GRANT -> {
                    String[] folderAndWords = step.subject().split("\n");
                    out.stream().map(String::strip).filter(l -> l.matches("[A-Za-z0-9_-]{8,}")).findFirst().ifPresent(id -> {
                        scratch.put(id, new Scratch(Path.of(folderAndWords[0]), List.of(folderAndWords[1].split(" "))));
                        commandsAcknowledged++;
                    });
                }
                case INDEX_SCRATCH -> {
                    if (out.stream().anyMatch(l -> l.contains(" indexed, "))) {
                        scratch.get(step.subject()).indexed = true;
                        commandsAcknowledged++;
                    }
                }
                case WITHDRAW, WITHDRAW_ERASE -> {
                    if (out.contains("Consent " + step.subject() + " withdrawn.")) {
                        Scratch s = scratch.get(step.subject());
                        s.withdrawn = true;
                        s.erased |= step.kind() == Kind.WITHDRAW_ERASE;
                        commandsAcknowledged++;
                    }
                }
                case INSTALL -> {
                    if (out.stream().anyMatch(l -> l.startsWith("Installed " + PACK + "-"))) {
                        packInstalled = true;
                        acknowledgedPack = Boolean.TRUE;
                        commandsAcknowledged++;
                    }
                }
                case REMOVE -> {
                    if (out.stream().anyMatch(l -> l.startsWith("Removed " + PACK + "-"))) {
                        packInstalled = false;
                        acknowledgedPack = Boolean.FALSE;
                        commandsAcknowledged++;
                    }
                }
                case DELETE_CONVERSATION -> {
                    long id = Long.parseLong(step.subject());
                    // acknowledged or not, the conversation is no longer owed: a delete killed after its commit but
                    // before it printed has removed it, and that is no lost write
                    conversations.remove(id);
                    if (out.contains("Conversation " + step.subject() + " deleted.")) {
                        deletedConversations.add(id);
                        commandsAcknowledged++;
                    }
                }
                case SEARCH -> {
                }
                default -> throw new AssertionError(step.kind());
            }
        }
    }

    private Map<String, String> libraryAtScriptTime = Map.of();
    /** JVM options that let the children share the classes a first run archived (start-up is most of a round). */
    private List<String> classDataSharing = List.of();
    private Boolean acknowledgedPack;

    private void acknowledgeLibraryIndex(Map<String, String> seen) {
        seen.forEach((name, word) -> {
            String old = indexedWords.put(name, word);
            if (old != null && !old.equals(word)) {
                replacedWords.add(old);
            }
        });
    }

    // ------------------------------------------------------------------ the checks

    private void check() throws IOException {
        String pf = pass.toString();
        List<String> packFolders;
        try (Stream<Path> s = Files.list(home.resolve("packs"))) {
            packFolders = s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (java.nio.file.NoSuchFileException none) {
            packFolders = List.of();
        }
        assertThat(cli.run("vault", "unlock-check", "--passphrase-file", pf)).as(where + ": " + cli.err()).isZero();
        assertThat(cli.run("audit", "verify")).as(where + ": " + cli.err()).isZero();
        assertThat(cli.run("audit", "verify", "--unlock", "--passphrase-file", pf)).as(where + ": " + cli.err()).isZero();

        // packs: a complete pack whose files verify, or none; a staging folder is never a pack
        assertThat(cli.run("pack", "list")).as(where + ": " + cli.err()).isZero();
        List<String> rows = cli.out().lines().filter(l -> !l.startsWith("NAME") && !l.startsWith("No packs")).toList();
        boolean listed = !rows.isEmpty();
        assertThat(rows).as(where + ": pack list with folders " + packFolders).hasSizeLessThanOrEqualTo(1)
                .allSatisfy(r -> assertThat(r).startsWith(PACK + " ").contains("files ok"));
        if (acknowledgedPack != null) {
            assertThat(listed).as(where + ": the pack's acknowledged " + (acknowledgedPack ? "install" : "removal"))
                    .isEqualTo(acknowledgedPack);
        }
        packInstalled = listed;
        acknowledgedPack = null;
        try (Stream<Path> s = Files.list(home.resolve("packs"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")))
                    .as(where + ": unfinished folders a killed install or removal left (before: " + packFolders + ")")
                    .isEmpty();
        } catch (java.nio.file.NoSuchFileException none) {
            // no pack was ever installed
        }

        // consents: every acknowledged grant is there, every acknowledged withdrawal too
        assertThat(cli.run("consent", "list", "--passphrase-file", pf)).as(where + ": " + cli.err()).isZero();
        Map<String, String> states = new HashMap<>();
        Map<String, String> sources = new HashMap<>();
        cli.out().lines().map(CONSENT_ROW::matcher).filter(Matcher::matches).forEach(m -> {
            states.put(m.group(1), m.group(2));
            sources.put(m.group(1), m.group(3));
        });
        assertThat(states).as(where + ": consent list:\n" + cli.out()).containsEntry(mainConsent, "given");
        for (Map.Entry<String, Scratch> e : scratch.entrySet()) {
            assertThat(states.get(e.getKey())).as(where + ": consent " + e.getKey())
                    .isEqualTo(e.getValue().withdrawn ? "withdrawn" : "given");
        }
        // a grant or withdrawal that was done but not acknowledged before the kill is simply there: learn it
        states.forEach((id, state) -> {
            if (!id.equals(mainConsent) && !scratch.containsKey(id)) {
                Path folder = Path.of(sources.get(id));
                scratch.put(id, new Scratch(folder, scratchWords(folder)));
            }
            if (scratch.containsKey(id) && state.equals("withdrawn")) {
                scratch.get(id).withdrawn = true; // whether it erased is unknown; only acknowledged erasures are checked
            }
        });

        try (UnlockedWorkspace workspace = Workstation.create(DataDirectory.resolve(home), home.resolve("logs")
                .resolve("harness.log")).unlock(Files.readString(pass).strip().toCharArray())) {
            LibraryService lib = workspace.libraryWithoutModel();
            // nothing is ever indexed twice, and every acknowledged document is found
            Map<String, Integer> found = new HashMap<>();
            for (Map.Entry<String, String> e : documentWords.entrySet()) {
                List<Passage> hits = lib.search(e.getKey(), 5, PURPOSE);
                assertThat(hits).as(where + ": passages with " + e.getKey() + " (" + e.getValue() + ")").hasSizeLessThanOrEqualTo(1);
                found.put(e.getKey(), hits.size());
                if (!hits.isEmpty()) {
                    versionsFound.add(e.getKey());
                    assertThat(hits.get(0).document()).isEqualTo(library.resolve(e.getValue()));
                }
                if (!hits.isEmpty() && !e.getKey().equals(indexedWords.get(e.getValue()))) {
                    storedByKilledRuns.add(e.getKey());
                }
                if (replacedWords.contains(e.getKey())) {
                    assertThat(hits).as(where + ": the replaced version of " + e.getValue()).isEmpty();
                }
            }
            Map<String, String> onDisk = currentLibrary();
            indexedWords.forEach((name, acknowledged) -> {
                String current = onDisk.get(name);
                if (acknowledged.equals(current)) {
                    assertThat(found.get(acknowledged)).as(where + ": acknowledged " + name + " (" + acknowledged + ")")
                            .isEqualTo(1);
                } else {
                    // the file changed since; a killed run may have stored the new version in place of the old one
                    assertThat(found.get(acknowledged) + found.get(current))
                            .as(where + ": " + name + ", acknowledged as " + acknowledged + ", now " + current
                                    + ": exactly one version").isEqualTo(1);
                }
            });
            for (Map.Entry<String, Scratch> e : scratch.entrySet()) {
                Scratch s = e.getValue();
                for (String word : s.words) {
                    List<Passage> covered = lib.search(word, 5, PURPOSE);
                    if (!covered.isEmpty()) {
                        versionsFound.add(word);
                    }
                    assertThat(covered).as(where + ": " + word + " of consent " + e.getKey()).hasSizeLessThanOrEqualTo(1);
                    if (s.withdrawn) {
                        assertThat(covered).as(where + ": " + word + " after the withdrawal of " + e.getKey()).isEmpty();
                    } else if (s.indexed) {
                        assertThat(covered).as(where + ": " + word + " indexed under " + e.getKey()).hasSize(1);
                    }
                    if (s.erased) {
                        assertThat(lib.search(word, 5)).as(where + ": " + word + " after erasure").isEmpty();
                    }
                }
            }
            // conversations: acknowledged ones are there, acknowledged deletions are gone
            Set<Long> live = workspace.conversations().list().stream().map(ConversationService.Summary::id)
                    .collect(Collectors.toSet());
            assertThat(live).as(where + ": conversations").containsAll(conversations);
            assertThat(deletedConversations).as(where + ": deleted conversations").noneMatch(live::contains);

            // the audit log records every write that happened, acknowledged or not
            List<AuditEntry> entries = workspace.store().audit().entries(0, workspace.store().audit().size());
            Map<String, Long> byType = entries.stream().collect(Collectors.groupingBy(AuditEntry::type, Collectors.counting()));
            for (Map.Entry<String, String> e : states.entrySet()) {
                String type = e.getValue().equals("withdrawn") ? AuditTypes.CONSENT_WITHDRAWN : AuditTypes.CONSENT_GIVEN;
                assertThat(entries).as(where + ": the audit entry of consent " + e.getKey() + " (" + e.getValue() + ")")
                        .anyMatch(a -> a.type().equals(type) && e.getKey().equals(a.refs().get("consent")));
            }
            // an erasure commits with its entry, so every erased conversation or source has one
            for (Scope scope : workspace.store().session().scopes()) {
                String type = scope.kind().equals("conversation") ? ConversationService.ERASED
                        : scope.kind().equals("source") ? AuditTypes.DOCUMENT_ERASED : null;
                if (type != null && scope.isErased()) {
                    assertThat(entries).as(where + ": the " + type + " entry of scope " + scope.id())
                            .anyMatch(a -> a.type().equals(type) && Long.toString(scope.id()).equals(a.refs().get("scope")));
                }
            }
            // a pack's install and removal are written down before they happen (and confirmed after): the latest of
            // them for the pack says what the packs folder shows, except that a killed install may not have happened
            List<AuditEntry> packIntents = entries.stream().filter(a -> a.type().equals(AuditTypes.PACK_INSTALLING)
                    || a.type().equals(AuditTypes.PACK_REMOVING)).toList();
            if (listed) {
                assertThat(packIntents).as(where + ": pack intents with the pack listed").isNotEmpty()
                        .last().satisfies(a -> assertThat(a.type()).isEqualTo(AuditTypes.PACK_INSTALLING));
            } else if (!packIntents.isEmpty() && packIntents.get(packIntents.size() - 1).type()
                    .equals(AuditTypes.PACK_INSTALLING)) {
                long intent = packIntents.get(packIntents.size() - 1).sequence();
                assertThat(entries).as(where + ": an install recorded as done but not listed").noneMatch(a ->
                        a.type().equals(AuditTypes.PACK_INSTALLED) && Long.toString(intent).equals(a.refs().get("intent")));
            }
            assertThat(byType.getOrDefault(AuditTypes.DOCUMENT_INGESTED, 0L)).as(where + ": document.ingested entries")
                    .isGreaterThanOrEqualTo(versionsFound.size());
            conversations.clear();
            conversations.addAll(live); // an unacknowledged ask that completed is a conversation like any other
        }
    }

    private static List<String> scratchWords(Path folder) {
        List<String> words = new ArrayList<>();
        for (int d = 0; d < 3; d++) {
            try {
                String text = Files.readString(folder.resolve("s" + d + ".txt"));
                words.add(text.split(" ")[3]);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return words;
    }
}
