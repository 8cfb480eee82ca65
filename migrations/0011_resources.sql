-- Resources (links, guides, contacts at authorities, funding calls, training, tips from
-- elsewhere), the questions asked of the network (answered ones answer the next /ask), and the
-- profile setting "you may ping me with questions". Timestamps are UTC 'YYYY-MM-DDTHH:MM:SSZ'.

CREATE TABLE resources (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN
                        ('guide', 'authority_contact', 'funding', 'training', 'tip')),
    title            TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 150),
    url              TEXT NOT NULL CHECK (length(url) BETWEEN 10 AND 500
                        AND (url LIKE 'https://%' OR url LIKE 'http://%')),
    description      TEXT CHECK (description IS NULL OR length(description) BETWEEN 1 AND 1000),
    organisation_id  INTEGER REFERENCES organisations (id) ON DELETE SET NULL,
    -- Who added it (kept as "a former member" when they are erased: the link stays useful).
    author_user_id   INTEGER,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    -- The message in the tips channel, for a tip.
    tip_channel_id   INTEGER,
    tip_message_id   INTEGER
);
CREATE INDEX resources_guild ON resources (guild_id, created_at);
CREATE INDEX resources_author ON resources (author_user_id);

CREATE TABLE resource_tags (
    resource_id  INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    guild_id     INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    tag          TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 40),
    tag_key      TEXT NOT NULL,
    PRIMARY KEY (resource_id, position)
);
CREATE INDEX resource_tags_key ON resource_tags (guild_id, tag_key);

-- The one search's index shape (see 0005): tokens led by the network's id.
CREATE VIRTUAL TABLE resource_index USING fts5 (
    title, tags, description, organisation,
    tokenize = 'ascii'
);
CREATE VIRTUAL TABLE resource_index_vocab USING fts5vocab (resource_index, 'row');
CREATE TRIGGER resources_unindex AFTER DELETE ON resources BEGIN
    DELETE FROM resource_index WHERE rowid = OLD.id;
END;

-- Questions asked of the network: a post in the questions forum (made by /ask's hand-off or by
-- a member), the bot's reply, and the answer once the asker or an admin marks it answered.
CREATE TABLE questions (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL REFERENCES networks (guild_id) ON DELETE CASCADE,
    thread_id        INTEGER NOT NULL UNIQUE,
    asker_user_id    INTEGER,
    title            TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    body             TEXT CHECK (body IS NULL OR length(body) <= 2000),
    created_at       TEXT NOT NULL,
    answered_at      TEXT,
    answer           TEXT CHECK (answer IS NULL OR length(answer) BETWEEN 1 AND 1000),
    answered_by      INTEGER,
    -- When the network's admins were told it waits for an answer.
    reported_at      TEXT
);
CREATE INDEX questions_open ON questions (guild_id, created_at) WHERE answered_at IS NULL;
CREATE INDEX questions_asker ON questions (asker_user_id);
CREATE INDEX questions_answerer ON questions (answered_by);

-- Answered questions, searchable (question and answer).
CREATE VIRTUAL TABLE question_index USING fts5 (
    title, answer, body,
    tokenize = 'ascii'
);
CREATE VIRTUAL TABLE question_index_vocab USING fts5vocab (question_index, 'row');
CREATE TRIGGER questions_unindex AFTER DELETE ON questions BEGIN
    DELETE FROM question_index WHERE rowid = OLD.id;
END;

-- "You may name and ping me when a question fits my expertise" (opt-in, off by default).
ALTER TABLE profiles ADD COLUMN ask_opt_in INTEGER NOT NULL DEFAULT 0 CHECK (ask_opt_in IN (0, 1));
