"""From what a member typed in the schedule form to a checked draft, in one call.

The cog passes the typed text as it came (and the choices it offered); every field is parsed and
checked here, the first bad one raised as `InvalidInput` naming it. Show the draft back with
`describe.describe_rule` before saving it with `series.create_series`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from bot.errors import InvalidInput
from bot.services.meetings.parsing import parse_date, parse_duration, parse_months, parse_time
from bot.services.meetings.rules import DEFAULT_TIMEZONE, HolidayPolicy, Rule, RuleKind, zone
from bot.services.meetings.series import Place, SeriesDraft, clean_place, make_draft


def _choice(field: str, reason: str, value: str, allowed: Iterable[StrEnum]) -> str:
    if value not in {member.value for member in allowed}:
        raise InvalidInput(field, reason)
    return value


def draft_from_form(
    *,
    now: datetime,
    title: str | None,
    kind: str,
    first_date: str | None,
    start_time: str | None,
    duration: str | None,
    weekday: int | None = None,
    ordinal: int | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    holiday_policy: str = HolidayPolicy.SKIP.value,
    months_off: str | None = None,
    until: str | None = None,
    count: int | None = None,
    place_kind: str,
    place: str | None = None,
    voice_channel_id: int | None = None,
    reminders: Iterable[int] | None = None,
) -> SeriesDraft:
    """`first_date` is the date of a one-off meeting, or the date a series starts from (the
    first occurrence is the first date on or after it that the rule gives); for a series,
    empty means today. Dates are read relative to today in the series' zone."""
    tz = zone(timezone)
    today = now.astimezone(tz).date()
    rule_kind = RuleKind(_choice("meetings.rule", "meetings.errors.kind", kind, RuleKind))
    if rule_kind is RuleKind.ONCE or (first_date or "").strip():
        start = parse_date(first_date, today=today)
    else:
        start = today
    rule = Rule(
        kind=rule_kind,
        start=start,
        at=parse_time(start_time),
        duration=parse_duration(duration),
        timezone=timezone,
        weekday=weekday if rule_kind is not RuleKind.ONCE else None,
        ordinal=ordinal if rule_kind is RuleKind.MONTHLY else None,
        holiday_policy=HolidayPolicy(
            _choice(
                "meetings.holiday_policy",
                "meetings.errors.holiday_policy",
                holiday_policy,
                HolidayPolicy,
            )
        ),
        months_off=parse_months(months_off),
        until=parse_date(until, today=today, field="meetings.until") if until else None,
        count=count,
    )
    checked_place: Place = clean_place(place_kind, place, voice_channel_id)
    return make_draft(title=title, rule=rule, place=checked_place, reminders=reminders, now=now)
