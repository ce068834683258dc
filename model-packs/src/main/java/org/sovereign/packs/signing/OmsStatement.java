package org.sovereign.packs.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An in-toto Statement v1 carrying the OMS v1.0 predicate ({@code resources} + {@code serialization}).
 * Values from {@link #parse} and {@link #of} are valid: resources non-empty, sorted by code point, unique,
 * canonical relative names, SHA-256 digests, and a subject digest equal to the root digest.
 */
public record OmsStatement(String subjectName, String subjectDigest, List<OmsResource> resources,
                           OmsSerialization serialization) {
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://model_signing/signature/v1.0";
    public static final String SHA256 = "sha256";
    public static final String METHOD_FILES = "files";
    /** Paths OMS excludes by default (top-level components of the model root). */
    public static final List<String> DEFAULT_IGNORE_PATHS = List.of(".git", ".gitignore", ".gitattributes", ".github");

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public OmsStatement {
        resources = List.copyOf(resources);
    }

    /** Builds a statement from resources (sorted here), computing the root digest. */
    public static OmsStatement of(String subjectName, List<OmsResource> resources, List<String> ignorePaths) {
        List<OmsResource> sorted = new ArrayList<>(resources);
        sorted.sort((a, b) -> CodePointOrder.compare(a.name(), b.name()));
        OmsStatement s = new OmsStatement(subjectName, rootDigest(sorted),
                sorted, new OmsSerialization(METHOD_FILES, SHA256, false, ignorePaths));
        s.check();
        return s;
    }

    /** SHA-256 over the concatenated raw bytes of the resource digests, in the given order; lowercase hex. */
    public static String rootDigest(List<OmsResource> resources) {
        MessageDigest md = StreamingHasher.newSha256();
        for (OmsResource r : resources) {
            md.update(HexFormat.of().parseHex(r.digest()));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The JSON payload bytes to be signed. */
    public byte[] toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("_type", STATEMENT_TYPE);
        ObjectNode subject = root.putArray("subject").addObject();
        subject.put("name", subjectName);
        subject.putObject("digest").put(SHA256, subjectDigest);
        root.put("predicateType", PREDICATE_TYPE);
        ObjectNode predicate = root.putObject("predicate");
        ArrayNode res = predicate.putArray("resources");
        for (OmsResource r : resources) {
            res.addObject().put("name", r.name()).put("algorithm", r.algorithm()).put("digest", r.digest());
        }
        ObjectNode ser = predicate.putObject("serialization");
        ser.put("method", serialization.method());
        ser.put("hash_type", serialization.hashType());
        ser.put("allow_symlinks", serialization.allowSymlinks());
        ArrayNode ignore = ser.putArray("ignore_paths");
        serialization.ignorePaths().forEach(ignore::add);
        try {
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses and checks a DSSE payload as an OMS v1.0 statement. */
    public static OmsStatement parse(byte[] payload) {
        String what = "The signed statement";
        JsonNode root = Json.readObject(payload, what);
        if (!STATEMENT_TYPE.equals(Json.text(root, "_type", what))) {
            throw new BundleFormatException(what + " is not an in-toto Statement v1.");
        }
        String predicateType = Json.text(root, "predicateType", what);
        if (!PREDICATE_TYPE.equals(predicateType)) {
            throw new BundleFormatException(what + " has predicateType '" + clip(predicateType)
                    + "', not the OMS v1.0 type " + PREDICATE_TYPE + ".");
        }
        JsonNode subjects = Json.array(root, "subject", what);
        if (subjects.size() != 1 || !subjects.get(0).isObject()) {
            throw new BundleFormatException(what + " must have exactly one subject.");
        }
        String subjectName = Json.text(subjects.get(0), "name", what + " subject");
        if (subjectName.isEmpty()) {
            throw new BundleFormatException(what + " has an empty subject name.");
        }
        String subjectDigest = Json.text(Json.object(subjects.get(0), "digest", what + " subject"), SHA256,
                what + " subject digest");
        JsonNode predicate = Json.object(root, "predicate", what);
        JsonNode ser = Json.object(predicate, "serialization", what + " predicate");
        String method = Json.text(ser, "method", "The serialization");
        String hashType = Json.text(ser, "hash_type", "The serialization");
        JsonNode allow = ser.get("allow_symlinks");
        if (allow == null || !allow.isBoolean()) {
            throw new BundleFormatException("The serialization has no boolean 'allow_symlinks'.");
        }
        List<String> ignore = new ArrayList<>();
        JsonNode ignoreNode = ser.get("ignore_paths");
        if (ignoreNode != null && !ignoreNode.isNull()) {
            if (!ignoreNode.isArray()) {
                throw new BundleFormatException("The serialization's 'ignore_paths' is not an array.");
            }
            for (JsonNode n : ignoreNode) {
                if (!n.isTextual()) {
                    throw new BundleFormatException("The serialization's 'ignore_paths' holds a non-text entry.");
                }
                ignore.add(n.textValue());
            }
        }
        List<OmsResource> resources = new ArrayList<>();
        for (JsonNode r : Json.array(predicate, "resources", what + " predicate")) {
            if (!r.isObject()) {
                throw new BundleFormatException(what + " has a resource that is not an object.");
            }
            resources.add(new OmsResource(Json.text(r, "name", "A resource"), Json.text(r, "algorithm", "A resource"),
                    Json.text(r, "digest", "A resource")));
        }
        OmsStatement s = new OmsStatement(subjectName, subjectDigest, resources,
                new OmsSerialization(method, hashType, allow.booleanValue(), ignore));
        s.check();
        return s;
    }

    private void check() {
        if (!METHOD_FILES.equals(serialization.method())) {
            throw new BundleFormatException("Serialization method '" + clip(serialization.method())
                    + "' is not supported; only 'files' is.");
        }
        if (!SHA256.equals(serialization.hashType())) {
            throw new BundleFormatException("Hash type '" + clip(serialization.hashType())
                    + "' is not supported; only 'sha256' is.");
        }
        if (resources.isEmpty()) {
            throw new BundleFormatException("The signed statement lists no files.");
        }
        String previous = null;
        for (OmsResource r : resources) {
            String problem = ResourceNames.problem(r.name());
            if (problem != null) {
                throw new BundleFormatException("The signed statement lists " + problem + ".");
            }
            if (!SHA256.equals(r.algorithm())) {
                throw new BundleFormatException("Resource '" + r.name() + "' uses algorithm '" + clip(r.algorithm())
                        + "' instead of 'sha256'.");
            }
            if (!HEX64.matcher(r.digest()).matches()) {
                throw new BundleFormatException("Resource '" + r.name() + "' has no valid lowercase SHA-256 digest.");
            }
            if (previous != null && CodePointOrder.compare(previous, r.name()) >= 0) {
                throw new BundleFormatException("The signed statement's resources are not sorted and unique at '"
                        + r.name() + "'.");
            }
            previous = r.name();
        }
        if (!HEX64.matcher(subjectDigest).matches() || !subjectDigest.equals(rootDigest(resources))) {
            throw new BundleFormatException("The signed statement's subject digest does not match its resources.");
        }
    }

    static String clip(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
