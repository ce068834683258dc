package org.sovereign.app.ui.consent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.FxThread;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.dialogs.DialogService;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.UnlockedSession;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.consent.ConsentNotice;
import org.sovereign.core.consent.GrantRequest;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.ConsentStatus;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.ConsentFixture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Consent screen's view-models over core's consent use cases, without a window: the give-consent form's checks
 * and notice, giving, and withdrawing, on a real vault.
 */
class ConsentViewModelTest {

    @TempDir
    Path home;
    private Path notes;
    private VaultSessionState session;
    private ConsentViewModel vm;

    @BeforeAll
    static void toolkit() throws Exception {
        FxThread.start();
    }

    @BeforeEach
    void setUp() throws Exception {
        notes = Files.createDirectories(home.resolve("notes"));
        var workstation = WindowFixture.withVault(WindowFixture.workstation(home.resolve("data")));
        session = FxThread.call(() -> UnlockedSession.of(workstation));
        vm = new ConsentViewModel(session, BackgroundTasks.sameThread(),
                new DialogService(() -> null, home.resolve("test.log")), Clock.systemUTC());
    }

    @AfterEach
    void lock() throws Exception {
        FxThread.run(session::lock);
    }

    private LocalStore store() {
        return session.unlockedProperty().get();
    }

    @Test
    void theFormSaysInOneSentenceWhatIsMissingAndOffersNothingToSignUntilItIsComplete() {
        ConsentGrantViewModel form = vm.grantForm();
        assertThat(form.problemProperty().get()).isEqualTo("Say what the consent is for (the purpose).");
        assertThat(form.canGiveProperty().get()).isFalse();
        assertThat(form.noticeProperty().get()).isEmpty();

        form.purposeProperty().set("private assistant");
        assertThat(form.problemProperty().get()).isEqualTo("Add at least one folder or file the consent covers.");
        form.addSource(notes);
        form.validDaysProperty().set("0");
        assertThat(form.problemProperty().get()).isEqualTo("Valid for: a whole number of days from 1 to 3650.");
        form.validDaysProperty().set("a year");
        assertThat(form.problemProperty().get()).isEqualTo("Valid for: a whole number of days from 1 to 3650.");
        form.validDaysProperty().set("30");
        for (Operation op : Operation.values()) {
            form.operationProperty(op).set(false);
        }
        assertThat(form.problemProperty().get()).isEqualTo("Choose at least one thing the workstation may do.");
        assertThat(form.canGiveProperty().get()).isFalse();
        assertThat(form.noticeProperty().get()).isEmpty();

        form.operationProperty(Operation.INDEX).set(true);
        assertThat(form.problemProperty().get()).isEmpty();
        assertThat(form.canGiveProperty().get()).isTrue();
        assertThat(form.noticeProperty().get()).isNotEmpty();
    }

    @Test
    void anOpenedFormSaysNothingIsWrongUntilThePersonChangesSomething() throws Exception {
        ConsentGrantViewModel form = vm.grantForm();
        FxThread.run(form::openForm);
        assertThat(form.shownProblemProperty().get()).as("nothing typed yet").isEmpty();
        assertThat(form.canGiveProperty().get()).isFalse();

        FxThread.run(() -> form.purposeProperty().set("private assistant"));
        assertThat(form.shownProblemProperty().get()).isEqualTo("Add at least one folder or file the consent covers.");

        FxThread.run(() -> {
            form.closeForm();
            form.openForm();
        });
        assertThat(form.shownProblemProperty().get()).as("opened again").isEmpty();
    }

