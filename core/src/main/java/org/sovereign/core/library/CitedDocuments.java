package org.sovereign.core.library;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.StreamingHasher;
import org.sovereign.store.LocalStore;
import org.sovereign.store.vault.ItemInfo;
import org.sovereign.store.vault.Scope;
import org.sovereign.store.vault.VaultSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The text of a cited document, for showing it at the cited passage: re-extracted from the file on disk when it is
 * there, otherwise rebuilt from the encrypted passages the library stored. Says which, and whether the file changed
 * since it was indexed (its SHA-256 differs from the one recorded then).
 */
public final class CitedDocuments {

    /** Where the shown text came from. */
    public enum Origin {
        /** Extracted again from the file on disk, as when it was indexed. */
        FILE,
        /** The file is gone or unreadable: rebuilt from the passages stored (encrypted) in the library. */
        STORED_PASSAGES
    }

    /**
     * A document to show.
     *
     * @param text          the document's text
     * @param start         where the cited passage starts in {@code text}
     * @param end           where it ends
     * @param origin        where the text came from
     * @param changed       the file on disk differs from the version that was indexed
     * @param passageFound  the cited passage is in {@code text} at {@code start..end}; false when the file changed so
     *                      much it is no longer there (the offsets are then the stored ones, clamped)
     * @param indexed       the library still holds this document (it was not forgotten)
     * @param problem       why the file could not be read, or empty
     */
    public record View(Path path, String text, int start, int end, Origin origin, boolean changed, boolean passageFound,
                       boolean indexed, String problem) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final LocalStore store;
    private final TextExtractor extractor;

    public CitedDocuments(LocalStore store, TextExtractor extractor) {
        this.store = store;
        this.extractor = extractor;
    }

    /**
     * @param start   the citation's start offset in the text extracted at indexing time
     * @param end     its end offset
     * @param passage the cited passage's text as stored with the answer (used to find it again if the file changed)
     */
    public View open(Path file, int start, int end, String passage) {
        Optional<JsonNode> stored = storedDocument(file);
        String problem = "";
        if (Files.isRegularFile(file)) {
            try {
                String text = extractor.extract(file);
                boolean changed = stored.isPresent() && !sha256(file).equals(stored.get().path("sha256").asText());
                return located(file, text, start, end, passage, Origin.FILE, changed, stored.isPresent(), "");
            } catch (UnreadableDocumentException | UncheckedIOException e) {
                problem = e.getMessage();
            }
        } else {
            problem = "The file is no longer at " + file + ".";
        }
        String text = stored.map(this::rebuild).orElse(passage == null ? "" : passage);
        int s = stored.isPresent() ? start : 0;
        int e = stored.isPresent() ? end : text.length();
        return located(file, text, s, e, passage, Origin.STORED_PASSAGES, false, stored.isPresent(), problem);
    }

    private static View located(Path file, String text, int start, int end, String passage, Origin origin,
                                boolean changed, boolean indexed, String problem) {
        int s = Math.max(0, Math.min(start, text.length()));
        int e = Math.max(s, Math.min(end, text.length()));
        boolean found = passage == null || passage.isEmpty() || text.substring(s, e).equals(passage);
        if (!found) {
            int at = text.indexOf(passage);
            if (at >= 0) {
                s = at;
                e = at + passage.length();
                found = true;
            }
        }
        return new View(file, text, s, e, origin, changed, found, indexed, problem);
    }

    /** The document's text as far as its stored passages cover it; gaps (none with the default chunker) are spaces. */
    private String rebuild(JsonNode doc) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode id : doc.path("chunks")) {
            Optional<byte[]> bytes = session().readItem(id.asLong());
            if (bytes.isEmpty()) {
                continue;
            }
            JsonNode chunk = json(bytes.get());
            int start = chunk.path("start").asInt();
            String text = chunk.path("text").asText();
            while (sb.length() < start) {
                sb.append(' ');
            }
            int end = start + text.length();
            if (sb.length() < end) {
                sb.setLength(Math.max(sb.length(), start));
                sb.replace(start, sb.length(), text);
            }
        }
        return sb.toString();
    }

    private Optional<JsonNode> storedDocument(Path file) {
        String wanted = file.toString();
        List<Scope> sources = new ArrayList<>();
        for (Scope s : session().scopes()) {
            if (s.kind().equals(LibraryService.SOURCE) && !s.isErased()) {
                sources.add(s);
            }
        }
        for (Scope scope : sources) {
            for (ItemInfo info : session().items(scope.id())) {
                if (info.kind().equals(LibraryService.DOCUMENT)) {
                    JsonNode doc = json(session().readItem(info.id()).orElseThrow());
                    if (doc.path("path").asText().equals(wanted)) {
                        return Optional.of(doc);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private VaultSession session() {
        return store.session();
    }

    private static String sha256(Path file) {
        try {
            return new StreamingHasher(0, ProgressListener.NONE, () -> false).sha256(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file.getFileName() + " could not be read: " + e.getMessage(), e);
        }
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
