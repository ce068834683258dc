package org.sovereign.app.ui.dialogs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DialogServiceTest {

    @Test
    void detailsNameEachCauseAndTheLogButNeverAStackTrace() {
        DialogService dialogs = new DialogService(() -> null, Path.of("/data/logs/sovereign.log"));
        Exception error = new IllegalStateException("could not read the pack",
                new UncheckedIOException("reading manifest.json", new IOException("No space left on device")));

        String details = dialogs.details(error);

        assertThat(details).isEqualTo("""
                IllegalStateException: could not read the pack
                because: UncheckedIOException: reading manifest.json
                because: IOException: No space left on device

                The full record is in the log file: /data/logs/sovereign.log""");
        assertThat(details).doesNotContain("\tat ", ".java:");
    }
}
