-- Good practice: the network's inventory of what is done for newcomers (PRODUCT.md, point 3).
-- A practice is the network's record, never deleted (archived_at); the people it names (its
-- contact, its creator, who changed it, who registered interest) are in *_user_id columns that
-- forget-me and the purge of leavers set to NULL: the practice then shows its contact function
-- or "a former member". Lists of a few fixed keys or short texts are JSON arrays.
-- Timestamps are UTC text 'YYYY-MM-DDTHH:MM:SSZ', dates 'YYYY-MM-DD'.
CREATE TABLE practices (
    id                   INTEGER PRIMARY KEY,
    guild_id             INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    title                TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    title_key            TEXT NOT NULL,
    summary              TEXT NOT NULL CHECK (length(summary) BETWEEN 1 AND 300),
    description          TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    themes               TEXT NOT NULL DEFAULT '[]',   -- forum tag keys (setup_plan.PRACTICE_TAGS)
    targets              TEXT NOT NULL DEFAULT '[]',   -- target group keys
    organisations        TEXT NOT NULL DEFAULT '[]',   -- names
    municipalities       TEXT NOT NULL DEFAULT '[]',   -- SCB codes
    status               TEXT NOT NULL CHECK (status IN ('planned', 'ongoing', 'ended')),
    start_date           TEXT,
    end_date             TEXT,
    funding              TEXT NOT NULL DEFAULT '[]',   -- funding kind keys
    funding_sek          INTEGER CHECK (funding_sek IS NULL OR funding_sek BETWEEN 0 AND 10000000000),
    success_factors      TEXT NOT NULL DEFAULT '' CHECK (length(success_factors) <= 2000),
    lessons              TEXT NOT NULL DEFAULT '' CHECK (length(lessons) <= 2000),
    links                TEXT NOT NULL DEFAULT '[]',   -- http/https URLs
    contact_user_id      INTEGER,
    contact_function_id  INTEGER REFERENCES functions (id),
    created_by_user_id   INTEGER,
    created_at           TEXT NOT NULL,
    changed_by_user_id   INTEGER,
    changed_at           TEXT NOT NULL,
    archived_at          TEXT,
    -- The forum post (thread id) that mirrors the practice; NULL until posted or once lost.
    thread_id            INTEGER,
    -- Freshness: when the contact was last asked whether the practice still runs.
    reminded_at          TEXT,
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
CREATE INDEX practices_network ON practices (guild_id, title_key) WHERE archived_at IS NULL;
CREATE INDEX practices_changed ON practices (changed_at) WHERE archived_at IS NULL;
CREATE INDEX practices_thread ON practices (thread_id) WHERE thread_id IS NOT NULL;
CREATE INDEX practices_contact ON practices (guild_id, contact_user_id)
    WHERE contact_user_id IS NOT NULL;
CREATE INDEX practices_creator ON practices (guild_id, created_by_user_id)
    WHERE created_by_user_id IS NOT NULL;
CREATE INDEX practices_changer ON practices (guild_id, changed_by_user_id)
    WHERE changed_by_user_id IS NOT NULL;

-- Every change: what changed (field names and, for the status, the old and new value).
CREATE TABLE practice_history (
    id           INTEGER PRIMARY KEY,
    practice_id  INTEGER NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
    guild_id     INTEGER NOT NULL,
    at           TEXT NOT NULL,
    user_id      INTEGER,
    kind         TEXT NOT NULL CHECK (kind IN ('created', 'edited', 'status', 'archived',
                                               'imported', 'confirmed')),
    detail       TEXT NOT NULL DEFAULT '{}'          -- JSON: {"fields": [...], "from", "to"}
);
CREATE INDEX practice_history_practice ON practice_history (practice_id, id);
CREATE INDEX practice_history_user ON practice_history (guild_id, user_id)
    WHERE user_id IS NOT NULL;

-- "We're interested" and "we have adopted this", per organisation (one of each per practice).
CREATE TABLE practice_interest (
    id                 INTEGER PRIMARY KEY,
    practice_id        INTEGER NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
    guild_id           INTEGER NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('interest', 'adopted')),
    organisation_name  TEXT NOT NULL CHECK (length(organisation_name) BETWEEN 1 AND 100),
    organisation_key   TEXT NOT NULL,
    user_id            INTEGER,
    created_at         TEXT NOT NULL,
    UNIQUE (practice_id, kind, organisation_key)
);
CREATE INDEX practice_interest_user ON practice_interest (guild_id, user_id)
    WHERE user_id IS NOT NULL;

-- The search index (bot/services/search): token text the analyzer writes, every token led by
-- the network's id. `facets` holds the filter tokens (theme, status, target, funding, county).
CREATE VIRTUAL TABLE practice_index USING fts5 (
    title, summary, body, organisation, facets,
    tokenize = 'ascii'
);
CREATE VIRTUAL TABLE practice_index_vocab USING fts5vocab (practice_index, 'row');

CREATE TRIGGER practices_unindex AFTER UPDATE OF archived_at ON practices
WHEN NEW.archived_at IS NOT NULL
BEGIN
    DELETE FROM practice_index WHERE rowid = NEW.id;
END;
