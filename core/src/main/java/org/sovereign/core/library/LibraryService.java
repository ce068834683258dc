package org.sovereign.core.library;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.core.common.Progress;
import org.sovereign.core.common.StoredPaths;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.packs.embedding.Embedder;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.StreamingHasher;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.consent.ConsentRefusedException;
import org.sovereign.store.consent.ConsentRequest;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.vault.ItemInfo;
import org.sovereign.store.vault.KeywordIndex;
import org.sovereign.store.vault.Scope;
import org.sovereign.store.vault.VaultSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;

/**
 * The library: indexes documents into the vault under consent, and finds passages again.
 *
 * <p>Each source (a folder or file the person added) is its own vault scope, so forgetting it erases its key. In that
 * scope: one {@code source} item (its root path and consent), one {@code document} item per file (path, content hash,
 * its chunk ids), {@code chunk} items (text and offsets) and {@code embedding} items (vectors). All encrypted; the
 * keyword index holds only blind terms. A document is written after its chunks, so a run that stops midway leaves at
 * most unreferenced chunks, which the next run removes; unchanged files (same SHA-256) are skipped, so a rerun
 * continues where the last one stopped.
 */
public final class LibraryService {

    static final String SOURCE = "source";
    static final String DOCUMENT = "document";
    static final String CHUNK = "chunk";
    static final String EMBEDDING = "embedding";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RRF_K = 60;
    /**
     * The least cosine similarity between a query and a passage for the vector side to offer the passage at all. Rank
     * fusion alone ranks every passage, so without a floor a small library returns all its passages for any query.
     *
     * <p>Chosen from the bundled all-MiniLM-L6-v2 (quantised) on 16 queries against 12 short notes, one topic each
     * ({@code RelevanceFloorTest} prints the table): a passage that answers its query scored 0.35 to 0.83 (one-word
     * queries lowest: "varroa" 0.35, "mites" 0.40), with one exception at 0.27 ("tyre pressure"), which shares its
     * words with the passage, so the keyword side finds it; unrelated passages scored -0.17 to 0.25, apart from a
     * loose neighbour at 0.32 ("bicycle maintenance" against a note on repairing the lift). 0.30 keeps every answer
     * the vector side is needed for and drops every unrelated passage. Keyword matches are not held to this floor.
     */
    static final double RELEVANCE_FLOOR = 0.30;

    private final LocalStore store;
    private final TextExtractor extractor;
    private final Chunker chunker;
    private final Embedder embedder;
    private final ChunkStore vectors;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param vectors  the in-memory vectors of this vault session (one per session, shared by every library on it)
     * @param embedder the embedding model, or {@code null} for keyword search only
     */
    public LibraryService(LocalStore store, ChunkStore vectors, TextExtractor extractor, Chunker chunker,
                          Embedder embedder) {
        this.store = store;
        this.vectors = vectors;
        this.extractor = extractor;
        this.chunker = chunker;
        this.embedder = embedder;
    }

    private VaultSession session() {
        return store.session();
    }

