package org.sovereign.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@link CliCrashSafetyTest}: runs the {@code sovereign} command line once per line of a script file
 * (arguments separated by tabs), one after the other in this process, exactly as {@link ChildCli} runs one command.
 * Each command's standard output and error go unbuffered to this process's standard output, between the markers
 * {@code @@begin N} and {@code @@end N CODE}, so the parent sees every line a command printed before it was killed.
 */
public final class CrashCliChild {

    private CrashCliChild() {
    }

    public static void main(String[] args) throws Exception {
        List<String> script = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        // no buffer between a printed line and the pipe: what the parent reads was printed before the kill
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), true);
        for (int i = 0; i < script.size(); i++) {
            if (script.get(i).isBlank()) {
                continue;
            }
            out.println("@@begin " + i);
            int code = new SovereignCli(CliRun.noDesktop()).withStreams(out, out).execute(script.get(i).split("\t"));
            out.println("@@end " + i + " " + code);
        }
        out.flush();
        System.exit(0);
    }
}
