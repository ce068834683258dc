package org.sovereign.store.vault;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.vault.crypto.BlindIndex;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sovereign.store.vault.VaultTestSupport.FAST;
import static org.sovereign.store.vault.VaultTestSupport.pass;

class VaultTest {
    @TempDir
    Path dir;

    @Test
    void createsWalSecureDeleteVaultAndRoundTripsItemsAcrossReopen() throws Exception {
        Path file = dir.resolve("data/vault.db");
        long scopeId;
        long itemId;
        try (Vault vault = Vault.create(file, pass(), FAST);
             VaultSession session = vault.unlock(pass())) {
            assertThat(vault.schemaVersion()).isEqualTo(Migrations.latestVersion());
            assertThat(vault.kdfParams()).isEqualTo(FAST);
            Scope scope = session.createScope("source");
            scopeId = scope.id();
            assertThat(scope.kind()).isEqualTo("source");
            assertThat(scope.isErased()).isFalse();
            itemId = session.putItem(scopeId, "note", "hello vault".getBytes(UTF_8));
            assertThat(session.readItem(itemId)).hasValueSatisfying(b -> assertThat(new String(b, UTF_8)).isEqualTo("hello vault"));
            assertThat(session.items(scopeId)).singleElement().satisfies(info -> {
                assertThat(info.kind()).isEqualTo("note");
                assertThat(info.size()).isEqualTo(11);
                assertThat(info.scopeId()).isEqualTo(scopeId);
            });
        }
        assertThat(VaultTestSupport.blob(file, "PRAGMA journal_mode")).isEqualTo("wal".getBytes(UTF_8));
        assertThat(VaultTestSupport.fileContains(file, "hello vault".getBytes(UTF_8))).isFalse();

        try (Vault vault = Vault.open(file); VaultSession session = vault.unlock(pass())) {
            assertThat(session.readItem(itemId)).hasValueSatisfying(b -> assertThat(b).isEqualTo("hello vault".getBytes(UTF_8)));
            assertThat(session.scopes()).extracting(Scope::id).containsExactly(scopeId);
            assertThat(session.deleteItem(itemId)).isTrue();
            assertThat(session.readItem(itemId)).isEmpty();
            assertThat(session.deleteItem(itemId)).isFalse();
        }
    }

    @Test
    void aTransactionStoresAllItsItemsOrNone() {
        Path file = dir.resolve("tx.db");
        long kept;
        long scope;
        try (Vault vault = Vault.create(file, pass(), FAST); VaultSession s = vault.unlock(pass())) {
            scope = s.createScope("source").id();
            long[] ids = new long[2];
            s.inTransaction(() -> {
                ids[0] = s.putItem(scope, "chunk", "first".getBytes(UTF_8));
                s.keywordIndex().index(ids[0], "orchard apples");
                ids[1] = s.putItem(scope, "chunk", "second".getBytes(UTF_8));
            });
            kept = ids[0];
            assertThat(s.items(scope)).hasSize(2);
            assertThatThrownBy(() -> s.inTransaction(() -> {
                long doomed = s.putItem(scope, "chunk", "third".getBytes(UTF_8));
                s.keywordIndex().index(doomed, "pears");
                throw new IllegalStateException("stopped halfway");
            })).hasMessage("stopped halfway");
            // nothing of the failed transaction is left: not the item, not its keyword terms
            assertThat(s.items(scope)).hasSize(2);
            assertThat(s.keywordIndex().search("pears", 5)).isEmpty();
            // and the vault is usable afterwards, outside any transaction
            s.putItem(scope, "chunk", "fourth".getBytes(UTF_8));
        }
        try (Vault vault = Vault.open(file); VaultSession s = vault.unlock(pass())) {
            assertThat(s.items(scope)).hasSize(3);
            assertThat(s.readItem(kept)).hasValueSatisfying(b -> assertThat(b).isEqualTo("first".getBytes(UTF_8)));
            assertThat(s.keywordIndex().search("orchard", 5)).extracting(KeywordIndex.Hit::itemId).containsExactly(kept);
        }
    }

    @Test
    void manyItemsOfRandomSizesRoundTripPropertyStyle() {
        Random seeded = new Random(7L);
        Path file = dir.resolve("vault.db");
        Map<Long, byte[]> expected = new HashMap<>();
        try (Vault vault = Vault.create(file, pass(), FAST); VaultSession s = vault.unlock(pass())) {
            List<Long> scopes = List.of(s.createScope("source").id(), s.createScope("conversation").id());
            for (int i = 0; i < 60; i++) {
                byte[] data = new byte[seeded.nextInt(i % 10 == 0 ? 70_000 : 300)];
                seeded.nextBytes(data);
                expected.put(s.putItem(scopes.get(seeded.nextInt(2)), "blob", data), data);
            }
        }
        try (Vault vault = Vault.open(file); VaultSession s = vault.unlock(pass())) {
            expected.forEach((id, data) -> assertThat(s.readItem(id)).hasValueSatisfying(b -> assertThat(b).isEqualTo(data)));
        }
    }

