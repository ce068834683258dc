package org.sovereign.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LocalStore#eraseScope(long, String, Map)}: an erasure and its audit entry commit in one transaction, so
 * whichever of the two fails (here a trigger refuses one write, as a crash would cut it off), neither is kept.
 */
class ErasureAuditTest {

    private static final KdfParams FAST = new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1);
    private static final Map<String, String> REFS = Map.of("scope", "x");

    @TempDir
    Path home;

    private char[] pass() {
        return "erasure audit passphrase".toCharArray();
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + LocalStore.vaultFile(home));
             Statement st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }

    @Test
    void theErasureAndItsEntryAreWrittenTogetherAndOnlyOnce() {
        try (LocalStore store = LocalStore.create(home, pass(), FAST, Clock.systemUTC())) {
            long scope = store.session().createScope("conversation").id();
            store.session().putItem(scope, "exchange", "secret".getBytes(StandardCharsets.UTF_8));

            AuditEntry entry = store.eraseScope(scope, "conversation.erased", REFS).orElseThrow();

            assertThat(store.session().scope(scope).isErased()).isTrue();
            assertThat(store.audit().entries(entry.sequence(), entry.sequence() + 1).get(0).type())
                    .isEqualTo("conversation.erased");
            long size = store.audit().size();
            assertThat(store.eraseScope(scope, "conversation.erased", REFS)).as("nothing to erase twice").isEmpty();
            assertThat(store.audit().size()).isEqualTo(size);
        }
        assertThat(LocalStore.verifyAudit(home).holds()).isTrue();
    }

    @Test
    void whenTheEntryCannotBeWrittenTheScopeKeepsItsKey() throws Exception {
        long scope;
        long size;
        try (LocalStore store = LocalStore.create(home, pass(), FAST, Clock.systemUTC())) {
            scope = store.session().createScope("conversation").id();
            long item = store.session().putItem(scope, "exchange", "secret".getBytes(StandardCharsets.UTF_8));
            size = store.audit().size();
            sql("CREATE TRIGGER no_audit BEFORE INSERT ON audit_entry BEGIN SELECT RAISE(ABORT, 'refused'); END");

            assertThatThrownBy(() -> store.eraseScope(scope, "conversation.erased", REFS))
                    .isInstanceOf(RuntimeException.class);

            assertThat(store.session().scope(scope).isErased()).isFalse();
            assertThat(store.session().readItem(item)).hasValueSatisfying(
                    b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("secret"));
            sql("DROP TRIGGER no_audit");
            assertThat(store.audit().size()).isEqualTo(size);
            store.record("after", Map.of()); // the log goes on from where it was
        }
        try (LocalStore store = LocalStore.unlock(home, pass(), Clock.systemUTC())) {
            assertThat(store.audit().entries(size, store.audit().size())).extracting(AuditEntry::type)
                    .doesNotContain("conversation.erased");
        }
        assertThat(LocalStore.verifyAudit(home).holds()).isTrue();
    }

    @Test
    void whenTheErasureFailsNoEntryClaimsIt() throws Exception {
        long size;
        try (LocalStore store = LocalStore.create(home, pass(), FAST, Clock.systemUTC())) {
            long scope = store.session().createScope("conversation").id();
            size = store.audit().size();
            sql("CREATE TRIGGER no_erase BEFORE UPDATE ON scope BEGIN SELECT RAISE(ABORT, 'refused'); END");

            assertThatThrownBy(() -> store.eraseScope(scope, "conversation.erased", REFS))
                    .isInstanceOf(RuntimeException.class);

            sql("DROP TRIGGER no_erase");
            assertThat(store.session().scope(scope).isErased()).isFalse();
            assertThat(store.audit().size()).isEqualTo(size);
        }
        assertThat(LocalStore.verifyAudit(home).holds()).isTrue();
    }
}
