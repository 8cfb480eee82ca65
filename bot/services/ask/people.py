"""People as a source of answers: the directory's index (visible profiles of current members
only), filtered by the question's places and, when it names a known expertise, by that."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from bot.db import Database
from bot.services import directory
from bot.services.ask.source import AskItem, AskQuery, search_index
from bot.services.search import Hit
from bot.services.textnorm import fold

__all__ = ["ask_render", "ask_search", "expertise_keys", "opted_in"]

# The columns that say what a person knows or does (not their name or organisation).
_KNOWS = frozenset({"title", "functions", "expertise"})


def _search(conn: sqlite3.Connection, guild_id: int, q: AskQuery) -> list[Hit] | None:
    # Profiles waiting to be re-indexed (by the writer) first: None.
    dirty = conn.execute(
        "SELECT 1 FROM profiles WHERE guild_id = ? AND index_dirty = 1 LIMIT 1", (guild_id,)
    ).fetchone()
    if dirty:
        return None
    return search_index(
        conn, directory.SOURCE, guild_id, q, place_column="organisation", limit=q.limit * 2
    )


async def ask_search(db: Database, guild_id: int, q: AskQuery) -> list[Hit]:
    """Read on a reader; only when profiles wait to be re-indexed does the writer run."""
    hits = await db.read(lambda conn: _search(conn, guild_id, q))
    if hits is None:
        await directory.reindex_dirty(db, guild_id)
        hits = await db.read(lambda conn: _search(conn, guild_id, q)) or []
    wanted = {t.text for t in q.expertise}
    out = []
    for hit in hits:
        knows = {m.term for m in hit.matched if m.field in _KNOWS}
        # A person fits by what they know or do, never by their name alone matching a word.
        if not knows or (wanted and not wanted & knows):
            continue
        out.append(hit)
    return out[: q.limit]


async def ask_render(db: Database, guild_id: int, hits: Sequence[Hit]) -> list[AskItem]:
    profiles = await directory.load_profiles(db, [h.id for h in hits])
    items = []
    for p in profiles:
        if p.guild_id != guild_id or p.hidden:
            continue
        detail = " · ".join(x for x in (p.title, p.organisation_name) if x) or None
        items.append(AskItem(id=p.id, title=p.display_name, user_id=p.user_id, detail=detail))
    return items


async def expertise_keys(db: Database, guild_id: int) -> set[str]:
    """The folded expertise tags the network's people use."""
    rows = await db.read(
        lambda conn: conn.execute(
            "SELECT DISTINCT tag_key FROM profile_expertise WHERE guild_id = ?", (guild_id,)
        ).fetchall()
    )
    return {fold(r[0]) for r in rows}


async def opted_in(db: Database, guild_id: int, profile_ids: Sequence[int]) -> set[int]:
    """User ids of these visible profiles whose holders said they may be pinged with questions."""
    if not profile_ids:
        return set()
    marks = ",".join("?" * len(profile_ids))
    rows = await db.fetchall(
        f"SELECT user_id FROM profiles WHERE guild_id = ? AND ask_opt_in = 1"
        f" AND visibility = 'members' AND id IN ({marks})",
        [guild_id, *profile_ids],
    )
    return {int(r[0]) for r in rows}