    @Test
    void cellsEncryptUnderTheScopeKeyAndBindTheirAddress() {
        try (Vault vault = Vault.create(dir.resolve("v.db"), pass(), FAST); VaultSession s = vault.unlock(pass())) {
            long a = s.createScope("conversation").id();
            long b = s.createScope("conversation").id();
            CellAddress title = new CellAddress("message", 5, "title");
            byte[] ct = s.encrypt(a, title, "Hi".getBytes(UTF_8));
            assertThat(s.decrypt(a, title, ct)).isEqualTo("Hi".getBytes(UTF_8));
            for (CellAddress other : List.of(new CellAddress("message", 6, "title"),
                    new CellAddress("message", 5, "body"), new CellAddress("draft", 5, "title"))) {
                assertThatThrownBy(() -> s.decrypt(a, other, ct)).isInstanceOf(TamperedDataException.class)
                        .hasMessageContaining("failed its integrity check");
            }
            assertThatThrownBy(() -> s.decrypt(b, title, ct)).isInstanceOf(TamperedDataException.class);
            assertThatThrownBy(() -> s.encrypt(999, title, new byte[1])).isInstanceOf(UnknownScopeException.class)
                    .hasMessage("There is no scope 999 in this vault.");
            assertThatThrownBy(() -> s.createScope("Bad Kind")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void lockWipesKeysAndRefusesFurtherUse() {
        Vault vault = Vault.create(dir.resolve("v.db"), pass(), FAST);
        {
            VaultSession s = vault.unlock(pass());
            long scope = s.createScope("consent").id();
            s.lock();
            assertThat(s.isLocked()).isTrue();
            assertThatThrownBy(() -> s.encrypt(scope, new CellAddress("t", 1, "c"), new byte[1]))
                    .isInstanceOf(VaultLockedException.class).hasMessageContaining("locked");
            assertThatThrownBy(s::blindIndex).isInstanceOf(VaultLockedException.class);
            VaultSession again = vault.unlock(pass());
            vault.close();
            assertThat(again.isLocked()).isTrue();
            assertThat(again.toString()).contains("locked");
        }
    }

    @Test
    void lockWaitsForRunningOperationsAndNeverHandsThemAWipedKey() throws Exception {
        try (Vault vault = Vault.create(dir.resolve("v.db"), pass(), FAST)) {
            VaultSession s = vault.unlock(pass());
            long scope = s.createScope("source").id();
            BlindIndex index = s.blindIndex();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            AtomicInteger done = new AtomicInteger();
            for (int t = 0; t < 3; t++) {
                int thread = t;
                pool.submit(() -> {
                    try {
                        for (int i = 0; ; i++) {
                            CellAddress cell = new CellAddress("t", i, "c" + thread);
                            byte[] data = ("value " + i).getBytes(UTF_8);
                            assertThat(s.decrypt(scope, cell, s.encrypt(scope, cell, data))).isEqualTo(data);
                            done.incrementAndGet();
                        }
                    } catch (VaultLockedException expected) {
                        // the only acceptable way out
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                });
            }
            while (done.get() < 200) {
                Thread.sleep(5);
            }
            s.lock();
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(unexpected).isEmpty();
            assertThatThrownBy(() -> index.tokens("anything")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("locked");
        }
    }

    @Test
    void changePassphraseRewrapsOnlyTheMasterKeyAtomically() throws Exception {
        Path file = dir.resolve("v.db");
        long item;
        try (Vault vault = Vault.create(file, pass(), FAST); VaultSession s = vault.unlock(pass())) {
            item = s.putItem(s.createScope("source").id(), "doc", "keep me".getBytes(UTF_8));
            byte[] itemCipherBefore = VaultTestSupport.blob(file, "SELECT ciphertext FROM item WHERE id = " + item);
            byte[] headerBefore = VaultTestSupport.blob(file, "SELECT wrapped_master_key FROM vault_header");

            assertThatThrownBy(() -> s.changePassphrase("nope".toCharArray(), "new one".toCharArray()))
                    .isInstanceOf(WrongPassphraseException.class);
            assertThat(VaultTestSupport.blob(file, "SELECT wrapped_master_key FROM vault_header")).isEqualTo(headerBefore);

            KdfParams stronger = new KdfParams(KdfParams.MIN_MEMORY_KIB * 2, 2, 1);
            s.changePassphrase(pass(), "new one".toCharArray(), stronger);
            assertThat(vault.kdfParams()).isEqualTo(stronger);
            assertThat(VaultTestSupport.fileContains(file, headerBefore))
                    .as("the old wrap (usable with the old passphrase) is gone from the file and WAL").isFalse();
            assertThat(VaultTestSupport.blob(file, "SELECT ciphertext FROM item WHERE id = " + item))
                    .isEqualTo(itemCipherBefore);
            assertThat(s.readItem(item)).isPresent();
        }
        try (Vault vault = Vault.open(file)) {
            assertThatThrownBy(() -> vault.unlock(pass())).isInstanceOf(WrongPassphraseException.class);
            try (VaultSession s = vault.unlock("new one".toCharArray())) {
                assertThat(s.readItem(item)).hasValueSatisfying(b -> assertThat(b).isEqualTo("keep me".getBytes(UTF_8)));
            }
        }
    }

    @Test
    void deviceIdentitySignsWithoutHandingOutThePrivateKey() {
        try (Vault vault = Vault.create(dir.resolve("v.db"), pass(), FAST)) {
            DeviceIdentity identity = vault.deviceIdentity();
            assertThat(identity.publicKey()).hasSize(32);
            assertThat(identity.fingerprint()).matches("([0-9a-f]{4} ){15}[0-9a-f]{4}");
            assertThat(identity.toString()).contains(identity.fingerprint());
            try (VaultSession s = vault.unlock(pass())) {
                byte[] data = "consent record #1".getBytes(UTF_8);
                byte[] signature = s.sign(data);
                assertThat(signature).hasSize(64);
                assertThat(identity.verify(data, signature)).isTrue();
                assertThat(identity.verify("consent record #2".getBytes(UTF_8), signature)).isFalse();
                signature[0] ^= 1;
                assertThat(identity.verify(data, signature)).isFalse();
                assertThat(s.deviceIdentity().publicKey()).isEqualTo(identity.publicKey());
            }
        }
        try (Vault other = Vault.create(dir.resolve("w.db"), pass(), FAST);
             Vault reopened = Vault.open(dir.resolve("v.db"))) {
            assertThat(other.deviceIdentity().fingerprint()).isNotEqualTo(reopened.deviceIdentity().fingerprint());
        }
    }

    @Test
    void blindIndexIsStableAcrossSessionsAndDistinctAcrossVaults() {
        List<String> first = new ArrayList<>();
        try (Vault vault = Vault.create(dir.resolve("v.db"), pass(), FAST)) {
            try (VaultSession s = vault.unlock(pass()); BlindIndex index = s.blindIndex()) {
                first.addAll(index.tokens("Quarterly Budget"));
            }
            try (VaultSession s = vault.unlock(pass()); BlindIndex index = s.blindIndex()) {
                assertThat(index.tokens("budget quarterly")).containsExactlyInAnyOrderElementsOf(first);
            }
        }
        try (Vault vault = Vault.create(dir.resolve("w.db"), pass(), FAST);
             VaultSession s = vault.unlock(pass()); BlindIndex index = s.blindIndex()) {
            assertThat(index.tokens("Quarterly Budget")).doesNotContainAnyElementsOf(first);
        }
    }

    @Test
    void refusesToOverwriteAnExistingFileAndRejectsWeakSettings() throws Exception {
        Path file = dir.resolve("v.db");
        Files.writeString(file, "precious");
        assertThatThrownBy(() -> Vault.create(file, pass(), FAST)).isInstanceOf(VaultException.class)
                .hasMessageContaining("refusing to overwrite");
        assertThat(Files.readString(file)).isEqualTo("precious");
        assertThatThrownBy(() -> Vault.create(dir.resolve("w.db"), pass(), new KdfParams(1024, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("w.db")).doesNotExist();
        assertThatThrownBy(() -> Vault.create(dir.resolve("w.db"), new char[0], FAST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
        assertThat(dir.resolve("w.db")).doesNotExist();
        assertThatThrownBy(() -> Vault.open(dir.resolve("missing.db"))).isInstanceOf(VaultException.class)
                .hasMessageContaining("There is no vault file");
    }

    @Test
    void migrationScriptsAreNumberedInOrderAndParse() {
        for (int i = 0; i < Migrations.SCRIPTS.size(); i++) {
            assertThat(Migrations.SCRIPTS.get(i)).startsWith("V" + (i + 1) + "__").endsWith(".sql");
        }
        assertThat(Migrations.statements("-- c\nCREATE TABLE a (x);\n\nCREATE TABLE b (y);\n"))
                .containsExactly("CREATE TABLE a (x)", "CREATE TABLE b (y)");
    }
}
