package org.sovereign.cli;

import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.packs.MemoryFit;
import org.sovereign.core.packs.PackDetails;
import org.sovereign.core.packs.PackFailure;
import org.sovereign.core.services.DoctorReport;
import org.sovereign.core.services.DoctorReport.Check;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Checks that this computer can run the workstation and prints what it found.")
final class DoctorCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--load-models", description = {"Also load every installed pack that fits this computer's memory",
            "and report the execution provider and threads each one actually got."})
    boolean loadModels;

    @Override
    public Integer call() {
        var context = root.context(false);
        if (loadModels) {
            for (PackDetails pack : context.packs().overview().details()) {
                if (pack.filesOk() && pack.fit().verdict() != MemoryFit.Verdict.TOO_LARGE) {
                    try {
                        context.packs().runtime().load(pack.id());
                    } catch (UserFacingException e) {
                        spec.commandLine().getErr().println("Could not load " + pack.id() + ": "
                                + (e instanceof PackFailure p ? PackAdvice.of(p) : e.getMessage()));
                    }
                }
            }
        }
        DoctorReport report = context.doctor().run(Progress.NONE);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Sovereign Workstation " + context.version() + ": system check");
        int width = report.checks().stream().mapToInt(c -> c.name().length()).max().orElse(10);
        for (Check check : report.checks()) {
            out.printf(Locale.ROOT, "  %-8s %-" + width + "s  %s%n", "[" + check.status().name().toLowerCase(Locale.ROOT) + "]",
                    check.name(), check.value());
            if (!check.advice().isEmpty()) {
                out.printf(Locale.ROOT, "  %-8s %-" + width + "s  -> %s%n", "", "", advice(check));
            }
        }
        if (report.ready()) {
            out.println("Ready.");
            return SovereignCli.OK;
        }
        PrintWriter err = spec.commandLine().getErr();
        for (Check problem : report.problems()) {
            err.println("Not ready: " + problem.name() + ": " + advice(problem));
        }
        return SovereignCli.USER_ERROR;
    }

    /** Core's advice, with how to act on it from the command line where that takes an option. */
    private static String advice(DoctorReport.Check check) {
        if (check.name().equals("Data directory") && check.status() == DoctorReport.Status.PROBLEM) {
            return check.advice().replaceFirst("\\.$", "") + " with --data-dir or SOVEREIGN_HOME.";
        }
        return check.advice();
    }
}
