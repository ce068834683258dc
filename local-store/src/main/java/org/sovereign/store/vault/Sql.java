package org.sovereign.store.vault;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Small JDBC helpers. */
final class Sql {
    /** SQLite result codes that mean the file is damaged or not a database. */
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;

    private Sql() {
    }

    /** Work inside a transaction. */
    interface Work {
        void run() throws SQLException;
    }

    static void inTransaction(Connection connection, Work work) throws SQLException {
        if (!connection.getAutoCommit()) {
            work.run(); // inside a caller's transaction (VaultSession.inTransaction): commit or roll back with it
            return;
        }
        boolean previous = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            work.run();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(previous);
        }
    }

    static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    static int queryInt(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    /** Translates a JDBC failure into a plain-English vault exception. */
    static VaultException translate(String action, SQLException e) {
        int code = e.getErrorCode() & 0xFF;
        if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
            return new CorruptVaultException("The vault file is damaged or is not a vault (" + action + " failed).", e);
        }
        return new VaultException("The vault could not " + action + ": " + e.getMessage(), e);
    }
}
