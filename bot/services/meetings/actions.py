"""Actions agreed at a meeting: an owner, a text, a due date; open until marked done.

Owners are reminded by DM the day before the due date (a one-off job `action-due:<id>` that
the cog schedules at `due_reminder_at`) and before the next meeting of the series (the sweep
job asks `before_meeting` which owners to remind). Each reminder is recorded (`claim_*`)
before it is sent, so a restart never sends it twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.db import Database
from bot.errors import InvalidInput, UserError
from bot.services.meetings import series as meetings
from bot.services.meetings.parsing import parse_date
from bot.services.meetings.rules import to_utc
from bot.services.meetings.series import Occurrence
from bot.services.text import clean_line, parse_id
from bot.services.textnorm import fold

__all__ = [
    "Action",
    "claim_before",
    "claim_due",
    "due_reminder_at",
    "get_action",
    "list_actions",
    "mark_done",
    "match_open",
    "parse_due",
    "resolve_open",
]

TEXT_MAX = 500
WHICH = ("mine", "open", "all")
# Owners hear of their open actions this long before the next meeting.
BEFORE_MEETING = timedelta(days=2)
# The due-date reminder goes out at this local time the day before.
REMIND_AT = time(9, 0)


@dataclass(frozen=True)
class Action:
    id: int
    guild_id: int
    series_id: int
    minutes_id: int | None
    owner_id: int | None  # None: a former member
    text: str
    due: date | None
    status: str  # open, done
    created_at: datetime
    done_at: datetime | None
    done_by: int | None
    meeting_title: str
    meeting_start: datetime | None  # the meeting it was agreed at (UTC), if known


_COLUMNS = (
    "a.id, a.guild_id, a.series_id, a.minutes_id, a.owner_user_id, a.text, a.due_date,"
    " a.status, a.created_at, a.done_at, a.done_user_id, s.title, m.original_start,"
    " s.timezone"
)
_FROM = (
    " FROM meeting_actions a JOIN meeting_series s ON s.id = a.series_id"
    " LEFT JOIN meeting_minutes m ON m.id = a.minutes_id"
)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _from_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _action(row: Any) -> Action:
    start = None
    if row["original_start"]:
        start = to_utc(datetime.fromisoformat(row["original_start"]), ZoneInfo(row["timezone"]))
    return Action(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        series_id=int(row["series_id"]),
        minutes_id=row["minutes_id"],
        owner_id=row["owner_user_id"],
        text=row["text"],
        due=date.fromisoformat(row["due_date"]) if row["due_date"] else None,
        status=row["status"],
        created_at=_from_iso(row["created_at"]),
        done_at=_from_iso(row["done_at"]) if row["done_at"] else None,
        done_by=row["done_user_id"],
        meeting_title=row["title"],
        meeting_start=start,
    )


def clean_text(value: str | None) -> str:
    return clean_line("meetings_minutes.action_text", value, max_length=TEXT_MAX)


def parse_due(value: str | None, *, today: date) -> date | None:
    """A due date as typed (the meeting parser's forms; "30 februari" is refused), or None."""
    if value is None or not value.strip():
        return None
    return parse_date(value, today=today, field="meetings_minutes.due")


def due_reminder_at(action: Action, tz: ZoneInfo, now: datetime) -> datetime | None:
    """When the owner is reminded of the due date (09:00 local the day before), or None when
    there is no due date or that moment has passed."""
    if action.due is None or action.status != "open":
        return None
    when = to_utc(datetime.combine(action.due - timedelta(days=1), REMIND_AT), tz)
    return when if when > now else None


async def get_action(db: Database, guild_id: int, action_id: int) -> Action:
    row = await db.fetchone(f"SELECT {_COLUMNS}{_FROM} WHERE a.id = ? AND a.guild_id = ?",
                            (action_id, guild_id))  # fmt: skip
    if row is None:
        raise UserError("meetings_minutes.errors.no_action")
    return _action(row)


async def list_actions(
    db: Database,
    guild_id: int,
    *,
    which: str = "open",
    user_id: int | None = None,
    offset: int = 0,
    limit: int = 10,
) -> list[Action]:
    """`mine` (open ones the user owns), `open` or `all`, oldest first (done ones last)."""
    sql, params = _where(guild_id, which, user_id)
    rows = await db.fetchall(
        f"SELECT {_COLUMNS}{_FROM}{sql} ORDER BY a.status = 'done', a.id LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [_action(r) for r in rows]


async def count_actions(
    db: Database, guild_id: int, *, which: str = "open", user_id: int | None = None
) -> int:
    sql, params = _where(guild_id, which, user_id)
    return int(await db.fetchval(f"SELECT count(*){_FROM}{sql}", params) or 0)


def _where(guild_id: int, which: str, user_id: int | None) -> tuple[str, tuple[Any, ...]]:
    if which not in WHICH:
        raise InvalidInput("meetings_minutes.which", "meetings_minutes.errors.which")
    if which == "mine":
        return " WHERE a.guild_id = ? AND a.status = 'open' AND a.owner_user_id = ?", (
            guild_id,
            user_id,
        )
    if which == "open":
        return " WHERE a.guild_id = ? AND a.status = 'open'", (guild_id,)
    return " WHERE a.guild_id = ?", (guild_id,)


async def match_open(db: Database, guild_id: int, words: str, *, limit: int = 25) -> list[Action]:
    """Open actions whose text holds every typed word (folded: "atgard" finds "åtgärd")."""
    wanted = fold(words or "").split()
    rows = await db.fetchall(
        f"SELECT {_COLUMNS}{_FROM} WHERE a.guild_id = ? AND a.status = 'open' ORDER BY a.id",
        (guild_id,),
    )
    found = [_action(r) for r in rows]
    if wanted:
        found = [a for a in found if all(w in fold(a.text) for w in wanted)]
    return found[:limit]


async def resolve_open(db: Database, guild_id: int, value: str | None) -> Action:
    """The action an `id` option names: an autocomplete value (its number), or typed words
    that match exactly one open action."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput("meetings_minutes.action", "errors.text.empty")
    number = parse_id(text.lstrip("#"))
    if number is not None:
        return await get_action(db, guild_id, number)
    found = await match_open(db, guild_id, text[:200], limit=2)
    if not found:
        raise InvalidInput("meetings_minutes.action", "meetings_minutes.errors.action_unknown")
    if len(found) > 1:
        raise InvalidInput("meetings_minutes.action", "meetings_minutes.errors.action_ambiguous")
    return found[0]


async def mark_done(db: Database, action: Action, *, by: int, now: datetime) -> Action:
    if action.status == "done":
        raise UserError("meetings_minutes.errors.already_done")
    await db.execute(
        "UPDATE meeting_actions SET status = 'done', done_at = ?, done_user_id = ?"
        " WHERE id = ? AND status = 'open'",
        (_iso(now), by, action.id),
    )
    return await get_action(db, action.guild_id, action.id)


# --- reminders -----------------------------------------------------------------------------


async def claim_due(db: Database, action_id: int, now: datetime) -> Action | None:
    """Record that the due-date reminder of an open action is sent; the action, or None when
    it is done, gone or was reminded already."""
    claimed = await db.execute(
        "UPDATE meeting_actions SET reminded_due_at = ? WHERE id = ? AND status = 'open'"
        " AND reminded_due_at IS NULL AND owner_user_id IS NOT NULL",
        (_iso(now), action_id),
    )
    if not claimed:
        return None
    guild_id = await db.fetchval("SELECT guild_id FROM meeting_actions WHERE id = ?", (action_id,))
    return await get_action(db, int(guild_id), action_id)


@dataclass(frozen=True)
class BeforeMeeting:
    action: Action
    occurrence: Occurrence


async def before_meeting(db: Database, now: datetime) -> list[BeforeMeeting]:
    """Open actions whose owner has not yet been reminded before the next meeting of the
    action's series (or of the network, when the series has none), which starts within
    `BEFORE_MEETING`."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS}, a.reminded_before{_FROM}"
        " WHERE a.status = 'open' AND a.owner_user_id IS NOT NULL ORDER BY a.guild_id, a.id"
    )
    due: list[BeforeMeeting] = []
    coming_by_guild: dict[int, list[Occurrence]] = {}
    for row in rows:
        action = _action(row)
        if action.guild_id not in coming_by_guild:
            coming = await meetings.list_coming(
                db, action.guild_id, now, within=BEFORE_MEETING + timedelta(days=1)
            )
            coming_by_guild[action.guild_id] = [
                o for o in coming if o.status != "cancelled" and o.start > now
            ]
        coming = coming_by_guild[action.guild_id]
        if not coming:
            continue
        chain = await _lineage_ids(db, action.series_id)
        mine = [o for o in coming if o.key.series_id in chain] or coming
        nxt = mine[0]
        if nxt.start - now > BEFORE_MEETING or row["reminded_before"] == nxt.key.token:
            continue
        due.append(BeforeMeeting(action, nxt))
    return due


async def _lineage_ids(db: Database, series_id: int) -> set[int]:
    rows = await db.fetchall(
        "WITH RECURSIVE chain(id) AS (SELECT ? UNION SELECT s.id FROM meeting_series s"
        " JOIN chain c ON s.previous_id = c.id) SELECT id FROM chain",
        (series_id,),
    )
    return {int(r[0]) for r in rows}


async def claim_before(db: Database, action_id: int, occurrence: Occurrence) -> bool:
    """Record the reminder before `occurrence`; False when it was recorded already."""
    token = occurrence.key.token
    return bool(
        await db.execute(
            "UPDATE meeting_actions SET reminded_before = ? WHERE id = ? AND status = 'open'"
            " AND reminded_before IS NOT ?",
            (token, action_id, token),
        )
    )
