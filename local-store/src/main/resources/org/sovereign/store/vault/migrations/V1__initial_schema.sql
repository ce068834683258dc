-- Vault schema version 1. Applied inside one transaction by org.sovereign.store.vault.Migrations.
-- Statements are separated by semicolons; no semicolons inside statements.

-- Exactly one row: how to turn the passphrase into the key that unwraps the master key.
CREATE TABLE vault_header (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    format_version     INTEGER NOT NULL,
    kdf_algorithm      TEXT    NOT NULL,
    kdf_memory_kib     INTEGER NOT NULL,
    kdf_iterations     INTEGER NOT NULL,
    kdf_parallelism    INTEGER NOT NULL,
    kdf_salt           BLOB    NOT NULL,
    wrapped_master_key BLOB    NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);

-- A scope groups data under one data key; erasing the scope destroys that key (crypto-shredding).
-- wrapped_key is NULL once the scope has been erased; the row stays as a tombstone.
CREATE TABLE scope (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    key_id      TEXT    NOT NULL UNIQUE,
    wrapped_key BLOB,
    created_at  INTEGER NOT NULL,
    erased_at   INTEGER,
    CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
);

-- Generic encrypted content. ciphertext is AES-256-GCM under the scope's data key, bound to
-- ('item', id, 'ciphertext', scope.key_id).
CREATE TABLE item (
    id         INTEGER PRIMARY KEY,
    scope_id   INTEGER NOT NULL REFERENCES scope (id),
    kind       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    size       INTEGER NOT NULL,
    ciphertext BLOB    NOT NULL
);

CREATE INDEX item_by_scope ON item (scope_id);

-- Exactly one row: the device's Ed25519 identity. The private key (PKCS#8) is encrypted under the
-- master key; the raw 32-byte public key is in clear.
CREATE TABLE device_identity (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    algorithm             TEXT    NOT NULL,
    public_key            BLOB    NOT NULL,
    encrypted_private_key BLOB    NOT NULL,
    created_at            INTEGER NOT NULL
);
