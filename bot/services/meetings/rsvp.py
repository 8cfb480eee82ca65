"""Answers to a meeting occurrence (coming, maybe, not coming), and the schedule's drafts.

No discord here. An answer is one row per person and occurrence; "Interested" on the Discord
event counts as maybe unless the person answered on the buttons.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.db import Database
from bot.services.meetings.series import OccurrenceKey, _iso, _local_key

ANSWERS = ("coming", "maybe", "not_coming")
# A draft shown back by /meeting schedule lives this long before Confirm says it expired.
DRAFT_LIFE = timedelta(days=1)


@dataclass(frozen=True)
class Answer:
    user_id: int
    answer: str
    via: str
    wants_dm: bool


async def answer(
    db: Database,
    guild_id: int,
    key: OccurrenceKey,
    user_id: int,
    value: str,
    now: datetime,
    *,
    via: str = "button",
) -> None:
    """Record (or change) one person's answer. An answer from the event never overrides one
    given on the buttons."""
    if value not in ANSWERS:
        raise ValueError(value)
    await db.execute(
        "INSERT INTO meeting_rsvps (series_id, original_start, guild_id, user_id, answer, via,"
        " answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (series_id, original_start, user_id) DO UPDATE SET"
        " answer = excluded.answer, via = excluded.via, answered_at = excluded.answered_at"
        " WHERE excluded.via = 'button' OR meeting_rsvps.via = 'event'",
        (key.series_id, _local_key(key.original), guild_id, user_id, value, via, _iso(now)),
    )


async def withdraw_event_interest(
    db: Database, guild_id: int, key: OccurrenceKey, user_id: int
) -> None:
    """ "Interested" removed on the event: forget the maybe it gave (not a button answer)."""
    await db.execute(
        "DELETE FROM meeting_rsvps WHERE series_id = ? AND original_start = ? AND user_id = ?"
        " AND guild_id = ? AND via = 'event'",
        (key.series_id, _local_key(key.original), user_id, guild_id),
    )


async def answers(db: Database, key: OccurrenceKey) -> list[Answer]:
    rows = await db.fetchall(
        "SELECT user_id, answer, via, wants_dm FROM meeting_rsvps"
        " WHERE series_id = ? AND original_start = ? ORDER BY answered_at, user_id",
        (key.series_id, _local_key(key.original)),
    )
    return [Answer(r[0], r[1], r[2], bool(r[3])) for r in rows]


def tally(found: list[Answer]) -> dict[str, int]:
    out = dict.fromkeys(ANSWERS, 0)
    for a in found:
        out[a.answer] += 1
    return out


async def tallies(db: Database, keys: list[OccurrenceKey]) -> dict[OccurrenceKey, dict[str, int]]:
    result: dict[OccurrenceKey, dict[str, int]] = {}
    for key in keys:
        result[key] = tally(await answers(db, key))
    return result


async def coming_by_organisation(
    db: Database, guild_id: int, key: OccurrenceKey
) -> list[tuple[str | None, list[int]]]:
    """Who answered coming, grouped by the organisation on their profile (None: none)."""
    rows = await db.fetchall(
        "SELECT r.user_id, o.name FROM meeting_rsvps r"
        " LEFT JOIN members m ON m.guild_id = r.guild_id AND m.user_id = r.user_id"
        " LEFT JOIN organisations o ON o.id = m.organisation_id"
        " WHERE r.series_id = ? AND r.original_start = ? AND r.answer = 'coming'"
        " ORDER BY o.name IS NULL, o.name, r.answered_at",
        (key.series_id, _local_key(key.original)),
    )
    grouped: dict[str | None, list[int]] = {}
    for user_id, org in rows:
        grouped.setdefault(org, []).append(user_id)
    return list(grouped.items())


async def save_draft(
    db: Database, guild_id: int, user_id: int, form: dict[str, Any], now: datetime
) -> int:
    async with db.transaction():
        await db.execute(
            "DELETE FROM meeting_drafts WHERE created_at < ?", (_iso(now - DRAFT_LIFE),)
        )
        draft_id = await db.fetchval(
            "INSERT INTO meeting_drafts (guild_id, user_id, form, created_at)"
            " VALUES (?, ?, ?, ?) RETURNING id",
            (guild_id, user_id, json.dumps(form), _iso(now)),
        )
    return int(draft_id)


async def take_draft(
    db: Database, guild_id: int, user_id: int, draft_id: int, now: datetime
) -> dict[str, Any] | None:
    """The draft's form, removed from the table; None when it is gone or too old."""
    async with db.transaction():
        row = await db.fetchone(
            "DELETE FROM meeting_drafts WHERE id = ? AND guild_id = ? AND user_id = ?"
            " RETURNING form, created_at",
            (draft_id, guild_id, user_id),
        )
    if row is None or row["created_at"] < _iso(now - DRAFT_LIFE):
        return None
    form: dict[str, Any] = json.loads(row["form"])
    return form


async def drop_draft(db: Database, guild_id: int, user_id: int, draft_id: int) -> None:
    await db.execute(
        "DELETE FROM meeting_drafts WHERE id = ? AND guild_id = ? AND user_id = ?",
        (draft_id, guild_id, user_id),
    )
