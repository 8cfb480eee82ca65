"""A meeting's agenda: items members submit for an occurrence, carried over until handled.

An item belongs to an occurrence (`OccurrenceKey`). When that occurrence is over (it ended by
the bot's clock, its minutes were closed, it was cancelled or an edit of the series removed
it) and the item was not handled, the item moves to the next occurrence of its series (or of
the series that continues it after an edit), marked as carried over. `carry_over` does that;
it runs as a job (`meeting-minutes:sweep`) and before every agenda is read, so an agenda is
never shown with items that should have moved.

`agenda_for(db, guild_id, occurrence_key, now=...)` is what a reminder carries: the items of
that occurrence (strategic first) and every open action of the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.db import Database
from bot.errors import InvalidInput, UserError
from bot.services.meetings import actions
from bot.services.meetings import series as meetings
from bot.services.meetings.parsing import parse_date
from bot.services.meetings.rules import to_utc
from bot.services.meetings.series import Occurrence, OccurrenceKey, Series
from bot.services.text import clean_line

__all__ = [
    "KINDS",
    "Agenda",
    "AgendaItem",
    "add_item",
    "agenda_for",
    "carry_over",
    "chain_occurrences",
    "coming_occurrences",
    "from_iso",
    "iso",
    "local_key",
    "resolve_coming",
]

KINDS = ("strategic", "quick")
TEXT_MAX = 500
# More than this on one meeting is not an agenda any more.
MAX_ITEMS = 40


def iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def local_key(local: datetime) -> str:
    """An occurrence's original local start as stored ('YYYY-MM-DDTHH:MM')."""
    return local.strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class AgendaItem:
    id: int
    key: OccurrenceKey
    kind: str  # strategic, quick
    text: str
    submitted_by: int | None  # None: a former member
    submitted_at: datetime
    carried: int  # how many times it moved on
    carried_from: datetime | None  # the original local start of the meeting it came from
    handled_at: datetime | None


@dataclass(frozen=True)
class Agenda:
    """What one occurrence will discuss: its items and the network's open actions."""

    occurrence: Occurrence
    items: tuple[AgendaItem, ...]
    open_actions: tuple[Any, ...]  # actions.Action, open, oldest first

    @property
    def strategic(self) -> list[AgendaItem]:
        return [i for i in self.items if i.kind == "strategic"]

    @property
    def quick(self) -> list[AgendaItem]:
        return [i for i in self.items if i.kind == "quick"]


_ITEM_COLUMNS = (
    "id, series_id, original_start, kind, text, submitted_user_id, submitted_at, carried,"
    " carried_from, handled_at"
)


def _item(row: Any) -> AgendaItem:
    return AgendaItem(
        id=int(row["id"]),
        key=OccurrenceKey(int(row["series_id"]), datetime.fromisoformat(row["original_start"])),
        kind=row["kind"],
        text=row["text"],
        submitted_by=row["submitted_user_id"],
        submitted_at=from_iso(row["submitted_at"]),
        carried=int(row["carried"]),
        carried_from=datetime.fromisoformat(row["carried_from"]) if row["carried_from"] else None,
        handled_at=from_iso(row["handled_at"]) if row["handled_at"] else None,
    )


# --- occurrences ---------------------------------------------------------------------------


async def coming_occurrences(db: Database, guild_id: int, now: datetime) -> list[Occurrence]:
    """The network's occurrences that have not ended (by the clock or by closed minutes) and
    are not cancelled, soonest first."""
    held = {
        (int(r[0]), r[1])
        for r in await db.fetchall(
            "SELECT series_id, original_start FROM meeting_minutes"
            " WHERE guild_id = ? AND ended_at IS NOT NULL",
            (guild_id,),
        )
    }
    return [
        o
        for o in await meetings.list_coming(db, guild_id, now)
        if o.status != "cancelled" and (o.key.series_id, local_key(o.key.original)) not in held
    ]


