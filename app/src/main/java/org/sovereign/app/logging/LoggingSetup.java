package org.sovereign.app.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Points Logback at the rolling log file in the data directory. Until this runs nothing is logged, so no log
 * line can land anywhere else (and the CLI's stdout stays clean).
 */
public final class LoggingSetup {

    private LoggingSetup() {
    }

    /** Starts file logging in {@code logDirectory}; returns the active log file. Failing to log never stops the app. */
    public static Path start(Path logDirectory) {
        Path logFile = logDirectory.resolve("sovereign.log");
        try {
            Files.createDirectories(logDirectory);
            if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
                return logFile;
            }
            context.reset();
            context.putProperty("LOG_DIR", logDirectory.toAbsolutePath().toString());
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            try (InputStream config = LoggingSetup.class.getResourceAsStream("/sovereign-logback.xml")) {
                if (config != null) {
                    configurator.doConfigure(config);
                }
            }
        } catch (IOException | JoranException e) {
            System.err.println("Note: the log file could not be opened in " + logDirectory + "; continuing without a log.");
        }
        return logFile;
    }
}
