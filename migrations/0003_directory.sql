-- The directory: who is who in the network. Profiles, the functions people hold in
-- organisations, the audit log of admins' changes to other people's data, and the search index.
-- Timestamps are UTC text 'YYYY-MM-DDTHH:MM:SSZ', written from the bot's clock.

-- One profile per person and network. A profile belongs to a membership: removing the member
-- row (forget-me, purge of leavers) removes the profile with it. The person's organisation is
-- not stored here: it is the membership's (members.organisation_id, picked at onboarding or in
-- the profile), so that the member role and the directory always agree.
CREATE TABLE profiles (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    user_id          INTEGER NOT NULL,
    display_name     TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
    title            TEXT CHECK (title IS NULL OR length(title) BETWEEN 1 AND 100),
    department       TEXT CHECK (department IS NULL OR length(department) BETWEEN 1 AND 100),
    email            TEXT CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254),
    phone            TEXT CHECK (phone IS NULL OR length(phone) BETWEEN 5 AND 20),
    -- "You may contact me about my expertise" (opt-in).
    contact_ok       INTEGER NOT NULL DEFAULT 0 CHECK (contact_ok IN (0, 1)),
    visibility       TEXT NOT NULL DEFAULT 'members' CHECK (visibility IN ('members', 'hidden')),
    -- Folded display name, for ordering and for short (one- or two-letter) name searches.
    name_key         TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    -- Freshness: when the person last said the entry is right, and when we last asked.
    confirmed_at     TEXT NOT NULL,
    reminded_at      TEXT,
    -- Set when something the search document is built from changed outside this module (an
    -- organisation renamed, the member's organisation changed at onboarding); the directory
    -- service re-indexes such rows before searching.
    index_dirty      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (guild_id, user_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
);
CREATE INDEX profiles_name ON profiles (guild_id, name_key);
CREATE INDEX profiles_confirmed ON profiles (confirmed_at);
CREATE INDEX profiles_dirty ON profiles (guild_id) WHERE index_dirty = 1;
-- The people of an organisation: the search's municipality filter and the re-index triggers
-- below go through it (members is 0002's, which has landed, so its index is added here).
CREATE INDEX members_organisation ON members (organisation_id);

-- Free expertise tags ("TMO", "praktik för nyanlända"); tag_key is the folded form.
CREATE TABLE profile_expertise (
    profile_id  INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    tag         TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 40),
    tag_key     TEXT NOT NULL,
    PRIMARY KEY (profile_id, tag_key)
);
-- Suggestions are drawn from what the network already uses.
CREATE INDEX profile_expertise_network ON profile_expertise (guild_id, tag_key);

-- Languages spoken, as ISO 639 codes (shown by name in the reader's language).
CREATE TABLE profile_languages (
    profile_id  INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    language    TEXT NOT NULL CHECK (length(language) BETWEEN 2 AND 12),
    PRIMARY KEY (profile_id, language)
);

-- A function of an organisation ("integrationssamordnare" of Lysekil) that one person holds.
-- When the holder leaves, gives it up or is removed, the function stays, vacant.
CREATE TABLE functions (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    name_key         TEXT NOT NULL,
    holder_user_id   INTEGER,
    holder_since     TEXT,
    vacated_at       TEXT,
    created_at       TEXT NOT NULL,
    archived_at      TEXT,
    CHECK ((holder_user_id IS NULL) = (holder_since IS NULL)),
    FOREIGN KEY (guild_id, holder_user_id) REFERENCES members (guild_id, user_id)
);
CREATE UNIQUE INDEX functions_name ON functions (organisation_id, name_key)
    WHERE archived_at IS NULL;
CREATE INDEX functions_holder ON functions (guild_id, holder_user_id)
    WHERE holder_user_id IS NOT NULL;
CREATE INDEX functions_network ON functions (guild_id, organisation_id);

-- Changes admins make to other people's data. Visible to admins. detail is JSON and names
-- fields and functions, never personal values.
CREATE TABLE audit_log (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    at               TEXT NOT NULL,
    actor_user_id    INTEGER,
    subject_user_id  INTEGER,
    action           TEXT NOT NULL,
    detail           TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_network ON audit_log (guild_id, id);
CREATE INDEX audit_log_actor ON audit_log (guild_id, actor_user_id);
CREATE INDEX audit_log_subject ON audit_log (guild_id, subject_user_id);

-- Full-text index of the directory, one document per profile (rowid = profiles.id). The
-- trigram tokenizer matches any substring of three characters or more, so "samordnare" finds
-- "integrationssamordnare" (Swedish compounds) and a half-typed word finds the whole. The text
-- is folded before indexing and querying ("Söderhamn" and "Soderhamn" are the same key).
CREATE VIRTUAL TABLE directory_fts USING fts5 (
    name, title, functions, expertise, organisation, other,
    tokenize = 'trigram'
);

CREATE TRIGGER profiles_unindex AFTER DELETE ON profiles BEGIN
    DELETE FROM directory_fts WHERE rowid = OLD.id;
END;

-- An organisation renamed or moved to another municipality changes the documents of its people.
CREATE TRIGGER organisations_reindex AFTER UPDATE OF name, municipality_code ON organisations
BEGIN
    UPDATE profiles SET index_dirty = 1
    WHERE guild_id = NEW.guild_id
      AND user_id IN (SELECT user_id FROM members WHERE organisation_id = NEW.id);
END;

-- A member who picks another organisation (at onboarding, or in the profile) changes the
-- document of their profile, if they have one.
CREATE TRIGGER members_reindex AFTER UPDATE OF organisation_id ON members
WHEN OLD.organisation_id IS NOT NEW.organisation_id
BEGIN
    UPDATE profiles SET index_dirty = 1 WHERE guild_id = NEW.guild_id AND user_id = NEW.user_id;
END;
