-- Keyword statistics kept up to date by triggers, so a search reads the document frequency of each query term and
-- the number of indexed items directly instead of counting over the whole keyword_term table (seconds at 10^5
-- items). The triggers also fire for rows removed by ON DELETE CASCADE (item deleted, scope erased).
CREATE TABLE keyword_df (
    term BLOB    NOT NULL PRIMARY KEY,
    df   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE keyword_stats (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    items INTEGER NOT NULL
);

INSERT INTO keyword_df (term, df) SELECT term, COUNT(*) FROM keyword_term GROUP BY term;

INSERT INTO keyword_stats (id, items) VALUES (1, (SELECT COUNT(DISTINCT item_id) FROM keyword_term));

CREATE TRIGGER keyword_term_added AFTER INSERT ON keyword_term
BEGIN
    INSERT INTO keyword_df (term, df) VALUES (NEW.term, 1) ON CONFLICT (term) DO UPDATE SET df = df + 1;
    UPDATE keyword_stats SET items = items + 1
        WHERE id = 1 AND (SELECT COUNT(*) FROM (SELECT 1 FROM keyword_term WHERE item_id = NEW.item_id LIMIT 2)) = 1;
END;

CREATE TRIGGER keyword_term_removed AFTER DELETE ON keyword_term
BEGIN
    UPDATE keyword_df SET df = df - 1 WHERE term = OLD.term;
    DELETE FROM keyword_df WHERE term = OLD.term AND df <= 0;
    UPDATE keyword_stats SET items = items - 1
        WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM keyword_term WHERE item_id = OLD.item_id);
END
