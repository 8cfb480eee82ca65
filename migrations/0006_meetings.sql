-- The network meeting: series with their rule, and changes to single occurrences.
-- (Numbered 0006 on main.) Timestamps are UTC text 'YYYY-MM-DDTHH:MM:SSZ' from the bot's clock;
-- rule dates and times are the network's local wall-clock time ('YYYY-MM-DD', 'HH:MM') in the
-- series' IANA zone, so that a 13:00 meeting stays at 13:00 across daylight-saving changes.
--
-- An occurrence is addressed by (series_id, original_start): the local start the rule gives it
-- ('YYYY-MM-DDTHH:MM'), which stays its identity when it is moved (by hand or off a holiday).
-- Reminders, RSVPs, agenda items and minutes refer to occurrences by that pair.

CREATE TABLE meeting_series (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    -- The .ics UID of the series: stable for its life, new for the part split off by an edit.
    uid              TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    kind             TEXT NOT NULL CHECK (kind IN ('monthly', 'weekly', 'biweekly', 'once')),
    -- Monday = 0 … Sunday = 6; NULL for 'once'.
    weekday          INTEGER CHECK (weekday IS NULL OR weekday BETWEEN 0 AND 6),
    -- 1–4 or -1 (the last) for 'monthly', else NULL.
    ordinal          INTEGER CHECK (ordinal IS NULL OR ordinal IN (1, 2, 3, 4, -1)),
    start_date       TEXT NOT NULL,
    start_time       TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
    timezone         TEXT NOT NULL DEFAULT 'Europe/Stockholm',
    holiday_policy   TEXT NOT NULL DEFAULT 'skip' CHECK (holiday_policy IN ('none', 'skip', 'move')),
    -- Months without meetings, as bits: 1 << (month - 1) (July alone is 64).
    months_off       INTEGER NOT NULL DEFAULT 0 CHECK (months_off BETWEEN 0 AND 4094),
    until_date       TEXT,
    count            INTEGER CHECK (count IS NULL OR count >= 1),
    place_kind       TEXT NOT NULL CHECK (place_kind IN ('voice', 'address', 'link')),
    -- The voice channel for 'voice'; the address or the http(s) link otherwise.
    voice_channel_id INTEGER,
    place            TEXT CHECK (place IS NULL OR length(place) BETWEEN 1 AND 500),
    organiser_id     INTEGER NOT NULL,
    -- The series this one continues after an edit "from this occurrence on" (which ended it).
    previous_id      INTEGER REFERENCES meeting_series (id) ON DELETE SET NULL,
    cancelled_at     TEXT,
    created_at       TEXT NOT NULL,
    changed_at       TEXT NOT NULL,
    CHECK ((kind = 'once') = (weekday IS NULL)),
    CHECK ((kind = 'monthly') = (ordinal IS NOT NULL)),
    CHECK (until_date IS NULL OR count IS NULL),
    CHECK ((place_kind = 'voice') = (voice_channel_id IS NOT NULL)),
    CHECK ((place_kind = 'voice') = (place IS NULL))
);
CREATE INDEX meeting_series_guild ON meeting_series (guild_id) WHERE cancelled_at IS NULL;

-- When reminders go out: minutes before the start (10080 = 7 days, 1440 = 1 day, 60 = 1 hour).
CREATE TABLE meeting_reminder_offsets (
    series_id      INTEGER NOT NULL REFERENCES meeting_series (id) ON DELETE CASCADE,
    minutes_before INTEGER NOT NULL CHECK (minutes_before BETWEEN 5 AND 40320),
    PRIMARY KEY (series_id, minutes_before)
) WITHOUT ROWID;

-- One occurrence cancelled, or moved to another start (UTC), keyed by its original local start.
CREATE TABLE meeting_overrides (
    series_id      INTEGER NOT NULL REFERENCES meeting_series (id) ON DELETE CASCADE,
    original_start TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('cancelled', 'moved')),
    new_start      TEXT,
    changed_by     INTEGER NOT NULL,
    changed_at     TEXT NOT NULL,
    CHECK ((status = 'moved') = (new_start IS NOT NULL)),
    PRIMARY KEY (series_id, original_start)
) WITHOUT ROWID;
