"""Networks: one Discord server is one network. A network whose server removed the bot is
deleted, with everything in it, once its removal grace period has passed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.db import Database
from bot.i18n import DEFAULT_LANG, Lang, t
from bot.services.text import is_invisible

_LOCALE_OF: dict[Lang, str] = {"sv": "sv-SE", "en": "en"}
_LANG_OF: dict[str, Lang] = {"sv-SE": "sv", "en": "en"}
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


async def ensure(db: Database, guild_id: int, *, name: str, preferred_locale: Lang | None) -> Lang:
    """Create the network of a guild the first time the bot sees it (and keep it, clearing
    `left_at`, when the bot is invited back in time); return its language."""
    locale = _LOCALE_OF[preferred_locale or DEFAULT_LANG]
    # A server's name may show nothing (only invisible characters): the network gets a default.
    if is_invisible(name):
        name = t(preferred_locale or DEFAULT_LANG, "security.network.default_name")
    await db.execute(
        "INSERT INTO networks (guild_id, name, locale) VALUES (?, ?, ?)"
        " ON CONFLICT (guild_id) DO UPDATE SET left_at = NULL",
        (guild_id, name[:100], locale),
    )
    stored = await db.fetchval("SELECT locale FROM networks WHERE guild_id = ?", (guild_id,))
    return _LANG_OF.get(str(stored), DEFAULT_LANG)


async def mark_left(db: Database, guild_id: int, when: str) -> None:
    """The bot was removed from the server: the network's removal grace period starts."""
    await db.execute("UPDATE networks SET left_at = ? WHERE guild_id = ?", (when, guild_id))


async def languages(db: Database) -> dict[int, Lang]:
    rows = await db.fetchall("SELECT guild_id, locale FROM networks")
    return {int(r["guild_id"]): _LANG_OF.get(r["locale"], DEFAULT_LANG) for r in rows}


async def removal_grace_days(db: Database, guild_id: int) -> int:
    value = await db.fetchval(
        "SELECT removal_grace_days FROM networks WHERE guild_id = ?", (guild_id,)
    )
    return 30 if value is None else int(value)


async def tables_with_guild_id(db: Database) -> list[str]:
    """Every table (virtual ones included) with a `guild_id` column: a network's data."""
    names = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    )
    found: list[str] = []
    for row in names:
        table = str(row["name"])
        if not _IDENTIFIER.match(table):
            continue
        columns = await db.fetchall(f"PRAGMA table_info({table})")
        if any(c["name"] == "guild_id" for c in columns):
            found.append(table)
    return found


async def purge_removed(db: Database, *, now: datetime) -> list[int]:
    """Delete every network whose server removed the bot longer ago than its removal grace
    period: every row of every table with its guild_id. Returns the networks deleted."""
    when = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = await db.fetchall(
        "SELECT guild_id, left_at FROM networks WHERE left_at IS NOT NULL"
        " AND julianday(left_at) <= julianday(?) - removal_grace_days ORDER BY left_at",
        (when,),
    )
    if not rows:
        return []
    tables = [t for t in await tables_with_guild_id(db) if t != "networks"]
    purged: list[int] = []
    for row in rows:
        guild_id = int(row["guild_id"])
        async with db.transaction():
            # Invited back since the query above: nothing is deleted.
            left = await db.fetchval("SELECT left_at FROM networks WHERE guild_id = ?", (guild_id,))
            if left != row["left_at"]:
                continue
            # Checked at COMMIT, when every row of the network is gone, so the order of the
            # tables does not matter.
            await db.execute("PRAGMA defer_foreign_keys = ON")
            for table in tables:
                await db.execute(f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))
            await db.execute("DELETE FROM networks WHERE guild_id = ?", (guild_id,))
        purged.append(guild_id)
    return purged
