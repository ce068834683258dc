package org.sovereign.core.consent;

import org.sovereign.store.consent.Operation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a person is asked to allow: the terms of one consent before it is signed. The notice they read and sign is
 * built from these terms by {@link ConsentNotice}, unless a caller passes its own exact wording.
 *
 * @param purposes     why (e.g. "private assistant"); at least one
 * @param operations   what may be done (index, embed, generate, share); at least one
 * @param sources      files and folders covered; made absolute and normalised here, as the consent gate compares them
 * @param destinations network hosts the workstation may contact ({@code huggingface.co}, {@code *.hf.co} for any
 *                     host under a domain, {@code *} for any host); lower-cased here, recorded as {@code net:HOST}
 * @param packDigests  the model packs allowed ({@code sha256:...}); empty means any installed pack
 * @param validDays    how long it is valid, 1 to 3650 days
 * @param notice       the exact text to sign, or {@code null} for the text {@link ConsentNotice} builds
 */
public record GrantRequest(List<String> purposes, Set<Operation> operations, List<Path> sources,
                           List<String> destinations, List<String> packDigests, int validDays, String notice) {

    /** A host name or IPv4 address, optionally {@code *.} before a domain, or {@code *} alone. */
    private static final Pattern HOST = Pattern.compile(
            "\\*|(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    /** The longest a consent may last. */
    public static final int MAX_DAYS = 3650;

    public GrantRequest {
        purposes = purposes.stream().map(String::strip).toList();
        operations = operations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(operations));
        sources = sources.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
        destinations = destinations.stream().map(d -> d.strip().toLowerCase(Locale.ROOT)).distinct().toList();
        packDigests = List.copyOf(packDigests);
        Objects.requireNonNull(purposes);
    }

    /** Files and folders only, with {@code notice} as the exact text (null: built from the terms). */
    public GrantRequest(List<String> purposes, Set<Operation> operations, List<Path> sources, List<String> packDigests,
                        int validDays, String notice) {
        this(purposes, operations, sources, List.of(), packDigests, validDays, notice);
    }

    /** A request with the notice built from its terms. */
    public GrantRequest(List<String> purposes, Set<Operation> operations, List<Path> sources, List<String> packDigests,
                        int validDays) {
        this(purposes, operations, sources, packDigests, validDays, null);
    }

    /** The same terms with {@code text} as the exact notice. */
    public GrantRequest withNotice(String text) {
        return new GrantRequest(purposes, operations, sources, destinations, packDigests, validDays, text);
    }

    /** The text the person signs: the caller's own, or the one built from the terms. */
    public String noticeText() {
        return notice != null ? notice : ConsentNotice.text(this);
    }

    /**
     * The terms' sources as recorded: each file or folder as an absolute path, each destination as
     * {@code net:HOST}.
     */
    public List<String> recordedSources() {
        List<String> all = new ArrayList<>(sources.stream().map(Path::toString).toList());
        destinations.forEach(d -> all.add("net:" + d));
        return all;
    }

    /** What is missing or out of range, as a plain sentence; empty when the request can be granted. */
    public String problem() {
        if (purposes.isEmpty() || purposes.stream().anyMatch(String::isEmpty)) {
            return "Say what the consent is for (its purpose).";
        }
        if (operations.isEmpty()) {
            return "Choose at least one thing the workstation may do.";
        }
        if (sources.isEmpty() && destinations.isEmpty()) {
            return "Add at least one folder or file.";
        }
        for (String host : destinations) {
            if (!HOST.matcher(host).matches()) {
                return "'" + host + "' is not a host name (like huggingface.co, or *.hf.co for every host under hf.co).";
            }
        }
        if (validDays < 1 || validDays > MAX_DAYS) {
            return "A consent lasts between 1 and " + MAX_DAYS + " days.";
        }
        for (String digest : packDigests) {
            if (!digest.matches("sha256:[0-9a-f]{64}")) {
                return "A model pack is named by its digest, sha256: and 64 hexadecimal digits.";
            }
        }
        return "";
    }
}
