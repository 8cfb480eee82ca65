"""Meeting series in the database: create, list coming occurrences, cancel, move, edit.

No discord here. Everything takes `now` (the bot's clock). Validation happens before the one
transaction that writes, so bad input writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from bot.db import Database
from bot.errors import InvalidInput, UserError
from bot.services.meetings.rules import (
    HolidayPolicy,
    Rule,
    RuleKind,
    check_wall_time,
    to_utc,
)
from bot.services.text import clean_line

TITLE_MAX = 100
PLACE_MAX = 200
LINK_MAX = 500
# 7 days, 1 day, 1 hour before the start.
DEFAULT_REMINDERS: tuple[int, ...] = (7 * 24 * 60, 24 * 60, 60)
MAX_REMINDERS = 5
# How far ahead `list_coming` looks by default.
HORIZON = timedelta(days=400)

PLACE_KINDS = ("voice", "address", "link")


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _from_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _local_key(local: datetime) -> str:
    return local.strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True, order=True)
class OccurrenceKey:
    """An occurrence's stable identity: its series and the local start its rule gives it."""

    series_id: int
    original: datetime  # naive, local wall-clock time of the series' zone

    @property
    def token(self) -> str:
        """Short and safe for a custom_id or an autocomplete value: '12-202612031300'."""
        return f"{self.series_id}-{self.original:%Y%m%d%H%M}"

    @classmethod
    def parse(cls, token: str | None) -> OccurrenceKey | None:
        series, _, stamp = (token or "").partition("-")
        if not (series.isascii() and series.isdigit() and len(series) <= 18):
            return None
        if not (len(stamp) == 12 and stamp.isascii() and stamp.isdigit()):
            return None
        try:
            return cls(int(series), datetime.strptime(stamp, "%Y%m%d%H%M"))
        except ValueError:
            return None


@dataclass(frozen=True)
class Place:
    kind: str  # voice, address, link
    voice_channel_id: int | None = None
    text: str | None = None  # the address or the link


@dataclass(frozen=True)
class Series:
    id: int
    guild_id: int
    uid: str
    title: str
    rule: Rule
    place: Place
    reminders: tuple[int, ...]  # minutes before the start, largest first
    organiser_id: int
    previous_id: int | None
    cancelled_at: datetime | None
    created_at: datetime
    changed_at: datetime


@dataclass(frozen=True)
class Override:
    original: datetime  # naive local
    status: str  # cancelled, moved
    new_start: datetime | None  # aware UTC


@dataclass(frozen=True)
class Occurrence:
    key: OccurrenceKey
    series: Series
    start: datetime  # aware UTC
    end: datetime
    status: str  # scheduled, moved, cancelled
    holiday: str | None  # the holiday it was moved off (policy "move"), if any

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.series.rule.tz)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(self.series.rule.tz)


@dataclass(frozen=True)
class SeriesDraft:
    """A checked series not yet saved: show it back (`describe`), then `create_series`."""

    title: str
    rule: Rule
    place: Place
    reminders: tuple[int, ...] = DEFAULT_REMINDERS


# --- checks ----------------------------------------------------------------------------------


def clean_title(value: str | None) -> str:
    return clean_line("meetings.title", value, max_length=TITLE_MAX)


def clean_place(kind: str, value: str | None, voice_channel_id: int | None = None) -> Place:
    if kind == "voice":
        if voice_channel_id is None or voice_channel_id <= 0:
            raise InvalidInput("meetings.place", "meetings.errors.voice_channel")
        return Place("voice", voice_channel_id=voice_channel_id)
    if kind == "address":
        return Place("address", text=clean_line("meetings.place", value, max_length=PLACE_MAX))
    if kind == "link":
        return Place("link", text=clean_link(value))
    raise InvalidInput("meetings.place_kind", "meetings.errors.place_kind")


def clean_link(value: str | None) -> str:
    """An http or https link with a host, nothing else (no javascript:, data:, spaces)."""
    text = clean_line("meetings.link", value, max_length=LINK_MAX)
    if any(c.isspace() for c in text):
        raise InvalidInput("meetings.link", "meetings.errors.link")
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        raise InvalidInput("meetings.link", "meetings.errors.link") from None
    if parts.scheme.lower() not in ("http", "https") or not host or "." not in host:
        raise InvalidInput("meetings.link", "meetings.errors.link")
    if parts.username or parts.password:
        raise InvalidInput("meetings.link", "meetings.errors.link")
    return text


