package org.sovereign.core.packs;

import static org.sovereign.testing.Fixtures.TINY_LLAMA;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.store.StoreService;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PackService on real files and a real vault: audit effects the CLI tests do not look into. */
class PackServiceTest {

    static final String PASS = "a long and private passphrase";

    @TempDir
    Path tmp;
    private Path home;
    private StoreService store;
    private PackService packs;

    @BeforeEach
    void setUp() {
        home = tmp.resolve("home");
        DataDirectory dir = DataDirectory.resolve(home);
        store = new StoreService(dir, Clock.systemUTC(), new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1));
        store.create(PASS.toCharArray()).close();
        packs = new PackService(home, store);
    }

    @AfterEach
    void clearOverride() {
        System.clearProperty(DefaultPack.DIR_PROPERTY);
    }

    private Path importAndInstall() {
        Path mpack = tmp.resolve("tiny.mpack");
        packs.importFolder(TINY_LLAMA, mpack, "tiny-llama", "1.0", "Apache-2.0", null);
        packs.install(mpack, List.of(), true, PASS::toCharArray, (d, t) -> { });
        return mpack;
    }

    @Test
    void inferenceEntryCommitsToPromptAndOutputWithSaltsKeptInTheVault() {
        importAndInstall();
        String prompt = "The workstation checks the signature";
        StringBuilder streamed = new StringBuilder();
        PackService.GenerateOutcome outcome = packs.generate(
                new PackService.GenerateRequest("tiny-llama", prompt, true, 8, 0.0, null),
                (id, delta) -> streamed.append(delta), Optional.of(PASS.toCharArray()));
        assertThat(outcome.audited()).isTrue();
        assertThat(outcome.note()).isNull();
        assertThat(streamed.toString()).isEqualTo(outcome.result().text());

        try (LocalStore local = store.unlock(PASS.toCharArray())) {
            List<AuditEntry> all = local.audit().entries(0, local.audit().size());
            AuditEntry inference = all.stream().filter(e -> e.type().equals(AuditTypes.INFERENCE)).findFirst().orElseThrow();
            assertThat(inference.refs()).containsEntry("pack", "tiny-llama-1.0").containsKey("packDigest");
            assertThat(inference.toString()).doesNotContain(prompt);
            byte[] salts = local.session().readItem(Long.parseLong(inference.refs().get("salts"))).orElseThrow();
            assertThat(inference.commitments()).containsEntry("prompt",
                    InferenceAudit.commit(Arrays.copyOfRange(salts, 0, 32), prompt));
            assertThat(inference.commitments()).containsEntry("output",
                    InferenceAudit.commit(Arrays.copyOfRange(salts, 32, 64), outcome.result().text()));
        }
    }

    @Test
    void generateWithoutPassphraseIsNotAuditedAndSaysSo() {
        importAndInstall();
        PackService.GenerateOutcome outcome = packs.generate(
                new PackService.GenerateRequest("tiny-llama", "Hello", true, 2, 0.0, null), TokenListener.none(),
                Optional.empty());
        assertThat(outcome.audited()).isFalse();
        assertThat(outcome.note()).startsWith("Not audited");
    }

    @Test
    void bundledPackWithAnotherDigestIsRemovedAndRejected() throws Exception {
        Path fake = Files.createDirectories(tmp.resolve("fake-default"));
        packs.importFolder(TINY_LLAMA, fake.resolve(DefaultPackBuilder.FILE), "tiny-llama", "1.0", null, null);
        System.setProperty(DefaultPack.DIR_PROPERTY, fake.toString());

        assertThatThrownBy(() -> packs.installDefault(PASS::toCharArray, (d, t) -> { }))
                .isInstanceOf(UserFacingException.class)
                .hasMessageContaining("does not match the digest recorded in this build");
        try (var left = Files.list(packs.packsDir())) {
            assertThat(left).isEmpty();
        }
        try (LocalStore local = store.unlock(PASS.toCharArray())) {
            assertThat(local.audit().entries(0, local.audit().size())).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(AuditTypes.PACK_REJECTED);
                assertThat(e.refs()).containsEntry("verdict", "digest-mismatch");
            });
        }
    }
}
