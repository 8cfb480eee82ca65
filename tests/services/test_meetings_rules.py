"""Series rules: property tests over 2026–2030 for every rule kind, and the .ics round trip.

Each occurrence falls on the requested local wall-clock time and weekday rule (checked against
an independent brute-force walk over the calendar, so "monthly" can never be every four
weeks); holidays and months off are honoured; the .ics, parsed with icalendar and expanded with
recurring_ical_events, gives exactly the bot's own occurrences for two years.
"""

from __future__ import annotations

import calendar as pycal
import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.errors import InvalidInput
from bot.services.meetings.calendar import CalendarSeries, build_calendar
from bot.services.meetings.rules import (
    ORDINALS,
    HolidayPolicy,
    Rule,
    RuleKind,
    holiday_name,
    is_working_day,
    next_working_day,
    to_utc,
)
from bot.services.meetings.series import (
    Occurrence,
    Override,
    Place,
    Series,
    occurrences,
)

NOW = datetime(2025, 12, 31, 12, 0, tzinfo=UTC)
STOCKHOLM = ZoneInfo("Europe/Stockholm")
TWO_YEARS = timedelta(days=730)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def rules(draw: st.DrawFn, kinds: tuple[RuleKind, ...] = tuple(RuleKind)) -> Rule:
    kind = draw(st.sampled_from(kinds))
    start = draw(st.dates(date(2026, 1, 1), date(2030, 12, 31)))
    # Mostly ordinary meeting hours; sometimes the hours that daylight saving touches.
    hour = draw(st.one_of(st.integers(7, 20), st.integers(0, 23)))
    at = time(hour, draw(st.sampled_from((0, 15, 30, 45))))
    end = "none" if kind is RuleKind.ONCE else draw(st.sampled_from(("none", "until", "count")))
    return Rule(
        kind=kind,
        start=start,
        at=at,
        duration=timedelta(minutes=draw(st.integers(1, 144)) * 5),
        timezone=draw(st.sampled_from(("Europe/Stockholm", "Europe/Stockholm", "Europe/Helsinki"))),
        weekday=None if kind is RuleKind.ONCE else draw(st.integers(0, 6)),
        ordinal=draw(st.sampled_from(ORDINALS)) if kind is RuleKind.MONTHLY else None,
        holiday_policy=draw(st.sampled_from(tuple(HolidayPolicy))),
        months_off=draw(st.frozensets(st.integers(1, 12), max_size=3)),
        until=start + timedelta(days=draw(st.integers(0, 1500))) if end == "until" else None,
        count=draw(st.integers(1, 40)) if end == "count" else None,
    )


def checked(rule: Rule) -> bool:
    """Whether the rule is accepted; a refusal must be one of the reasons a rule can have."""
    try:
        rule.check(NOW)
    except InvalidInput as error:
        if error.key in ("meetings.errors.time_missing", "meetings.errors.time_ambiguous"):
            # Europe/Stockholm and Helsinki change at 02:00–03:00 and 03:00–04:00 local time.
            assert rule.at.hour in (2, 3)
        else:
            assert error.key == "meetings.errors.never", error.key
        return False
    return True


def brute_force_dates(rule: Rule, last: date) -> list[date]:
    """The rule's dates by walking the calendar day by day: an independent oracle."""
    found: list[date] = []
    day = rule.start
    while day <= last:
        if rule.kind is RuleKind.ONCE:
            return [rule.start]
        if day.weekday() == rule.weekday:
            if rule.kind is RuleKind.MONTHLY:
                days_in_month = pycal.monthrange(day.year, day.month)[1]
                nth = (day.day - 1) // 7 + 1
                if rule.ordinal == nth or (rule.ordinal == -1 and day.day + 7 > days_in_month):
                    found.append(day)
            elif rule.kind is RuleKind.WEEKLY or not found or (day - found[0]).days % 14 == 0:
                found.append(day)
        day += timedelta(days=1)
    return found


@FAST
@given(rules())
def test_every_occurrence_follows_the_rule(rule: Rule) -> None:
    if not checked(rule):
        return
    window_end = rule.start + TWO_YEARS
    planned = [p for p in rule.planned() if p.original.date() <= window_end]
    # The raw dates are exactly the calendar's: the nth/last weekday, every (other) week.
    raw = [p.original.date() for p in planned]
    oracle = brute_force_dates(rule, raw[-1] if raw else rule.start)
    assert raw == oracle[: len(raw)]
    tz = rule.tz
    for p in planned:
        assert p.original.time() == rule.at
        if p.original.month in rule.months_off:
            assert p.skipped == "month_off"
            continue
        holiday = holiday_name(p.original.date())
        if rule.holiday_policy is HolidayPolicy.SKIP and holiday:
            assert p.skipped == "holiday"
            continue
        assert p.skipped is None
        # The meeting is held at the requested wall-clock time, whatever the UTC offset.
        held = to_utc(p.local, tz).astimezone(tz)
        assert (held.hour, held.minute) == (rule.at.hour, rule.at.minute)
        if rule.holiday_policy is HolidayPolicy.MOVE and holiday:
            assert p.local.date() == next_working_day(p.original.date())
            assert is_working_day(p.local.date())
        else:
            assert p.local == p.original
        if rule.until is not None:
            assert p.original.date() <= rule.until
    if rule.count is not None:
        held_all = [p for p in rule.planned() if not p.skipped]
        assert len(held_all) == rule.count