def clean_reminders(values: Iterable[int] | None) -> tuple[int, ...]:
    found = tuple(sorted(set(DEFAULT_REMINDERS if values is None else values), reverse=True))
    if len(found) > MAX_REMINDERS or any(not 5 <= m <= 28 * 24 * 60 for m in found):
        raise InvalidInput("meetings.reminders", "meetings.errors.reminders", max=MAX_REMINDERS)
    return found


def make_draft(
    *,
    title: str | None,
    rule: Rule,
    place: Place,
    reminders: Iterable[int] | None = None,
    now: datetime,
) -> SeriesDraft:
    """Check everything a series needs; raise `InvalidInput` naming the first bad field."""
    clean = clean_title(title)
    if rule.start < now.astimezone(rule.tz).date():
        raise InvalidInput("meetings.date", "meetings.errors.date_past")
    rule.check(now)
    return SeriesDraft(clean, rule, place, clean_reminders(reminders))


# --- rows ------------------------------------------------------------------------------------

_COLUMNS = (
    "id, guild_id, uid, title, kind, weekday, ordinal, start_date, start_time, duration_minutes,"
    " timezone, holiday_policy, months_off, until_date, count, place_kind, voice_channel_id,"
    " place, organiser_id, previous_id, cancelled_at, created_at, changed_at"
)


def _months_bits(months: Iterable[int]) -> int:
    return sum(1 << (m - 1) for m in set(months))


def _bits_months(bits: int) -> frozenset[int]:
    return frozenset(m for m in range(1, 13) if bits & (1 << (m - 1)))


def _series(row: object, reminders: Sequence[int]) -> Series:
    r: dict = dict(row)  # type: ignore[call-overload]
    rule = Rule(
        kind=RuleKind(r["kind"]),
        start=date.fromisoformat(r["start_date"]),
        at=time.fromisoformat(r["start_time"]),
        duration=timedelta(minutes=r["duration_minutes"]),
        timezone=r["timezone"],
        weekday=r["weekday"],
        ordinal=r["ordinal"],
        holiday_policy=HolidayPolicy(r["holiday_policy"]),
        months_off=_bits_months(r["months_off"]),
        until=date.fromisoformat(r["until_date"]) if r["until_date"] else None,
        count=r["count"],
    )
    return Series(
        id=r["id"],
        guild_id=r["guild_id"],
        uid=r["uid"],
        title=r["title"],
        rule=rule,
        place=Place(r["place_kind"], r["voice_channel_id"], r["place"]),
        reminders=tuple(sorted(reminders, reverse=True)),
        organiser_id=r["organiser_id"],
        previous_id=r["previous_id"],
        cancelled_at=_from_iso(r["cancelled_at"]) if r["cancelled_at"] else None,
        created_at=_from_iso(r["created_at"]),
        changed_at=_from_iso(r["changed_at"]),
    )


def _rule_values(rule: Rule) -> tuple[object, ...]:
    return (
        rule.kind.value,
        rule.weekday if rule.kind is not RuleKind.ONCE else None,
        rule.ordinal if rule.kind is RuleKind.MONTHLY else None,
        rule.start.isoformat(),
        rule.at.strftime("%H:%M"),
        int(rule.duration.total_seconds() // 60),
        rule.timezone,
        rule.holiday_policy.value,
        _months_bits(rule.months_off),
        rule.until.isoformat() if rule.until else None,
        rule.count,
    )


async def _insert(
    db: Database,
    guild_id: int,
    draft: SeriesDraft,
    organiser_id: int,
    now: datetime,
    previous_id: int | None = None,
) -> int:
    series_id = await db.execute(
        "INSERT INTO meeting_series (guild_id, uid, title, kind, weekday, ordinal, start_date,"
        " start_time, duration_minutes, timezone, holiday_policy, months_off, until_date, count,"
        " place_kind, voice_channel_id, place, organiser_id, previous_id, created_at, changed_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            guild_id,
            f"{uuid.uuid4()}@krokarm",
            draft.title,
            *_rule_values(draft.rule),
            draft.place.kind,
            draft.place.voice_channel_id,
            draft.place.text,
            organiser_id,
            previous_id,
            _iso(now),
            _iso(now),
        ),
    )
    await db.executemany(
        "INSERT INTO meeting_reminder_offsets (series_id, minutes_before) VALUES (?, ?)",
        [(series_id, m) for m in draft.reminders],
    )
    return series_id


# --- reading ---------------------------------------------------------------------------------


async def get_series(db: Database, guild_id: int, series_id: int) -> Series:
    """One series of this network (cancelled or not); a `UserError` if there is none."""
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM meeting_series WHERE id = ? AND guild_id = ?",
        (series_id, guild_id),
    )
    if row is None:
        raise UserError("meetings.errors.no_series")
    reminders = await db.fetchall(
        "SELECT minutes_before FROM meeting_reminder_offsets WHERE series_id = ?", (series_id,)
    )
    return _series(row, [r[0] for r in reminders])


