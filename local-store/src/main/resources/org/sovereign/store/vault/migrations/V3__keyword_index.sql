-- Vault schema version 3: the keyword index over encrypted items.
-- term is HMAC-SHA256(blind-index key, normalised token): equal tokens give equal terms, nothing else is revealed
-- (term frequencies are visible; see docs/threat-model.md). Rows go when their item goes.
CREATE TABLE keyword_term (
    term    BLOB    NOT NULL,
    item_id INTEGER NOT NULL REFERENCES item (id) ON DELETE CASCADE,
    PRIMARY KEY (term, item_id)
) WITHOUT ROWID;

CREATE INDEX keyword_term_by_item ON keyword_term (item_id)
