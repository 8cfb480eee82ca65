"""Minutes in the style of MeetBot: start, notes, decisions, actions, end → stored minutes.

A network has at most one meeting in progress; notes, decisions and actions go to it. Who took
part is the chair, those in the meeting's voice channel when it starts and ends (the cog reads
them, when Discord tells the bot), and everyone who writes to the minutes. People are stored by
their id only, so forgetting someone leaves the minutes whole with "a former member" in their
place. Notes, decisions and actions are also written to the one search's index (`ENTRIES`,
`ACTIONS`) so that `/ask` finds them (`ask_hits`, `ask_items`, declared in `bot.features`).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.db import Database
from bot.errors import InvalidInput, UserError
from bot.services import search as engine
from bot.services.meetings import actions as actions_service
from bot.services.meetings import agenda as agenda_service
from bot.services.meetings import series as meetings
from bot.services.meetings.actions import Action
from bot.services.meetings.agenda import AgendaItem, from_iso, iso, local_key
from bot.services.meetings.parsing import parse_date
from bot.services.meetings.rules import to_utc
from bot.services.meetings.series import Occurrence, OccurrenceKey
from bot.services.search import Hit, Source
from bot.services.text import clean_paragraphs

__all__ = [
    "ACTIONS",
    "ENTRIES",
    "Entry",
    "Minutes",
    "Record",
    "add_action",
    "add_entry",
    "ask_entries",
    "ask_hits",
    "ask_items",
    "end",
    "in_progress",
    "list_past",
    "record",
    "start",
]

ENTRY_MAX = 1000
# A meeting's minutes can be started this long before or after its planned start.
START_WINDOW = timedelta(hours=12)
MAX_ENTRIES = 200

ENTRIES = Source("meeting_entries", "meeting_entry_index", ("text", "meeting"), (4.0, 1.0))
ACTIONS = Source("meeting_actions", "meeting_action_index", ("text", "meeting"), (4.0, 1.0))


@dataclass(frozen=True)
class Minutes:
    id: int
    guild_id: int
    key: OccurrenceKey
    chair_id: int | None
    started_at: datetime
    ended_at: datetime | None
    channel_id: int | None
    message_id: int | None


@dataclass(frozen=True)
class Entry:
    id: int
    kind: str  # note, decision
    text: str
    author_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class Record:
    """A meeting's minutes whole: what `/meeting end` posts and `/meeting minutes` shows."""

    minutes: Minutes
    title: str
    start: datetime  # the occurrence's start (UTC)
    zone: str
    participants: tuple[int | None, ...]  # None: a former member
    entries: tuple[Entry, ...]
    handled: tuple[AgendaItem, ...]
    actions: tuple[Action, ...]

    @property
    def notes(self) -> list[Entry]:
        return [e for e in self.entries if e.kind == "note"]

    @property
    def decisions(self) -> list[Entry]:
        return [e for e in self.entries if e.kind == "decision"]


_COLUMNS = (
    "id, guild_id, series_id, original_start, chair_user_id, started_at, ended_at,"
    " channel_id, message_id"
)


def _minutes(row: Any) -> Minutes:
    return Minutes(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        key=OccurrenceKey(int(row["series_id"]), datetime.fromisoformat(row["original_start"])),
        chair_id=row["chair_user_id"],
        started_at=from_iso(row["started_at"]),
        ended_at=from_iso(row["ended_at"]) if row["ended_at"] else None,
        channel_id=row["channel_id"],
        message_id=row["message_id"],
    )


async def in_progress(db: Database, guild_id: int) -> Minutes | None:
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM meeting_minutes WHERE guild_id = ? AND ended_at IS NULL",
        (guild_id,),
    )
    return _minutes(row) if row else None


async def require_in_progress(db: Database, guild_id: int) -> Minutes:
    found = await in_progress(db, guild_id)
    if found is None:
        raise UserError("meetings_minutes.errors.not_started")
    return found


