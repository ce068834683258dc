package org.sovereign.packs.pack;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.sovereign.packs.signing.EcKeys;
import org.sovereign.packs.signing.KeyFileException;
import org.sovereign.packs.signing.OmsBundle;
import org.sovereign.packs.signing.OmsException;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.StreamingHasher;
import org.sovereign.packs.signing.TrustPolicy;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.packs.template.ChatTemplate;
import org.sovereign.packs.template.ChatTemplateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Fuzz targets for what a pack publisher controls (issue 15): the {@code .mpack} archive, its manifest, its OMS
 * signature bundle and its chat template. Any input may only be read or refused with the reader's own typed exception;
 * a runtime exception, a stack overflow, a hang or unbounded allocation is a finding. The default test run replays the
 * committed inputs ({@code src/test/resources/.../PackInputsFuzzTestInputs/}); {@code -Pfuzz} fuzzes.
 */
class PackInputsFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void manifest(byte[] data) {
        try {
            new ManifestCodec().parse(data);
        } catch (ManifestException expected) {
            // refused with a reason
        }
    }

    /**
     * A bundle is parsed, then judged as an install judges it: its signature checked with the key it names, its
     * statement read. The policy trusts the key the bundle carries itself, so a well-signed input reaches the
     * statement; judging must end in a verdict (an invalid one with a reason), never an exception.
     */
    @FuzzTest(maxDuration = "60s")
    void omsBundle(byte[] data) {
        OmsBundle bundle;
        try {
            bundle = OmsBundle.parse(data);
        } catch (OmsException expected) {
            return; // refused with a reason
        }
        List<PublicKey> carried = new ArrayList<>();
        bundle.rawPublicKey().ifPresent(der -> {
            try {
                carried.add(EcKeys.publicKeyFromDer(der, "The bundle's key"));
            } catch (KeyFileException notAKey) {
                // judged below as an unknown key
            }
        });
        new TrustPolicy(carried, List.of()).evaluate(Map.of("model.sig", bundle));
    }

    @FuzzTest(maxDuration = "60s")
    void mpackArchive(byte[] data) throws IOException {
        Path dir = Files.createTempDirectory("fuzz-mpack");
        try {
            Path file = Files.write(dir.resolve("p.mpack"), data);
            Path out = Files.createDirectory(dir.resolve("out"));
            try (MpackArchive archive = MpackArchive.open(file)) {
                archive.extractTo(out, new StreamingHasher(0, ProgressListener.NONE, () -> false));
            } catch (PackException | IOException expected) {
                // refused with a reason
            }
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void chatTemplate(FuzzedDataProvider data) {
        String source = data.consumeString(4000);
        String content = data.consumeRemainingAsString();
        try {
            String out = new ChatTemplate(source, "<s>", "</s>")
                    .render(List.of(ChatMessage.system("be brief"), ChatMessage.user(content)), true);
            if (out.length() > ChatTemplate.Limits.DEFAULT.maxOutputChars()) {
                throw new AssertionError("The template wrote past the output limit: " + out.length());
            }
        } catch (ChatTemplateException expected) {
            // refused with a reason
        }
    }
}