async def resolve_coming(
    db: Database,
    guild_id: int,
    value: str | None,
    *,
    now: datetime,
    field: str = "meetings_minutes.meeting",
) -> Occurrence:
    """The coming occurrence a `meeting` option names: an autocomplete value (its token), a
    typed date ("3 dec", "2026-12-03", "torsdag"), or nothing for the next one."""
    coming = await coming_occurrences(db, guild_id, now)
    text = (value or "").strip()
    if not text:
        if not coming:
            raise UserError("meetings_minutes.errors.no_coming")
        return coming[0]
    key = OccurrenceKey.parse(text)
    if key is not None:
        for occurrence in coming:
            if occurrence.key == key:
                return occurrence
        raise InvalidInput(field, "meetings_minutes.errors.meeting_unknown")
    tz = coming[0].series.rule.tz if coming else None
    today = now.astimezone(tz).date() if tz else now.date()
    day = parse_date(text, today=today, field=field)
    found = [o for o in coming if o.local_start.date() == day]
    if not found:
        raise InvalidInput(field, "meetings_minutes.errors.no_meeting_on", day=day.isoformat())
    return found[0]


@dataclass
class _Chain:
    """Every series of a network (cancelled ones too), their overrides, and who continues whom."""

    series: dict[int, Series]
    overrides: dict[int, list[meetings.Override]]
    successors: dict[int, list[int]]


async def _chain(db: Database, guild_id: int) -> _Chain:
    every = await meetings.list_series(db, guild_id, include_cancelled=True)
    overrides = await meetings.overrides_of(db, [s.id for s in every])
    successors: dict[int, list[int]] = {}
    for s in every:
        if s.previous_id is not None:
            successors.setdefault(s.previous_id, []).append(s.id)
    return _Chain({s.id: s for s in every}, overrides, successors)


def _lineage(chain: _Chain, series_id: int) -> list[int]:
    """The series and every series that continues it after an edit."""
    found: list[int] = []
    todo = [series_id]
    while todo:
        current = todo.pop()
        if current in found or current not in chain.series:
            continue
        found.append(current)
        todo.extend(chain.successors.get(current, []))
    return found


_EARLY = datetime(1, 1, 2, tzinfo=UTC)


def chain_occurrences(
    chain: _Chain, series_ids: Sequence[int], until: datetime
) -> list[Occurrence]:
    found: list[Occurrence] = []
    for sid in series_ids:
        s = chain.series[sid]
        found.extend(
            meetings.occurrences(s, chain.overrides[sid], _EARLY, until, include_cancelled=True)
        )
    found.sort(key=lambda o: (o.start, o.key))
    return found


# --- carrying over -------------------------------------------------------------------------


async def carry_over(db: Database, guild_id: int | None, *, now: datetime) -> int:
    """Move every unhandled item whose meeting is over to the next meeting of its series;
    returns how many moved. Safe to run again: an item moves once per meeting that is over."""
    if guild_id is None:
        guilds = [
            int(r[0])
            for r in await db.fetchall(
                "SELECT DISTINCT guild_id FROM meeting_agenda_items WHERE handled_at IS NULL"
            )
        ]
        return sum([await carry_over(db, g, now=now) for g in guilds])
    groups = await db.fetchall(
        "SELECT DISTINCT series_id, original_start FROM meeting_agenda_items"
        " WHERE guild_id = ? AND handled_at IS NULL",
        (guild_id,),
    )
    if not groups:
        return 0
    chain = await _chain(db, guild_id)
    minutes = {
        (int(r["series_id"]), r["original_start"]): r["ended_at"]
        for r in await db.fetchall(
            "SELECT series_id, original_start, ended_at FROM meeting_minutes WHERE guild_id = ?",
            (guild_id,),
        )
    }
    horizon = now + meetings.HORIZON
    moves: list[tuple[int, str, int, str]] = []
    for row in groups:
        series_id, stamp = int(row["series_id"]), str(row["original_start"])
        if series_id not in chain.series:
            continue
        original = datetime.fromisoformat(stamp)
        lineage = _lineage(chain, series_id)
        every = chain_occurrences(chain, lineage, horizon)
        this = next((o for o in every if o.key == OccurrenceKey(series_id, original)), None)
        held = (series_id, stamp) in minutes
        if held and minutes[(series_id, stamp)] is None:
            continue  # its meeting is in progress
        if this is not None and this.status != "cancelled" and this.end > now and not held:
            continue  # still to come (or going on)
        tz = chain.series[series_id].rule.tz
        after = this.start if this is not None else to_utc(original, tz)
        if this is None and after > now:
            continue  # beyond the horizon the rule was expanded to: not over
        target = next(
            (
                o
                for o in every
                if o.start > after
                and o.status != "cancelled"
                and o.end > now
                and (o.key.series_id, local_key(o.key.original)) not in minutes
            ),
            None,
        )
        if target is None:
            continue  # the series has no next meeting: the items wait where they are
        moves.append((target.key.series_id, local_key(target.key.original), series_id, stamp))
    moved = 0
    if moves:
        async with db.transaction():
            for new_series, new_start, old_series, old_start in moves:
                moved += await db.execute(
                    "UPDATE meeting_agenda_items SET series_id = ?, original_start = ?,"
                    " carried = carried + 1, carried_from = ?"
                    " WHERE guild_id = ? AND series_id = ? AND original_start = ?"
                    " AND handled_at IS NULL",
                    (new_series, new_start, old_start, guild_id, old_series, old_start),
                )
    return moved


