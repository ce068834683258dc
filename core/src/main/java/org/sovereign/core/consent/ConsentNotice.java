package org.sovereign.core.consent;

import org.sovereign.store.consent.Operation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds the notice a person reads and signs from the terms of a consent: the one place this wording comes from, for
 * the window, the command line and any later caller. The text says exactly what the signed terms allow, in plain
 * words, and nothing they do not.
 */
public final class ConsentNotice {

    private ConsentNotice() {
    }

    /** The notice for {@code request}'s terms (its own {@code notice}, if any, is not consulted). */
    public static String text(GrantRequest request) {
        if (request.sources().isEmpty() && !request.destinations().isEmpty()) {
            return network(request);
        }
        String documents = documents(request);
        return request.destinations().isEmpty() ? documents : documents + " " + network(request);
    }

    /** The part for network destinations: who may be contacted, what they learn, what comes back. */
    private static String network(GrantRequest request) {
        return "You allow this workstation to contact " + String.join(", ", request.destinations().stream()
                .map(ConsentNotice::host).toList())
                + " over the network for the purpose of " + String.join(", ", request.purposes())
                + ": they receive its requests (which files it asks for) and this computer's network address, and"
                + " nothing from your documents. This lasts " + request.validDays()
                + (request.validDays() == 1 ? " day" : " days")
                + ". You can withdraw this consent at any time; withdrawing is as easy as giving it.";
    }

    private static String host(String destination) {
        if (destination.equals("*")) {
            return "any host";
        }
        return destination.startsWith("*.") ? "any host under " + destination.substring(2) : destination;
    }

    private static String documents(GrantRequest request) {
        return "You allow this workstation, on this computer only, to " + verbs(request.operations())
                + " the documents in " + String.join(", ", request.sources().stream().map(Path::toString).toList())
                + " for the purpose of " + String.join(", ", request.purposes()) + ", using "
                + (request.packDigests().isEmpty() ? "any installed model pack"
                : (request.packDigests().size() == 1 ? "the model pack " : "the model packs ")
                        + String.join(", ", request.packDigests()))
                + ", for " + request.validDays() + (request.validDays() == 1 ? " day" : " days")
                + ". You can withdraw this consent at any time; withdrawing is as easy as giving it.";
    }

    /** e.g. "index, embed and generate answers from", in the order of {@link Operation}. */
    static String verbs(Set<Operation> operations) {
        List<String> words = new ArrayList<>();
        for (Operation op : Operation.values()) {
            if (operations.contains(op)) {
                words.add(switch (op) {
                    case INDEX -> "index";
                    case EMBED -> "embed";
                    case GENERATE -> "generate answers from";
                    case SHARE -> "share";
                });
            }
        }
        if (words.size() <= 1) {
            return String.join("", words);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
    }
}