async def list_series(
    db: Database, guild_id: int, *, include_cancelled: bool = False
) -> list[Series]:
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM meeting_series WHERE guild_id = ?"
        + ("" if include_cancelled else " AND cancelled_at IS NULL")
        + " ORDER BY id",
        (guild_id,),
    )
    offsets = await db.fetchall(
        "SELECT o.series_id, o.minutes_before FROM meeting_reminder_offsets o"
        " JOIN meeting_series s ON s.id = o.series_id WHERE s.guild_id = ?",
        (guild_id,),
    )
    by_series: dict[int, list[int]] = {}
    for series_id, minutes in offsets:
        by_series.setdefault(series_id, []).append(minutes)
    return [_series(row, by_series.get(row["id"], [])) for row in rows]


async def overrides_of(db: Database, series_ids: Sequence[int]) -> dict[int, list[Override]]:
    found: dict[int, list[Override]] = {i: [] for i in series_ids}
    if not series_ids:
        return found
    marks = ", ".join("?" * len(series_ids))
    rows = await db.fetchall(
        "SELECT series_id, original_start, status, new_start FROM meeting_overrides"
        f" WHERE series_id IN ({marks})",
        tuple(series_ids),
    )
    for series_id, original, status, new_start in rows:
        found[series_id].append(
            Override(
                datetime.fromisoformat(original),
                status,
                _from_iso(new_start) if new_start else None,
            )
        )
    return found


def occurrences(
    series: Series,
    overrides: Iterable[Override],
    start: datetime,
    end: datetime,
    *,
    include_cancelled: bool = False,
) -> list[Occurrence]:
    """The series' occurrences that overlap [start, end), overrides applied, in order.

    A cancelled series ends at `cancelled_at`: what began before stays (it was held).
    """
    rule = series.rule
    tz = rule.tz
    by_original = {o.original: o for o in overrides}
    stop = end if series.cancelled_at is None else min(end, series.cancelled_at)
    duration = rule.duration
    found: list[Occurrence] = []
    # A planned date before start - a week cannot overlap the window (moved ones are added
    # from the overrides below, wherever they were moved to).
    last_local = stop.astimezone(tz).replace(tzinfo=None) + timedelta(days=7)
    for planned in rule.planned():
        if planned.original > last_local:
            break
        if planned.skipped:
            continue
        key = OccurrenceKey(series.id, planned.original)
        override = by_original.get(planned.original)
        begins = to_utc(planned.local, tz)
        status = "moved" if planned.moved else "scheduled"
        if override is not None and override.status == "moved":
            continue
        if override is not None and override.status == "cancelled":
            if not include_cancelled:
                continue
            status = "cancelled"
        if begins + duration > start and begins < stop:
            found.append(
                Occurrence(key, series, begins, begins + duration, status, planned.holiday)
            )
    for override in by_original.values():
        if override.status != "moved" or override.new_start is None:
            continue
        begins = override.new_start
        if begins + duration > start and begins < stop:
            key = OccurrenceKey(series.id, override.original)
            found.append(Occurrence(key, series, begins, begins + duration, "moved", None))
    found.sort(key=lambda o: (o.start, o.key))
    return found


async def list_coming(
    db: Database,
    guild_id: int,
    now: datetime,
    *,
    within: timedelta = HORIZON,
    limit: int | None = None,
    include_cancelled: bool = False,
) -> list[Occurrence]:
    """The network's occurrences that have not ended by `now`, within `within`, in order of
    start (ongoing ones first)."""
    series = await list_series(db, guild_id)
    overrides = await overrides_of(db, [s.id for s in series])
    found: list[Occurrence] = []
    for s in series:
        found.extend(
            occurrences(s, overrides[s.id], now, now + within, include_cancelled=include_cancelled)
        )
    found.sort(key=lambda o: (o.start, o.key))
    return found[:limit] if limit is not None else found


async def get_occurrence(
    db: Database, guild_id: int, key: OccurrenceKey, *, include_cancelled: bool = True
) -> Occurrence:
    """The occurrence `key` names (its override applied); a `UserError` if the rule has none."""
    series = await get_series(db, guild_id, key.series_id)
    found = _find(series, (await overrides_of(db, [series.id]))[series.id], key)
    if found is None or (found.status == "cancelled" and not include_cancelled):
        raise UserError("meetings.errors.no_occurrence")
    return found


_EARLY = datetime(1, 1, 2, tzinfo=UTC)
_FAR = datetime(9999, 1, 1, tzinfo=UTC)


