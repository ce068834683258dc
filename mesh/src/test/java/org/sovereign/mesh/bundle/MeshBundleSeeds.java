package org.sovereign.mesh.bundle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.TestKeys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the valid bundles {@link MeshBundleFuzzTest} starts from. Keys, clock and bodies are fixed, so the same
 * bytes come out every time ({@code MeshBundleSeedsTest} checks the committed files against them). Run from the
 * repository root after a format change:
 * {@code java -cp <mesh test class path> org.sovereign.mesh.bundle.MeshBundleSeeds}
 */
public final class MeshBundleSeeds {
    /** Where the fuzz target's committed inputs live, from the repository root. */
    static final Path FOLDER = Path.of("mesh/src/test/resources/org/sovereign/mesh/bundle/MeshBundleFuzzTestInputs/bundle");
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);

    private MeshBundleSeeds() {
    }

    /** The seeds by file name. */
    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        MeshLog a = member(1);
        MeshLog b = member(2);
        for (int i = 0; i < 3; i++) {
            a.append("note", 1, JsonNodeFactory.instance.objectNode().put("text", "field note " + i));
        }
        b.append("coop.vote", 1, JsonNodeFactory.instance.objectNode().put("proposal", "0".repeat(64))
                .set("votes", JsonNodeFactory.instance.objectNode().put("yes", 2)));
        seeds.put("no-records", MeshBundle.export(member(3), TestKeys.seeded(3), null, FIXED.millis()).bytes());
        seeds.put("one-vote", MeshBundle.export(b, TestKeys.seeded(2), null, FIXED.millis()).bytes());
        seeds.put("one-member", MeshBundle.export(a, TestKeys.seeded(1), null, FIXED.millis()).bytes());
        BundleImport.apply(b, MeshBundle.read(new java.io.ByteArrayInputStream(seeds.get("one-member"))));
        seeds.put("two-members", MeshBundle.export(b, TestKeys.seeded(2), null, FIXED.millis()).bytes());
        a.append("note", 1, JsonNodeFactory.instance.objectNode().put("text", "after the first bundle"));
        a.seenFrom(b.self(), b.heads().values());
        seeds.put("since-peer", MeshBundle.export(a, TestKeys.seeded(1), b.self(), FIXED.millis()).bytes());
        return seeds;
    }

    private static MeshLog member(int seed) {
        return new MeshLog("coop-1", TestKeys.seeded(seed), new MemoryRecordStore(), FIXED);
    }

    public static void main(String[] args) throws IOException {
        Files.createDirectories(FOLDER);
        for (Map.Entry<String, byte[]> seed : seeds().entrySet()) {
            Files.write(FOLDER.resolve(seed.getKey()), seed.getValue());
        }
    }
}
