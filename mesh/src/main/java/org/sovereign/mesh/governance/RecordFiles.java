package org.sovereign.mesh.governance;

import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MalformedRecordException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads records exported to a directory: every {@code *.jsonl} file in it holds wire forms, one per line (a canonical
 * record has no line break). Signatures are checked later, by {@link Governance}.
 */
public final class RecordFiles {
    private RecordFiles() {
    }

    /**
     * The records of every {@code *.jsonl} file in {@code dir}, in file-name then line order.
     *
     * @throws GovernanceException naming the file and line of a record that does not parse
     * @throws IOException         when the directory cannot be read
     */
    public static List<LogRecord> read(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".jsonl") && Files.isRegularFile(p))
                    .sorted().toList();
        }
        List<LogRecord> records = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                try {
                    records.add(LogRecord.parse(lines.get(i).getBytes(StandardCharsets.UTF_8)));
                } catch (MalformedRecordException e) {
                    throw new GovernanceException(file.getFileName() + " line " + (i + 1) + ": " + e.getMessage());
                }
            }
        }
        return records;
    }
}
