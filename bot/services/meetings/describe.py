"""The parsed result shown back before saving: a rule, a date, a time, a duration in words."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from babel.dates import format_date

from bot.i18n import _BABEL, Lang, t
from bot.services.meetings.rules import HolidayPolicy, Rule, RuleKind

_WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ORDINAL_KEYS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


def render_time(lang: Lang, at: time) -> str:
    return t(lang, "meetings.show.clock", hour=f"{at.hour:02d}", minute=f"{at.minute:02d}")


def render_date(lang: Lang, day: date) -> str:
    return format_date(day, t(lang, "format.date"), locale=_BABEL[lang])


def render_duration(lang: Lang, duration: timedelta) -> str:
    minutes = int(duration.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return t(lang, "meetings.show.hours_minutes", hours=hours, minutes=rest)
    if hours:
        return t(lang, f"meetings.show.hours.{'one' if hours == 1 else 'other'}", count=hours)
    return t(lang, "meetings.show.minutes", minutes=rest)


def render_months(lang: Lang, months: frozenset[int]) -> str:
    return ", ".join(
        format_date(date(2026, m, 1), "LLLL", locale=_BABEL[lang]) for m in sorted(months)
    )


def describe_rule(lang: Lang, rule: Rule) -> str:
    """One paragraph, e.g. "Sista torsdagen i månaden kl. 13.00–15.00 (Europe/Stockholm) …"."""
    end = (datetime.combine(date(2026, 1, 1), rule.at) + rule.duration).time()
    when = t(
        lang,
        "meetings.show.span",
        start=render_time(lang, rule.at),
        end=render_time(lang, end),
        duration=render_duration(lang, rule.duration),
        zone=rule.timezone,
    )
    if rule.kind is RuleKind.ONCE:
        what = t(lang, "meetings.show.once", date=render_date(lang, rule.start))
    else:
        assert rule.weekday is not None
        weekday = t(lang, f"meetings.weekday.{_WEEKDAY_KEYS[rule.weekday]}")
        if rule.kind is RuleKind.MONTHLY:
            assert rule.ordinal is not None
            what = t(
                lang,
                f"meetings.show.monthly.{_ORDINAL_KEYS[rule.ordinal]}",
                weekday=t(lang, f"meetings.weekday_def.{_WEEKDAY_KEYS[rule.weekday]}"),
            )
        else:
            what = t(lang, f"meetings.show.{rule.kind.value}", weekday=weekday)
        what += " " + t(lang, "meetings.show.from", date=render_date(lang, rule.start))
    parts = [f"{what} {when}"]
    if rule.kind is not RuleKind.ONCE or rule.holiday_policy is not HolidayPolicy.NONE:
        parts.append(t(lang, f"meetings.show.holidays.{rule.holiday_policy.value}"))
    if rule.months_off:
        parts.append(
            t(lang, "meetings.show.months_off", months=render_months(lang, rule.months_off))
        )
    if rule.until is not None:
        parts.append(t(lang, "meetings.show.until", date=render_date(lang, rule.until)))
    elif rule.count is not None:
        key = "meetings.show.count.one" if rule.count == 1 else "meetings.show.count.other"
        if rule.kind is not RuleKind.ONCE:
            parts.append(t(lang, key, count=rule.count))
    return ". ".join(parts) + "."