    @Test
    void embedIsOfferedOnByDefaultAndShareCannotBeChosenWithoutAMesh() {
        ConsentGrantViewModel form = vm.grantForm();
        assertThat(form.operationProperty(Operation.INDEX).get()).isTrue();
        assertThat(form.operationProperty(Operation.EMBED).get()).as("search by meaning needs it").isTrue();
        assertThat(form.operationProperty(Operation.GENERATE).get()).isTrue();
        assertThat(form.operationProperty(Operation.SHARE).get()).isFalse();
        assertThat(form.shareAvailable()).isFalse();

        form.operationProperty(Operation.SHARE).set(true);
        assertThat(form.operationProperty(Operation.SHARE).get()).as("there is nothing to share over").isFalse();
        assertThat(ConsentGrantViewModel.SHARE_UNAVAILABLE).contains("mesh").doesNotContain("dpv");
    }

    @Test
    void theNoticeShownIsConsentNoticesTextForTheTermsOnTheForm() {
        ConsentGrantViewModel form = vm.grantForm();
        form.purposeProperty().set("  private assistant ");
        form.addSource(notes.resolve("..").resolve("notes"));
        form.validDaysProperty().set("30");
        form.operationProperty(Operation.EMBED).set(true);
        form.operationProperty(Operation.GENERATE).set(false);

        String expected = ConsentNotice.text(new GrantRequest(List.of("private assistant"),
                EnumSet.of(Operation.INDEX, Operation.EMBED), List.of(notes), List.of(), 30));
        assertThat(form.noticeProperty().get()).isEqualTo(expected)
                .contains(notes.toString()).contains("index and embed").contains("for 30 days");
    }

    @Test
    void givingSignsAndRecordsExactlyTheNoticeShownAndListsTheNewConsent() throws Exception {
        ConsentGrantViewModel form = vm.grantForm();
        FxThread.run(() -> {
            form.openForm();
            form.purposeProperty().set("private assistant");
            form.addSource(notes);
        });
        String shown = form.noticeProperty().get();

        FxThread.run(form::give);

        List<ConsentHistory> all = store().consent().all();
        assertThat(all).singleElement().satisfies(h -> {
            assertThat(h.terms().notice()).isEqualTo(shown);
            assertThat(h.terms().purposes()).containsExactly("private assistant");
            assertThat(h.terms().sources()).containsExactly(notes.toString());
            assertThat(h.terms().operations()).as("embed is on by default, share never")
                    .containsExactlyInAnyOrder(Operation.INDEX, Operation.EMBED, Operation.GENERATE);
            assertThat(h.latest().status()).isEqualTo(ConsentStatus.GIVEN);
        });
        assertThat(form.openProperty().get()).as("the form closes").isFalse();
        assertThat(form.purposeProperty().get()).isEmpty();
        assertThat(form.sources()).isEmpty();
        assertThat(vm.messageProperty().get()).startsWith("Consent for private assistant given, signed");
        assertThat(vm.shownConsents()).extracting(ConsentViewModel.Row::recordId).containsExactly(all.get(0).recordId());
        assertThat(vm.busyProperty().get()).isFalse();
    }

    @Test
    void withdrawingTheSelectedConsentTakesAConfirmationAndRecordsIt() throws Exception {
        String id = ConsentFixture.consent().purpose("private assistant").source(notes).grantIn(store());
        FxThread.run(vm::refresh);
        assertThat(vm.shownConsents()).singleElement().satisfies(r -> assertThat(r.recordId()).isEqualTo(id));

        FxThread.run(() -> {
            vm.selectedProperty().set(vm.shownConsents().get(0));
            vm.requestWithdrawal();
        });
        assertThat(vm.confirmingWithdrawalProperty().get()).isTrue();
        assertThat(store().consent().history(id).latest().status()).as("not before the confirmation")
                .isEqualTo(ConsentStatus.GIVEN);
        FxThread.run(vm::confirmWithdrawal);

        assertThat(store().consent().history(id).latest().status()).isEqualTo(ConsentStatus.WITHDRAWN);
        assertThat(vm.filterProperty().get()).isEqualTo(ConsentViewModel.Filter.WITHDRAWN);
        assertThat(vm.messageProperty().get()).contains("was withdrawn");
        assertThat(vm.busyProperty().get()).as("the busy flag is cleared after the work").isFalse();
    }
}