@FAST
@given(rules(kinds=(RuleKind.MONTHLY,)))
def test_monthly_is_once_a_month_never_every_four_weeks(rule: Rule) -> None:
    if not checked(rule):
        return
    raw = [p.original.date() for p in rule.planned()][:30]
    months = [(d.year, d.month) for d in raw]
    assert len(set(months)) == len(months)
    for a, b in itertools.pairwise(raw):
        assert (b.year * 12 + b.month) - (a.year * 12 + a.month) == 1
        assert (b - a).days in (28, 35)


def _series(rule: Rule) -> Series:
    return Series(
        id=7,
        guild_id=1,
        uid="test-series@krokarm",
        title="Nätverksträff",
        rule=rule,
        place=Place("address", text="Stadshuset, Söderhamn"),
        reminders=(60,),
        organiser_id=2,
        previous_id=None,
        cancelled_at=None,
        created_at=NOW,
        changed_at=NOW,
    )


def _expand_ics(ics: bytes, start: datetime, end: datetime) -> list[datetime]:
    cal = icalendar.Calendar.from_ical(ics)
    events = recurring_ical_events.of(cal).between(start, end)
    return sorted(e["DTSTART"].dt.astimezone(UTC) for e in events)


def _bots(
    series: Series, overrides: list[Override], start: datetime, end: datetime
) -> list[datetime]:
    found: list[Occurrence] = occurrences(series, overrides, start, end)
    # recurring_ical_events gives what starts in [start, end); the bot what overlaps it.
    return sorted(o.start for o in found if start <= o.start < end)


@FAST
@given(rules(), st.data())
def test_the_ics_gives_exactly_the_bots_occurrences(rule: Rule, data: st.DataObject) -> None:
    if not checked(rule):
        return
    series = _series(rule)
    tz = rule.tz
    window_start = datetime.combine(rule.start, time(0), tzinfo=tz).astimezone(UTC)
    window_end = window_start + TWO_YEARS
    held = [
        p for p in rule.planned() if not p.skipped and p.original.date() <= rule.start + TWO_YEARS
    ]
    overrides: list[Override] = []
    for p in held:
        choice = data.draw(st.sampled_from(("keep", "keep", "keep", "cancel", "move")))
        if choice == "cancel":
            overrides.append(Override(p.original, "cancelled", None))
        elif choice == "move":
            shift = timedelta(hours=data.draw(st.integers(1, 48)))
            new_local = p.local + shift
            if (
                new_local.replace(tzinfo=tz, fold=0).utcoffset()
                != new_local.replace(tzinfo=tz, fold=1).utcoffset()
            ):
                continue
            overrides.append(Override(p.original, "moved", to_utc(new_local, tz)))
    ics = build_calendar("Söderhamn", [CalendarSeries(series, overrides)], NOW)
    assert _expand_ics(ics, window_start, window_end) == _bots(
        series, overrides, window_start, window_end
    )


@settings(max_examples=15, deadline=None)
@given(rules(kinds=(RuleKind.MONTHLY, RuleKind.WEEKLY, RuleKind.BIWEEKLY)), st.data())
def test_a_cancelled_series_keeps_its_past_in_the_ics(rule: Rule, data: st.DataObject) -> None:
    if not checked(rule):
        return
    held = [p for p in rule.planned() if not p.skipped][:12]
    assume(len(held) >= 2)
    cut = data.draw(st.integers(1, len(held) - 1))
    cancelled_at = to_utc(held[cut].local, rule.tz) - timedelta(minutes=1)
    series = _series(rule)
    series = Series(**{**series.__dict__, "cancelled_at": cancelled_at})
    start = to_utc(held[0].original, rule.tz) - timedelta(days=1)
    end = start + TWO_YEARS
    expanded = _expand_ics(build_calendar("N", [CalendarSeries(series, [])], NOW), start, end)
    assert expanded == _bots(series, [], start, end)
    assert len(expanded) == cut


def test_daylight_saving_keeps_the_wall_clock() -> None:
    # The last Thursday of the month at 13:00 in Stockholm across the change in March 2027.
    rule = Rule(
        RuleKind.MONTHLY, date(2027, 2, 1), time(13), timedelta(hours=2), weekday=3, ordinal=-1
    )
    rule.check(NOW)
    feb, mar, apr = [p.local for p in rule.planned()][:3]
    utc = [to_utc(d, STOCKHOLM) for d in (feb, mar, apr)]
    assert [u.hour for u in utc] == [12, 12, 11]  # +01:00 in Feb and March 25, +02:00 in April
    assert all(u.astimezone(STOCKHOLM).hour == 13 for u in utc)


