package org.sovereign.core.consent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.Progress;
import org.sovereign.core.library.LibraryService;
import org.sovereign.core.library.Passage;
import org.sovereign.core.packs.ModelLeases;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.vault.Scope;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Withdrawal means stop (issue 16): after a consent is withdrawn, searching the library finds nothing indexed under
 * it, and withdrawing with erase destroys what was stored (crypto-shredding), both in the audit log. Real vault, real
 * files; keyword search (no model needed).
 */
class WithdrawalTest {

    private static final String PURPOSE = "private assistant";

    @TempDir
    Path tmp;
    private UnlockedWorkspace workspace;
    private Path bees;
    private Path garden;

    @BeforeEach
    void setUp() throws Exception {
        bees = Files.createDirectories(tmp.resolve("bees"));
        garden = Files.createDirectories(tmp.resolve("garden"));
        Files.writeString(bees.resolve("mites.md"), "Varroa mites are counted with a sugar roll in August.");
        Files.writeString(garden.resolve("tomatoes.txt"), "Tomatoes need staking; count the trusses in August.");
        LocalStore store = LocalStore.create(tmp.resolve("home"), "withdrawal test passphrase".toCharArray(),
                new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1), Clock.systemUTC());
        workspace = new UnlockedWorkspace(store, new ModelLeases(id -> {
            throw new IllegalStateException("no models here");
        }, Optional::empty), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        workspace.close();
    }

    private ConsentHistory consentFor(Path source) {
        return workspace.consents().grant(new GrantRequest(List.of(PURPOSE), EnumSet.of(Operation.INDEX, Operation.GENERATE),
                List.of(source), List.of(), 30));
    }

    private List<Path> found(String query) {
        return workspace.library().search(query, 10, PURPOSE).stream().map(Passage::document).distinct().toList();
    }

    private List<String> auditTypes() {
        LocalStore store = workspace.store();
        return store.audit().entries(0, store.audit().size()).stream().map(AuditEntry::type).toList();
    }

    @Test
    void searchFindsNothingFromASourceOnceItsConsentIsWithdrawn() {
        ConsentHistory forBees = consentFor(bees);
        consentFor(garden);
        LibraryService library = workspace.library();
        library.index(bees, PURPOSE, Progress.NONE);
        library.index(garden, PURPOSE, Progress.NONE);
        assertThat(found("counted in August")).containsExactlyInAnyOrder(bees.resolve("mites.md"), garden.resolve("tomatoes.txt"));

        Withdrawal done = workspace.consents().withdraw(forBees.recordId(), false);

        assertThat(done.erased()).isEmpty();
        assertThat(found("counted in August")).containsExactly(garden.resolve("tomatoes.txt"));
        assertThat(found("varroa mites sugar roll")).isEmpty();
        assertThat(found("varroa")).as("a purpose no consent names finds nothing at all").isEmpty();
        assertThat(workspace.library().search("nothing", 10, "another purpose")).isEmpty();
        // still stored (the person did not ask to erase), so a new consent would make it findable again
        assertThat(library.sources()).containsKey(bees);
        assertThat(auditTypes()).contains(AuditTypes.CONSENT_WITHDRAWN);
    }

    @Test
    void withdrawingWithEraseDestroysWhatWasIndexedUnderIt() {
        ConsentHistory forBees = consentFor(bees);
        LibraryService library = workspace.library();
        library.index(bees, PURPOSE, Progress.NONE);
        long scope = library.sources().get(bees);
        List<Long> items = workspace.store().session().items(scope).stream().map(i -> i.id()).toList();
        assertThat(items).isNotEmpty();

        Withdrawal done = workspace.consents().withdraw(forBees.recordId(), true);

        assertThat(done.erased()).containsExactly(bees);
        assertThat(library.sources()).doesNotContainKey(bees);
        Scope erased = workspace.store().session().scope(scope);
        assertThat(erased.isErased()).isTrue();
        for (long item : items) { // no chunk, vector or document record can be read again
            assertThatThrownBy(() -> workspace.store().session().readItem(item).orElseThrow())
                    .isNotNull();
        }
        assertThat(library.search("varroa", 10)).as("even the unfiltered search").isEmpty();
        List<String> types = auditTypes();
        assertThat(types.indexOf(AuditTypes.CONSENT_WITHDRAWN)).isNotNegative()
                .isLessThan(types.lastIndexOf(AuditTypes.DOCUMENT_ERASED));
    }

    @Test
    void eraseKeepsASourceThatAnotherConsentStillCovers() {
        ConsentHistory first = consentFor(bees);
        workspace.library().index(bees, PURPOSE, Progress.NONE);
        consentFor(tmp); // a wider consent that also covers the bees folder

        Withdrawal done = workspace.consents().withdraw(first.recordId(), true);

        assertThat(done.erased()).isEmpty();
        assertThat(done.kept()).containsExactly(bees);
        assertThat(found("varroa")).containsExactly(bees.resolve("mites.md"));
    }

    @Test
    void withdrawingTwiceOrAnUnknownConsentIsAPlainError() {
        ConsentHistory c = consentFor(bees);
        workspace.consents().withdraw(c.recordId(), false);
        assertThatThrownBy(() -> workspace.consents().withdraw(c.recordId(), true))
                .hasMessageContaining("already withdrawn");
        assertThatThrownBy(() -> workspace.consents().withdraw("no-such-id", false))
                .hasMessageContaining("no consent no-such-id");
    }
}
