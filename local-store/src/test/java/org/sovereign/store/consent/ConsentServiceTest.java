package org.sovereign.store.consent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.audit.note.NoteSigner;
import org.sovereign.store.consent.ConsentRefusedException.Missing;
import org.sovereign.store.consent.ConsentTestSupport.ListStore;
import org.sovereign.store.consent.ConsentTestSupport.MovableClock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sovereign.store.consent.ConsentTestSupport.terms;

class ConsentServiceTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final String PACK = "sha256:" + "ab".repeat(32);

    private final MovableClock clock = new MovableClock(T0);
    private final ListStore store = new ListStore();
    private final NoteSigner signer = ConsentTestSupport.newDeviceKey();
    private final List<SignedConsentEvent> audited = new ArrayList<>();
    private final ConsentService consent = new ConsentService(store, signer, clock, audited::add);

    private ConsentTerms notesConsent(List<String> packs) {
        return terms(T0, Duration.ofDays(30), List.of("/home/ada/notes"), EnumSet.of(Operation.INDEX, Operation.EMBED, Operation.GENERATE), packs);
    }

    private ConsentRequest ask(Operation op, String file, String pack) {
        return new ConsentRequest("private assistant", op, List.of(Path.of(file)), pack);
    }

    @Test
    void aGrantCoversFilesInsideItsFoldersAndIsAudited() {
        ConsentTerms granted = consent.grant(notesConsent(List.of())).terms();

        assertThat(consent.require(ask(Operation.GENERATE, "/home/ada/notes/2026/plan.md", PACK))).isEqualTo(granted);
        assertThat(audited).hasSize(1);
        assertThat(audited.get(0).event().status()).isEqualTo(ConsentStatus.GIVEN);
    }

    @Test
    void refusalsNameWhatIsMissing() {
        consent.grant(notesConsent(List.of(PACK)));

        assertThatThrownBy(() -> consent.require(ask(Operation.INDEX, "/home/ada/notes-old/x.md", PACK)))
                .isInstanceOfSatisfying(ConsentRefusedException.class, e -> {
                    assertThat(e.missing()).containsExactly(Missing.SOURCES);
                    assertThat(e.uncoveredSources()).containsExactly(Path.of("/home/ada/notes-old/x.md"));
                })
                .hasMessageContaining("does not cover /home/ada/notes-old/x.md");
        assertThatThrownBy(() -> consent.require(ask(Operation.SHARE, "/home/ada/notes/x.md", PACK)))
                .isInstanceOfSatisfying(ConsentRefusedException.class, e -> assertThat(e.missing()).containsExactly(Missing.OPERATION));
        assertThatThrownBy(() -> consent.require(ask(Operation.GENERATE, "/home/ada/notes/x.md", "sha256:" + "cd".repeat(32))))
                .isInstanceOfSatisfying(ConsentRefusedException.class, e -> assertThat(e.missing()).containsExactly(Missing.PACK));
        assertThatThrownBy(() -> consent.require(new ConsentRequest("advertising", Operation.INDEX, List.of(Path.of("/home/ada/notes/x.md")), null)))
                .isInstanceOfSatisfying(ConsentRefusedException.class, e -> assertThat(e.missing()).containsExactly(Missing.PURPOSE));
    }

    @Test
    void withNoConsentAtAllTheRefusalSaysSo() {
        assertThatThrownBy(() -> consent.require(ask(Operation.INDEX, "/home/ada/notes/x.md", null)))
                .isInstanceOfSatisfying(ConsentRefusedException.class, e -> assertThat(e.missing()).containsExactly(Missing.NO_CONSENT))
                .hasMessage("No consent allows this: you have not given any consent to index for 'private assistant'.");
    }

    @Test
    void aWithdrawalTakesEffectOnTheNextCall() {
        String id = consent.grant(notesConsent(List.of())).recordId();
        consent.require(ask(Operation.GENERATE, "/home/ada/notes/a.md", PACK));

        clock.advance(Duration.ofMinutes(5));
        consent.withdraw(id);

        assertThatThrownBy(() -> consent.require(ask(Operation.GENERATE, "/home/ada/notes/a.md", PACK)))
                .isInstanceOfSatisfying(ConsentRefusedException.class, e -> assertThat(e.missing()).containsExactly(Missing.WITHDRAWN))
                .hasMessageContaining("it was withdrawn on 2026-11-24T10:05:00Z");
        assertThat(audited).extracting(s -> s.event().status()).containsExactly(ConsentStatus.GIVEN, ConsentStatus.WITHDRAWN);
        assertThatThrownBy(() -> consent.withdraw(id)).hasMessageContaining("already withdrawn");
        assertThatThrownBy(() -> consent.renew(notesConsent(List.of()))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void useAfterTheValidityEndsIsRefusedAndTheExpiryCanBeRecorded() {
        String id = consent.grant(notesConsent(List.of())).recordId();

        clock.advance(Duration.ofDays(30));

        assertThatThrownBy(() -> consent.require(ask(Operation.INDEX, "/home/ada/notes/a.md", null)))
                .isInstanceOfSatisfying(ConsentRefusedException.class, e -> assertThat(e.missing()).containsExactly(Missing.EXPIRED));
        assertThat(consent.recordExpiries()).isEqualTo(1);
        assertThat(consent.recordExpiries()).isZero();
        assertThat(consent.history(id).latest().status()).isEqualTo(ConsentStatus.EXPIRED);
    }

    @Test
    void aRenewalExtendsTheSameRecord() {
        ConsentTerms first = notesConsent(List.of());
        consent.grant(first);
        clock.advance(Duration.ofDays(29));
        ConsentTerms longer = new ConsentTerms(first.recordId(), first.principal(), first.controller(), first.purposes(),
                first.dataCategories(), first.sources(), first.packDigests(), first.operations(), first.jurisdiction(),
                first.retention(), first.validFrom(), first.validUntil().plus(Duration.ofDays(60)), first.withdrawalMethod(),
                first.notice(), first.language());

        consent.renew(longer);
        clock.advance(Duration.ofDays(10));

        assertThat(consent.require(ask(Operation.INDEX, "/home/ada/notes/a.md", null))).isEqualTo(longer);
        assertThat(consent.history(first.recordId()).events()).extracting(ConsentEvent::status)
                .containsExactly(ConsentStatus.GIVEN, ConsentStatus.RENEWED);
    }

    @Test
    void aLinkInsideAConsentedFolderDoesNotCarryTheConsentOutside(@TempDir Path tmp) throws Exception {
        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Path ssh = Files.createDirectories(tmp.resolve("ssh"));
        Files.writeString(ssh.resolve("id_rsa.txt"), "secret");
        Files.writeString(notes.resolve("plan.md"), "plan");
        Files.createSymbolicLink(notes.resolve("sshdir"), ssh);
        Files.createSymbolicLink(notes.resolve("key.txt"), ssh.resolve("id_rsa.txt"));
        consent.grant(terms(T0, Duration.ofDays(30), List.of(notes.toString()), EnumSet.of(Operation.INDEX), List.of()));

        assertThat(consent.require(ask(Operation.INDEX, notes.resolve("plan.md").toString(), null))).isNotNull();
        for (Path escape : List.of(notes.resolve("sshdir/id_rsa.txt"), notes.resolve("key.txt"), notes.resolve("sshdir/gone.txt"))) {
            assertThatThrownBy(() -> consent.require(ask(Operation.INDEX, escape.toString(), null)))
                    .as(escape.toString())
                    .isInstanceOfSatisfying(ConsentRefusedException.class, e -> assertThat(e.missing()).containsExactly(Missing.SOURCES));
        }
    }

    @Test
    void aConsentedFolderThatIsItselfALinkCoversWhatItPointsTo(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data/notes"));
        Files.writeString(data.resolve("plan.md"), "plan");
        Path link = Files.createSymbolicLink(tmp.resolve("notes"), data);
        consent.grant(terms(T0, Duration.ofDays(30), List.of(link.toString()), EnumSet.of(Operation.INDEX), List.of()));

        assertThat(consent.require(ask(Operation.INDEX, link.resolve("plan.md").toString(), null))).isNotNull();
        assertThat(consent.require(ask(Operation.INDEX, link.resolve("deleted-since.md").toString(), null))).isNotNull();
    }
}
