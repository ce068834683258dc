package org.sovereign.store.vault.crypto;

import java.util.Objects;

/**
 * Where an encrypted cell lives: table, row id, column and the id of the key that encrypts it.
 * Its {@linkplain #encode() encoding} is the associated data of the cell's ciphertext, so a
 * ciphertext copied to another row, column, table, or re-labelled with another key fails to decrypt.
 *
 * @param table  SQL table name
 * @param rowId  the row's integer primary key
 * @param column column name
 * @param keyId  public id of the data key (never key material)
 */
public record AeadContext(String table, long rowId, String column, String keyId) {
    /** Domain label that versions the encoding. */
    public static final String DOMAIN = "sovereign.vault.cell.v1";

    public AeadContext {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(keyId, "keyId");
    }

    /** Canonical encoding: {@link CanonicalEncoding} of (domain, table, rowId, column, keyId). */
    public byte[] encode() {
        return CanonicalEncoding.of(DOMAIN).add(table).add(rowId).add(column).add(keyId).toBytes();
    }
}
