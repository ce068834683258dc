package org.sovereign.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embeds each TEXT with an installed embedding pack: one JSON array of floats per text on stdout.")
final class EmbedCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;
    @Spec
    CommandSpec spec;

    @Option(names = "--pack", required = true, paramLabel = "NAME")
    String pack;
    @Parameters(paramLabel = "TEXT", arity = "1..*")
    List<String> texts;

    @Override
    public Integer call() {
        List<float[]> vectors = root.context(true).packs().runtime().embed(pack, texts);
        PrintWriter out = spec.commandLine().getOut();
        for (float[] v : vectors) {
            StringBuilder sb = new StringBuilder(v.length * 12).append('[');
            for (int i = 0; i < v.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(Float.isFinite(v[i]) ? Float.toString(v[i]) : "0.0");
            }
            out.println(sb.append(']'));
        }
        return SovereignCli.OK;
    }
}
