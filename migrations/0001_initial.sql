-- The network: one Discord server (guild) is one network. Every table of network data
-- carries guild_id. Discord ids are INTEGER.
CREATE TABLE networks (
    guild_id    INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    locale      TEXT NOT NULL DEFAULT 'sv-SE' CHECK (locale IN ('sv-SE', 'en')),
    timezone    TEXT NOT NULL DEFAULT 'Europe/Stockholm',
    joined_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    left_at     TEXT
);
