"""Counts of what a network holds, for /about. Features add their tables to COUNTED."""

from __future__ import annotations

from bot.db import Database

# (catalogue key under `about.count.`, table). Every table listed has a guild_id column.
COUNTED: list[tuple[str, str]] = []


async def network_counts(db: Database, guild_id: int) -> dict[str, int]:
    """How many rows of each counted kind the network holds."""
    counts: dict[str, int] = {}
    for key, table in COUNTED:
        value = await db.fetchval(f"SELECT COUNT(*) FROM {table} WHERE guild_id = ?", (guild_id,))
        counts[key] = int(value or 0)
    return counts


async def networks_served(db: Database) -> int:
    return int(await db.fetchval("SELECT COUNT(*) FROM networks WHERE left_at IS NULL") or 0)