    /**
     * Indexes {@code root} (a file or a folder, recursively) for {@code purpose}. Every file must be covered by a
     * consent allowing {@code index} (and {@code embed} with this pack, when there is an embedder).
     *
     * @throws org.sovereign.store.consent.ConsentRefusedException if no consent covers it (nothing is read then)
     */
    public IndexReport index(Path root, String purpose, Progress progress) {
        Path absolute = root.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new UserFacingException("There is nothing at " + absolute + ".");
        }
        Map<Path, String> unsupported = new LinkedHashMap<>();
        List<Path> files = listFiles(absolute, unsupported);
        ConsentTerms consent = store.consent().require(new ConsentRequest(purpose, Operation.INDEX, List.of(absolute), null));
        Embedder runEmbedder = embedder;
        if (embedder != null) {
            try {
                store.consent().require(new ConsentRequest(purpose, Operation.EMBED, List.of(absolute), embedder.packDigest()));
            } catch (ConsentRefusedException notForEmbedding) {
                runEmbedder = null; // keyword index only: nothing is embedded without a consent that allows it
            }
        }
        long scopeId = sourceScope(absolute, consent.recordId());
        Map<Path, ObjectNode> known = documents(scopeId);
        removeOrphans(scopeId, known);
        KeywordIndex keywords = session().keywordIndex();
        List<Path> indexed = new ArrayList<>();
        List<Path> unchanged = new ArrayList<>();
        Map<Path, String> failed = new LinkedHashMap<>();
        int chunks = 0;
        boolean cancelled = false;
        for (int i = 0; i < files.size(); i++) {
            if (progress.isCancelled()) {
                cancelled = true;
                break;
            }
            Path file = files.get(i);
            progress.update(i, files.size(), "Indexing " + file.getFileName());
            if (!file.equals(absolute) && !covers(purpose, file)) {
                // a link inside the folder that leads outside what the consent covers: never read
                failed.put(file, file.getFileName() + " leads outside the folders the consent covers (a link); "
                        + "it was not read.");
                continue;
            }
            try {
                String sha = sha256(file);
                ObjectNode previous = known.get(file);
                if (previous != null && sha.equals(previous.path("sha256").asText())) {
                    unchanged.add(file);
                    continue;
                }
                chunks += indexDocument(scopeId, file, sha, previous, consent.recordId(), keywords, runEmbedder, progress);
                indexed.add(file);
            } catch (UnreadableDocumentException e) {
                failed.put(file, e.getMessage());
            } catch (CancellationException e) {
                cancelled = true;
                break;
            }
        }
        progress.update(files.size(), files.size(), cancelled ? "Stopped" : "Done");
        return new IndexReport(indexed, unchanged, failed, chunks, cancelled, runEmbedder != null, unsupported);
    }

    private int indexDocument(long scopeId, Path file, String sha, ObjectNode previous, String consentId,
                              KeywordIndex keywords, Embedder embedder, Progress progress) {
        List<Chunk> pieces = readPassages(file);
        List<float[]> vectors = embedder == null || pieces.isEmpty() ? List.of()
                : embedder.embed(pieces.stream().map(Chunk::text).toList());
        progress.checkCancelled();
        ArrayNode chunkIds = JSON.createArrayNode();
        ArrayNode embeddingIds = JSON.createArrayNode();
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        String version = commitment(salt, sha);
        List<Runnable> afterCommit = new ArrayList<>();
        // The audit entry is committed first: the document has been read under this consent, and a crash between the
        // two commits must never leave a stored document without its entry (CliCrashSafetyTest found that gap). A crash
        // there leaves an entry for a version that was not stored; the next run reads the file again.
        store.record(AuditTypes.DOCUMENT_INGESTED, Map.of("consent", consentId, "chunks", Integer.toString(pieces.size()),
                        "embeddingPack", embedder == null ? "none" : embedder.packDigest()),
                Map.of("documentVersion", version));
        // one transaction (one sync) per document instead of one per item: the document is stored whole or not at all
        session().inTransaction(() -> {
            for (int c = 0; c < pieces.size(); c++) {
                Chunk chunk = pieces.get(c);
                ObjectNode payload = JSON.createObjectNode();
                payload.put("path", file.toString());
                payload.put("index", chunk.index());
                payload.put("start", chunk.start());
                payload.put("end", chunk.end());
                payload.put("text", chunk.text());
                payload.put("version", version);
                long chunkId = session().putItem(scopeId, CHUNK, bytes(payload));
                keywords.index(chunkId, chunk.text());
                if (!vectors.isEmpty()) {
                    float[] vector = vectors.get(c);
                    long embeddingId = session().putItem(scopeId, EMBEDDING, vectorBytes(chunkId, vector));
                    afterCommit.add(() -> chunkStore().put(scopeId, chunkId, embeddingId, vector));
                    embeddingIds.add(embeddingId);
                }
                chunkIds.add(chunkId);
            }
            ObjectNode doc = JSON.createObjectNode();
            doc.put("path", file.toString());
            doc.put("sha256", sha);
            doc.put("salt", HexFormat.of().formatHex(salt));
            doc.put("version", version);
            doc.set("chunks", chunkIds);
            doc.set("embeddings", embeddingIds);
            session().putItem(scopeId, DOCUMENT, bytes(doc));
            if (previous != null) {
                Set<Long> removed = deleteDocument(scopeId, previous);
                afterCommit.add(() -> chunkStore().removeChunks(removed));
            }
        });
        // the in-memory vectors follow only what was committed
        afterCommit.forEach(Runnable::run);
        return pieces.size();
    }

    /**
     * The document's passages. Whatever goes wrong in reading one document (a reader's exception, a stack exhausted by
     * a deeply nested file, a limit) becomes an {@link UnreadableDocumentException} naming it, so the run goes on
     * with the next file.
     */
    private List<Chunk> readPassages(Path file) {
        String name = String.valueOf(file.getFileName());
        try {
            return chunker.split(extractor.extract(file));
        } catch (UnreadableDocumentException | CancellationException e) {
            throw e;
        } catch (Chunker.TooManyPassagesException e) {
            throw new UnreadableDocumentException(name + " would make more than "
                    + String.format(Locale.ROOT, "%,d", e.limit())
                    + " passages, more than the library stores for one document; it was skipped.", e);
        } catch (StackOverflowError e) {
            throw new UnreadableDocumentException(name + " is built too deeply nested to read; it was skipped.", e);
        } catch (RuntimeException e) {
            throw new UnreadableDocumentException(name + " could not be read: it is damaged or malformed.", e);
        }
    }

    /**
     * The passages that best match {@code query}: keyword and (with an embedder) vector search, fused by rank, from
     * every indexed document whether or not a consent covers it now. Only for callers that apply the consent gate
     * to what they get (the assistant refuses an answer from uncovered documents); people see {@link #search(String,
     * int, String)}.
     */
    public List<Passage> search(String query, int limit) {
        return ranked(query, limit).stream().limit(limit)
                .map(e -> passage(e.getKey(), e.getValue())).flatMap(Optional::stream).toList();
    }

    /**
     * The passages that best match {@code query} from documents a consent covers now for {@code purpose} (allowing
     * {@code index}): after a consent is withdrawn or expires, nothing indexed under it is found any more, in the
     * window, the command line or the local API alike.
     */
    public List<Passage> search(String query, int limit, String purpose) {
        Map<Path, Boolean> covered = new HashMap<>();
        List<Passage> out = new ArrayList<>();
        for (Map.Entry<Long, Double> e : ranked(query, limit)) {
            if (out.size() == limit) {
                break;
            }
            passage(e.getKey(), e.getValue())
                    .filter(p -> covered.computeIfAbsent(p.document(), doc -> covers(purpose, doc)))
                    .ifPresent(out::add);
        }
        return out;
    }

    private boolean covers(String purpose, Path document) {
        try {
            store.consent().require(new ConsentRequest(purpose, Operation.INDEX, List.of(document), null));
            return true;
        } catch (ConsentRefusedException e) {
            return false;
        }
    }

    /**
     * Candidate chunk ids, best first (up to four times {@code limit} from each side): passages holding a meaningful
     * word of the query ({@link QueryWords}), and passages whose meaning is close to it ({@link #RELEVANCE_FLOOR}).
     */
    private List<Map.Entry<Long, Double>> ranked(String query, int limit) {
        if (query.isBlank()) {
            return List.of();
        }
        Map<Long, Double> fused = new HashMap<>();
        List<String> words = QueryWords.of(query);
        List<KeywordIndex.Hit> keywordHits = words.isEmpty() ? List.of()
                : session().keywordIndex().search(String.join(" ", words), limit * 4);
        for (int rank = 0; rank < keywordHits.size(); rank++) {
            fused.merge(keywordHits.get(rank).itemId(), 1.0 / (RRF_K + rank + 1), Double::sum);
        }
        if (embedder != null) {
            float[] q = embedder.embed(List.of(query)).get(0);
            List<ChunkStore.Candidate> nearest = loadedChunkStore(Progress.NONE).nearest(q, limit * 4, this::exactVector);
            for (int rank = 0; rank < nearest.size() && nearest.get(rank).score() >= RELEVANCE_FLOOR; rank++) {
                fused.merge(nearest.get(rank).chunkId(), 1.0 / (RRF_K + rank + 1), Double::sum);
            }
        }
        return fused.entrySet().stream()
                .sorted(Map.Entry.<Long, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .toList();
    }

    /**
     * Loads the vectors of every live source into memory (the {@link ChunkStore} of this vault session) unless that
     * already happened, reporting progress (monotone, from 0 to {@code total} of {@code total} embedding items, at
     * most about a hundred updates); the first search does it otherwise. Blocks while it decrypts every stored vector
     * once; a search on another thread meanwhile waits for it and then uses it. Returns at once if already loaded.
     *
     * @throws java.util.concurrent.CancellationException if {@code progress} was cancelled or the vault locked during
     *         the load; nothing loaded is kept then (the rows read so far are zeroed)
     */
    public void loadVectors(Progress progress) {
        loadedChunkStore(progress);
    }

    /**
     * What the window and the command line say when a search finds nothing close enough to {@code query}: plainly
     * that there is no good match (a search never pads its answer with unrelated passages).
     */
    public static String noGoodMatch(String query) {
        return "No good match: nothing in your library is close to \u201c" + query.strip() + "\u201d.";
    }

    /** The line the window and the command line show while {@link #loadVectors} runs ({@code fraction} 0 to 1). */
    public static String preparingSearchLine(double fraction) {
        long percent = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
        return "Preparing search over your library\u2026 " + percent + " %";
    }

    private ChunkStore chunkStore() {
        return vectors;
    }

    private ChunkStore loadedChunkStore(Progress progress) {
        ChunkStore vectors = chunkStore();
        vectors.ensureLoaded(target -> {
            List<Scope> scopes = liveSourceScopes();
            long total = 0;
            for (Scope scope : scopes) {
                total += session().items(scope.id()).stream().filter(i -> i.kind().equals(EMBEDDING)).count();
            }
            long all = total;
            long step = Math.max(1, all / 100);
            long[] done = {0};
            progress.update(0, all, LOADING_VECTORS);
            for (Scope scope : scopes) {
                stopIfAsked(progress, target);
                session().readItems(scope.id(), EMBEDDING, (plain, itemId) -> {
                    stopIfAsked(progress, target);
                    ByteBuffer b = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
                    long chunkId = b.getLong();
                    float[] v = new float[(plain.length - 8) / 4];
                    for (int d = 0; d < v.length; d++) {
                        v[d] = b.getFloat();
                    }
                    target.put(scope.id(), chunkId, itemId, v);
                    Arrays.fill(v, 0f);
                    done[0]++;
                    if (done[0] % step == 0 && done[0] < all) {
                        progress.update(done[0], all, LOADING_VECTORS);
                    }
                });
            }
            stopIfAsked(progress, target);
            progress.update(all, all, "Vectors loaded");
        });
        return vectors;
    }

    private static final String LOADING_VECTORS = "Loading the library's vectors";

    private static void stopIfAsked(Progress progress, ChunkStore target) {
        if (target.isClosing()) {
            throw new CancellationException("The vault was locked");
        }
        progress.checkCancelled();
    }

    /** The exact vector of one embedding item, read back from the vault; null if it is gone. */
    private float[] exactVector(long embeddingItemId) {
        byte[] plain = session().readItem(embeddingItemId).orElse(null);
        if (plain == null) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
        b.getLong();
        float[] v = new float[(plain.length - 8) / 4];
        for (int d = 0; d < v.length; d++) {
            v[d] = b.getFloat();
        }
        Arrays.fill(plain, (byte) 0);
        return v;
    }

    /** The consent each source was first indexed under (its record id), by root path. */
    public Map<Path, String> sourceConsents() {
        Map<Path, String> out = new LinkedHashMap<>();
        for (Scope scope : liveSourceScopes()) {
            session().items(scope.id()).stream().filter(i -> i.kind().equals(SOURCE)).findFirst()
                    .flatMap(i -> session().readItem(i.id())).map(LibraryService::json)
                    .ifPresent(n -> out.put(StoredPaths.of(n.path("root").asText()), n.path("consent").asText("")));
        }
        return out;
    }

    /** The sources added so far (root paths), with their scope ids. */
    public Map<Path, Long> sources() {
        Map<Path, Long> out = new LinkedHashMap<>();
        for (Scope scope : liveSourceScopes()) {
            sourceRoot(scope.id()).ifPresent(root -> out.put(root, scope.id()));
        }
        return out;
    }

    /** Forgets a source for good: erases its scope key (crypto-shredding) and records that. */
    public void forget(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        Long scopeId = sources().get(absolute);
        if (scopeId == null) {
            throw new UserFacingException(absolute + " is not in the library.");
        }
        // the key's deletion and its entry commit in one transaction: a crash leaves both or neither
        store.eraseScope(scopeId, AuditTypes.DOCUMENT_ERASED, Map.of("scope", Long.toString(scopeId)));
        chunkStore().removeScope(scopeId);
    }

    private Optional<Passage> passage(long chunkItemId, double score) {
        return session().readItem(chunkItemId).map(bytes -> {
            JsonNode n = json(bytes);
            Path document = StoredPaths.of(n.path("path").asText());
            String version = n.path("version").asText("");
            if (version.isEmpty()) {
                // chunks stored before they carried their document's version: ask the document record
                version = session().itemInfo(chunkItemId)
                        .map(info -> documents(info.scopeId()).get(document))
                        .map(doc -> doc.path("version").asText(""))
                        .orElse("");
            }
            return new Passage(document, n.path("index").asInt(), n.path("start").asInt(),
                    n.path("end").asInt(), n.path("text").asText(), score, version);
        });
    }

    private List<Scope> liveSourceScopes() {
        return session().scopes().stream().filter(s -> s.kind().equals(SOURCE) && !s.isErased()).toList();
    }

    private long sourceScope(Path root, String consentId) {
        Long existing = sources().get(root);
        if (existing != null) {
            return existing;
        }
        long id = session().createScope(SOURCE).id();
        ObjectNode source = JSON.createObjectNode();
        source.put("root", root.toString());
        source.put("consent", consentId);
        session().putItem(id, SOURCE, bytes(source));
        return id;
    }

    private Optional<Path> sourceRoot(long scopeId) {
        return session().items(scopeId).stream().filter(i -> i.kind().equals(SOURCE)).findFirst()
                .flatMap(i -> session().readItem(i.id())).map(b -> StoredPaths.of(json(b).path("root").asText()));
    }

    private Map<Path, ObjectNode> documents(long scopeId) {
        Map<Path, ObjectNode> docs = new HashMap<>();
        for (ItemInfo info : session().items(scopeId)) {
            if (info.kind().equals(DOCUMENT)) {
                ObjectNode doc = (ObjectNode) json(session().readItem(info.id()).orElseThrow());
                doc.put("itemId", info.id());
                docs.put(StoredPaths.of(doc.path("path").asText()), doc);
            }
        }
        return docs;
    }

    /** Removes chunks and embeddings that no document refers to (left by a run that stopped midway). */
    private void removeOrphans(long scopeId, Map<Path, ObjectNode> documents) {
        Set<Long> referenced = new HashSet<>();
        documents.values().forEach(d -> d.path("chunks").forEach(c -> referenced.add(c.asLong())));
        for (ItemInfo info : session().items(scopeId)) {
            if (info.kind().equals(CHUNK) && !referenced.contains(info.id())) {
                session().deleteItem(info.id());
            } else if (info.kind().equals(EMBEDDING)) {
                long chunkId = ByteBuffer.wrap(session().readItem(info.id()).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN).getLong();
                if (!referenced.contains(chunkId)) {
                    session().deleteItem(info.id());
                    chunkStore().removeChunks(List.of(chunkId));
                }
            }
        }
    }

    /** Deletes a document's items from the vault; returns its chunk ids (the caller updates the chunk store). */
    private Set<Long> deleteDocument(long scopeId, ObjectNode doc) {
        Set<Long> chunks = new HashSet<>();
        doc.path("chunks").forEach(c -> chunks.add(c.asLong()));
        if (doc.has("embeddings")) {
            doc.path("embeddings").forEach(e -> session().deleteItem(e.asLong()));
        } else {
            // documents indexed before their record listed their embeddings: find them by the chunk id they carry
            for (ItemInfo info : session().items(scopeId)) {
                if (info.kind().equals(EMBEDDING)) {
                    long chunkId = ByteBuffer.wrap(session().readItem(info.id()).orElseThrow())
                            .order(ByteOrder.LITTLE_ENDIAN).getLong();
                    if (chunks.contains(chunkId)) {
                        session().deleteItem(info.id());
                    }
                }
            }
        }
        chunks.forEach(session()::deleteItem);
        session().deleteItem(doc.path("itemId").asLong());
        return chunks;
    }

    /** The files under {@code root} the library reads; the others (hidden files aside) go to {@code unsupported}. */
    private static List<Path> listFiles(Path root, Map<Path, String> unsupported) {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            List<Path> readable = new ArrayList<>();
            for (Path file : files) {
                if (DocumentFormat.of(file).isPresent()) {
                    readable.add(file);
                } else if (!hidden(root.relativize(file))) {
                    unsupported.put(file, unsupportedReason(file));
                }
            }
            return readable;
        } catch (IOException e) {
            throw new UserFacingException("The folder " + root + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** Why a file of a type the library does not read was skipped, in plain words. */
    static String unsupportedReason(Path file) {
        String name = String.valueOf(file.getFileName());
        int dot = name.lastIndexOf('.');
        String type = dot > 0 && dot < name.length() - 1 ? "." + name.substring(dot + 1).toLowerCase(Locale.ROOT) + " files"
                : "files without an extension";
        return name + " was skipped: the library does not read " + type
                + " (it reads text, Markdown, HTML and PDF).";
    }

    private static String sha256(Path file) {
        try {
            return new StreamingHasher(0, ProgressListener.NONE, () -> false).sha256(file);
        } catch (IOException e) {
            throw new UnreadableDocumentException(file.getFileName() + " could not be read: " + e.getMessage(), e);
        }
    }

    private static String commitment(byte[] salt, String sha) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(salt);
            md.update(sha.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] vectorBytes(long chunkId, float[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(chunkId);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
