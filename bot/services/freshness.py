"""Freshness of directory entries: who should be asked to confirm theirs, and when we asked.

An entry is unconfirmed once it is older than the network's `confirm_after_days` (six months by
default). Its owner is asked once per period: after a reminder, the next one comes only when a
whole period has passed again without a confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db import Database
from bot.services.directory import from_iso, iso

__all__ = ["Due", "due_reminders", "mark_reminded"]


@dataclass(frozen=True, slots=True)
class Due:
    guild_id: int
    user_id: int
    network_name: str
    display_name: str
    confirmed_at: datetime


async def due_reminders(db: Database, *, now: datetime, limit: int = 500) -> list[Due]:
    """Entries of current members that are unconfirmed and whose owner was not asked this
    period, oldest first."""
    rows = await db.fetchall(
        "SELECT p.guild_id, p.user_id, n.name AS network, p.display_name, p.confirmed_at"
        " FROM profiles p"
        " JOIN networks n ON n.guild_id = p.guild_id AND n.left_at IS NULL"
        " JOIN members m ON m.guild_id = p.guild_id AND m.user_id = p.user_id"
        " WHERE m.left_at IS NULL"
        " AND julianday(p.confirmed_at) <= julianday(:now) - n.confirm_after_days"
        " AND (p.reminded_at IS NULL OR p.reminded_at <= p.confirmed_at"
        "      OR julianday(p.reminded_at) <= julianday(:now) - n.confirm_after_days)"
        " ORDER BY p.confirmed_at LIMIT :limit",
        {"now": iso(now), "limit": limit},
    )
    return [
        Due(
            int(r["guild_id"]),
            int(r["user_id"]),
            r["network"],
            r["display_name"],
            from_iso(r["confirmed_at"]),
        )
        for r in rows
    ]


async def mark_reminded(db: Database, guild_id: int, user_id: int, *, now: datetime) -> None:
    """Remember that we asked (also when the DM could not be delivered: no retry every day)."""
    await db.execute(
        "UPDATE profiles SET reminded_at = ? WHERE guild_id = ? AND user_id = ?",
        (iso(now), guild_id, user_id),
    )
