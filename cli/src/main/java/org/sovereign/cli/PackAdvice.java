package org.sovereign.cli;

import org.sovereign.core.packs.ModelRuntime;
import org.sovereign.core.packs.PackFailure;

/**
 * The command line's words for core's typed pack failures: the same facts as core's plain message, with the commands
 * and flags that fix them.
 */
final class PackAdvice {

    private PackAdvice() {
    }

    /** One line for stderr. */
    static String of(PackFailure failure) {
        PackFailure.Reason reason = failure.reason();
        if (reason instanceof PackFailure.NotInstalled n) {
            return "No pack named '" + n.pack() + "' is installed." + (n.bundled()
                    ? " It is bundled with this build: run 'sovereign pack install-default'."
                    : " Run 'sovereign pack list' to see the installed packs.");
        }
        if (reason instanceof PackFailure.WrongKind w) {
            String needs = switch (w.use()) {
                case GENERATE -> "'generate' needs a text-generation pack";
                case EMBED -> "'embed' needs an embedding pack";
                case ASSISTANT -> "the assistant needs a text-generation pack";
            };
            return "Pack '" + w.pack() + "' is " + PackFailure.WrongKind.article(w.kind()) + " " + w.kind() + " pack; "
                    + needs + ".";
        }
        if (reason instanceof PackFailure.NoChatTemplate t) {
            return "Pack '" + t.pack() + "' has no chat template; use --raw to send the prompt as it is.";
        }
        if (reason instanceof PackFailure.InvalidGenerationSetting s) {
            String flag = switch (s.setting()) {
                case MAX_TOKENS -> "--max-tokens";
                case TEMPERATURE -> "--temperature";
            };
            return flag + " must be " + s.range() + ".";
        }
        if (reason instanceof PackFailure.NoVault v) {
            return "Installing a pack is recorded in the audit log, and there is no vault in " + v.dataDir()
                    + " yet; run 'sovereign vault init' first.";
        }
        if (reason instanceof PackFailure.DefaultPackMissing) {
            return "This build has no bundled default pack (rebuild with './mvnw package -pl app -am').";
        }
        return failure.getMessage();
    }

    /** The note printed when a generation was not audited. */
    static String of(ModelRuntime.NotAudited why) {
        return switch (why) {
            case NO_VAULT -> "Not audited: there is no vault yet ('sovereign vault init' creates one).";
            case NO_PASSPHRASE -> "Not audited: no passphrase was given (use --passphrase-file or SOVEREIGN_PASSPHRASE "
                    + "to record it).";
        };
    }
}
