package org.sovereign.cli;

import org.sovereign.core.packs.ModelRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generates text with an installed text-generation pack, streamed to stdout;",
                "tokens per second and time to first token go to stderr.",
                "Auditing: when a vault exists and a passphrase is given (--passphrase-file or SOVEREIGN_PASSPHRASE),",
                "an 'inference' entry records the pack digest and salted commitments of prompt and output.",
                "Without a passphrase it never prompts: it generates anyway and notes on stderr that nothing was audited."})
final class GenerateCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;
    @Spec
    CommandSpec spec;
    @Mixin
    PassphraseOptions passphrase;

    @Option(names = "--pack", required = true, paramLabel = "NAME")
    String pack;
    @Option(names = "--prompt", required = true, paramLabel = "TEXT")
    String prompt;
    @Option(names = "--raw", description = "Send the prompt as it is, without the pack's chat template.")
    boolean raw;
    @Option(names = "--max-tokens", paramLabel = "N", converter = NumberOptions.AtLeastOne.class,  description = "Most tokens to generate (default: the pack's).")
    Integer maxTokens;
    @Option(names = "--temperature", paramLabel = "T", converter = NumberOptions.NotNegative.class, description = "0 = greedy (default: the pack's).")
    Double temperature;
    @Option(names = "--seed", paramLabel = "N", description = "Random seed for sampling (temperature > 0).")
    Long seed;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<char[]> pass = passphrase.passphraseFile != null
                || notBlank(passphrase.environment.get(PassphraseOptions.ENV))
                ? Optional.of(passphrase.read("Passphrase", false)) : Optional.empty();
        ModelRuntime.GenerateOutcome outcome = root.context(true).packs().runtime().generate(
                new ModelRuntime.GenerateRequest(pack, prompt, raw, maxTokens, temperature, seed),
                (id, delta) -> {
                    out.print(delta);
                    out.flush();
                }, pass);
        out.println();
        out.flush();
        var r = outcome.result();
        err.printf(Locale.ROOT, "%d tokens, %.1f tokens/s, first token after %d ms, %s.%n", r.tokenIds().length,
                r.tokensPerSecond(), r.timeToFirstToken().toMillis(), r.finishReason().name().toLowerCase(Locale.ROOT));
        outcome.notAudited().ifPresent(why -> err.println(PackAdvice.of(why)));
        return SovereignCli.OK;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isEmpty();
    }
}