def _find(series: Series, overrides: list[Override], key: OccurrenceKey) -> Occurrence | None:
    for occurrence in occurrences(series, overrides, _EARLY, _FAR, include_cancelled=True):
        if occurrence.key == key:
            return occurrence
    return None


# --- writing ---------------------------------------------------------------------------------


async def create_series(
    db: Database, guild_id: int, draft: SeriesDraft, *, organiser_id: int, now: datetime
) -> Series:
    """Save a draft made by `make_draft` (checked again here: nothing unchecked is written)."""
    checked = make_draft(
        title=draft.title, rule=draft.rule, place=draft.place, reminders=draft.reminders, now=now
    )
    async with db.transaction():
        series_id = await _insert(db, guild_id, checked, organiser_id, now)
    return await get_series(db, guild_id, series_id)


def _future(occurrence: Occurrence, now: datetime) -> None:
    if occurrence.start <= now:
        raise UserError("meetings.errors.occurrence_past")
    if occurrence.status == "cancelled":
        raise UserError("meetings.errors.occurrence_cancelled")


async def cancel_occurrence(
    db: Database, guild_id: int, key: OccurrenceKey, *, by: int, now: datetime
) -> Occurrence:
    """Cancel one coming occurrence (moved or not); returns it as it was before."""
    occurrence = await get_occurrence(db, guild_id, key)
    if occurrence.series.cancelled_at is not None:
        raise UserError("meetings.errors.series_cancelled")
    _future(occurrence, now)
    async with db.transaction():
        await db.execute(
            "INSERT INTO meeting_overrides (series_id, original_start, status, new_start,"
            " changed_by, changed_at) VALUES (?, ?, 'cancelled', NULL, ?, ?)"
            " ON CONFLICT (series_id, original_start) DO UPDATE SET status = 'cancelled',"
            " new_start = NULL, changed_by = excluded.changed_by,"
            " changed_at = excluded.changed_at",
            (key.series_id, _local_key(key.original), by, _iso(now)),
        )
    return occurrence


async def cancel_series(
    db: Database, guild_id: int, series_id: int, *, now: datetime
) -> list[Occurrence]:
    """Cancel the series from `now` on; the past stays. Returns the coming occurrences that
    were cancelled (for telling those who answered and cancelling the events)."""
    series = await get_series(db, guild_id, series_id)
    if series.cancelled_at is not None:
        raise UserError("meetings.errors.series_cancelled")
    overrides = (await overrides_of(db, [series.id]))[series.id]
    coming = occurrences(series, overrides, now, _FAR)
    coming = [o for o in coming if o.start > now]
    async with db.transaction():
        await db.execute(
            "UPDATE meeting_series SET cancelled_at = ?, changed_at = ? WHERE id = ?",
            (_iso(now), _iso(now), series.id),
        )
    return coming


async def move_occurrence(
    db: Database,
    guild_id: int,
    key: OccurrenceKey,
    new_local: datetime,
    *,
    by: int,
    now: datetime,
) -> Occurrence:
    """Move one coming occurrence to `new_local` (naive, the series' local time). The new time
    must exist, be unambiguous and lie ahead."""
    occurrence = await get_occurrence(db, guild_id, key)
    if occurrence.series.cancelled_at is not None:
        raise UserError("meetings.errors.series_cancelled")
    _future(occurrence, now)
    tz = occurrence.series.rule.tz
    if new_local.tzinfo is not None:
        new_local = new_local.astimezone(tz).replace(tzinfo=None)
    check_wall_time(new_local, tz)
    new_start = to_utc(new_local, tz)
    if new_start <= now:
        raise InvalidInput("meetings.date", "meetings.errors.date_past")
    overrides = (await overrides_of(db, [key.series_id]))[key.series_id]
    taken = occurrences(
        occurrence.series, overrides, new_start, new_start + occurrence.series.rule.duration
    )
    if any(o.key != key and o.start == new_start for o in taken):
        raise InvalidInput("meetings.date", "meetings.errors.move_taken")
    async with db.transaction():
        await db.execute(
            "INSERT INTO meeting_overrides (series_id, original_start, status, new_start,"
            " changed_by, changed_at) VALUES (?, ?, 'moved', ?, ?, ?)"
            " ON CONFLICT (series_id, original_start) DO UPDATE SET status = 'moved',"
            " new_start = excluded.new_start, changed_by = excluded.changed_by,"
            " changed_at = excluded.changed_at",
            (key.series_id, _local_key(key.original), _iso(new_start), by, _iso(now)),
        )
    return await get_occurrence(db, guild_id, key)


