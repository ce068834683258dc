package org.sovereign.packs.pack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads, checks and writes {@code manifest.json}. Parsing is strict: unknown fields, a missing or unknown
 * {@code formatVersion}, unsafe or duplicate paths and dangling references are refused with a
 * {@link ManifestException}. Instances are immutable and thread-safe.
 */
public final class ManifestCodec {
    /** Manifests larger than this are refused before parsing. */
    public static final long MAX_MANIFEST_BYTES = 4L * 1024 * 1024;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+_-]{0,31}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    // One configured mapper for all codecs: thread-safe, and building one (with its caches) costs milliseconds.
    private static final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /**
     * Reads and checks {@code manifest.json} from a pack directory. Anything but a regular file there (a folder, a
     * symbolic link, a device, a named pipe) and a file larger than {@link #MAX_MANIFEST_BYTES} is refused with a
     * {@link ManifestException} before it is opened; at most that many bytes are ever read.
     */
    public PackManifest read(Path packDir) throws IOException {
        Path file = packDir.resolve(PackLayout.MANIFEST);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new ManifestException("The pack has no manifest.json at its root.", e);
        }
        if (attrs.isDirectory()) {
            throw new ManifestException("The pack's manifest.json is a folder, not a file.");
        }
        if (!attrs.isRegularFile()) {
            throw new ManifestException("The pack's manifest.json is not a regular file"
                    + (attrs.isSymbolicLink() ? " (it is a symbolic link)." : "."));
        }
        if (attrs.size() > MAX_MANIFEST_BYTES) {
            throw new ManifestException("manifest.json is larger than " + MAX_MANIFEST_BYTES + " bytes.");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes((int) MAX_MANIFEST_BYTES + 1); // bounded even if the file grows meanwhile
        } catch (NoSuchFileException e) {
            throw new ManifestException("The pack has no manifest.json at its root.", e);
        } catch (IOException e) {
            throw new ManifestException("The pack's manifest.json could not be read.", e);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new ManifestException("manifest.json is larger than " + MAX_MANIFEST_BYTES + " bytes.");
        }
        return parse(bytes);
    }

    /** Parses and checks manifest bytes. */
    public PackManifest parse(byte[] json) {
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (IOException e) {
            throw new ManifestException("manifest.json is not valid JSON.", e);
        }
        if (tree == null || !tree.isObject()) {
            throw new ManifestException("manifest.json must hold a JSON object.");
        }
        JsonNode version = tree.get("formatVersion");
        if (version == null || !version.isInt()) {
            throw new ManifestException("manifest.json has no integer formatVersion.");
        }
        if (version.intValue() != PackManifest.FORMAT_VERSION) {
            throw new ManifestException("manifest.json has formatVersion " + version.intValue()
                    + "; this version of the workstation reads only formatVersion " + PackManifest.FORMAT_VERSION
                    + ". Update the workstation to install this pack.");
        }
        PackManifest manifest;
        try {
            manifest = mapper.treeToValue(tree, PackManifest.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ManifestException("manifest.json has an unknown field '" + e.getPropertyName() + "'.", e);
        } catch (InvalidFormatException e) {
            throw new ManifestException("manifest.json has an invalid value " + describe(e.getValue())
                    + " at " + location(e) + ".", e);
        } catch (MismatchedInputException e) {
            throw new ManifestException("manifest.json has a value of the wrong type at " + location(e) + ".", e);
        } catch (JsonProcessingException e) {
            throw new ManifestException("manifest.json could not be read as a pack manifest.", e);
        }
        validate(manifest);
        return manifest;
    }

    /** Serializes a manifest after checking it. */
    public byte[] write(PackManifest manifest) {
        validate(manifest);
        try {
            return mapper.writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new ManifestException("The manifest could not be written as JSON.", e);
        }
    }

    /** Checks a manifest's content rules; throws {@link ManifestException} naming the first problem. */
    public void validate(PackManifest m) {
        if (m.formatVersion() != PackManifest.FORMAT_VERSION) {
            throw new ManifestException("Only manifest formatVersion " + PackManifest.FORMAT_VERSION + " is supported.");
        }
        require(m.name() != null && NAME.matcher(m.name()).matches(),
                "manifest.json name must be 1-64 lowercase letters, digits, '.', '_' or '-'.");
        require(m.version() != null && VERSION.matcher(m.version()).matches(),
                "manifest.json version must be 1-32 letters, digits, '.', '+', '_' or '-'.");
        require(m.kind() != null, "manifest.json has no kind.");
        require(m.kind() != PackKind.RERANKER,
                "manifest.json kind 'reranker' is reserved and not supported in formatVersion 1.");
        require(!m.files().isEmpty(), "manifest.json lists no files.");
        Set<String> paths = new HashSet<>();
        Set<String> folded = new HashSet<>();
        for (PackFile f : m.files()) {
            require(f != null && f.path() != null, "manifest.json has a file entry without a path.");
            PackPaths.problem(f.path()).ifPresent(p -> {
                throw new ManifestException("manifest.json lists " + p + ".");
            });
            require(!f.path().equals(PackLayout.MANIFEST) && !PackLayout.isSignaturePath(f.path())
                            && !f.path().startsWith(PackLayout.SIGNATURES_DIR + "/"),
                    "manifest.json must not list the reserved path '" + f.path() + "'.");
            require(paths.add(f.path()), "manifest.json lists '" + f.path() + "' twice.");
            require(folded.add(f.path().toLowerCase(Locale.ROOT)),
                    "manifest.json lists '" + f.path() + "' twice when letter case is ignored.");
            require(f.size() >= 0, "manifest.json gives a negative size for '" + f.path() + "'.");
            require(f.sha256() != null && SHA256.matcher(f.sha256()).matches(),
                    "manifest.json has no valid lowercase sha256 for '" + f.path() + "'.");
        }
        Set<String> prefixes = paths.stream().flatMap(ManifestCodec::parents).collect(Collectors.toSet());
        for (String p : paths) {
            require(!prefixes.contains(p), "manifest.json lists '" + p + "' both as a file and as a folder.");
        }
        require(m.model() != null && notBlank(m.model().family()), "manifest.json has no model family.");
        requireListed(paths, m.model().modelFile(), "model file");
        requireListed(paths, m.tokenizer(), "tokenizer");
        if (m.chatTemplate() != null) {
            boolean hasPath = m.chatTemplate().path() != null;
            boolean hasInline = m.chatTemplate().inline() != null;
            require(hasPath != hasInline, "manifest.json chatTemplate must have exactly one of path or inline.");
            if (hasPath) {
                requireListed(paths, m.chatTemplate().path(), "chat template");
            }
        }
        if (m.generation() != null) {
            GenerationDefaults g = m.generation();
            require(g.maxNewTokens() > 0, "manifest.json generation.maxNewTokens must be positive.");
            require(g.temperature() >= 0 && g.temperature() <= 10, "manifest.json generation.temperature must be 0-10.");
            require(g.topP() > 0 && g.topP() <= 1, "manifest.json generation.topP must be in (0, 1].");
        }
        require(m.contextLength() > 0, "manifest.json contextLength must be positive.");
        require(m.hardware() != null && m.hardware().ramEstimateBytes() > 0,
                "manifest.json needs hardware.ramEstimateBytes.");
        require(m.licence() != null && notBlank(m.licence().spdxId()), "manifest.json needs a licence SPDX id.");
        requireListed(paths, m.licence().file(), "licence file");
        require(m.provenance() != null && notBlank(m.provenance().source()),
                "manifest.json needs provenance.source.");
    }

    private static Stream<String> parents(String path) {
        List<String> out = new ArrayList<>();
        int i = path.indexOf('/');
        while (i >= 0) {
            out.add(path.substring(0, i));
            i = path.indexOf('/', i + 1);
        }
        return out.stream();
    }

    private static void requireListed(Set<String> paths, String path, String what) {
        require(path != null, "manifest.json names no " + what + ".");
        require(paths.contains(path), "manifest.json names the " + what + " '" + PackPaths.printable(path)
                + "' but does not list it under files.");
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new ManifestException(message);
        }
    }

    private static String location(MismatchedInputException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "the top level" : "'" + path.replace(".[", "[") + "'";
    }

    private static String describe(Object value) {
        String s = String.valueOf(value);
        return "'" + PackPaths.printable(s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
    }
}
