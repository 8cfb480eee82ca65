-- The directory moves onto the one search (bot/services/search): an FTS5 index of token text
-- that the Swedish/English analyzer writes (stems, ASCII folds, compound parts), every token
-- led by the network's id, so that a search in one network reads and scores only that
-- network's entries. The 'ascii' tokenizer keeps every non-ASCII character inside a token and
-- splits only on ASCII punctuation and spaces, which the analyzer never puts inside a token.
DROP TRIGGER profiles_unindex;
DROP TABLE directory_fts;

CREATE VIRTUAL TABLE directory_index USING fts5 (
    name, title, functions, expertise, organisation, other,
    tokenize = 'ascii'
);
-- The index's own terms, for the typo fallback (read per network by a range of terms).
CREATE VIRTUAL TABLE directory_index_vocab USING fts5vocab (directory_index, 'row');

CREATE TRIGGER profiles_unindex AFTER DELETE ON profiles BEGIN
    DELETE FROM directory_index WHERE rowid = OLD.id;
END;

-- The index holds exactly the entries a member may find: visible profiles of current members.
-- Then a search is answered, counted and scored by the index alone, without a join per match.
-- A profile hidden or shown again, and a member who leaves or comes back, are re-indexed
-- (written or removed) by the directory before the next search in their network.
CREATE TRIGGER profiles_visibility_reindex AFTER UPDATE OF visibility ON profiles
WHEN OLD.visibility IS NOT NEW.visibility
BEGIN
    UPDATE profiles SET index_dirty = 1 WHERE id = NEW.id;
END;

CREATE TRIGGER members_left_reindex AFTER UPDATE OF left_at ON members
WHEN (OLD.left_at IS NULL) IS NOT (NEW.left_at IS NULL)
BEGIN
    UPDATE profiles SET index_dirty = 1 WHERE guild_id = NEW.guild_id AND user_id = NEW.user_id;
END;

-- Existing profiles are written into the new index by the directory before its next search
-- in their network (the analyzer runs in Python).
UPDATE profiles SET index_dirty = 1;
