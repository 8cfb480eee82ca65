"""A network's meetings as an iCalendar file (RFC 5545), made with the `icalendar` package.

One VEVENT per series, UID stable for the series' life: DTSTART in the series' zone (with its
VTIMEZONE), RRULE for the rule (UNTIL, in UTC as RFC 5545 §3.3.10 asks, when the series ends),
EXDATE for what is skipped (months off, holidays) and for cancelled occurrences. A moved
occurrence (by hand, or off a holiday) is a VEVENT of its own with the same UID and a
RECURRENCE-ID naming its original start: the form Outlook imports as a moved instance (its RDATE
import must pair each RDATE with an EXDATE and keep instances on separate days, MS-OXCICAL
§2.1.3.1.1.20.18) and Google Calendar imports too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, vRecur

from bot.services.meetings.rules import MAX_YEARS, PlannedOccurrence, RuleKind
from bot.services.meetings.series import Override, Series

PRODID = "-//Krokarm//Network meetings//SV"
# Moved occurrences may start after the cancellation although planned before it.
_WEEKS = timedelta(days=366)
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class CalendarSeries:
    series: Series
    overrides: list[Override]


def _recur(series: Series, until_utc: datetime | None) -> vRecur:
    rule = series.rule
    assert rule.weekday is not None
    day = _BYDAY[rule.weekday]
    recur: dict[str, object]
    if rule.kind is RuleKind.MONTHLY:
        recur = {"FREQ": "MONTHLY", "BYDAY": f"{rule.ordinal}{day}"}
    else:
        recur = {"FREQ": "WEEKLY", "BYDAY": day}
        if rule.kind is RuleKind.BIWEEKLY:
            recur["INTERVAL"] = 2
    if until_utc is not None:
        recur["UNTIL"] = until_utc
    return vRecur(recur)


def _event(series: Series, place: str | None, now: datetime) -> Event:
    event = Event()
    event.add("uid", series.uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("summary", series.title)
    if place:
        event.add("location", place)
    if series.place.kind == "link" and series.place.text:
        event.add("url", series.place.text)
    return event


def series_events(item: CalendarSeries, now: datetime, place: str | None = None) -> list[Event]:
    """The VEVENTs of one series (none when it never meets, e.g. cancelled before its first)."""
    series, rule = item.series, item.series.rule
    tz = rule.tz
    cancelled_at = series.cancelled_at
    overrides = {o.original: o for o in item.overrides}

    def start_of(p: PlannedOccurrence) -> datetime:
        override = overrides.get(p.original)
        if override is not None and override.new_start is not None:
            return override.new_start.astimezone(tz)
        return p.local.replace(tzinfo=tz)

    def kept(p: PlannedOccurrence) -> bool:
        override = overrides.get(p.original)
        if p.skipped or (override is not None and override.status == "cancelled"):
            return False
        return cancelled_at is None or start_of(p) < cancelled_at

    planned = []
    for p in rule.planned():
        if cancelled_at is not None and p.original.replace(tzinfo=tz) >= cancelled_at + _WEEKS:
            break
        planned.append(p)
    held = [p for p in planned if kept(p)]
    if not held:
        return []
    duration = rule.duration

    if rule.kind is RuleKind.ONCE:
        event = _event(series, place, now)
        event.add("dtstart", start_of(held[0]))
        event.add("dtend", start_of(held[0]) + duration)
        return [event]

    master = _event(series, place, now)
    first = rule.raw_rule()[0].replace(tzinfo=tz)
    master.add("dtstart", first)
    master.add("dtend", first + duration)
    finite = rule.until is not None or rule.count is not None or cancelled_at is not None
    last = held[-1].original
    master.add("rrule", _recur(series, last.replace(tzinfo=tz).astimezone(UTC) if finite else None))
    excluded = [
        p.original.replace(tzinfo=tz)
        for p in planned
        if not kept(p) and (not finite or p.original <= last)
    ]
    if excluded:
        master.add("exdate", excluded)
    events = [master]
    for p in held:
        if p.moved or p.original in overrides:
            moved = _event(series, place, now)
            moved.add("recurrence-id", p.original.replace(tzinfo=tz))
            moved.add("dtstart", start_of(p))
            moved.add("dtend", start_of(p) + duration)
            events.append(moved)
    return events


def build_calendar(
    name: str,
    items: Iterable[CalendarSeries],
    now: datetime,
    place: Callable[[Series], str | None] | None = None,
) -> bytes:
    """The .ics of a network's series (cancelled ones keep what was held before).

    `place` gives each series' LOCATION text (e.g. the voice channel's name for a voice
    meeting); by default the address or the link.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    starts = [now.date()]
    for item in items:
        label = place(item.series) if place is not None else item.series.place.text
        for event in series_events(item, now, label):
            cal.add_component(event)
        starts.append(item.series.rule.start)
    # The zone's changes from the earliest start through the years a series is expanded.
    cal.add_missing_timezones(
        first_date=date(min(starts).year - 1, 1, 1),
        last_date=date(max(starts).year + MAX_YEARS + 1, 1, 1),
    )
    return cal.to_ical()
