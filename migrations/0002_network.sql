-- Network settings, the channels and roles the bot uses, organisations and memberships.

ALTER TABLE networks ADD COLUMN admin_role_id INTEGER;
ALTER TABLE networks ADD COLUMN member_role_id INTEGER;
-- NULL means the built-in default text of the network's language.
ALTER TABLE networks ADD COLUMN privacy_notice TEXT;
-- Days after which the personal data of someone who left the server is removed.
ALTER TABLE networks ADD COLUMN leaver_grace_days INTEGER NOT NULL DEFAULT 30
    CHECK (leaver_grace_days BETWEEN 1 AND 365);
-- Days after which a directory entry counts as unconfirmed and its owner is asked to confirm.
ALTER TABLE networks ADD COLUMN confirm_after_days INTEGER NOT NULL DEFAULT 183
    CHECK (confirm_after_days BETWEEN 7 AND 1095);
ALTER TABLE networks ADD COLUMN set_up_at TEXT;

-- The channels the bot uses, remembered by id so that renaming one breaks nothing.
-- purpose: category, welcome, general, meetings, tips, practices, questions, voice.
CREATE TABLE network_channels (
    guild_id    INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL,
    channel_id  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, purpose)
);

-- Forum tags the bot created, by a stable key (e.g. practices/language, questions/answered).
CREATE TABLE forum_tags (
    guild_id    INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    forum       TEXT NOT NULL,
    tag_key     TEXT NOT NULL,
    tag_id      INTEGER NOT NULL,
    PRIMARY KEY (guild_id, forum, tag_key)
);

-- The organisations of a network. A member municipality is an organisation of kind
-- 'municipality' with its SCB code; the network's member municipalities are those rows that are
-- not archived. Other kinds may name the municipality they are in. Organisations are archived,
-- never deleted, so that people and records that refer to them keep their meaning.
CREATE TABLE organisations (
    id                  INTEGER PRIMARY KEY,
    guild_id            INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    kind                TEXT NOT NULL CHECK (kind IN
                            ('municipality', 'region', 'authority', 'civil_society', 'company', 'other')),
    name                TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    municipality_code   TEXT CHECK (municipality_code IS NULL OR length(municipality_code) = 4),
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    archived_at         TEXT,
    CHECK (kind <> 'municipality' OR municipality_code IS NOT NULL)
);
CREATE UNIQUE INDEX organisations_name ON organisations (guild_id, name COLLATE NOCASE);
CREATE UNIQUE INDEX organisations_municipality ON organisations (guild_id, municipality_code)
    WHERE kind = 'municipality';

-- A person's membership of the network: which organisation they picked, and when they left.
-- left_at starts the grace period after which their personal data is removed.
CREATE TABLE members (
    guild_id         INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL,
    organisation_id  INTEGER REFERENCES organisations (id),
    joined_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    left_at          TEXT,
    PRIMARY KEY (guild_id, user_id)
);
CREATE INDEX members_left ON members (left_at) WHERE left_at IS NOT NULL;
