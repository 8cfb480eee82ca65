"""What people type for a meeting's time, date and duration, in Swedish and English.

Strict rather than guessing: each accepted form is listed below, anything else is refused with
`InvalidInput(field, key)` naming the field. dateutil's free-form parser is not used because it
fills what is missing from today and reads "3/12" the American way.

Times: "13:00", "13.00", "13", "kl 13", "kl. 13.30", "klockan 13", "1pm", "1:30 pm", "1.30 p.m.".
Dates: "2026-12-03", "3 dec", "3 december", "3 dec 2026", "december 3", "3/12", "3/12 2026",
"3/12/2026" (day first), "torsdag"/"thursday" (the next one after today), "i dag"/"today",
"i morgon"/"imorgon"/"tomorrow", "i övermorgon". Durations: "2h", "2 tim", "1,5 tim",
"90 min", "1 h 30 min", "1:30", "2 hours".
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time, timedelta

from bot.errors import InvalidInput

# Longer input is refused before any pattern looks at it.
MAX_INPUT = 40

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "januari january jan",
        "februari february feb",
        "mars march mar",
        "april apr",
        "maj may",
        "juni june jun",
        "juli july jul",
        "augusti august aug",
        "september sept sep",
        "oktober october okt oct",
        "november nov",
        "december dec",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "måndag mån monday mon",
        "tisdag tis tuesday tue tues",
        "onsdag ons wednesday wed",
        "torsdag tors tor thursday thu thur thurs",
        "fredag fre friday fri",
        "lördag lör saturday sat",
        "söndag sön sunday sun",
    )
):
    for _name in _names.split():
        WEEKDAYS[_name] = _number

_RELATIVE = {
    "idag": 0,
    "i dag": 0,
    "today": 0,
    "imorgon": 1,
    "i morgon": 1,
    "tomorrow": 1,
    "iövermorgon": 2,
    "i övermorgon": 2,
    "day after tomorrow": 2,
    "the day after tomorrow": 2,
}


def _prepare(field: str, value: str | None) -> str:
    """Lower case, one space between words, no trailing dot; refuse empty and absurd input."""
    text = value or ""
    if len(text) > MAX_INPUT:
        raise InvalidInput(field, "errors.text.too_long", max=MAX_INPUT, length=len(text))
    text = unicodedata.normalize("NFKC", text)
    if any(unicodedata.category(c) in ("Cc", "Cf") and c not in "\t\n\r" for c in text):
        raise InvalidInput(field, "errors.text.control_characters")
    text = " ".join(text.lower().split()).rstrip(".")
    if not text:
        raise InvalidInput(field, "errors.text.empty")
    return text


# --- time ------------------------------------------------------------------------------------

_TIME_24 = re.compile(r"(?:kl\.?|klockan|at)?\s*(\d{1,2})(?:[:.](\d{2}))?", re.ASCII)
_TIME_12 = re.compile(r"(?:at\s*)?(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s*m", re.ASCII)


def parse_time(value: str | None, *, field: str = "meetings.time") -> time:
    text = _prepare(field, value)
    if match := _TIME_12.fullmatch(text):
        hour, minute = int(match[1]), int(match[2] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise InvalidInput(field, "meetings.errors.time")
        hour = hour % 12 + (12 if match[3] == "p" else 0)
        return time(hour, minute)
    if match := _TIME_24.fullmatch(text):
        hour, minute = int(match[1]), int(match[2] or 0)
        if hour > 23 or minute > 59:
            raise InvalidInput(field, "meetings.errors.time")
        return time(hour, minute)
    raise InvalidInput(field, "meetings.errors.time")


# --- date ------------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_DAY_MONTH_NAME = re.compile(
    r"(?:den\s+|the\s+)?(\d{1,2})(?:st|nd|rd|th|:e|:a)?\s+([a-zåäö]+)(?:,?\s+(\d{4}))?",
    re.ASCII | re.IGNORECASE,
)
_MONTH_NAME_DAY = re.compile(r"([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?", re.ASCII)
_DAY_SLASH_MONTH = re.compile(r"(\d{1,2})/(\d{1,2})(?:[/ ](\d{4}))?", re.ASCII)
_WEEKDAY = re.compile(r"(?:på\s+|nästa\s+|next\s+|on\s+)?([a-zåäö]+)")


def _make_date(field: str, year: int, month: int, day: int, value: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(field, "meetings.errors.date_invalid") from None


def _named_month(field: str, name: str, value: str) -> int:
    month = MONTHS.get(name)
    if month is None:
        raise InvalidInput(field, "meetings.errors.date")
    return month


def _next_of(field: str, month: int, day: int, today: date, value: str) -> date:
    """A day and month without a year: the next such date on or after today."""
    if month == 2 and day == 29:
        for year in range(today.year, today.year + 8):
            candidate = _make_date(field, year, 2, 29, value) if _is_leap(year) else None
            if candidate is not None and candidate >= today:
                return candidate
    found = _make_date(field, today.year, month, day, value)
    return found if found >= today else _make_date(field, today.year + 1, month, day, value)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def parse_date(
    value: str | None, *, today: date, field: str = "meetings.date", allow_past: bool = False
) -> date:
    """A date as typed. Without a year, the next such date; a past date is refused."""
    text = _prepare(field, value)
    found = _parse_date(field, text, today, value or "")
    if found < today and not allow_past:
        raise InvalidInput(field, "meetings.errors.date_past")
    return found


def _parse_date(field: str, text: str, today: date, value: str) -> date:
    if text in _RELATIVE:
        return today + timedelta(days=_RELATIVE[text])
    if match := _ISO.fullmatch(text):
        return _make_date(field, int(match[1]), int(match[2]), int(match[3]), value)
    if match := _DAY_SLASH_MONTH.fullmatch(text):
        day, month = int(match[1]), int(match[2])
        if match[3]:
            return _make_date(field, int(match[3]), month, day, value)
        if not 1 <= month <= 12:
            raise InvalidInput(field, "meetings.errors.date_invalid")
        return _next_of(field, month, day, today, value)
    for pattern, day_group, month_group in ((_DAY_MONTH_NAME, 1, 2), (_MONTH_NAME_DAY, 2, 1)):
        if match := pattern.fullmatch(text):
            month = _named_month(field, match[month_group], value)
            day = int(match[day_group])
            if match[3]:
                return _make_date(field, int(match[3]), month, day, value)
            return _next_of(field, month, day, today, value)
    if (match := _WEEKDAY.fullmatch(text)) and match[1] in WEEKDAYS:
        ahead = (WEEKDAYS[match[1]] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    raise InvalidInput(field, "meetings.errors.date")


# --- duration --------------------------------------------------------------------------------

_NUMBER = r"(\d{1,2}(?:[.,]\d{1,2})?)"
_HOURS = r"(?:h|hr|hrs|hour|hours|t|tim|timme|timmar)"
_MINUTES = r"(?:m|min|mins|minute|minutes|minut|minuter)"
_DURATION_HOURS = re.compile(
    rf"{_NUMBER}\s*{_HOURS}(?:\s*(?:och|and)?\s*(\d{{1,2}})\s*{_MINUTES}?)?", re.ASCII
)
_DURATION_MINUTES = re.compile(rf"(\d{{1,3}})\s*{_MINUTES}", re.ASCII)
_DURATION_CLOCK = re.compile(r"(\d{1,2}):(\d{2})", re.ASCII)

MIN_DURATION = timedelta(minutes=5)
MAX_DURATION = timedelta(hours=12)


def parse_duration(value: str | None, *, field: str = "meetings.duration") -> timedelta:
    text = _prepare(field, value)
    minutes: float | None = None
    if match := _DURATION_MINUTES.fullmatch(text):
        minutes = int(match[1])
    elif match := _DURATION_CLOCK.fullmatch(text):
        if int(match[2]) > 59:
            raise InvalidInput(field, "meetings.errors.duration_format")
        minutes = int(match[1]) * 60 + int(match[2])
    elif match := _DURATION_HOURS.fullmatch(text):
        hours = float(match[1].replace(",", "."))
        extra = int(match[2] or 0)
        if match[2] and (hours != int(hours) or extra > 59):
            raise InvalidInput(field, "meetings.errors.duration_format")
        minutes = hours * 60 + extra
    if minutes is None:
        raise InvalidInput(field, "meetings.errors.duration_format")
    if minutes != int(minutes):
        raise InvalidInput(field, "meetings.errors.duration_format")
    duration = timedelta(minutes=int(minutes))
    if not MIN_DURATION <= duration <= MAX_DURATION:
        raise InvalidInput(field, "meetings.errors.duration")
    return duration


# --- months off ------------------------------------------------------------------------------


def parse_months(value: str | None, *, field: str = "meetings.months_off") -> frozenset[int]:
    """Months named or numbered, separated by commas or spaces ("juli", "jul, aug", "7 8");
    empty means none."""
    text = " ".join((value or "").lower().replace(",", " ").split())
    if len(text) > 120:
        raise InvalidInput(field, "errors.text.too_long", max=120, length=len(text))
    months: set[int] = set()
    for word in text.split():
        if word.isascii() and word.isdigit() and 1 <= int(word) <= 12:
            months.add(int(word))
        elif word.rstrip(".") in MONTHS:
            months.add(MONTHS[word.rstrip(".")])
        else:
            raise InvalidInput(field, "meetings.errors.months_off")
    return frozenset(months)
