-- Vault schema version 6: the authenticated audit anchor. Applied inside one transaction by Migrations.

-- At most one row: the size and root hash of the latest signed audit checkpoint, sealed with a key derived from the
-- master key and bound to this row ('audit_anchor', 1, 'sealed'). It is rewritten in the same transaction as every
-- checkpoint saved by an unlocked session, so deleting checkpoints, truncating the log or rewriting entries is found
-- at unlock even when every signed checkpoint and the checkpoint file are gone. A vault whose header is at format 2
-- must have this row; older vaults get it at their first unlock (trusting the log as it is then).
CREATE TABLE audit_anchor (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    sealed     BLOB    NOT NULL,
    updated_at INTEGER NOT NULL
)
