-- Vault schema version 2: the audit log and consent events.

-- Audit log entries, in clear: they hold only types, ids, digests and salted commitments, never content,
-- so anyone with the device's public key can verify the log. seq is the Merkle leaf index.
CREATE TABLE audit_entry (
    seq       INTEGER PRIMARY KEY,
    leaf_hash BLOB NOT NULL,
    entry     BLOB NOT NULL
);

-- Every checkpoint (C2SP signed note) the device signed, in order.
CREATE TABLE audit_checkpoint (
    id         INTEGER PRIMARY KEY,
    size       INTEGER NOT NULL,
    note       BLOB    NOT NULL,
    created_at INTEGER NOT NULL
);

-- Signed consent events, append-only. The signed event (it names sources and the notice text) is encrypted
-- under the consent's own scope key, bound to ('consent_event', id, 'ciphertext', scope key id).
CREATE TABLE consent_event (
    id         INTEGER PRIMARY KEY,
    record_id  TEXT    NOT NULL,
    sequence   INTEGER NOT NULL,
    scope_id   INTEGER NOT NULL REFERENCES scope (id),
    created_at INTEGER NOT NULL,
    ciphertext BLOB    NOT NULL,
    UNIQUE (record_id, sequence)
);
