package org.sovereign.core.packs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.common.Progress;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.store.StoreService;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.store.vault.crypto.KdfParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.sovereign.testing.Fixtures.TINY_LLAMA;

/** Core refuses with a typed reason whose message is plain words: no flag, no command name. */
class PackFailureTest {

    static final String PASS = "a long and private passphrase";

    @TempDir
    Path tmp;
    private Path home;
    private StoreService store;
    private Packs packs;

    @BeforeEach
    void setUp() throws IOException {
        home = tmp.resolve("home");
        store = new StoreService(DataDirectory.resolve(home), Clock.systemUTC(), new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1));
        store.create(PASS.toCharArray()).close();
        packs = Packs.create(home, store);
        packs.installation().installDefault(PASS::toCharArray, Progress.NONE);
        Path mpack = tmp.resolve("tiny.mpack");
        packs.importer().importFolder(TINY_LLAMA, mpack, "tiny-llama", "1.0", "Apache-2.0", null);
        packs.installation().install(mpack, List.of(), true, PASS::toCharArray, Progress.NONE);
    }

    @AfterEach
    void tearDown() {
        packs.runtime().unloadModels();
        System.clearProperty(DefaultPack.DIR_PROPERTY);
    }

    private static PackFailure.Reason reasonOf(Runnable call) {
        PackFailure failure = catchThrowableOfType(call::run, PackFailure.class);
        assertThat(failure).as("a typed pack failure").isNotNull();
        assertThat(failure.getMessage()).isEqualTo(failure.reason().plainWords())
                .doesNotContain("--").doesNotContainIgnoringCase("sovereign ").doesNotContain("'generate'")
                .doesNotContain("'embed'").endsWith(".");
        return failure.reason();
    }

    private ModelRuntime.GenerateRequest prompt(String pack, boolean raw, Integer maxTokens, Double temperature) {
        return new ModelRuntime.GenerateRequest(pack, "Hello", raw, maxTokens, temperature, null);
    }

    @Test
    void aPackThatIsNotInstalledSaysWhetherThisBuildBundlesIt() {
        assertThat(reasonOf(() -> packs.runtime().openChatModel("nothing")))
                .isEqualTo(new PackFailure.NotInstalled("nothing", false));
        String bundled = packs.installation().defaultPackName().orElseThrow();
        packs.installation().remove(bundled, PASS::toCharArray);
        assertThat(reasonOf(() -> packs.runtime().embed(bundled, List.of("bees"))))
                .isEqualTo(new PackFailure.NotInstalled(bundled, true));
        assertThat(reasonOf(() -> packs.installation().remove(bundled, PASS::toCharArray)).plainWords())
                .isEqualTo("No pack named 'all-minilm-l6-v2' is installed. It is bundled with this build and has not "
                        + "been installed yet.");
    }

    @Test
    void aPackOfTheWrongKindNamesWhatItWasWantedFor() {
        assertThat(reasonOf(() -> packs.runtime().generate(prompt("all-minilm-l6-v2", true, 2, 0.0),
                TokenListener.none(), Optional.empty())))
                .isEqualTo(new PackFailure.WrongKind("all-minilm-l6-v2", "embedding", PackFailure.Use.GENERATE));
        assertThat(reasonOf(() -> packs.runtime().embed("tiny-llama", List.of("bees"))))
                .isEqualTo(new PackFailure.WrongKind("tiny-llama", "text-generation", PackFailure.Use.EMBED));
        PackFailure.Reason assistant = reasonOf(() -> packs.runtime().openChatModel("all-minilm-l6-v2"));
        assertThat(assistant).isEqualTo(new PackFailure.WrongKind("all-minilm-l6-v2", "embedding",
                PackFailure.Use.ASSISTANT));
        assertThat(assistant.plainWords())
                .isEqualTo("Pack 'all-minilm-l6-v2' is an embedding pack; the assistant needs a text-generation pack.");
    }

    @Test
    void aPackWithoutAChatTemplateIsRefusedUnlessThePromptGoesAsItIs() throws IOException {
        Path plain = Files.createDirectories(tmp.resolve("plain-llama"));
        try (var files = Files.list(TINY_LLAMA)) {
            for (Path f : files.toList()) {
                Files.copy(f, plain.resolve(f.getFileName()));
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(plain.resolve("tokenizer_config.json").toFile());
        config.remove("chat_template");
        json.writeValue(plain.resolve("tokenizer_config.json").toFile(), config);
        Path mpack = tmp.resolve("plain.mpack");
        packs.importer().importFolder(plain, mpack, "plain-llama", "1.0", null, null);
        packs.installation().install(mpack, List.of(), true, PASS::toCharArray, Progress.NONE);

        assertThat(reasonOf(() -> packs.runtime().generate(prompt("plain-llama", false, 2, 0.0), TokenListener.none(),
                Optional.empty()))).isEqualTo(new PackFailure.NoChatTemplate("plain-llama"));
        assertThat(reasonOf(() -> packs.runtime().openChatModel("plain-llama")))
                .isEqualTo(new PackFailure.NoChatTemplate("plain-llama"));
        assertThat(packs.runtime().generate(prompt("plain-llama", true, 2, 0.0), TokenListener.none(),
                Optional.empty()).result().tokenIds()).as("raw prompts need no template").isNotEmpty();
    }

    @Test
    void generationSettingsOutOfRangeAreNamedWithTheirRange() {
        assertThat(reasonOf(() -> packs.runtime().generate(prompt("tiny-llama", true, 0, 0.0), TokenListener.none(),
                Optional.empty()))).isEqualTo(new PackFailure.InvalidGenerationSetting(PackFailure.Setting.MAX_TOKENS,
                "at least 1"));
        PackFailure.Reason hot = reasonOf(() -> packs.runtime().generate(prompt("tiny-llama", true, 2, 10.5),
                TokenListener.none(), Optional.empty()));
        assertThat(hot).isEqualTo(new PackFailure.InvalidGenerationSetting(PackFailure.Setting.TEMPERATURE,
                "between 0 and 10"));
        assertThat(hot.plainWords()).isEqualTo("The temperature must be between 0 and 10.");
    }

    @Test
    void installingWithoutAVaultOrWithoutABundledPackIsTyped() throws IOException {
        Path bare = tmp.resolve("bare");
        StoreService none = new StoreService(DataDirectory.resolve(bare), Clock.systemUTC(),
                new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1));
        Packs elsewhere = Packs.create(bare, none);
        assertThat(reasonOf(() -> elsewhere.installation().install(tmp.resolve("tiny.mpack"), List.of(), true,
                PASS::toCharArray, Progress.NONE))).isEqualTo(new PackFailure.NoVault(bare));
        assertThat(reasonOf(() -> elsewhere.installation().installDefault(PASS::toCharArray, Progress.NONE)))
                .isEqualTo(new PackFailure.NoVault(bare));

        System.setProperty(DefaultPack.DIR_PROPERTY, Files.createDirectories(tmp.resolve("no-default-packs")).toString());
        assertThat(reasonOf(() -> packs.installation().installDefault(PASS::toCharArray, Progress.NONE)))
                .isEqualTo(new PackFailure.DefaultPackMissing());
    }

    @Test
    void aGenerationThatIsNotAuditedSaysWhyInPlainWords() {
        for (ModelRuntime.NotAudited why : ModelRuntime.NotAudited.values()) {
            assertThat(why.plainWords()).startsWith("Not audited: ").doesNotContain("--")
                    .doesNotContainIgnoringCase("sovereign ");
        }
        assertThat(packs.runtime().generate(prompt("tiny-llama", true, 1, 0.0), TokenListener.none(), Optional.empty())
                .notAudited()).contains(ModelRuntime.NotAudited.NO_PASSPHRASE);
    }
}
