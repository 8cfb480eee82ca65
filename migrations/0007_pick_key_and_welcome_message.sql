-- Secrets the bot makes for itself (not tokens from outside): the key that signs autocomplete
-- values (bot/pick.py), so that a value picked before a restart still verifies after it.
CREATE TABLE bot_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

-- The standing message in the welcome channel (the organisation picker for everyone), so that it
-- can be edited when the network's name or language changes.
ALTER TABLE networks ADD COLUMN welcome_message_id INTEGER;
