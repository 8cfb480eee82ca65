"""Reminders of meeting occurrences: one row each, planned ahead, claimed before sending.

No discord here. A reminder's life: `plan` writes its row (status 'pending') and says which
jobs to schedule; at its time the job calls `begin` (which decides: send, missed, dropped or
already done) and `claim` (status 'claimed', attempts + 1) before the message goes out with the
nonce `nonce(id)`, then `record_sent`. A crash anywhere leaves the row pending or claimed and
the job claim released at the next start, so the job runs again: Discord's `enforce_nonce`
returns the message already sent instead of sending a second one.

`checkpoint(step)` is called between the steps: tests replace it to stop the bot there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.db import Database
from bot.errors import InvalidInput
from bot.i18n import Lang, tn
from bot.services.meetings.series import (
    Occurrence,
    OccurrenceKey,
    _from_iso,
    _iso,
    _local_key,
    list_series,
    occurrences,
    overrides_of,
)

# Reminders are written this far ahead (the largest offset is 28 days; planning runs often).
PLAN_AHEAD = timedelta(days=29)
# The nudge to members who have not answered, before the start.
NUDGE_BEFORE = 2 * 24 * 60
# A failed send is tried again after 5, 10, 20 minutes, then reported.
RETRIES = 3
RETRY_BASE = timedelta(minutes=5)
STEPS = ("before_claim", "after_claim", "after_send", "after_record")


async def checkpoint(step: str) -> None:
    """A point in a reminder's life (one of `STEPS`); nothing happens here in the bot."""


def nonce(reminder_id: int, user_id: int | None = None) -> str:
    """The message nonce of a reminder (≤ 25 characters): the same at every try."""
    return f"kr{reminder_id}" if user_id is None else f"kr{reminder_id}d"


_UNITS = [
    "d",
    "dag",
    "dagar",
    "day",
    "days",
    "v",
    "vecka",
    "veckor",
    "w",
    "week",
    "weeks",
    "h",
    "t",
    "tim",
    "timme",
    "timmar",
    "hour",
    "hours",
    "m",
    "min",
    "mins",
    "minut",
    "minuter",
    "minute",
    "minutes",
]
# Longest unit first, and no letter after it: "1 vecka" is a week, not a "v" and "ecka".
_OFFSET = re.compile(
    r"(\d{1,5})\s*(" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")(?![a-zåäö])",
    re.IGNORECASE,
)
_UNIT_MINUTES = {"d": 1440, "v": 10080, "w": 10080, "h": 60, "t": 60, "m": 1}


def parse_offsets(value: str | None) -> tuple[int, ...] | None:
    """Reminder offsets as typed ("7d, 1d, 1h", "1 vecka 2 timmar", "30 min"): minutes before
    the start, largest first; None (the defaults) when empty."""
    text = (value or "").strip().casefold()
    if not text:
        return None
    if len(text) > 200:
        raise InvalidInput("meetings.reminders", "meetings.errors.reminders_format")
    found: list[int] = []
    rest = text
    for match in _OFFSET.finditer(text):
        found.append(int(match[1]) * _UNIT_MINUTES[match[2][0]])
        rest = rest.replace(match[0], " ", 1)
    if not found or re.sub(r"[\s,;.&+]|och|and", "", rest):
        raise InvalidInput("meetings.reminders", "meetings.errors.reminders_format")
    return tuple(sorted(set(found), reverse=True))


