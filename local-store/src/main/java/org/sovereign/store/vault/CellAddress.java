package org.sovereign.store.vault;

import java.util.Objects;

/**
 * Where an encrypted value is stored: table, row id and column. The vault adds the scope's key id
 * and binds all four into the ciphertext.
 */
public record CellAddress(String table, long rowId, String column) {
    public CellAddress {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
    }
}
