"""Series rules and their occurrences, in the network's local wall-clock time.

A rule is expanded with dateutil's rrule over *naive* local datetimes and only then given the
zone, so a 13:00 meeting stays at 13:00 on both sides of a daylight-saving change. "Monthly" is
always a weekday of the month (RRULE FREQ=MONTHLY;BYDAY=3TH or -1TH), never every four weeks.

Holidays are Swedish public holidays plus midsommarafton, julafton and nyårsafton (the
`holidays` package, SE, categories public and de_facto, Sundays not counted as holidays).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from dateutil import rrule as rr

from bot.errors import InvalidInput


class RuleKind(StrEnum):
    MONTHLY = "monthly"  # the first … fourth or last given weekday of the month
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"  # every other week, counted from the first occurrence
    ONCE = "once"


class HolidayPolicy(StrEnum):
    NONE = "none"  # meet on holidays too
    SKIP = "skip"  # no meeting on a holiday
    MOVE = "move"  # to the next working day (Monday–Friday, not a holiday), same time


# 1–4: the first … fourth given weekday of the month; -1: the last.
ORDINALS = (1, 2, 3, 4, -1)
_RR_WEEKDAYS = (rr.MO, rr.TU, rr.WE, rr.TH, rr.FR, rr.SA, rr.SU)
# A series without an end is expanded (and checked) this many years from its start; one that
# ends must end within them. A bound on the work, far beyond any network's planning.
MAX_YEARS = 30
MAX_COUNT = 500
DEFAULT_TIMEZONE = "Europe/Stockholm"


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("meetings.time_zone", "meetings.errors.time_zone") from None


@cache
def _holidays_for(year: int) -> dict[date, str]:
    found = holidays.country_holidays(
        "SE", years=year, categories=("public", "de_facto"), include_sundays=False, language="sv"
    )
    return dict(found.items())


def holiday_name(day: date) -> str | None:
    """The Swedish name of the holiday on `day` (public or midsommar-, jul-, nyårsafton)."""
    return _holidays_for(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class Rule:
    """When a series meets. Dates and times are local to `timezone`.

    `start` is the first date the series may meet on (the first occurrence is the first date on
    or after it that the rule gives; for ONCE it is the date). `weekday` is 0 = Monday … 6 =
    Sunday (ignored for ONCE); `ordinal` 1–4 or -1 (last) for MONTHLY only. `count` counts the
    meetings held (holidays skipped and months off do not count); `until` is the last date.
    """

    kind: RuleKind
    start: date
    at: time
    duration: timedelta
    timezone: str = DEFAULT_TIMEZONE
    weekday: int | None = None
    ordinal: int | None = None
    holiday_policy: HolidayPolicy = HolidayPolicy.SKIP
    months_off: frozenset[int] = field(default_factory=frozenset)
    until: date | None = None
    count: int | None = None

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)

    def validate(self) -> None:
        """Refuse a rule that cannot be stored: the field named, nothing guessed."""
        zone(self.timezone)
        if self.kind is not RuleKind.ONCE:
            if self.weekday is None or not 0 <= self.weekday <= 6:
                raise InvalidInput("meetings.weekday", "meetings.errors.weekday")
            if self.kind is RuleKind.MONTHLY and self.ordinal not in ORDINALS:
                raise InvalidInput("meetings.ordinal", "meetings.errors.ordinal")
        if self.at.second or self.at.microsecond or self.at.tzinfo is not None:
            raise InvalidInput("meetings.time", "meetings.errors.time")
        minutes = self.duration.total_seconds() / 60
        if minutes != int(minutes) or not 5 <= minutes <= 12 * 60:
            raise InvalidInput("meetings.duration", "meetings.errors.duration")
        if any(not 1 <= m <= 12 for m in self.months_off):
            raise InvalidInput("meetings.months_off", "meetings.errors.months_off")
        if len(self.months_off) == 12:
            raise InvalidInput("meetings.months_off", "meetings.errors.all_months_off")
        if self.count is not None and not 1 <= self.count <= MAX_COUNT:
            raise InvalidInput("meetings.count", "meetings.errors.count", max=MAX_COUNT)
        if self.until is not None:
            if self.until < self.start:
                raise InvalidInput("meetings.until", "meetings.errors.until_before_start")
            if self.until.year - self.start.year > MAX_YEARS:
                raise InvalidInput("meetings.until", "meetings.errors.until_far", years=MAX_YEARS)
        if self.kind is RuleKind.ONCE and (self.until is not None or self.count is not None):
            raise InvalidInput("meetings.rule", "meetings.errors.once_end")
        if self.until is not None and self.count is not None:
            raise InvalidInput("meetings.count", "meetings.errors.until_and_count")

    # --- expansion -------------------------------------------------------------------------

    def raw_rule(self) -> rr.rrule:
        """The bare rrule: no months off, no holidays, no end. Months off and holidays are
        applied in `planned` (and written as EXDATEs in the .ics, which Outlook reads, where a
        BYMONTH list in a monthly rule is not); ends are applied after them, since `count`
        counts meetings held."""
        dtstart = datetime.combine(self.start, self.at)
        if self.kind is RuleKind.ONCE:
            return rr.rrule(rr.DAILY, dtstart=dtstart, count=1)
        assert self.weekday is not None
        day = _RR_WEEKDAYS[self.weekday]
        if self.kind is RuleKind.MONTHLY:
            assert self.ordinal is not None
            rule = rr.rrule(rr.MONTHLY, dtstart=dtstart, byweekday=day(self.ordinal))
            # DTSTART on the first occurrence itself (RFC 5545 leaves an unsynchronised one
            # undefined).
            return rule.replace(dtstart=rule[0])
        interval = 2 if self.kind is RuleKind.BIWEEKLY else 1
        # DTSTART on the first meeting, so the weeks of "every other week" count from it.
        first = self.start + timedelta(days=(self.weekday - self.start.weekday()) % 7)
        return rr.rrule(
            rr.WEEKLY, dtstart=datetime.combine(first, self.at), interval=interval, byweekday=day
        )

    def planned(self) -> Iterator[PlannedOccurrence]:
        """Every date the rule gives, in order, with months off, holidays and ends applied.

        Dates skipped (a month off, or a holiday under SKIP) are yielded with `skipped` set to
        "month_off" or "holiday" and do not count towards `count`.
        """
        held = 0
        last_year = self.start.year + MAX_YEARS
        for raw in self.raw_rule():
            day = raw.date()
            if (self.until is not None and day > self.until) or day.year > last_year:
                return
            holiday = holiday_name(day)
            if day.month in self.months_off:
                yield PlannedOccurrence(raw, raw, skipped="month_off", holiday=holiday)
                continue
            if holiday is not None and self.holiday_policy is HolidayPolicy.SKIP:
                yield PlannedOccurrence(raw, raw, skipped="holiday", holiday=holiday)
                continue
            local = raw
            if holiday is not None and self.holiday_policy is HolidayPolicy.MOVE:
                local = datetime.combine(next_working_day(day), self.at)
            yield PlannedOccurrence(raw, local, skipped=None, holiday=holiday)
            held += 1
            if self.count is not None and held >= self.count:
                return

    def held(self) -> Iterator[PlannedOccurrence]:
        return (p for p in self.planned() if not p.skipped)

    def check(self, now: datetime) -> None:
        """Validate, then refuse a rule that never meets, meets only in the past, or meets at a
        time that does not exist or is ambiguous on a change night (with the date named)."""
        self.validate()
        tz = self.tz
        first: PlannedOccurrence | None = None
        for p in self.planned():
            for local in {p.original, p.local}:
                check_wall_time(local, tz)
            if not p.skipped and first is None:
                first = p
        if first is None:
            raise InvalidInput("meetings.rule", "meetings.errors.never")
        if self.kind is RuleKind.ONCE and to_utc(first.local, tz) <= now:
            raise InvalidInput("meetings.date", "meetings.errors.date_past")
        if self.until is not None or self.count is not None:
            last = None
            for p in self.held():
                last = p
            assert last is not None
            if to_utc(last.local, tz) <= now:
                raise InvalidInput("meetings.rule", "meetings.errors.all_past")


@dataclass(frozen=True)
class PlannedOccurrence:
    """One date of a rule: `original` is the rule's local start (the occurrence's identity),
    `local` where it is held (later than `original` when moved off a holiday)."""

    original: datetime
    local: datetime
    skipped: str | None  # None, "month_off" or "holiday"
    holiday: str | None

    @property
    def moved(self) -> bool:
        return self.local != self.original


class WallTimeProblem(InvalidInput):
    pass


def check_wall_time(local: datetime, tz: ZoneInfo, field_key: str = "meetings.time") -> None:
    """Refuse a naive local time that the zone skips (spring forward) or has twice (fall back)."""
    assert local.tzinfo is None
    a = local.replace(tzinfo=tz, fold=0)
    b = local.replace(tzinfo=tz, fold=1)
    if a.utcoffset() == b.utcoffset():
        return
    # Round-tripping through UTC changes a time that does not exist; keeps an ambiguous one.
    back = a.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    reason = "meetings.errors.time_ambiguous" if back == local else "meetings.errors.time_missing"
    raise InvalidInput(
        field_key,
        reason,
        date=local.date().isoformat(),
        time=local.strftime("%H:%M"),
    )


def to_utc(local: datetime, tz: ZoneInfo) -> datetime:
    """A naive local wall-clock time (checked to exist and be unambiguous) as aware UTC."""
    return local.replace(tzinfo=tz).astimezone(UTC)
