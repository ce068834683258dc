package org.sovereign.store.consent;

import org.junit.jupiter.api.Test;
import org.sovereign.store.audit.note.NoteSigner;
import org.sovereign.store.consent.ConsentTestSupport.ListStore;
import org.sovereign.store.consent.ConsentTestSupport.MovableClock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sovereign.store.consent.ConsentTestSupport.terms;

/** The adversarial cases: each must fail loudly. */
class ConsentTamperingTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private final MovableClock clock = new MovableClock(T0);
    private final ListStore store = new ListStore();
    private final NoteSigner device = ConsentTestSupport.newDeviceKey();
    private final ConsentService consent = new ConsentService(store, device, clock, e -> { });

    private String grantRenewWithdraw() {
        ConsentTerms t = terms(T0, Duration.ofDays(10), List.of("/docs"), EnumSet.of(Operation.INDEX), List.of());
        consent.grant(t);
        clock.advance(Duration.ofHours(1));
        consent.renew(t);
        clock.advance(Duration.ofHours(1));
        consent.withdraw(t.recordId());
        return t.recordId();
    }

    @Test
    void anEventSignedByAnotherKeyIsRejected() {
        String id = grantRenewWithdraw();
        List<SignedConsentEvent> events = new ArrayList<>(store.events.get(id));
        NoteSigner intruder = ConsentTestSupport.newDeviceKey();
        events.set(2, SignedConsentEvent.sign(events.get(2).event(), intruder));
        store.events.put(id, events);

        assertThatThrownBy(() -> consent.history(id)).isInstanceOf(InvalidConsentException.class)
                .hasMessage("A consent event is not signed by this device's key.");
    }

    @Test
    void replayingAGrantAfterAWithdrawalIsRejectedEvenWhenSignedByTheDevice() {
        String id = grantRenewWithdraw();
        List<SignedConsentEvent> events = store.events.get(id);
        ConsentEvent withdrawal = events.get(2).event();
        ConsentEvent replay = new ConsentEvent(id, 4, ConsentStatus.RENEWED, withdrawal.time().plusSeconds(1),
                events.get(1).event().terms(), events.get(2).hash());
        store.append(id, SignedConsentEvent.sign(replay, device));

        assertThatThrownBy(() -> consent.history(id)).isInstanceOf(InvalidConsentException.class)
                .hasMessageContaining("was withdrawn; nothing may follow");
    }

    @Test
    void removingOrReorderingEventsBreaksTheChain() {
        String id = grantRenewWithdraw();
        List<SignedConsentEvent> original = store.events.get(id);

        store.events.put(id, List.of(original.get(0), original.get(2)));
        assertThatThrownBy(() -> consent.history(id)).isInstanceOf(InvalidConsentException.class)
                .hasMessageContaining("event 3 found where event 2 belongs");

        store.events.put(id, List.of(original.get(0), original.get(2), original.get(1)));
        assertThatThrownBy(() -> consent.history(id)).isInstanceOf(InvalidConsentException.class);

        store.events.put(id, List.of(original.get(1), original.get(2)));
        assertThatThrownBy(() -> consent.history(id)).isInstanceOf(InvalidConsentException.class);
    }

    @Test
    void flippingAnyByteOfAnEventIsDetected() {
        String id = grantRenewWithdraw();
        List<SignedConsentEvent> original = List.copyOf(store.events.get(id));
        byte[] body = original.get(0).body();
        for (int i = 0; i < body.length; i += 7) {
            byte[] tampered = body.clone();
            tampered[i] ^= 0x01;
            List<SignedConsentEvent> events = new ArrayList<>(original);
            events.set(0, new SignedConsentEvent(tampered, original.get(0).signature(), original.get(0).signerPublicKey()));
            store.events.put(id, events);

            assertThatThrownBy(() -> consent.history(id)).as("byte %d", i).isInstanceOf(InvalidConsentException.class);
        }
    }

    @Test
    void aReceiptVerifiesWithNoVaultAndAnEditedReceiptDoesNot() {
        String id = grantRenewWithdraw();
        byte[] receipt = ConsentReceipt.export(consent.history(id));

        ConsentReceipt.Verified verified = ConsentReceipt.verify(receipt, clock.instant());
        assertThat(verified.recordId()).isEqualTo(id);
        assertThat(verified.statusAtCheck()).isEqualTo(ConsentStatus.WITHDRAWN);
        assertThat(verified.events()).hasSize(3);
        assertThat(verified.signerFingerprint()).isEqualTo(ConsentReceipt.fingerprint(device.publicKey())).matches("([0-9a-f]{4} ){7}[0-9a-f]{4}");

        String text = new String(receipt, StandardCharsets.UTF_8);
        byte[] widened = text.replace("\"/docs\"", "\"/\"").getBytes(StandardCharsets.UTF_8);
        assertThat(widened).isNotEqualTo(receipt);
        assertThatThrownBy(() -> ConsentReceipt.verify(widened, clock.instant())).isInstanceOf(InvalidConsentException.class);
        assertThatThrownBy(() -> ConsentReceipt.verify("{}".getBytes(StandardCharsets.UTF_8), clock.instant()))
                .isInstanceOf(InvalidConsentException.class).hasMessageContaining("not a consent receipt");
    }

    /** Found by fuzzing (ParsersFuzzTestInputs/consentReceipt/event-not-an-object): it threw UncheckedIOException. */
    @Test
    void aReceiptWhoseEventIsNoObjectIsRefusedWithAReason() {
        String id = grantRenewWithdraw();
        String text = new String(ConsentReceipt.export(consent.history(id)), StandardCharsets.UTF_8);
        for (String event : new String[] {"null", "\"text\"", "7", "[ 1, 2 ]"}) {
            byte[] edited = text.replaceFirst("\"event\" : \\{", "\"event\" : " + Matcher.quoteReplacement(event)
                    + ", \"was\" : {").getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> ConsentReceipt.verify(edited, clock.instant())).as(event)
                    .isInstanceOf(InvalidConsentException.class).hasMessageContaining("not a JSON object");
        }
        byte[] renamed = text.replaceFirst("\"event\" :", "\"eveet\" :").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ConsentReceipt.verify(renamed, clock.instant()))
                .isInstanceOf(InvalidConsentException.class).hasMessageContaining("not a JSON object");
    }
}
