-- What is due, and when: the schedule lives here; APScheduler only runs it (its in-memory jobs
-- are rebuilt from this table at every start). id is '<kind>:<key>' ('purge:leavers',
-- 'reminder:42'). A run claims its row first (claimed_at), so that a job is never run twice at
-- once; a recurring job (every_seconds) is then moved to its next time, a one-off is deleted.
CREATE TABLE jobs (
    id             TEXT PRIMARY KEY CHECK (length(id) BETWEEN 3 AND 100),
    kind           TEXT NOT NULL,
    due_at         TEXT NOT NULL,
    every_seconds  INTEGER CHECK (every_seconds IS NULL OR every_seconds > 0),
    claimed_at     TEXT,
    last_run_at    TEXT,
    failures       INTEGER NOT NULL DEFAULT 0,
    -- The network a job belongs to (NULL for the bot's own maintenance): deleted with it.
    guild_id       INTEGER
);
CREATE INDEX jobs_due ON jobs (due_at) WHERE claimed_at IS NULL;

-- Days after the bot is removed from a server before everything of that network is deleted;
-- inviting the bot back within them keeps everything.
ALTER TABLE networks ADD COLUMN removal_grace_days INTEGER NOT NULL DEFAULT 30
    CHECK (removal_grace_days BETWEEN 1 AND 365);
