"""People as a source of answers: the directory's index (visible profiles of current members
only), filtered by the question's places and, when it names a known expertise, by that."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from bot.db import Database, UntilWrite
from bot.services import directory
from bot.services.ask.source import AskItem, AskQuery, search_index
from bot.services.search import Hit
from bot.services.textnorm import fold

__all__ = [
    "ask_hits",
    "ask_items",
    "ask_render",
    "ask_search",
    "expertise_keys",
    "opted_in",
    "prepare",
]

_keys: UntilWrite[int, frozenset[str]] = UntilWrite()

# The columns that say what a person knows or does (not their name or organisation).
_KNOWS_ORDER = ("title", "functions", "expertise")
_KNOWS = frozenset(_KNOWS_ORDER)


def ask_hits(conn: sqlite3.Connection, guild_id: int, q: AskQuery) -> list[Hit] | None:
    """The people whose title, functions or expertise answer the question (in a reader); None
    while profiles wait to be re-indexed by the writer (`prepare`)."""
    dirty = conn.execute(
        "SELECT 1 FROM profiles WHERE guild_id = ? AND index_dirty = 1 LIMIT 1", (guild_id,)
    ).fetchone()
    if dirty:
        return None
    hits = search_index(
        conn, directory.SOURCE, guild_id, q, place_column="organisation", columns=_KNOWS_ORDER
    )
    wanted = {t.text for t in q.expertise}
    out = []
    for hit in hits:
        knows = {m.term for m in hit.matched if m.field in _KNOWS}
        # A person fits by what they know or do, never by their name alone matching a word.
        if not knows or (wanted and not wanted & knows):
            continue
        out.append(hit)
    return out[: q.limit]


def ask_items(conn: sqlite3.Connection, guild_id: int, hits: Sequence[Hit]) -> list[AskItem]:
    """The hits as /ask shows them: the person's name, title and organisation (in a reader;
    hidden profiles and other networks' never)."""
    if not hits:
        return []
    marks = ",".join("?" * len(hits))
    rows = conn.execute(
        "SELECT p.id, p.user_id, p.display_name, p.title, o.name AS organisation"
        " FROM profiles p JOIN members m ON m.guild_id = p.guild_id AND m.user_id = p.user_id"
        " LEFT JOIN organisations o ON o.id = m.organisation_id"
        f" WHERE p.id IN ({marks}) AND +p.guild_id = ? AND +p.visibility = 'members'"
        " AND m.left_at IS NULL",
        (*[h.id for h in hits], guild_id),
    ).fetchall()
    by_id = {int(r["id"]): r for r in rows}
    items = []
    for hit in hits:
        row = by_id.get(hit.id)
        if row is None:
            continue
        detail = " · ".join(x for x in (row["title"], row["organisation"]) if x) or None
        items.append(
            AskItem(id=hit.id, title=row["display_name"], user_id=row["user_id"], detail=detail)
        )
    return items


async def prepare(db: Database, guild_id: int) -> None:
    """Re-index the profiles that changed (on the writer), so that `ask_hits` answers."""
    await directory.reindex_dirty(db, guild_id)


async def ask_search(db: Database, guild_id: int, q: AskQuery) -> list[Hit]:
    """`ask_hits` from the loop (the hand-off's suggested people)."""
    hits = await db.read(lambda conn: ask_hits(conn, guild_id, q))
    if hits is None:
        await prepare(db, guild_id)
        hits = await db.read(lambda conn: ask_hits(conn, guild_id, q)) or []
    return hits


async def ask_render(db: Database, guild_id: int, hits: Sequence[Hit]) -> list[AskItem]:
    return await db.read(lambda conn: ask_items(conn, guild_id, hits))


async def expertise_keys(db: Database, guild_id: int) -> frozenset[str]:
    """The folded expertise tags the network's people use (kept until the next write)."""

    async def read() -> frozenset[str]:
        rows = await db.fetchall(
            "SELECT DISTINCT tag_key FROM profile_expertise WHERE guild_id = ?", (guild_id,)
        )
        return frozenset(fold(r[0]) for r in rows)

    return await _keys.get(db, guild_id, read)


async def opted_in(db: Database, guild_id: int, profile_ids: Sequence[int]) -> set[int]:
    """User ids of these visible profiles whose holders said they may be pinged with questions."""
    if not profile_ids:
        return set()
    marks = ",".join("?" * len(profile_ids))
    rows = await db.fetchall(
        f"SELECT user_id FROM profiles WHERE +guild_id = ? AND +ask_opt_in = 1"
        f" AND visibility = 'members' AND id IN ({marks})",
        [guild_id, *profile_ids],
    )
    return {int(r[0]) for r in rows}
