package org.sovereign.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Points Logback at the rolling log file in the data directory. Until this runs nothing is logged
 * ({@link QuietUntilConfigured}), so no log line can land anywhere else (and the CLI's stdout stays clean).
 *
 * <p>Configured in code rather than with an XML file: reading Logback's XML configuration loads an XML parser and
 * a few hundred classes, about 0.15 s of every start. The log: {@code <data dir>/logs/sovereign.log}, rolled daily
 * and at 5 MB, kept 14 days and at most 50 MB in all, level INFO. Never secrets or user content (see SECURITY.md).
 */
public final class LoggingSetup {

    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

    private LoggingSetup() {
    }

    /** Starts file logging in {@code logDirectory}; returns the active log file. Failing to log never stops the app. */
    public static Path start(Path logDirectory) {
        Path logFile = logDirectory.resolve("sovereign.log");
        try {
            Files.createDirectories(logDirectory);
        } catch (IOException e) {
            System.err.println("Note: the log file could not be opened in " + logDirectory + "; continuing without a log.");
            return logFile;
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return logFile;
        }
        context.reset();
        // forward slashes: Logback reads a backslash in a file name pattern as an escape
        String dir = logDirectory.toAbsolutePath().toString().replace('\\', '/');

        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("FILE");
        file.setFile(dir + "/sovereign.log");

        SizeAndTimeBasedRollingPolicy<ILoggingEvent> rolling = new SizeAndTimeBasedRollingPolicy<>();
        rolling.setContext(context);
        rolling.setParent(file);
        rolling.setFileNamePattern(dir + "/sovereign-%d{yyyy-MM-dd}.%i.log");
        rolling.setMaxFileSize(FileSize.valueOf("5MB"));
        rolling.setMaxHistory(14);
        rolling.setTotalSizeCap(FileSize.valueOf("50MB"));
        rolling.start();
        file.setRollingPolicy(rolling);

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        file.setEncoder(encoder);
        file.start();
        if (!file.isStarted()) {
            System.err.println("Note: the log file could not be opened in " + logDirectory + "; continuing without a log.");
            return logFile;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(file);
        return logFile;
    }
}
