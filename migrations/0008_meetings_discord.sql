-- The network meeting in Discord: reminders (one row each, claimed before they are sent), the
-- answers (RSVP) of members, the announcement and scheduled event of each occurrence, and the
-- drafts shown back by /meeting schedule until they are confirmed.
-- Occurrences are (series_id, original_start) as in 0006. Timestamps are UTC text.

-- One row per reminder of one occurrence: 'reminder' at minutes_before, or the 'nudge' to those
-- who have not answered. status: pending → claimed (before sending) → sent; or missed (the
-- meeting had begun when the bot could send it), failed (retries used up, organiser told),
-- dropped (the occurrence was cancelled or moved away).
CREATE TABLE meeting_reminders (
    id             INTEGER PRIMARY KEY,
    series_id      INTEGER NOT NULL REFERENCES meeting_series (id) ON DELETE CASCADE,
    guild_id       INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    original_start TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('reminder', 'nudge')),
    minutes_before INTEGER NOT NULL CHECK (minutes_before > 0),
    due_at         TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'claimed', 'sent', 'missed', 'failed', 'dropped')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    claimed_at     TEXT,
    done_at        TEXT,
    message_id     INTEGER,
    UNIQUE (series_id, original_start, kind, minutes_before)
);
CREATE INDEX meeting_reminders_open ON meeting_reminders (series_id, original_start)
    WHERE status IN ('pending', 'claimed');

-- The direct messages of one reminder, one row per recipient, claimed before sending.
CREATE TABLE meeting_reminder_dms (
    reminder_id INTEGER NOT NULL REFERENCES meeting_reminders (id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
    PRIMARY KEY (reminder_id, user_id)
) WITHOUT ROWID;

-- Who answered what for one occurrence; 'event' when it came from "Interested" on the event.
CREATE TABLE meeting_rsvps (
    series_id      INTEGER NOT NULL REFERENCES meeting_series (id) ON DELETE CASCADE,
    original_start TEXT NOT NULL,
    guild_id       INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL,
    answer         TEXT NOT NULL CHECK (answer IN ('coming', 'maybe', 'not_coming')),
    via            TEXT NOT NULL DEFAULT 'button' CHECK (via IN ('button', 'event')),
    wants_dm       INTEGER NOT NULL DEFAULT 1 CHECK (wants_dm IN (0, 1)),
    answered_at    TEXT NOT NULL,
    PRIMARY KEY (series_id, original_start, user_id)
) WITHOUT ROWID;

-- The Discord side of an occurrence: its scheduled event and its announcement message.
CREATE TABLE meeting_posts (
    series_id      INTEGER NOT NULL REFERENCES meeting_series (id) ON DELETE CASCADE,
    original_start TEXT NOT NULL,
    guild_id       INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    event_id       INTEGER UNIQUE,
    event_start    TEXT,
    channel_id     INTEGER,
    message_id     INTEGER,
    PRIMARY KEY (series_id, original_start)
) WITHOUT ROWID;

-- What /meeting schedule showed back, until Confirm or Cancel (or a day passes).
CREATE TABLE meeting_drafts (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    form       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Whether a series nudges, two days before, the members who have not answered.
ALTER TABLE meeting_series ADD COLUMN nudge INTEGER NOT NULL DEFAULT 0 CHECK (nudge IN (0, 1));

-- The token of a network's calendar subscription URL (only when the bot serves them).
CREATE TABLE meeting_calendar_feeds (
    guild_id   INTEGER PRIMARY KEY REFERENCES networks (guild_id) ON DELETE CASCADE,
    token      TEXT NOT NULL UNIQUE CHECK (length(token) >= 32),
    created_at TEXT NOT NULL
);
