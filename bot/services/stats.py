"""Counts of what a network holds, for /about. Features declare theirs (`bot.features`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.db import Database, UntilWrite


@dataclass(frozen=True)
class Counted:
    """Rows of `table` (which has a guild_id column) that meet `where`, shown in /about as the
    plural message `about.count.<key>`."""

    key: str
    table: str
    where: str = "1"


_counts: UntilWrite[tuple[int, tuple[Counted, ...]], dict[str, int]] = UntilWrite()


async def network_counts(db: Database, guild_id: int, counted: Sequence[Counted]) -> dict[str, int]:
    """How many of each counted kind the network holds, in one query; kept until the next
    write to the database (counting 100,000 practices is not free, and /about is pressed
    often)."""
    if not counted:
        return {}
    wanted = tuple(counted)

    async def read() -> dict[str, int]:
        parts = ", ".join(
            f"(SELECT COUNT(*) FROM {c.table} WHERE guild_id = :guild AND ({c.where}))"
            for c in wanted
        )
        row = await db.fetchone(f"SELECT {parts}", {"guild": guild_id})
        assert row is not None
        return {c.key: int(row[i] or 0) for i, c in enumerate(wanted)}

    return dict(await _counts.get(db, (guild_id, wanted), read))


async def networks_served(db: Database) -> int:
    return int(await db.fetchval("SELECT COUNT(*) FROM networks WHERE left_at IS NULL") or 0)