@dataclass(frozen=True)
class EditResult:
    """`old` is the series as kept (ending before the edited occurrence), or None when the
    edit began at its first occurrence and the series was changed in place; `new` is the
    series from the edited occurrence on. `carried` maps the old keys of changed occurrences
    (moved, cancelled) to their keys in `new`, where the new rule still has them; `dropped`
    are the old keys whose changes no longer apply."""

    old: Series | None
    new: Series
    carried: dict[OccurrenceKey, OccurrenceKey]
    dropped: tuple[OccurrenceKey, ...]


async def edit_from(
    db: Database,
    guild_id: int,
    key: OccurrenceKey,
    draft: SeriesDraft,
    *,
    now: datetime,
) -> EditResult:
    """Change the series from occurrence `key` on, keeping the past.

    The series ends the day before `key`'s date and a new one (same organiser, `previous_id`
    pointing back) carries the new rule from that date; when `key` is the series' first
    occurrence, the series is changed in place. A `count` in the old rule that the draft does
    not replace carries over as the meetings still to come. A series already ended by an
    earlier edit keeps its end, so that it never overlaps the part that continues it.
    """
    occurrence = await get_occurrence(db, guild_id, key)
    series = occurrence.series
    if series.cancelled_at is not None:
        raise UserError("meetings.errors.series_cancelled")
    _future(occurrence, now)
    split = key.original.date()
    rule = draft.rule
    if rule.start < split:
        raise InvalidInput("meetings.date", "meetings.errors.edit_before")
    held_before = sum(1 for p in series.rule.held() if p.original.date() < split)
    if rule.count is None and rule.until is None and series.rule.count is not None:
        rule = replace(rule, count=max(series.rule.count - held_before, 1))
    successor = await db.fetchval(
        "SELECT id FROM meeting_series WHERE previous_id = ? LIMIT 1", (series.id,)
    )
    ended = series.rule.until
    if successor is not None and ended is not None and (rule.until is None or rule.until > ended):
        # This part of the series was ended by an earlier edit; the part after it stays.
        rule = replace(rule, until=ended, count=None)
    checked = make_draft(
        title=draft.title, rule=rule, place=draft.place, reminders=draft.reminders, now=now
    )
    overrides = (await overrides_of(db, [series.id]))[series.id]
    later = [o for o in overrides if o.original.date() >= split]
    new_originals = {p.original for p in checked.rule.held()}
    carried_rows = [o for o in later if o.original in new_originals]
    dropped = tuple(
        OccurrenceKey(series.id, o.original) for o in later if o.original not in new_originals
    )
    async with db.transaction():
        if held_before == 0:
            await db.execute(
                "UPDATE meeting_series SET title = ?, kind = ?, weekday = ?, ordinal = ?,"
                " start_date = ?, start_time = ?, duration_minutes = ?, timezone = ?,"
                " holiday_policy = ?, months_off = ?, until_date = ?, count = ?,"
                " place_kind = ?, voice_channel_id = ?, place = ?, changed_at = ?"
                " WHERE id = ?",
                (
                    checked.title,
                    *_rule_values(checked.rule),
                    checked.place.kind,
                    checked.place.voice_channel_id,
                    checked.place.text,
                    _iso(now),
                    series.id,
                ),
            )
            await db.execute(
                "DELETE FROM meeting_reminder_offsets WHERE series_id = ?", (series.id,)
            )
            await db.executemany(
                "INSERT INTO meeting_reminder_offsets (series_id, minutes_before) VALUES (?, ?)",
                [(series.id, m) for m in checked.reminders],
            )
            new_id = series.id
        else:
            new_id = await _insert(db, guild_id, checked, series.organiser_id, now, series.id)
            await db.execute(
                "UPDATE meeting_series SET until_date = ?, count = NULL, changed_at = ?"
                " WHERE id = ?",
                ((split - timedelta(days=1)).isoformat(), _iso(now), series.id),
            )
            for o in carried_rows:
                await db.execute(
                    "UPDATE meeting_overrides SET series_id = ? WHERE series_id = ?"
                    " AND original_start = ?",
                    (new_id, series.id, _local_key(o.original)),
                )
        for k in dropped:
            await db.execute(
                "DELETE FROM meeting_overrides WHERE series_id = ? AND original_start = ?",
                (series.id, _local_key(k.original)),
            )
    new = await get_series(db, guild_id, new_id)
    old = None if held_before == 0 else await get_series(db, guild_id, series.id)
    carried = {
        OccurrenceKey(series.id, o.original): OccurrenceKey(new_id, o.original)
        for o in carried_rows
    }
    return EditResult(old, new, carried, dropped)
