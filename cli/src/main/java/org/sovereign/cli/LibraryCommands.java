package org.sovereign.cli;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.library.Chunker;
import org.sovereign.core.library.IndexReport;
import org.sovereign.core.library.LibraryService;
import org.sovereign.core.library.Passage;
import org.sovereign.core.library.TextExtractor;
import org.sovereign.core.store.StoreService;
import org.sovereign.packs.embedding.Embedder;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code sovereign index} and {@code sovereign search}: the library from the command line. */
final class LibraryCommands {

    private LibraryCommands() {
    }

    /** What search and ask say when nothing has been indexed yet. */
    static final String EMPTY_LIBRARY = "Your library is empty: index a folder first with 'sovereign index PATH "
            + "--consent ID' (a consent from 'sovereign consent grant').";

    /** At most this many file names are listed per group in the index summary. */
    private static final int LISTED = 20;

    /**
     * With an embedder, loads the library's vectors before the first search, showing the window's line
     * ({@link LibraryService#preparingSearchLine}) on stderr; a library with no vectors prints nothing.
     */
    static LibraryService prepared(UnlockedWorkspace workspace, PrintWriter err) {
        LibraryService library = workspace.library();
        if (workspace.models().embedder().isEmpty()) {
            return library;
        }
        boolean[] shown = {false};
        library.loadVectors(new Progress() {
            @Override
            public void update(long done, long total, String message) {
                if (total > 0) {
                    err.print("\r" + LibraryService.preparingSearchLine((double) done / total));
                    err.flush();
                    shown[0] = true;
                }
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        });
        if (shown[0]) {
            err.println();
        }
        return library;
    }

    @Command(name = "index", mixinStandardHelpOptions = true,
            description = {"Adds files and folders to the library under a consent you gave (progress on stderr).",
                    "Unchanged files are skipped, so running it again continues where it stopped."})
    static final class Index implements Callable<Integer> {
        @ParentCommand
        RootCommand root;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Parameters(paramLabel = "PATH", arity = "1..*")
        List<Path> paths;
        @Option(names = "--consent", required = true, paramLabel = "ID", description = "The consent that covers these sources.")
        String consentId;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (UnlockedWorkspace workspace = root.context(true).unlock(passphrase.read("Passphrase", false))) {
                LocalStore store = workspace.store();
                ConsentHistory consent;
                try {
                    consent = store.consent().history(consentId);
                } catch (IllegalArgumentException e) {
                    throw new UserFacingException("There is no consent " + consentId + ". 'sovereign consent list' shows them all.");
                }
                if (!consent.activeAt(Instant.now())) {
                    throw new UserFacingException("Consent " + consentId + " is " + consent.statusAt(Instant.now()).name().toLowerCase(Locale.ROOT)
                            + "; it allows nothing now.");
                }
                String purpose = consent.terms().purposes().get(0);
                LibraryService library = workspace.library();
                boolean embeds = workspace.models().embedder().isPresent();
                for (Path path : paths) {
                    IndexReport r = StoreService.translate(() -> library.index(path, purpose, stderrProgress(err)));
                    err.println();
                    out.printf("%s: %d indexed, %d unchanged, %d could not be read, %d passages stored (%s)%n", TerminalText.safe(path),
                            r.indexed().size(), r.unchanged().size(), r.failed().size(), r.chunks(),
                            r.embedded() ? "with embeddings" : embeds
                                    ? "keyword index only: the consent does not allow 'embed'" : "keyword index only: no embedding pack");
                    listFiles(out, "indexed", r.indexed());
                    r.failed().forEach((file, why) -> err.println("  skipped: " + TerminalText.safe(why)));
                    if (!r.unsupported().isEmpty()) {
                        out.println("  " + r.unsupported().size() + (r.unsupported().size() == 1 ? " file" : " files")
                                + " not read (type not supported):");
                        r.unsupported().values().stream().limit(LISTED)
                                .forEach(why -> out.println("    " + TerminalText.safe(why)));
                        if (r.unsupported().size() > LISTED) {
                            out.println("    and " + (r.unsupported().size() - LISTED) + " more");
                        }
                    }
                }
                return SovereignCli.OK;
            }
        }

        private static void listFiles(PrintWriter out, String what, List<Path> files) {
            if (files.isEmpty()) {
                return;
            }
            out.println("  " + what + ": " + String.join(", ", files.stream().limit(LISTED)
                    .map(f -> TerminalText.safe(f.getFileName())).toList())
                    + (files.size() > LISTED ? " and " + (files.size() - LISTED) + " more" : ""));
        }

        private static Progress stderrProgress(PrintWriter err) {
            return new Progress() {
                @Override
                public void update(long done, long total, String message) {
                    err.print("\r[" + done + "/" + total + "] " + TerminalText.safe(message) + "                    ");
                    err.flush();
                }

                @Override
                public boolean isCancelled() {
                    return false;
                }
            };
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true, description = "Finds the passages in your library that match QUERY.")
    static final class Search implements Callable<Integer> {
        @ParentCommand
        RootCommand root;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Parameters(paramLabel = "QUERY", arity = "1..*")
        List<String> words;
        @Option(names = "--limit", paramLabel = "N", converter = NumberOptions.AtLeastOne.class,  description = "At most N passages (default: ${DEFAULT-VALUE}).")
        int limit = 5;
        @Option(names = "--purpose", paramLabel = "P", description = "Only documents a consent covers for this purpose "
                + "(default: ${DEFAULT-VALUE}).")
        String purpose = "private assistant";

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (UnlockedWorkspace workspace = root.context(true).unlock(passphrase.read("Passphrase", false))) {
                String query = String.join(" ", words);
                LibraryService library = prepared(workspace, spec.commandLine().getErr());
                List<Passage> hits = library.search(query, limit, purpose);
                if (hits.isEmpty()) {
                    out.println(library.sources().isEmpty() ? EMPTY_LIBRARY : LibraryService.noGoodMatch(query));
                }
                int n = 1;
                for (Passage p : hits) {
                    out.printf("[%d] %s (passage %d, characters %d-%d)%n    %s%n", n++, TerminalText.safe(p.document()),
                            p.chunkIndex() + 1, p.start(), p.end(), TerminalText.safe(p.shownText().replace('\n', ' ')));
                }
            }
            return SovereignCli.OK;
        }
    }
}
