-- giftwatch store schema version 2 (SQLite): entities, deduplicated gifts, quote links, manual entity
-- decisions and full-text search. Everything but entity_decisions is derived from the version 1 tables and rebuilt
-- when meta.data_version (bumped by every article write and decision) moves past meta.derived_version.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('data_version', 1), ('derived_version', 0);

-- What a user decided by hand (giftwatch merge / split). Anchored on mentions ("article id" + U+001F + normal
-- form of the name), not on entity ids, so the decision survives every rebuild and re-ingest.
CREATE TABLE entity_decisions (
    id           INTEGER PRIMARY KEY,
    action       TEXT NOT NULL CHECK (action IN ('merge', 'split')),
    first_nodes  TEXT NOT NULL,   -- JSON array: merge: one entity's mentions; split: the mentions moved out
    second_nodes TEXT NOT NULL,   -- JSON array: merge: the other entity's mentions; split: those that stay
    description  TEXT NOT NULL,
    made_at      TEXT NOT NULL
);

CREATE TABLE entities (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    normal_name TEXT NOT NULL,
    kind        TEXT NOT NULL
);

CREATE TABLE entity_aliases (
    entity_id    INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias        TEXT NOT NULL,
    normal_alias TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
);

CREATE TABLE mentions (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    normal_form TEXT NOT NULL,
    name        TEXT NOT NULL,
    entity_id   INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, normal_form)
);

CREATE TABLE relations (
    subject_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    predicate  TEXT NOT NULL,
    object_id  INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    evidence   TEXT,
    PRIMARY KEY (subject_id, predicate, object_id, article_id)
);

-- Each stored gift's donors, foundations given through, recipient and honourees, as entities.
CREATE TABLE gift_parties (
    gift_id   INTEGER NOT NULL REFERENCES gifts(id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    role      TEXT NOT NULL,  -- donor | through | recipient | honoree
    PRIMARY KEY (gift_id, entity_id, role)
);

-- One row per real gift; gift_sources lists the stored gifts (one per reporting article) it was made from.
CREATE TABLE gift_groups (
    id              INTEGER PRIMARY KEY,
    recipient_id    INTEGER REFERENCES entities(id) ON DELETE SET NULL,
    anonymous       INTEGER NOT NULL DEFAULT 0,
    amount          REAL,
    amount_max      REAL,
    currency        TEXT,
    amount_text     TEXT,
    kind            TEXT NOT NULL,
    date            TEXT,
    reported        TEXT,
    purpose         TEXT,
    in_name_of      TEXT NOT NULL DEFAULT '[]',
    tribute_type    TEXT,
    cause           TEXT NOT NULL,
    pledge_group_id INTEGER REFERENCES gift_groups(id) ON DELETE SET NULL  -- the pledge this gift pays
);

CREATE TABLE gift_group_parties (
    group_id  INTEGER NOT NULL REFERENCES gift_groups(id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    role      TEXT NOT NULL,  -- donor | through
    position  INTEGER NOT NULL,
    PRIMARY KEY (group_id, entity_id, role)
);

CREATE TABLE gift_sources (
    group_id INTEGER NOT NULL REFERENCES gift_groups(id) ON DELETE CASCADE,
    gift_id  INTEGER NOT NULL UNIQUE REFERENCES gifts(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, gift_id)
);

CREATE TABLE quote_entities (
    quote_id  INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    PRIMARY KEY (quote_id, entity_id)
);

CREATE TABLE quote_gifts (
    quote_id INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
    gift_id  INTEGER NOT NULL REFERENCES gifts(id) ON DELETE CASCADE,
    reason   TEXT NOT NULL,  -- how the article ties them
    PRIMARY KEY (quote_id, gift_id)
);

CREATE INDEX entities_normal_name ON entities (normal_name);
CREATE INDEX entity_aliases_normal ON entity_aliases (normal_alias);
CREATE INDEX mentions_entity ON mentions (entity_id);
CREATE INDEX relations_object ON relations (object_id);
CREATE INDEX gift_parties_entity ON gift_parties (entity_id, role);
CREATE INDEX gift_groups_recipient ON gift_groups (recipient_id);
CREATE INDEX gift_group_parties_entity ON gift_group_parties (entity_id, role);
CREATE INDEX quote_entities_entity ON quote_entities (entity_id);
CREATE INDEX quote_gifts_gift ON quote_gifts (gift_id);

-- Full-text search over quotes and gift evidence (FTS5, English stemming, accents folded).
CREATE VIRTUAL TABLE search_documents USING fts5(
    body, names, kind UNINDEXED, ref_id UNINDEXED, article_id UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

UPDATE schema_version SET version = 2;