@pytest.mark.parametrize(
    ("start", "key", "shown"),
    [
        (date(2026, 3, 29), "meetings.errors.time_missing", "2026-03-29"),
        (date(2026, 10, 25), "meetings.errors.time_ambiguous", "2026-10-25"),
    ],
)
def test_a_time_that_does_not_exist_or_is_twice_is_refused(
    start: date, key: str, shown: str
) -> None:
    rule = Rule(RuleKind.ONCE, start, time(2, 30), timedelta(hours=1))
    with pytest.raises(InvalidInput) as caught:
        rule.check(NOW)
    assert (caught.value.field, caught.value.key) == ("meetings.time", key)
    assert caught.value.params == {"date": shown, "time": "02:30"}
    # A weekly Sunday series at 02:30 meets such a night sooner or later: refused too.
    weekly = Rule(RuleKind.WEEKLY, date(2026, 1, 1), time(2, 30), timedelta(hours=1), weekday=6)
    with pytest.raises(InvalidInput):
        weekly.check(NOW)


@pytest.mark.parametrize(
    ("rule", "key"),
    [
        (
            Rule(
                RuleKind.WEEKLY, date(2026, 1, 1), time(13), timedelta(hours=1), weekday=3, count=0
            ),
            "meetings.errors.count",
        ),
        (
            Rule(
                RuleKind.WEEKLY,
                date(2026, 5, 1),
                time(13),
                timedelta(hours=1),
                weekday=3,
                until=date(2026, 4, 1),
            ),
            "meetings.errors.until_before_start",
        ),
        (
            Rule(
                RuleKind.MONTHLY,
                date(2026, 1, 1),
                time(13),
                timedelta(hours=1),
                weekday=3,
                ordinal=1,
                months_off=frozenset(range(1, 13)),
            ),
            "meetings.errors.all_months_off",
        ),
        # Only June 2026 is allowed and the rule ends in May: it never occurs.
        (
            Rule(
                RuleKind.WEEKLY,
                date(2026, 5, 1),
                time(13),
                timedelta(hours=1),
                weekday=3,
                until=date(2026, 5, 31),
                months_off=frozenset({5}),
            ),
            "meetings.errors.never",
        ),
        # Julafton, skipped: a one-off meeting that never happens.
        (
            Rule(RuleKind.ONCE, date(2026, 12, 24), time(13), timedelta(hours=1)),
            "meetings.errors.never",
        ),
        (
            Rule(RuleKind.ONCE, date(2025, 12, 30), time(13), timedelta(hours=1)),
            "meetings.errors.date_past",
        ),
        (
            Rule(
                RuleKind.WEEKLY, date(2025, 1, 1), time(13), timedelta(hours=1), weekday=3, count=3
            ),
            "meetings.errors.all_past",
        ),
        (
            Rule(
                RuleKind.MONTHLY,
                date(2026, 1, 1),
                time(13),
                timedelta(hours=1),
                weekday=3,
                ordinal=5,
            ),
            "meetings.errors.ordinal",
        ),
        (
            Rule(RuleKind.WEEKLY, date(2026, 1, 1), time(13), timedelta(hours=1), weekday=None),
            "meetings.errors.weekday",
        ),
        (
            Rule(RuleKind.WEEKLY, date(2026, 1, 1), time(13), timedelta(minutes=2), weekday=3),
            "meetings.errors.duration",
        ),
        (
            Rule(
                RuleKind.WEEKLY,
                date(2026, 1, 1),
                time(13),
                timedelta(hours=1),
                weekday=3,
                timezone="Mars/Olympus",
            ),
            "meetings.errors.time_zone",
        ),
        (
            Rule(
                RuleKind.WEEKLY,
                date(2026, 1, 1),
                time(13),
                timedelta(hours=1),
                weekday=3,
                until=date(2026, 9, 1),
                count=3,
            ),
            "meetings.errors.until_and_count",
        ),
    ],
)
def test_rules_that_cannot_be_are_refused(rule: Rule, key: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        rule.check(NOW)
    assert caught.value.key == key


def test_holidays_are_the_swedish_ones_with_the_eves() -> None:
    names = {
        d: holiday_name(d) for d in (date(2026, 6, 19), date(2026, 12, 24), date(2026, 12, 31))
    }
    assert all(names.values())  # midsommarafton, julafton, nyårsafton
    assert holiday_name(date(2026, 5, 14))  # Kristi himmelsfärdsdag
    assert holiday_name(date(2026, 12, 6)) is None  # an ordinary Sunday is not a holiday
    assert holiday_name(date(2026, 11, 26)) is None
    # Skipping: no meeting on julafton; moving: julafton (Thu) 2026 goes past juldagen and
    # annandag jul (Fri, Sat) and the Sunday to Monday 28 December.
    weekly = Rule(RuleKind.WEEKLY, date(2026, 12, 1), time(10), timedelta(hours=1), weekday=3)
    assert date(2026, 12, 24) not in [p.local.date() for p in weekly.held()][:6]
    moving = Rule(
        RuleKind.WEEKLY,
        date(2026, 12, 1),
        time(10),
        timedelta(hours=1),
        weekday=3,
        holiday_policy=HolidayPolicy.MOVE,
    )
    assert date(2026, 12, 28) in [p.local.date() for p in moving.held()][:6]