# --- items ---------------------------------------------------------------------------------


def clean_kind(value: str | None) -> str:
    kind = (value or "strategic").strip().lower()
    if kind not in KINDS:
        raise InvalidInput("meetings_minutes.kind", "meetings_minutes.errors.kind")
    return kind


async def add_item(
    db: Database,
    guild_id: int,
    occurrence: Occurrence,
    text: str | None,
    *,
    kind: str | None,
    user_id: int,
    now: datetime,
) -> AgendaItem:
    """Put an item on a coming occurrence's agenda (checked, then written in one go)."""
    clean = clean_line("meetings_minutes.text", text, max_length=TEXT_MAX)
    which = clean_kind(kind)
    if occurrence.end <= now or occurrence.status == "cancelled":
        raise UserError("meetings_minutes.errors.meeting_over")
    stamp = local_key(occurrence.key.original)
    async with db.transaction():
        count = await db.fetchval(
            "SELECT count(*) FROM meeting_agenda_items WHERE series_id = ? AND original_start = ?",
            (occurrence.key.series_id, stamp),
        )
        if int(count or 0) >= MAX_ITEMS:
            raise UserError("meetings_minutes.errors.agenda_full", max=MAX_ITEMS)
        item_id = await db.execute(
            "INSERT INTO meeting_agenda_items (guild_id, series_id, original_start, kind, text,"
            " submitted_user_id, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (guild_id, occurrence.key.series_id, stamp, which, clean, user_id, iso(now)),
        )
    row = await db.fetchone(
        f"SELECT {_ITEM_COLUMNS} FROM meeting_agenda_items WHERE id = ?", (item_id,)
    )
    return _item(row)


async def items_of(
    db: Database, guild_id: int, key: OccurrenceKey, *, handled: bool | None = None
) -> list[AgendaItem]:
    """The items of one occurrence, strategic first, in the order they came."""
    sql = (
        f"SELECT {_ITEM_COLUMNS} FROM meeting_agenda_items"
        " WHERE guild_id = ? AND series_id = ? AND original_start = ?"
    )
    if handled is not None:
        sql += " AND handled_at IS NOT NULL" if handled else " AND handled_at IS NULL"
    rows = await db.fetchall(
        sql + " ORDER BY kind = 'quick', id",
        (guild_id, key.series_id, local_key(key.original)),
    )
    return [_item(r) for r in rows]


async def handled_in(db: Database, minutes_id: int) -> list[AgendaItem]:
    rows = await db.fetchall(
        f"SELECT {_ITEM_COLUMNS} FROM meeting_agenda_items WHERE handled_minutes = ?"
        " ORDER BY handled_at, id",
        (minutes_id,),
    )
    return [_item(r) for r in rows]


async def get_item(db: Database, guild_id: int, item_id: int) -> AgendaItem | None:
    row = await db.fetchone(
        f"SELECT {_ITEM_COLUMNS} FROM meeting_agenda_items WHERE id = ? AND guild_id = ?",
        (item_id, guild_id),
    )
    return _item(row) if row else None


async def agenda_for(
    db: Database, guild_id: int, occurrence_key: OccurrenceKey, *, now: datetime | None = None
) -> Agenda:
    """The agenda of one occurrence, as the 7-day reminder and `/meeting agenda show` carry it:
    its items (strategic first; handled ones too, marked) and every open action of the
    network. With `now`, items of meetings that are over are carried over first."""
    if now is not None:
        await carry_over(db, guild_id, now=now)
    occurrence = await meetings.get_occurrence(db, guild_id, occurrence_key)
    items = await items_of(db, guild_id, occurrence_key)
    open_actions = await actions.list_actions(db, guild_id, which="open", limit=50)
    return Agenda(occurrence, tuple(items), tuple(open_actions))
