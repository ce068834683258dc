-- Vault schema version 4: an optional recovery key. Applied inside one transaction by Migrations.

-- At most one row: the master key wrapped a second time, under a key derived from a random 256-bit recovery secret
-- that was shown to the person once. recovery_id is a random public label, bound (with the device public key, the
-- purpose and the format version) into the wrap's associated data.
CREATE TABLE vault_recovery (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    recovery_id        TEXT    NOT NULL,
    wrapped_master_key BLOB    NOT NULL,
    created_at         INTEGER NOT NULL
)