async def startable(db: Database, guild_id: int, now: datetime) -> list[Occurrence]:
    """Occurrences whose minutes can start now: not cancelled, without minutes, planned to
    start within `START_WINDOW` of now; the nearest first."""
    every = await meetings.list_coming(db, guild_id, now - START_WINDOW, within=2 * START_WINDOW)
    taken = {
        (int(r[0]), r[1])
        for r in await db.fetchall(
            "SELECT series_id, original_start FROM meeting_minutes WHERE guild_id = ?",
            (guild_id,),
        )
    }
    found = [
        o
        for o in every
        if o.status != "cancelled"
        and abs(o.start - now) <= START_WINDOW
        and (o.key.series_id, local_key(o.key.original)) not in taken
    ]
    found.sort(key=lambda o: abs(o.start - now))
    return found


async def start(
    db: Database,
    guild_id: int,
    key: OccurrenceKey | None,
    *,
    chair_id: int,
    present: Iterable[int] = (),
    now: datetime,
) -> tuple[Minutes, Occurrence]:
    """Start the minutes of an occurrence (the nearest startable one when `key` is None)."""
    if await in_progress(db, guild_id) is not None:
        raise UserError("meetings_minutes.errors.in_progress")
    choices = await startable(db, guild_id, now)
    if key is None:
        if not choices:
            raise UserError("meetings_minutes.errors.nothing_to_start")
        occurrence = choices[0]
    else:
        found = [o for o in choices if o.key == key]
        if not found:
            raise InvalidInput("meetings_minutes.meeting", "meetings_minutes.errors.not_startable")
        occurrence = found[0]
    async with db.transaction():
        try:
            minutes_id = await db.execute(
                "INSERT INTO meeting_minutes (guild_id, series_id, original_start,"
                " chair_user_id, started_at) VALUES (?, ?, ?, ?, ?)",
                (
                    guild_id,
                    occurrence.key.series_id,
                    local_key(occurrence.key.original),
                    chair_id,
                    iso(now),
                ),
            )
        except sqlite3.IntegrityError:
            raise UserError("meetings_minutes.errors.in_progress") from None
        await _take_part(db, guild_id, minutes_id, [chair_id, *present])
    minutes = await in_progress(db, guild_id)
    assert minutes is not None
    return minutes, occurrence


async def _take_part(db: Database, guild_id: int, minutes_id: int, users: Iterable[int]) -> None:
    await db.executemany(
        "INSERT INTO meeting_participants (minutes_id, guild_id, user_id) VALUES (?, ?, ?)"
        " ON CONFLICT (minutes_id, user_id) DO NOTHING",
        [(minutes_id, guild_id, u) for u in dict.fromkeys(users)],
    )


async def _meeting_words(db: Database, minutes: Minutes) -> str:
    title = await db.fetchval(
        "SELECT title FROM meeting_series WHERE id = ?", (minutes.key.series_id,)
    )
    return f"{title or ''} {minutes.key.original:%Y-%m-%d}"


async def _analyzer_ready() -> None:
    if not engine.loaded():
        await asyncio.to_thread(engine.warm)


