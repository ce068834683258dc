package org.sovereign.core.common;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.sovereign.core.settings.SettingsStore;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Names with control characters reach the log escaped: they cannot forge a log line or carry terminal escapes. */
class SafeTextTest {

    @TempDir
    Path tmp;

    @Test
    void escapesC0DelC1AndDirectionOverridesOnly() {
        assertThat(SafeText.forLog("a\nb\rc\u001b[2Kd\te\u007ff\u009bg\u202eh")).isEqualTo(
                "a\\u000ab\\u000dc\\u001b[2Kd\\u0009e\\u007ff\\u009bg\\u202eh");
        assertThat(SafeText.forLog("Bienenstöcke 東京.md")).isEqualTo("Bienenstöcke 東京.md");
        assertThat(SafeText.forLog(null)).isEqualTo("null");
    }

    @Test
    void aDataDirectoryNameWithControlCharactersIsLoggedEscaped() throws Exception {
        Path dataDir = Files.createDirectories(tmp.resolve("data\u001b[2K\r\n2026-01-01 ERROR forged"));
        Files.writeString(dataDir.resolve(SettingsStore.FILE_NAME), "{ not json");
        Logger logger = (Logger) LoggerFactory.getLogger(SettingsStore.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        try {
            new SettingsStore(dataDir).get();
        } finally {
            logger.detachAppender(events);
        }

        assertThat(events.list).isNotEmpty();
        for (ILoggingEvent event : events.list) {
            assertThat(event.getFormattedMessage()).doesNotContain("\n", "\r", "\u001b")
                    .contains("data\\u001b[2K\\u000d\\u000a2026-01-01 ERROR forged");
        }
    }
}
