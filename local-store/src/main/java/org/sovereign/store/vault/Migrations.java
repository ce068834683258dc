package org.sovereign.store.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Numbered schema migrations, SQL resources {@code migrations/V<n>__<name>.sql} next to this class,
 * applied in order. The schema version lives in SQLite's {@code PRAGMA user_version}. All pending
 * migrations run in one transaction together with the version bump, so a failure leaves the file at
 * its previous version.
 */
final class Migrations {
    /** The migration scripts, in order; script {@code i} (0-based) moves the schema to version i+1. */
    static final List<String> SCRIPTS = List.of("V1__initial_schema.sql", "V2__audit_log_and_consent.sql", "V3__keyword_index.sql",
            "V4__recovery_key.sql", "V5__keyword_stats.sql", "V6__audit_anchor.sql");

    private Migrations() {
    }

    /** The schema version this build writes and understands. */
    static int latestVersion() {
        return SCRIPTS.size();
    }

    static int currentVersion(Connection connection) throws SQLException {
        return Sql.queryInt(connection, "PRAGMA user_version");
    }

    /**
     * Brings the schema up to {@link #latestVersion()}.
     *
     * @throws UnsupportedSchemaException if the file's schema is newer; nothing is written then
     */
    static void migrate(Connection connection) throws SQLException {
        int current = currentVersion(connection);
        if (current > latestVersion()) {
            throw new UnsupportedSchemaException(current, latestVersion());
        }
        if (current == latestVersion()) {
            return;
        }
        Sql.inTransaction(connection, () -> {
            for (int version = current + 1; version <= latestVersion(); version++) {
                String script = SCRIPTS.get(version - 1);
                if (!script.startsWith("V" + version + "__")) {
                    throw new IllegalStateException("Migration " + script + " is out of order");
                }
                try (Statement st = connection.createStatement()) {
                    for (String sql : statements(load(script))) {
                        st.executeUpdate(sql);
                    }
                    st.executeUpdate("PRAGMA user_version = " + version);
                }
            }
        });
    }

    static List<String> statements(String script) {
        StringBuilder withoutComments = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("--")) {
                withoutComments.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        StringBuilder trigger = null; // a CREATE TRIGGER body holds ';' itself: collect its parts up to END
        for (String part : withoutComments.toString().split(";")) {
            if (trigger != null) {
                trigger.append(';').append(part);
                if (endsTrigger(part)) {
                    out.add(trigger.toString().strip());
                    trigger = null;
                }
            } else if (!part.isBlank()) {
                String statement = part.strip();
                if (statement.regionMatches(true, 0, "CREATE TRIGGER", 0, 14) && !endsTrigger(statement)) {
                    trigger = new StringBuilder(statement);
                } else {
                    out.add(statement);
                }
            }
        }
        if (trigger != null) {
            throw new IllegalStateException("A CREATE TRIGGER statement has no END");
        }
        return out;
    }

    private static boolean endsTrigger(String part) {
        String t = part.strip();
        return t.length() >= 3 && t.regionMatches(true, t.length() - 3, "END", 0, 3)
                && (t.length() == 3 || !Character.isLetterOrDigit(t.charAt(t.length() - 4)));
    }

    private static String load(String script) {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + script)) {
            if (in == null) {
                throw new IllegalStateException("Migration resource missing: " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read migration " + script, e);
        }
    }
}
