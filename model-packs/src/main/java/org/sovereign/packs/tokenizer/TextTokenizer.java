package org.sovereign.packs.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import org.sovereign.packs.runtime.PrivateNativeDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Hugging Face {@code tokenizer.json} tokenizer, run by DJL's bundled native library (Rust {@code tokenizers}).
 *
 * <p>Loading never touches the network. Out of offline mode, DJL's tokenizer calls home on every load
 * ({@code HuggingFaceTokenizer.newInstance} runs {@code Ec2Utils.callHome}: it asks the cloud metadata address
 * 169.254.169.254 for an instance id and region and, on a cloud machine, sends them to a DJL telemetry address) and
 * would download a native library it does not find in its jar. So DJL is pinned to offline mode (system property
 * {@code ai.djl.offline=true}, whatever a caller set, and {@code OPT_OUT_TRACKING=true}); as the environment variable
 * {@code DJL_OFFLINE} would override the property, a value of it other than true makes loading fail with a plain
 * message. DJL then uses the CPU native library shipped inside its jar.
 *
 * <p>Where that library is loaded from: DJL unpacks it into its cache folder once and from then on loads whatever
 * file is there, unchecked, so a library planted in that folder (it used to be {@code <data>/cache/djl}) ran inside
 * the workstation. Before DJL's first use, its cache folder ({@code ENGINE_CACHE_DIR}) is therefore set to a fresh
 * owner-only folder of this run ({@link PrivateNativeDirectory}), so the library always comes out of DJL's jar,
 * and that folder is deleted once the library is loaded. The system properties that would point DJL at another
 * copy are cleared; if the same names are set as environment variables (which DJL reads first), loading is refused.
 *
 * <p>No truncation and no padding are applied: callers get every token of their text.
 * Instances are safe to share between threads. The caller owns the instance and must {@link #close()} it to free
 * the native tokenizer.
 */
public final class TextTokenizer implements AutoCloseable {

    /** The largest tokenizer file accepted (Gemma 3's, among the largest published, is 33 MB). */
    static final long MAX_FILE_BYTES = 128L * 1024 * 1024;
    /**
     * The largest normaliser, pre-tokeniser, post-processor or decoder accepted; real ones are far smaller (a
     * SentencePiece precompiled character map, the largest, is about 0.3 MB).
     */
    static final long MAX_SECTION_BYTES = 1024L * 1024;
    private static final java.util.Set<String> LIMITED_SECTIONS = java.util.Set.of("normalizer", "pre_tokenizer",
            "post_processor", "decoder");
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern BYTE_TOKEN = Pattern.compile("<0x[0-9A-Fa-f]{2}>");

    static final String DJL_OFFLINE_PROPERTY = "ai.djl.offline";
    /** The environment variable DJL reads before {@link #DJL_OFFLINE_PROPERTY}. */
    static final String DJL_OFFLINE_VARIABLE = "DJL_OFFLINE";
    /** DJL's own opt-out of its call home (checked after offline mode). */
    static final String DJL_TRACKING_OPT_OUT = "OPT_OUT_TRACKING";
    /** DJL's cache folder setting (environment variable first, then system property). */
    static final String DJL_ENGINE_CACHE = "ENGINE_CACHE_DIR";
    /** Settings that make DJL load its tokenizer library from a given file or through a given class. */
    private static final List<String> DJL_LIBRARY_OVERRIDES = List.of("RUST_LIBRARY_PATH",
            "ai.djl.huggingface.native_helper");

    /** The folder DJL unpacked into this run, until the library has loaded; null before and after. */
    private static Path unpackFolder;
    private static boolean nativeLoaded;

    private final HuggingFaceTokenizer delegate;
    private final Path source;
    private final BitSet byteFallback;

    private TextTokenizer(HuggingFaceTokenizer delegate, Path source, BitSet byteFallback) {
        this.delegate = delegate;
        this.source = source;
        this.byteFallback = byteFallback;
    }

    /**
     * Loads {@code tokenizer.json}, given either as the file itself or as the folder that holds it.
     *
     * @throws TokenizerLoadException if the file is missing or malformed, or DJL's native library cannot be loaded
     */
    public static TextTokenizer load(Path fileOrFolder) {
        Objects.requireNonNull(fileOrFolder, "fileOrFolder");
        Path file = Files.isDirectory(fileOrFolder) ? fileOrFolder.resolve("tokenizer.json") : fileOrFolder;
        if (!Files.isRegularFile(file)) {
            throw new TokenizerLoadException("No tokenizer file at " + file, null);
        }
        BitSet byteTokens = scan(file);
        prepareNativeLibrary();
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "truncation", "false",
                "padding", "false");
        try {
            TextTokenizer tokenizer = new TextTokenizer(HuggingFaceTokenizer.newInstance(file, options), file, byteTokens);
            nativeLibraryLoaded();
            return tokenizer;
        } catch (IOException e) {
            throw new TokenizerLoadException("Could not read the tokenizer file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            throw new TokenizerLoadException(
                    "Could not load the tokenizer " + file + " (malformed file or native library unavailable): "
                            + e.getMessage(), e);
        }
    }

    /** Points DJL at a fresh private folder before its first use (see the class comment). */
    private static synchronized void prepareNativeLibrary() {
        String variable = System.getenv(DJL_OFFLINE_VARIABLE);
        if (variable != null && !variable.strip().equalsIgnoreCase("true")) {
            throw new TokenizerLoadException("The environment variable " + DJL_OFFLINE_VARIABLE + " would let the "
                    + "tokenizer library use the network; unset it.", null);
        }
        System.setProperty(DJL_OFFLINE_PROPERTY, "true");
        System.setProperty(DJL_TRACKING_OPT_OUT, "true");
        if (nativeLoaded || unpackFolder != null) {
            return;
        }
        for (String name : List.of(DJL_ENGINE_CACHE, "RUST_LIBRARY_PATH")) {
            String value = System.getenv(name);
            if (value != null && !value.isEmpty()) {
                throw new TokenizerLoadException("The environment variable " + name + " would make the tokenizer "
                        + "library load from " + value + "; unset it (the workstation unpacks its own copy).", null);
            }
        }
        DJL_LIBRARY_OVERRIDES.forEach(System::clearProperty);
        try {
            // DJL touches JNA while it looks at the platform; JNA would unpack into ~/.cache/JNA
            PrivateNativeDirectory.pinJna();
            unpackFolder = PrivateNativeDirectory.subfolder("djl");
        } catch (UncheckedIOException e) {
            throw new TokenizerLoadException(e.getMessage(), e);
        }
        System.setProperty(DJL_ENGINE_CACHE, unpackFolder.toString());
    }

    /** Once DJL's library is in memory its unpacked copy is no longer needed. */
    private static synchronized void nativeLibraryLoaded() {
        if (!nativeLoaded) {
            nativeLoaded = true;
            PrivateNativeDirectory.discardLoaded(unpackFolder);
            unpackFolder = null;
        }
    }

    /**
     * Whether a token id is one of the byte-fallback tokens ({@code <0x00>} to {@code <0xFF>}) of a model with
     * {@code byte_fallback} (Llama 2, Phi-3, Gemma): the decoder turns a run of them into text only as a whole (a run
     * that is no valid UTF-8 becomes one U+FFFD per byte), so text streamed from one such token may change when the
     * next arrives. Read from {@code tokenizer.json} on first use; false for every id when the model has no byte
     * fallback.
     */
    public boolean isByteFallback(long id) {
        return id >= 0 && id < Integer.MAX_VALUE && byteFallback.get((int) id);
    }

    /**
     * Reads {@code tokenizer.json} once with a streaming parser before the native tokenizer sees it: refuses a file or
     * a section over the limits (the native library builds what these sections describe without bounds: a 5 MB
     * normaliser took 1.4 GB), and collects the ids of byte-fallback tokens.
     */
    static BitSet scan(Path file) {
        BitSet ids = new BitSet();
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new TokenizerLoadException("The tokenizer file " + file.getFileName() + " is " + megabytes(size)
                        + "; at most " + megabytes(MAX_FILE_BYTES) + " is accepted.", null);
            }
            try (JsonParser parser = JSON.createParser(file.toFile())) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new TokenizerLoadException("The tokenizer file " + file.getFileName() + " is not a JSON object.", null);
                }
                boolean byteFallbackOn = false;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (name.equals("model") && value == JsonToken.START_OBJECT) {
                        byteFallbackOn = scanModel(parser, ids);
                    } else if (LIMITED_SECTIONS.contains(name) && value.isStructStart()) {
                        long from = parser.currentTokenLocation().getByteOffset();
                        parser.skipChildren();
                        long bytes = parser.currentLocation().getByteOffset() - from;
                        if (bytes > MAX_SECTION_BYTES) {
                            throw new TokenizerLoadException("The tokenizer's '" + name + "' section is " + megabytes(bytes)
                                    + "; at most " + megabytes(MAX_SECTION_BYTES) + " is accepted.", null);
                        }
                    } else {
                        parser.skipChildren();
                    }
                }
                if (!byteFallbackOn) {
                    ids.clear();
                }
            }
        } catch (JsonProcessingException e) {
            throw new TokenizerLoadException("Could not load the tokenizer " + file + " (malformed file): "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TokenizerLoadException("Could not read the tokenizer file " + file + ": " + e.getMessage(), e);
        }
        return ids;
    }

    /** Reads the model section: whether it has byte fallback, and which vocabulary ids are byte tokens. */
    private static boolean scanModel(JsonParser parser, BitSet ids) throws IOException {
        boolean on = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("byte_fallback")) {
                on = value == JsonToken.VALUE_TRUE;
            } else if (name.equals("vocab") && value == JsonToken.START_OBJECT) { // BPE, WordPiece: token -> id
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String token = parser.currentName();
                    if (parser.nextToken() == JsonToken.VALUE_NUMBER_INT && BYTE_TOKEN.matcher(token).matches()
                            && parser.getLongValue() >= 0 && parser.getLongValue() < Integer.MAX_VALUE) {
                        ids.set((int) parser.getLongValue());
                    } else {
                        parser.skipChildren();
                    }
                }
            } else if (name.equals("vocab") && value == JsonToken.START_ARRAY) { // Unigram: [token, score], id = place
                int id = 0;
                while (parser.nextToken() == JsonToken.START_ARRAY) {
                    if (parser.nextToken() == JsonToken.VALUE_STRING && BYTE_TOKEN.matcher(parser.getText()).matches()) {
                        ids.set(id);
                    }
                    while (parser.currentToken() != JsonToken.END_ARRAY) {
                        parser.nextToken();
                        parser.skipChildren();
                    }
                    id++;
                }
            } else {
                parser.skipChildren();
            }
        }
        return on;
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }

    /** Token ids of {@code text}; {@code addSpecialTokens} applies the tokenizer's post-processor (for example BOS). */
    public long[] encode(String text, boolean addSpecialTokens) {
        return encoding(text, addSpecialTokens).getIds();
    }

    /** Ids, attention mask and token type ids of one text, as an encoder model wants them. */
    public EncodedText encodeForModel(String text, boolean addSpecialTokens) {
        Encoding e = encoding(text, addSpecialTokens);
        return new EncodedText(e.getIds(), e.getAttentionMask(), e.getTypeIds());
    }

    /** Ids of several texts, each encoded on its own (no padding). */
    public List<EncodedText> encodeAll(List<String> texts, boolean addSpecialTokens) {
        return texts.stream().map(t -> encodeForModel(t, addSpecialTokens)).toList();
    }

    /** The text of {@code ids}; bytes that do not yet form a whole character come out as U+FFFD. */
    public String decode(long[] ids, boolean skipSpecialTokens) {
        return delegate.decode(ids, skipSpecialTokens);
    }

    /** Where this tokenizer was loaded from. */
    public Path source() {
        return source;
    }

    private Encoding encoding(String text, boolean addSpecialTokens) {
        Objects.requireNonNull(text, "text");
        return delegate.encode(text, addSpecialTokens, false);
    }

    /** Frees the native tokenizer. */
    @Override
    public void close() {
        delegate.close();
    }
}