async def add_entry(
    db: Database,
    guild_id: int,
    kind: str,
    text: str | None,
    *,
    user_id: int,
    item_id: int | None = None,
    now: datetime,
) -> tuple[Entry, AgendaItem | None]:
    """A note or a decision in the meeting in progress; `item_id` marks that agenda item of
    the meeting as handled."""
    field = "meetings_minutes.note" if kind == "note" else "meetings_minutes.decision"
    clean = clean_paragraphs(field, text, max_length=ENTRY_MAX)
    minutes = await require_in_progress(db, guild_id)
    item: AgendaItem | None = None
    if item_id is not None:
        item = await agenda_service.get_item(db, guild_id, item_id)
        if item is None or item.key != minutes.key:
            raise InvalidInput("meetings_minutes.item", "meetings_minutes.errors.item_unknown")
    count = await db.fetchval(
        "SELECT count(*) FROM meeting_entries WHERE minutes_id = ?", (minutes.id,)
    )
    if int(count or 0) >= MAX_ENTRIES:
        raise UserError("meetings_minutes.errors.minutes_full", max=MAX_ENTRIES)
    await _analyzer_ready()
    words = await _meeting_words(db, minutes)
    document = engine.document_row(ENTRIES, guild_id, {"text": clean, "meeting": words})
    async with db.transaction():
        entry_id = await db.execute(
            "INSERT INTO meeting_entries (minutes_id, guild_id, kind, text, author_user_id,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (minutes.id, guild_id, kind, clean, user_id, iso(now)),
        )
        await db.execute(
            "INSERT INTO meeting_entry_index (rowid, text, meeting) VALUES (?, ?, ?)",
            (entry_id, *document),
        )
        await _take_part(db, guild_id, minutes.id, [user_id])
        if item is not None:
            await db.execute(
                "UPDATE meeting_agenda_items SET handled_at = coalesce(handled_at, ?),"
                " handled_minutes = coalesce(handled_minutes, ?) WHERE id = ?",
                (iso(now), minutes.id, item.id),
            )
    return Entry(entry_id, kind, clean, user_id, now), item


async def add_action(
    db: Database,
    guild_id: int,
    *,
    owner_id: int,
    text: str | None,
    due: str | None,
    user_id: int,
    now: datetime,
) -> Action:
    """An action in the meeting in progress; `due` is typed ("3 dec", "2027-01-15") and must
    be a real date ahead. Everything is checked before anything is written."""
    clean = actions_service.clean_text(text)
    minutes = await require_in_progress(db, guild_id)
    series = await meetings.get_series(db, guild_id, minutes.key.series_id)
    due_date: date | None = actions_service.parse_due(
        due, today=now.astimezone(series.rule.tz).date()
    )
    await _analyzer_ready()
    words = await _meeting_words(db, minutes)
    document = engine.document_row(ACTIONS, guild_id, {"text": clean, "meeting": words})
    async with db.transaction():
        action_id = await db.execute(
            "INSERT INTO meeting_actions (guild_id, series_id, minutes_id, owner_user_id, text,"
            " due_date, created_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                guild_id,
                minutes.key.series_id,
                minutes.id,
                owner_id,
                clean,
                due_date.isoformat() if due_date else None,
                user_id,
                iso(now),
            ),
        )
        await db.execute(
            "INSERT INTO meeting_action_index (rowid, text, meeting) VALUES (?, ?, ?)",
            (action_id, *document),
        )
        await _take_part(db, guild_id, minutes.id, [user_id])
    return await actions_service.get_action(db, guild_id, action_id)


async def end(db: Database, guild_id: int, *, present: Iterable[int] = (), now: datetime) -> Record:
    """Close the meeting in progress; its unhandled agenda items move on to the next meeting."""
    minutes = await require_in_progress(db, guild_id)
    async with db.transaction():
        await _take_part(db, guild_id, minutes.id, present)
        await db.execute(
            "UPDATE meeting_minutes SET ended_at = ? WHERE id = ?", (iso(now), minutes.id)
        )
    await agenda_service.carry_over(db, guild_id, now=now)
    return await record(db, guild_id, minutes.id)


async def set_posted(db: Database, minutes_id: int, channel_id: int, message_id: int) -> None:
    await db.execute(
        "UPDATE meeting_minutes SET channel_id = ?, message_id = ? WHERE id = ?",
        (channel_id, message_id, minutes_id),
    )


