-- giftwatch store schema, version 1.
-- All DDL lives here so a later PostgreSQL backend and migrations have one place to start from.
-- Everything is "IF NOT EXISTS" so two processes creating the same new file cannot collide.

CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL
);
INSERT INTO schema_version (version) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM schema_version);

CREATE TABLE IF NOT EXISTS articles (
    id            TEXT PRIMARY KEY,
    source        TEXT,
    url           TEXT,
    published     TEXT,              -- ISO date or NULL
    title         TEXT,
    text          TEXT NOT NULL,
    text_sha256   TEXT NOT NULL,
    record_sha256 TEXT NOT NULL,     -- hash of the whole FORMAT.md record: equal means re-ingest is a no-op
    ingested_at   TEXT NOT NULL      -- UTC ISO timestamp of the stored version
);

CREATE TABLE IF NOT EXISTS gifts (
    id                INTEGER PRIMARY KEY,
    article_id        TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,   -- order within the article's "gifts" list
    recipient         TEXT,
    recipient_aliases TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings (JSON null if the record had null)
    donor_aliases     TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
    amount            REAL,
    amount_max        REAL,
    currency          TEXT,
    amount_text       TEXT,
    kind              TEXT,
    date              TEXT,               -- ISO date at the precision the text gives
    purpose           TEXT,
    in_name_of        TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
    evidence          TEXT,
    evidence_start    INTEGER,
    evidence_end      INTEGER,
    UNIQUE (article_id, position)
);

CREATE TABLE IF NOT EXISTS gift_donors (
    gift_id  INTEGER NOT NULL REFERENCES gifts(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    PRIMARY KEY (gift_id, position)
);

CREATE TABLE IF NOT EXISTS quotes (
    id           INTEGER PRIMARY KEY,
    article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    text         TEXT NOT NULL,
    speaker_role TEXT,
    cue          TEXT,
    "start"      INTEGER,
    "end"        INTEGER,
    UNIQUE (article_id, position)
);

CREATE TABLE IF NOT EXISTS quote_speakers (
    quote_id INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    PRIMARY KEY (quote_id, position)
);

CREATE INDEX IF NOT EXISTS articles_published ON articles (published);
CREATE INDEX IF NOT EXISTS gifts_recipient ON gifts (recipient COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS gifts_amount ON gifts (amount);
CREATE INDEX IF NOT EXISTS gifts_date ON gifts (date);
CREATE INDEX IF NOT EXISTS gifts_kind ON gifts (kind);
CREATE INDEX IF NOT EXISTS gift_donors_name ON gift_donors (name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS quote_speakers_name ON quote_speakers (name COLLATE NOCASE);
