package org.sovereign.store.fuzz;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.ConsentReceipt;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.vault.crypto.KdfParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The valid seed inputs of {@link ParsersFuzzTest#consentReceipt} (issue 15). A receipt is refused at its first
 * signature unless it was signed by real code, so random mutation alone never gets past the JSON parse; these seeds
 * are receipts exported by a real vault. They live in {@code ParsersFuzzTestInputs/consentReceipt/}, where the default
 * test run replays them and {@code docs/bench/fuzz.sh consentReceipt} starts from them.
 *
 * <p>Regenerate with {@code ./mvnw -o -pl local-store test -Dtest=ParsersFuzzSeedsTest -Dfuzz.seeds.write=true}
 * (keys and ids are new each time). Without that property this test only checks that every committed seed is still
 * a receipt that verifies, so a format change that outdates them fails here instead of silently lowering coverage.
 */
class ParsersFuzzSeedsTest {

    /** Before {@code ParsersFuzzTest}'s fixed check time, so the seeds' events are never in the future there. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T11:00:00Z"), ZoneOffset.UTC);
    private static final Instant CHECK_TIME = Instant.parse("2026-12-07T12:00:00Z");
    private static final Path SEEDS = Path.of(System.getProperty("basedir", "."))
            .resolve("src/test/resources/org/sovereign/store/fuzz/ParsersFuzzTestInputs/consentReceipt");

    @TempDir
    Path home;

    @Test
    void everyCommittedConsentReceiptSeedVerifies() throws IOException {
        if (Boolean.getBoolean("fuzz.seeds.write")) {
            write(receipts());
        }
        Map<String, byte[]> seeds = new TreeMap<>();
        try (Stream<Path> files = Files.list(SEEDS)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                seeds.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        // the folder also holds fuzzing findings (regression inputs), which are invalid by nature
        for (String name : List.of("granted", "withdrawn-with-audit-proofs", "renewed")) {
            assertThat(seeds).containsKey(name);
            assertThat(ConsentReceipt.verify(seeds.get(name), CHECK_TIME).recordId()).as(name).isNotBlank();
        }
        assertThat(ConsentReceipt.verify(seeds.get("withdrawn-with-audit-proofs"), CHECK_TIME).everyEventAudited())
                .isTrue();
    }

    /** Receipts from a real vault: one event and no proofs; grant and withdrawal with proofs; grant and renewal. */
    private Map<String, byte[]> receipts() {
        Map<String, byte[]> out = new TreeMap<>();
        char[] pass = "fuzz seeds only".toCharArray();
        try (LocalStore store = LocalStore.create(home.resolve("vault"), pass,
                new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1), CLOCK)) {
            ConsentHistory granted = store.consent().grant(terms(UUID.randomUUID().toString()));
            out.put("granted", ConsentReceipt.export(granted));

            String withdrawn = store.consent().grant(terms(UUID.randomUUID().toString())).recordId();
            store.consent().withdraw(withdrawn);
            out.put("withdrawn-with-audit-proofs", store.consentReceipt(withdrawn));

            String renewed = UUID.randomUUID().toString();
            store.consent().grant(terms(renewed));
            out.put("renewed", ConsentReceipt.export(store.consent().renew(terms(renewed))));
        }
        return out;
    }

    private ConsentTerms terms(String id) {
        Instant now = CLOCK.instant();
        return new ConsentTerms(id, "ada", "ada's workstation", List.of("private assistant"),
                List.of("dpv-pd:Document"), List.of("/home/ada/notes"), List.of(), EnumSet.of(Operation.INDEX,
                Operation.GENERATE), "EU", "P1Y", now.minusSeconds(1), now.plus(Duration.ofDays(30)),
                "Withdraw on the Consent screen", "Your notes will be indexed and used to answer your questions.",
                "en");
    }

    private static void write(Map<String, byte[]> seeds) throws IOException {
        Files.createDirectories(SEEDS);
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            Files.write(SEEDS.resolve(e.getKey()), e.getValue());
        }
    }
}