async def record(db: Database, guild_id: int, minutes_id: int) -> Record:
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM meeting_minutes WHERE id = ? AND guild_id = ?",
        (minutes_id, guild_id),
    )
    if row is None:
        raise UserError("meetings_minutes.errors.no_minutes")
    minutes = _minutes(row)
    series = await meetings.get_series(db, guild_id, minutes.key.series_id)
    try:
        start = (await meetings.get_occurrence(db, guild_id, minutes.key)).start
    except UserError:  # an edit of the series removed it since: its planned time stands
        start = to_utc(minutes.key.original, series.rule.tz)
    people = await db.fetchall(
        "SELECT user_id FROM meeting_participants WHERE minutes_id = ? ORDER BY id", (minutes.id,)
    )
    entries = await db.fetchall(
        "SELECT id, kind, text, author_user_id, created_at FROM meeting_entries"
        " WHERE minutes_id = ? ORDER BY id",
        (minutes.id,),
    )
    action_rows = await db.fetchall(
        "SELECT id FROM meeting_actions WHERE minutes_id = ? ORDER BY id", (minutes.id,)
    )
    return Record(
        minutes=minutes,
        title=series.title,
        start=start,
        zone=series.rule.timezone,
        participants=tuple(r[0] for r in people),
        entries=tuple(
            Entry(
                int(e["id"]), e["kind"], e["text"], e["author_user_id"], from_iso(e["created_at"])
            )
            for e in entries
        ),
        handled=tuple(await agenda_service.handled_in(db, minutes.id)),
        actions=tuple(
            [await actions_service.get_action(db, guild_id, int(r[0])) for r in action_rows]
        ),
    )


async def list_past(
    db: Database, guild_id: int, *, offset: int = 0, limit: int = 10
) -> tuple[list[Minutes], int]:
    """Ended minutes of the network, newest first, and how many there are."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM meeting_minutes WHERE guild_id = ? AND ended_at IS NOT NULL"
        " ORDER BY original_start DESC, id DESC LIMIT ? OFFSET ?",
        (guild_id, limit, offset),
    )
    total = await db.fetchval(
        "SELECT count(*) FROM meeting_minutes WHERE guild_id = ? AND ended_at IS NOT NULL",
        (guild_id,),
    )
    return [_minutes(r) for r in rows], int(total or 0)


async def resolve_past(db: Database, guild_id: int, value: str | None, *, today: date) -> int:
    """The ended minutes a `meeting` option names: its occurrence token (autocomplete), a
    typed date ("3 dec", "2026-11-26"), or nothing for the latest."""
    text = (value or "").strip()
    if not text:
        latest, _ = await list_past(db, guild_id, limit=1)
        if not latest:
            raise UserError("meetings_minutes.errors.no_past")
        return latest[0].id
    key = OccurrenceKey.parse(text)
    if key is not None:
        found = await db.fetchval(
            "SELECT id FROM meeting_minutes WHERE guild_id = ? AND series_id = ?"
            " AND original_start = ? AND ended_at IS NOT NULL",
            (guild_id, key.series_id, local_key(key.original)),
        )
    else:
        day = parse_date(text, today=today, field="meetings_minutes.meeting", allow_past=True)
        if day > today:  # "3 dec" typed on 2 December means the one a year ago
            try:
                day = day.replace(year=day.year - 1)
            except ValueError:
                day = day.replace(year=day.year - 1, day=28)
        found = await db.fetchval(
            "SELECT id FROM meeting_minutes WHERE guild_id = ? AND ended_at IS NOT NULL"
            " AND substr(original_start, 1, 10) = ? ORDER BY id DESC LIMIT 1",
            (guild_id, day.isoformat()),
        )
    if found is None:
        raise InvalidInput("meetings_minutes.meeting", "meetings_minutes.errors.no_minutes_on")
    return int(found)


# --- /ask ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AskEntry:
    """A hit as /ask shows it: what it is (decision, note, action), its text, its meeting."""

    kind: str
    id: int
    text: str
    title: str
    start: datetime | None
    guild_id: int
    channel_id: int | None
    message_id: int | None
    status: str | None = None
    owner_id: int | None = None  # an action's owner (None: a former member, or not an action)

    @property
    def url(self) -> str | None:
        """The minutes' message in Discord, when they were posted."""
        if self.channel_id is None or self.message_id is None:
            return None
        return f"https://discord.com/channels/{self.guild_id}/{self.channel_id}/{self.message_id}"


