package org.sovereign.testing;

import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Consent terms for tests, with plain defaults so a test names only what it is about: one purpose, one source,
 * the operations, perhaps the packs and the notice. Defaults: a new record id, principal "ada", controller "ada's
 * workstation", category {@code dpv-pd:Document}, any pack, jurisdiction EU, retention P30D, valid from a second ago
 * for 30 days, the notice "Notes for the assistant." in English.
 * <pre>{@code
 * String id = ConsentFixture.consent().purpose("private assistant").source(notes)
 *         .operations(Operation.INDEX, Operation.GENERATE).grantIn(store);
 * }</pre>
 */
public final class ConsentFixture {

    private String recordId = UUID.randomUUID().toString();
    private String principal = "ada";
    private String controller = "ada's workstation";
    private final List<String> purposes = new ArrayList<>();
    private List<String> dataCategories = List.of("dpv-pd:Document");
    private final List<String> sources = new ArrayList<>();
    private List<String> packDigests = List.of();
    private Set<Operation> operations = EnumSet.of(Operation.INDEX);
    private String jurisdiction = "EU";
    private String retention = "P30D";
    private Instant validFrom;
    private Duration validity = Duration.ofDays(30);
    private String withdrawalMethod = "Withdraw on the Consent screen";
    private String notice = "Notes for the assistant.";
    private String language = "en";

    private ConsentFixture() {
    }

    /** A new fixture with the defaults above (no purpose or source yet: add at least one of each). */
    public static ConsentFixture consent() {
        return new ConsentFixture();
    }

    public ConsentFixture recordId(String id) {
        this.recordId = id;
        return this;
    }

    public ConsentFixture principal(String who) {
        this.principal = who;
        return this;
    }

    public ConsentFixture controller(String who) {
        this.controller = who;
        return this;
    }

    /** Adds a purpose. */
    public ConsentFixture purpose(String purpose) {
        purposes.add(purpose);
        return this;
    }

    public ConsentFixture dataCategories(String... categories) {
        this.dataCategories = List.of(categories);
        return this;
    }

    /** Adds a source, as the absolute normalised path the gate compares. */
    public ConsentFixture source(Path source) {
        sources.add(source.toAbsolutePath().normalize().toString());
        return this;
    }

    /** Adds a source exactly as written. */
    public ConsentFixture source(String source) {
        sources.add(source);
        return this;
    }

    /** The pack digests allowed; none (the default) means any pack. */
    public ConsentFixture packs(List<String> digests) {
        this.packDigests = List.copyOf(digests);
        return this;
    }

    public ConsentFixture packs(String... digests) {
        return packs(Arrays.asList(digests));
    }

    public ConsentFixture operations(Operation first, Operation... more) {
        this.operations = EnumSet.of(first, more);
        return this;
    }

    public ConsentFixture operations(Set<Operation> ops) {
        this.operations = EnumSet.copyOf(ops);
        return this;
    }

    public ConsentFixture jurisdiction(String jurisdiction) {
        this.jurisdiction = jurisdiction;
        return this;
    }

    public ConsentFixture retention(String isoDuration) {
        this.retention = isoDuration;
        return this;
    }

    /** Valid from {@code from} (default: a second before {@link #build()}). */
    public ConsentFixture validFrom(Instant from) {
        this.validFrom = from;
        return this;
    }

    /** How long it is valid from its start (default 30 days). */
    public ConsentFixture validFor(Duration validity) {
        this.validity = validity;
        return this;
    }

    public ConsentFixture withdrawalMethod(String how) {
        this.withdrawalMethod = how;
        return this;
    }

    public ConsentFixture notice(String notice) {
        this.notice = notice;
        return this;
    }

    public ConsentFixture language(String tag) {
        this.language = tag;
        return this;
    }

    /** The terms (validated by {@link ConsentTerms} itself: a purpose, a source and an operation are required). */
    public ConsentTerms build() {
        Instant from = validFrom != null ? validFrom : Instant.now().minusSeconds(1);
        return new ConsentTerms(recordId, principal, controller, purposes, dataCategories, sources, packDigests,
                operations, jurisdiction, retention, from, from.plus(validity), withdrawalMethod, notice, language);
    }

    /** Grants the terms in {@code store}'s consent service and returns the consent's record id. */
    public String grantIn(LocalStore store) {
        return store.consent().grant(build()).recordId();
    }
}