def render_offsets(lang: Lang, offsets: Iterable[int]) -> str:
    parts = []
    for minutes in offsets:
        if minutes % 1440 == 0:
            parts.append(tn(lang, "meetings.offset.days", minutes // 1440))
        elif minutes % 60 == 0:
            parts.append(tn(lang, "meetings.offset.hours", minutes // 60))
        else:
            parts.append(tn(lang, "meetings.offset.minutes", minutes))
    return ", ".join(parts)


@dataclass(frozen=True)
class Reminder:
    id: int
    guild_id: int
    key: OccurrenceKey
    kind: str  # reminder, nudge
    minutes_before: int
    due_at: datetime
    status: str
    attempts: int
    message_id: int | None
    claimed_at: datetime | None


def _reminder(row: object) -> Reminder:
    r = row  # sqlite3.Row
    return Reminder(
        id=r["id"],  # type: ignore[index]
        guild_id=r["guild_id"],  # type: ignore[index]
        key=OccurrenceKey(r["series_id"], datetime.fromisoformat(r["original_start"])),  # type: ignore[index]
        kind=r["kind"],  # type: ignore[index]
        minutes_before=r["minutes_before"],  # type: ignore[index]
        due_at=_from_iso(r["due_at"]),  # type: ignore[index]
        status=r["status"],  # type: ignore[index]
        attempts=r["attempts"],  # type: ignore[index]
        message_id=r["message_id"],  # type: ignore[index]
        claimed_at=_from_iso(r["claimed_at"]) if r["claimed_at"] else None,  # type: ignore[index]
    )


async def get(db: Database, reminder_id: int) -> Reminder | None:
    row = await db.fetchone("SELECT * FROM meeting_reminders WHERE id = ?", (reminder_id,))
    return _reminder(row) if row is not None else None


def _wanted(
    occurrence: Occurrence, offsets: Iterable[int], now: datetime, nudge: bool
) -> dict[tuple[str, int], datetime]:
    wanted: dict[tuple[str, int], datetime] = {}
    for minutes in offsets:
        due = occurrence.start - timedelta(minutes=minutes)
        wanted[("reminder", minutes)] = due
    if nudge:
        wanted[("nudge", NUDGE_BEFORE)] = occurrence.start - timedelta(minutes=NUDGE_BEFORE)
    return {k: v for k, v in wanted.items() if v > now}


async def plan(
    db: Database, guild_id: int, now: datetime
) -> tuple[list[tuple[int, datetime]], list[int]]:
    """Bring the network's reminder rows in line with its coming occurrences.

    Returns (reminders to schedule: id and due time, reminders dropped). A reminder whose time
    has passed when it is first planned is not written (it was never owed); rows of
    occurrences cancelled or moved away are dropped, rows of moved ones get their new time."""
    series = await list_series(db, guild_id)
    overrides = await overrides_of(db, [s.id for s in series])
    nudged = {
        r[0]
        for r in await db.fetchall(
            "SELECT id FROM meeting_series WHERE guild_id = ? AND nudge = 1", (guild_id,)
        )
    }
    wanted: dict[tuple[int, str, str, int], datetime] = {}
    for s in series:
        for occ in occurrences(s, overrides[s.id], now, now + PLAN_AHEAD):
            if occ.start <= now:
                continue
            for (kind, minutes), due in _wanted(occ, s.reminders, now, s.id in nudged).items():
                wanted[(s.id, _local_key(occ.key.original), kind, minutes)] = due
    rows = await db.fetchall(
        "SELECT id, series_id, original_start, kind, minutes_before, due_at, status"
        " FROM meeting_reminders WHERE guild_id = ? AND status IN ('pending', 'claimed')",
        (guild_id,),
    )
    schedule: list[tuple[int, datetime]] = []
    dropped: list[int] = []
    async with db.transaction():
        for row in rows:
            ident = (row["series_id"], row["original_start"], row["kind"], row["minutes_before"])
            new_due = wanted.pop(ident) if ident in wanted else None
            if new_due is None:
                if row["status"] == "pending" and _from_iso(row["due_at"]) > now:
                    await db.execute(
                        "UPDATE meeting_reminders SET status = 'dropped', done_at = ?"
                        " WHERE id = ? AND status = 'pending'",
                        (_iso(now), row["id"]),
                    )
                    dropped.append(row["id"])
            elif _iso(new_due) != row["due_at"] and row["status"] == "pending":
                await db.execute(
                    "UPDATE meeting_reminders SET due_at = ? WHERE id = ?",
                    (_iso(new_due), row["id"]),
                )
                schedule.append((row["id"], new_due))
        for (series_id, original, kind, minutes), due in wanted.items():
            reminder_id = await db.fetchval(
                "INSERT INTO meeting_reminders (series_id, guild_id, original_start, kind,"
                " minutes_before, due_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (series_id, original_start, kind, minutes_before) DO NOTHING"
                " RETURNING id",
                (series_id, guild_id, original, kind, minutes, _iso(due)),
            )
            if reminder_id is not None:
                schedule.append((int(reminder_id), due))
    return schedule, dropped


async def record_missed(db: Database, reminder_id: int, now: datetime) -> None:
    await db.execute(
        "UPDATE meeting_reminders SET status = 'missed', done_at = ?"
        " WHERE id = ? AND status IN ('pending', 'claimed')",
        (_iso(now), reminder_id),
    )


async def record_dropped(db: Database, reminder_id: int, now: datetime) -> None:
    await db.execute(
        "UPDATE meeting_reminders SET status = 'dropped', done_at = ?"
        " WHERE id = ? AND status IN ('pending', 'claimed')",
        (_iso(now), reminder_id),
    )


async def claim(db: Database, reminder_id: int, now: datetime) -> int:
    """Mark the reminder as being sent (before sending); returns the attempt's number."""
    await db.execute(
        "UPDATE meeting_reminders SET status = 'claimed', claimed_at = ?, attempts = attempts + 1"
        " WHERE id = ? AND status IN ('pending', 'claimed')",
        (_iso(now), reminder_id),
    )
    return int(
        await db.fetchval("SELECT attempts FROM meeting_reminders WHERE id = ?", (reminder_id,))
        or 0
    )


async def record_sent(
    db: Database, reminder_id: int, message_id: int | None, now: datetime
) -> None:
    await db.execute(
        "UPDATE meeting_reminders SET status = 'sent', message_id = ?, done_at = ?"
        " WHERE id = ? AND status = 'claimed'",
        (message_id, _iso(now), reminder_id),
    )


async def record_failed(db: Database, reminder_id: int, now: datetime) -> None:
    await db.execute(
        "UPDATE meeting_reminders SET status = 'failed', done_at = ? WHERE id = ?",
        (_iso(now), reminder_id),
    )


async def dm_claim(db: Database, reminder_id: int, guild_id: int, user_id: int) -> bool:
    """Claim the DM of one recipient; False when it was sent (or failed) already."""
    status = await db.fetchval(
        "SELECT status FROM meeting_reminder_dms WHERE reminder_id = ? AND user_id = ?",
        (reminder_id, user_id),
    )
    if status in ("sent", "failed"):
        return False
    await db.execute(
        "INSERT INTO meeting_reminder_dms (reminder_id, guild_id, user_id, status)"
        " VALUES (?, ?, ?, 'claimed') ON CONFLICT DO NOTHING",
        (reminder_id, guild_id, user_id),
    )
    return True


async def dm_done(db: Database, reminder_id: int, user_id: int, *, ok: bool) -> None:
    await db.execute(
        "UPDATE meeting_reminder_dms SET status = ? WHERE reminder_id = ? AND user_id = ?",
        ("sent" if ok else "failed", reminder_id, user_id),
    )


async def counts(db: Database, guild_id: int | None = None) -> dict[str, int]:
    """How many reminders are in each state (for tests, the shell and the bench)."""
    rows = await db.fetchall(
        "SELECT status, count(*) FROM meeting_reminders"
        + ("" if guild_id is None else " WHERE guild_id = ?")
        + " GROUP BY status",
        () if guild_id is None else (guild_id,),
    )
    return {r[0]: r[1] for r in rows}