def ask_entries(
    conn: sqlite3.Connection, guild_id: int, hits: Sequence[Hit], *, kind: str = "decision"
) -> list[AskEntry]:
    """The hits of `ask_hits` as entries to show, in the same order (in a reader)."""
    if not hits:
        return []
    marks = ",".join("?" * len(hits))
    if kind == "action":
        sql = (
            "SELECT a.id, a.text, a.status, s.title, m.original_start, s.timezone,"
            " m.channel_id, m.message_id, a.owner_user_id AS owner FROM meeting_actions a"
            " JOIN meeting_series s ON s.id = a.series_id"
            " LEFT JOIN meeting_minutes m ON m.id = a.minutes_id"
            f" WHERE +a.guild_id = ? AND a.id IN ({marks})"
        )
    else:
        sql = (
            "SELECT e.id, e.text, NULL AS status, s.title, m.original_start, s.timezone,"
            " m.channel_id, m.message_id, NULL AS owner FROM meeting_entries e"
            " JOIN meeting_minutes m ON m.id = e.minutes_id"
            " JOIN meeting_series s ON s.id = m.series_id"
            f" WHERE +e.guild_id = ? AND e.id IN ({marks})"
        )
    rows = {int(r["id"]): r for r in conn.execute(sql, (guild_id, *[h.id for h in hits]))}
    found: list[AskEntry] = []
    for hit in hits:
        row = rows.get(hit.id)
        if row is None:
            continue
        start = None
        if row["original_start"]:
            start = to_utc(datetime.fromisoformat(row["original_start"]), ZoneInfo(row["timezone"]))
        found.append(
            AskEntry(kind, int(row["id"]), row["text"], row["title"], start, guild_id,
                     row["channel_id"], row["message_id"], row["status"], row["owner"])
        )  # fmt: skip
    return found


def ask_hits(conn: sqlite3.Connection, guild_id: int, q: Any, *, kind: str) -> list[Hit]:
    """For /ask (an `AskQuery`), in a reader: this network's decisions, notes or actions of
    ended minutes where any of the question's terms matches, best first."""
    from bot.services.ask.source import search_index

    # Notes and decisions share one index: the kind is a condition of the ranking itself, so
    # that many notes never crowd out the one decision asked about.
    if kind == "action":
        return search_index(
            conn,
            ACTIONS,
            guild_id,
            q,
            where="EXISTS (SELECT 1 FROM meeting_actions a WHERE a.id = {rowid}"
            " AND a.guild_id = ?)",
            params=(guild_id,),
        )
    return search_index(
        conn,
        ENTRIES,
        guild_id,
        q,
        where=(
            "EXISTS (SELECT 1 FROM meeting_entries e JOIN meeting_minutes m"
            " ON m.id = e.minutes_id WHERE e.id = {rowid} AND e.guild_id = ? AND e.kind = ?"
            " AND m.ended_at IS NOT NULL)"
        ),
        params=(guild_id, kind),
    )


def ask_items(
    conn: sqlite3.Connection, guild_id: int, hits: Sequence[Hit], *, kind: str
) -> list[Any]:
    """The hits as /ask shows them, in a reader: what was decided, noted or given as an
    action (with its owner), with the meeting and its date, linked to the posted minutes."""
    from bot.services.ask.source import AskItem

    items = []
    for entry in ask_entries(conn, guild_id, hits, kind=kind):
        when = entry.start.date().isoformat() if entry.start else None
        detail = " · ".join(p for p in (entry.title, when) if p)
        items.append(
            AskItem(
                id=entry.id, title=entry.text, url=entry.url, detail=detail, owner_id=entry.owner_id
            )
        )
    return items
