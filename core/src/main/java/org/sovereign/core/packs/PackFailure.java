package org.sovereign.core.packs;

import org.sovereign.core.common.UserFacingException;

import java.nio.file.Path;

/**
 * A pack operation refused for a reason the caller may want to word its own way. The message is plain words that
 * name no command or flag; the command line maps {@link #reason()} to advice with its flag names, the window to its
 * own words. Everything that catches {@link UserFacingException} still catches it.
 */
public final class PackFailure extends UserFacingException {

    private final Reason reason;

    public PackFailure(Reason reason) {
        super(reason.plainWords());
        this.reason = reason;
    }

    /** Why the operation was refused, with what the caller needs to say so. */
    public Reason reason() {
        return reason;
    }

    /** The reasons a pack operation is refused. */
    public sealed interface Reason permits NotInstalled, WrongKind, NoChatTemplate, InvalidGenerationSetting,
            NoVault, DefaultPackMissing {
        /** One plain sentence without command or flag names. */
        String plainWords();
    }

    /**
     * No installed pack has this name or id.
     *
     * @param bundled the pack is the one bundled with this build (it can be installed without a file)
     */
    public record NotInstalled(String pack, boolean bundled) implements Reason {
        @Override
        public String plainWords() {
            return "No pack named '" + pack + "' is installed." + (bundled
                    ? " It is bundled with this build and has not been installed yet."
                    : "");
        }
    }

    /** What a pack was wanted for. */
    public enum Use {
        /** Generating text from a prompt. */
        GENERATE("generating text needs a text-generation pack"),
        /** Embedding texts. */
        EMBED("embedding needs an embedding pack"),
        /** Answering in the assistant. */
        ASSISTANT("the assistant needs a text-generation pack");

        private final String needs;

        Use(String needs) {
            this.needs = needs;
        }

        /** E.g. "the assistant needs a text-generation pack". */
        public String needs() {
            return needs;
        }
    }

    /**
     * The pack is of the wrong kind for {@code use}.
     *
     * @param kind the pack's kind, e.g. {@code embedding}
     */
    public record WrongKind(String pack, String kind, Use use) implements Reason {
        @Override
        public String plainWords() {
            return "Pack '" + pack + "' is " + article(kind) + " " + kind + " pack; " + use.needs() + ".";
        }

        /** "an" before a vowel, else "a". */
        public static String article(String word) {
            return !word.isEmpty() && "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
        }
    }

    /** The pack has no chat template, so a prompt can only go to it as it is. */
    public record NoChatTemplate(String pack) implements Reason {
        @Override
        public String plainWords() {
            return "Pack '" + pack + "' has no chat template; the prompt can only be sent to it as it is.";
        }
    }

    /** A generation setting the model cannot take. */
    public enum Setting {
        MAX_TOKENS("The most tokens to generate"),
        TEMPERATURE("The temperature");

        private final String words;

        Setting(String words) {
            this.words = words;
        }

        /** E.g. "The temperature". */
        public String words() {
            return words;
        }
    }

    /**
     * A generation setting out of range.
     *
     * @param range what is allowed, in words, e.g. "at least 1" or "between 0 and 10"
     */
    public record InvalidGenerationSetting(Setting setting, String range) implements Reason {
        @Override
        public String plainWords() {
            return setting.words() + " must be " + range + ".";
        }
    }

    /** Installing is audited, and this data directory has no vault yet. */
    public record NoVault(Path dataDir) implements Reason {
        @Override
        public String plainWords() {
            return "Installing a pack is recorded in the audit log, and there is no vault in " + dataDir
                    + " yet; create the vault first.";
        }
    }

    /** This build was made without the bundled default pack. */
    public record DefaultPackMissing() implements Reason {
        @Override
        public String plainWords() {
            return "This build has no bundled default pack.";
        }
    }
}
