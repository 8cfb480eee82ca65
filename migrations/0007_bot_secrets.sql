-- Secrets the bot makes for itself (not tokens from outside): the key that signs autocomplete
-- values (bot/pick.py), so that a value picked before a restart still verifies after it.
CREATE TABLE bot_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
