package org.sovereign.cli;

/**
 * {@code sovereign serve} in a child JVM of {@link ServeWhileRunningCliTest} whose console reads the child's standard
 * input (a pipe there, not a terminal).
 */
public final class ServeConsoleChild {

    private ServeConsoleChild() {
    }

    public static void main(String[] args) {
        ServeCommand.CONSOLE_INPUT.set(System.in);
        ChildCli.main(args);
    }
}
