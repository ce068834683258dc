package org.sovereign.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.DesktopLauncher;
import org.sovereign.core.Workstation;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SovereignCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final RecordingDesktop desktop = new RecordingDesktop();

    private int run(String... args) {
        return new SovereignCli(desktop).withStreams(new PrintWriter(out), new PrintWriter(err)).execute(args);
    }

    @Test
    void printsTheVersion() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("Sovereign Workstation 0.").contains("Java " + Runtime.version().feature());
        assertThat(out.toString().lines().findFirst().orElseThrow())
                .as("the numeric version the installers carry, then the build's own")
                .matches("Sovereign Workstation \\d+\\.\\d+\\.\\d+ \\(build \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\)");
    }

    @Test
    void helpOfASubcommandWithRequiredOptionsIsPrintedNotRefused() {
        for (String[] args : new String[][]{{"pack", "keygen", "--help"}, {"pack", "sign", "-h"},
                {"pack", "import", "--help"}, {"pack", "import", "-h"}}) {
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            assertThat(run(args)).as(String.join(" ", args) + ": " + err).isZero();
            assertThat(out.toString()).startsWith("Usage: sovereign " + args[0] + " " + args[1]);
            assertThat(err.toString()).isEmpty();
        }
        assertThat(out.toString()).contains("--out");
    }

    @Test
    void doctorReportsTheRealRuntimeAndExitsZeroWhenReady(@TempDir Path tmp) {
        Path dataDir = tmp.resolve("home");

        int code = run("doctor", "--data-dir", dataDir.toString());

        assertThat(out.toString())
                .contains("ONNX Runtime", "CPUExecutionProvider", dataDir.toString(), "Ready.")
                .containsPattern("version \\d+\\.\\d+\\.\\d+")
                .containsPattern("CPU +\\d+ cores");
        assertThat(code).as(err.toString()).isZero();
        assertThat(dataDir).isDirectory();
        assertThat(dataDir.resolve("logs/sovereign.log")).exists();
    }

    @Test
    void doctorFailsClearlyWhenTheDataDirectoryCannotBeUsed(@TempDir Path tmp) throws Exception {
        Path blocker = Files.writeString(tmp.resolve("file"), "in the way");

        int code = run("doctor", "--data-dir", blocker.resolve("sub").toString());

        assertThat(code).isEqualTo(SovereignCli.USER_ERROR);
        assertThat(out.toString()).contains("[problem]", "not writable");
        assertThat(err.toString()).startsWith("Not ready: Data directory: Choose a directory you can write to");
    }

    @Test
    void badInputIsOneClearMessageAndExitCodeOne() {
        assertThat(run("--no-such-option")).isEqualTo(SovereignCli.USER_ERROR);
        assertThat(err.toString()).contains("Unknown option: '--no-such-option'", "sovereign --help").doesNotContain("Exception", "\tat ");
    }

    @Test
    void noCommandOpensTheDesktopOrSaysWhyNot(@TempDir Path tmp) {
        desktop.display = false;
        assertThat(run("--data-dir", tmp.toString())).isEqualTo(SovereignCli.USER_ERROR);
        assertThat(err.toString()).startsWith("No display is available");
        assertThat(desktop.launched).isNull();

        desktop.display = true;
        SovereignCli cli = new SovereignCli(desktop).withStreams(new PrintWriter(out), new PrintWriter(err));
        assertThat(cli.execute("--data-dir", tmp.toString())).isZero();
        assertThat(cli.desktopStarted()).isTrue();
        assertThat(desktop.launched.dataDirectory().path()).isEqualTo(tmp);
    }

    @Test
    void noArgumentsAtAllOpenTheWindowWithoutTheCommandModelAndReportTheSameErrors() {
        // a plain 'sovereign' opens the window without building the command model; errors read the same
        desktop.display = false;
        assertThat(run()).isEqualTo(SovereignCli.USER_ERROR);
        assertThat(err.toString()).startsWith("No display is available").doesNotContain("Exception", "\tat ");
        assertThat(desktop.launched).isNull();
    }

    @Test
    void anUnexpectedFailureIsExitCodeTwoWithTheLogPath(@TempDir Path tmp) {
        desktop.display = true;
        desktop.failure = new IllegalStateException("toolkit exploded");

        int code = run("--data-dir", tmp.toString());

        assertThat(code).isEqualTo(SovereignCli.INTERNAL_ERROR);
        assertThat(err.toString().strip())
                .isEqualTo("Internal error: toolkit exploded. Details are in the log: " + tmp.resolve("logs/sovereign.log"));
        // the log gets the exception's type and stack, never its message (which can quote a decrypted path)
        assertThat(tmp.resolve("logs/sovereign.log")).content().contains("java.lang.IllegalStateException")
                .doesNotContain("toolkit exploded");
    }

    /** Stands in for the window only; the real window is opened by the UI tests. */
    private static final class RecordingDesktop implements DesktopLauncher {
        boolean display;
        RuntimeException failure;
        Workstation launched;

        @Override
        public boolean displayAvailable() {
            return display;
        }

        @Override
        public void launch(Workstation context) {
            if (failure != null) {
                throw failure;
            }
            launched = context;
        }
    }
}
