"""Membership of a network: when people joined and left, and the organisation they picked.

`left_at` starts the grace period after which a leaver's personal data is removed; joining
again clears it and keeps the organisation they had picked.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from bot.db import Database
from bot.errors import InvalidInput
from bot.services.network import timestamp


@dataclass(frozen=True, slots=True)
class Member:
    guild_id: int
    user_id: int
    organisation_id: int | None
    joined_at: str
    left_at: str | None

    @property
    def present(self) -> bool:
        return self.left_at is None


def _member(row: object) -> Member:
    return Member(
        guild_id=row["guild_id"],  # type: ignore[index]
        user_id=row["user_id"],  # type: ignore[index]
        organisation_id=row["organisation_id"],  # type: ignore[index]
        joined_at=row["joined_at"],  # type: ignore[index]
        left_at=row["left_at"],  # type: ignore[index]
    )


async def get_member(db: Database, guild_id: int, user_id: int) -> Member | None:
    """The membership of one person, present or gone; None if the network never saw them."""
    row = await db.fetchone(
        "SELECT * FROM members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
    )
    return None if row is None else _member(row)


async def mark_joined(db: Database, guild_id: int, user_id: int, when: datetime) -> Member:
    """Someone joined (or came back): `joined_at` is now, `left_at` cleared, organisation kept."""
    await db.execute(
        "INSERT INTO members (guild_id, user_id, joined_at) VALUES (?, ?, ?)"
        " ON CONFLICT (guild_id, user_id) DO UPDATE SET joined_at = excluded.joined_at,"
        " left_at = NULL",
        (guild_id, user_id, timestamp(when)),
    )
    member = await get_member(db, guild_id, user_id)
    assert member is not None
    return member


async def mark_left(db: Database, guild_id: int, user_id: int, when: datetime) -> Member:
    """Someone left the server: `left_at` starts the grace period (a second call keeps the
    first date). Someone the network never saw gets a row too, so their data is purged."""
    stamp = timestamp(when)
    await db.execute(
        "INSERT INTO members (guild_id, user_id, joined_at, left_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (guild_id, user_id) DO UPDATE SET left_at = COALESCE(left_at, ?)",
        (guild_id, user_id, stamp, stamp, stamp),
    )
    member = await get_member(db, guild_id, user_id)
    assert member is not None
    return member


async def set_organisation(
    db: Database, guild_id: int, user_id: int, organisation_id: int, when: datetime
) -> Member:
    """Record the organisation someone picked; it must be one of the network's, not archived."""
    async with db.transaction():
        valid = await db.fetchval(
            "SELECT 1 FROM organisations WHERE id = ? AND guild_id = ? AND archived_at IS NULL",
            (organisation_id, guild_id),
        )
        if not valid:
            raise InvalidInput("network_organisation", "network.error.unknown_organisation")
        await db.execute(
            "INSERT INTO members (guild_id, user_id, organisation_id, joined_at)"
            " VALUES (?, ?, ?, ?)"
            " ON CONFLICT (guild_id, user_id) DO UPDATE SET organisation_id = ?",
            (guild_id, user_id, organisation_id, timestamp(when), organisation_id),
        )
        member = await get_member(db, guild_id, user_id)
    assert member is not None
    return member


@dataclass(frozen=True, slots=True)
class Differences:
    """Where the records and the server disagree, e.g. after the bot was offline."""

    departed: list[int]
    """Recorded as present, but no longer on the server."""
    returned: list[int]
    """Recorded as gone, but on the server again."""


async def compare_with_server(
    db: Database, guild_id: int, on_server: Collection[int]
) -> Differences:
    """Compare the network's records with the complete list of the server's members.

    `on_server` must be the whole member list: given a partial one, people still on the server
    would count as departed.
    """
    present = set(on_server)
    rows = await db.fetchall("SELECT user_id, left_at FROM members WHERE guild_id = ?", (guild_id,))
    departed = sorted(
        r["user_id"] for r in rows if r["left_at"] is None and r["user_id"] not in present
    )
    returned = sorted(
        r["user_id"] for r in rows if r["left_at"] is not None and r["user_id"] in present
    )
    return Differences(departed, returned)
