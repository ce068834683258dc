package org.sovereign.cli;

import org.junit.jupiter.api.Test;
import org.sovereign.core.packs.ModelRuntime;
import org.sovereign.core.packs.PackFailure;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line words core's typed pack failures exactly as it did before they were typed, flags included. */
class PackAdviceTest {

    private static String advice(PackFailure.Reason reason) {
        PackFailure failure = new PackFailure(reason);
        assertThat(failure.getMessage()).as("core's own words name no flag").doesNotContain("--")
                .doesNotContainIgnoringCase("sovereign ");
        return PackAdvice.of(failure);
    }

    @Test
    void eachReasonGetsItsFormerTextWithFlagsAndCommands() {
        assertThat(advice(new PackFailure.NotInstalled("nothing", false)))
                .isEqualTo("No pack named 'nothing' is installed. Run 'sovereign pack list' to see the installed packs.");
        assertThat(advice(new PackFailure.NotInstalled("all-minilm-l6-v2", true)))
                .isEqualTo("No pack named 'all-minilm-l6-v2' is installed. It is bundled with this build: run "
                        + "'sovereign pack install-default'.");
        assertThat(advice(new PackFailure.WrongKind("mini", "embedding", PackFailure.Use.GENERATE)))
                .isEqualTo("Pack 'mini' is an embedding pack; 'generate' needs a text-generation pack.");
        assertThat(advice(new PackFailure.WrongKind("tiny", "text-generation", PackFailure.Use.EMBED)))
                .isEqualTo("Pack 'tiny' is a text-generation pack; 'embed' needs an embedding pack.");
        assertThat(advice(new PackFailure.WrongKind("mini", "embedding", PackFailure.Use.ASSISTANT)))
                .isEqualTo("Pack 'mini' is an embedding pack; the assistant needs a text-generation pack.");
        assertThat(advice(new PackFailure.NoChatTemplate("tiny")))
                .isEqualTo("Pack 'tiny' has no chat template; use --raw to send the prompt as it is.");
        assertThat(advice(new PackFailure.InvalidGenerationSetting(PackFailure.Setting.MAX_TOKENS, "at least 1")))
                .isEqualTo("--max-tokens must be at least 1.");
        assertThat(advice(new PackFailure.InvalidGenerationSetting(PackFailure.Setting.TEMPERATURE, "between 0 and 10")))
                .isEqualTo("--temperature must be between 0 and 10.");
        Path home = Path.of("/data/home");
        assertThat(advice(new PackFailure.NoVault(home)))
                .isEqualTo("Installing a pack is recorded in the audit log, and there is no vault in " + home
                        + " yet; run 'sovereign vault init' first.");
        assertThat(advice(new PackFailure.DefaultPackMissing()))
                .isEqualTo("This build has no bundled default pack (rebuild with './mvnw package -pl app -am').");
    }

    @Test
    void aGenerationThatWasNotAuditedSaysHowToAuditIt() {
        assertThat(PackAdvice.of(ModelRuntime.NotAudited.NO_VAULT))
                .isEqualTo("Not audited: there is no vault yet ('sovereign vault init' creates one).");
        assertThat(PackAdvice.of(ModelRuntime.NotAudited.NO_PASSPHRASE))
                .isEqualTo("Not audited: no passphrase was given (use --passphrase-file or SOVEREIGN_PASSPHRASE to "
                        + "record it).");
    }
}
