-- The meeting's agenda, minutes and actions (0008: after the meetings' 0007; the lead renumbers).
-- Occurrences are addressed as in 0006: (series_id, original_start), the local start the rule
-- gives them ('YYYY-MM-DDTHH:MM'). Timestamps are UTC text 'YYYY-MM-DDTHH:MM:SSZ'.
--
-- People are named by their Discord id only (never by name), so that forget-me and the purge
-- of leavers set the id to NULL and the record stays, shown as "a former member".

-- What members put on a meeting's agenda. An item not handled moves to the next occurrence of
-- its series by itself (carried_from keeps where it came from, carried counts the moves).
CREATE TABLE meeting_agenda_items (
    id                INTEGER PRIMARY KEY,
    guild_id          INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    series_id         INTEGER NOT NULL REFERENCES meeting_series (id) ON DELETE CASCADE,
    original_start    TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('strategic', 'quick')),
    text              TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
    submitted_user_id INTEGER,
    submitted_at      TEXT NOT NULL,
    carried           INTEGER NOT NULL DEFAULT 0 CHECK (carried >= 0),
    carried_from      TEXT,
    handled_at        TEXT,
    handled_minutes   INTEGER REFERENCES meeting_minutes (id) ON DELETE SET NULL
);
CREATE INDEX meeting_agenda_occurrence ON meeting_agenda_items (series_id, original_start);
CREATE INDEX meeting_agenda_open ON meeting_agenda_items (guild_id) WHERE handled_at IS NULL;

-- The minutes of one occurrence, MeetBot style: started, written to, ended. At most one
-- meeting of a network is in progress at a time (the commands that write to it name none).
CREATE TABLE meeting_minutes (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    series_id       INTEGER NOT NULL REFERENCES meeting_series (id) ON DELETE CASCADE,
    original_start  TEXT NOT NULL,
    chair_user_id   INTEGER,
    started_at      TEXT NOT NULL,
    ended_at        TEXT,
    -- Where the minutes were posted when the meeting ended.
    channel_id      INTEGER,
    message_id      INTEGER,
    UNIQUE (series_id, original_start)
);
CREATE UNIQUE INDEX meeting_minutes_in_progress ON meeting_minutes (guild_id)
    WHERE ended_at IS NULL;
CREATE INDEX meeting_minutes_guild ON meeting_minutes (guild_id, started_at);

-- Who took part: the chair, those in the voice channel at the start or end, those who wrote.
CREATE TABLE meeting_participants (
    id          INTEGER PRIMARY KEY,
    minutes_id  INTEGER NOT NULL REFERENCES meeting_minutes (id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER,
    UNIQUE (minutes_id, user_id)
);
CREATE INDEX meeting_participants_user ON meeting_participants (guild_id, user_id);

-- Notes and decisions, in the order they were written.
CREATE TABLE meeting_entries (
    id              INTEGER PRIMARY KEY,
    minutes_id      INTEGER NOT NULL REFERENCES meeting_minutes (id) ON DELETE CASCADE,
    guild_id        INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('note', 'decision')),
    text            TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
    author_user_id  INTEGER,
    created_at      TEXT NOT NULL
);
CREATE INDEX meeting_entries_minutes ON meeting_entries (minutes_id, id);
CREATE INDEX meeting_entries_author ON meeting_entries (guild_id, author_user_id);

-- Actions agreed at a meeting: an owner, a text, a due date (local 'YYYY-MM-DD'), open or done.
-- reminded_due_at and reminded_before record reminders before they are sent (never twice).
CREATE TABLE meeting_actions (
    id                INTEGER PRIMARY KEY,
    guild_id          INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    series_id         INTEGER NOT NULL REFERENCES meeting_series (id) ON DELETE CASCADE,
    minutes_id        INTEGER REFERENCES meeting_minutes (id) ON DELETE SET NULL,
    owner_user_id     INTEGER,
    text              TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
    due_date          TEXT,
    status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    created_user_id   INTEGER,
    created_at        TEXT NOT NULL,
    done_user_id      INTEGER,
    done_at           TEXT,
    reminded_due_at   TEXT,
    -- The occurrence ('<series>-<YYYYMMDDHHMM>') the owner was last reminded before.
    reminded_before   TEXT,
    CHECK ((status = 'done') = (done_at IS NOT NULL))
);
CREATE INDEX meeting_actions_open ON meeting_actions (guild_id, status);
CREATE INDEX meeting_actions_owner ON meeting_actions (guild_id, owner_user_id);

-- The search indexes of notes and decisions (rowid = meeting_entries.id) and of actions
-- (rowid = meeting_actions.id), in the one search's shape (bot/services/search), for /ask.
CREATE VIRTUAL TABLE meeting_entry_index USING fts5 (text, meeting, tokenize = 'ascii');
CREATE VIRTUAL TABLE meeting_entry_index_vocab USING fts5vocab (meeting_entry_index, 'row');
CREATE VIRTUAL TABLE meeting_action_index USING fts5 (text, meeting, tokenize = 'ascii');
CREATE VIRTUAL TABLE meeting_action_index_vocab USING fts5vocab (meeting_action_index, 'row');

-- Rows deleted (with their network or series) leave the indexes too.
CREATE TRIGGER meeting_entries_unindex AFTER DELETE ON meeting_entries BEGIN
    DELETE FROM meeting_entry_index WHERE rowid = OLD.id;
END;
CREATE TRIGGER meeting_actions_unindex AFTER DELETE ON meeting_actions BEGIN
    DELETE FROM meeting_action_index WHERE rowid = OLD.id;
END;
