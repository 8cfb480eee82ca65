"""What people type for a meeting, in Swedish and English: accepted forms and refusals."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import InvalidInput
from bot.i18n import LANGS, t
from bot.services.meetings.describe import describe_rule, render_date, render_duration
from bot.services.meetings.parsing import parse_date, parse_duration, parse_months, parse_time
from bot.services.meetings.rules import HolidayPolicy, Rule, RuleKind

TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13:00", time(13)),
        ("13.00", time(13)),
        ("kl 13", time(13)),
        ("kl. 13.30", time(13, 30)),
        ("Kl. 9", time(9)),
        ("klockan 9.15", time(9, 15)),
        ("13", time(13)),
        ("  08:05 ", time(8, 5)),
        ("0:00", time(0)),
        ("23:59", time(23, 59)),
        ("1pm", time(13)),
        ("1 PM", time(13)),
        ("1:30 pm", time(13, 30)),
        ("1.30 p.m.", time(13, 30)),
        ("11am", time(11)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("at 9:45am", time(9, 45)),
        ("１３:００", time(13)),  # full-width digits from a Japanese keyboard: NFKC
    ],
)
def test_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("25:00", "meetings.errors.time"),
        ("24:00", "meetings.errors.time"),
        ("13:60", "meetings.errors.time"),
        ("13pm", "meetings.errors.time"),
        ("0am", "meetings.errors.time"),
        ("13:5", "meetings.errors.time"),
        ("ett", "meetings.errors.time"),
        ("13:00:00", "meetings.errors.time"),
        ("-1", "meetings.errors.time"),
        ("١٣:٠٠", "meetings.errors.time"),  # Arabic-Indic digits are not read as a time
        ("13:00\u202e", "errors.text.control_characters"),
        ("", "errors.text.empty"),
        ("   ", "errors.text.empty"),
        (None, "errors.text.empty"),
        ("1" * 5000, "errors.text.too_long"),
    ],
)
def test_bad_times(text: str | None, reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_time(text)
    assert (caught.value.field, caught.value.key) == ("meetings.time", reason)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-03", date(2026, 12, 3)),
        ("2027-1-5", date(2027, 1, 5)),
        ("3 dec", date(2026, 12, 3)),
        ("3 dec.", date(2026, 12, 3)),
        ("3 december", date(2026, 12, 3)),
        ("3 December 2027", date(2027, 12, 3)),
        ("den 3 december", date(2026, 12, 3)),
        ("den 3:e dec", date(2026, 12, 3)),
        ("December 3", date(2026, 12, 3)),
        ("december 3, 2027", date(2027, 12, 3)),
        ("the 3rd December", date(2026, 12, 3)),
        ("3/12", date(2026, 12, 3)),  # Swedish: day/month
        ("3/12 2027", date(2027, 12, 3)),
        ("3/12/2027", date(2027, 12, 3)),
        ("1 jan", date(2027, 1, 1)),  # without a year: the next one
        ("1 januari", date(2027, 1, 1)),
        ("1 okt", date(2027, 10, 1)),
        ("1 oct", date(2027, 10, 1)),
        ("2 maj", date(2027, 5, 2)),
        ("2 may", date(2027, 5, 2)),
        ("29/2", date(2028, 2, 29)),  # the next leap day
        ("torsdag", date(2026, 12, 3)),
        ("Thursday", date(2026, 12, 3)),
        ("på torsdag", date(2026, 12, 3)),
        ("next thursday", date(2026, 12, 3)),
        ("onsdag", date(2026, 12, 9)),  # today is Wednesday: the next one
        ("wed", date(2026, 12, 9)),
        ("måndag", date(2026, 12, 7)),
        ("i dag", date(2026, 12, 2)),
        ("today", date(2026, 12, 2)),
        ("i morgon", date(2026, 12, 3)),
        ("imorgon", date(2026, 12, 3)),
        ("Tomorrow", date(2026, 12, 3)),
        ("i övermorgon", date(2026, 12, 4)),
        ("2 december", date(2026, 12, 2)),  # today is not past
    ],
)
def test_dates(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("30 februari", "meetings.errors.date_invalid"),
        ("30 February 2027", "meetings.errors.date_invalid"),
        ("2027-02-30", "meetings.errors.date_invalid"),
        ("30/2", "meetings.errors.date_invalid"),
        ("31/4 2027", "meetings.errors.date_invalid"),
        ("3/13", "meetings.errors.date_invalid"),
        ("2027-13-01", "meetings.errors.date_invalid"),
        ("29/2 2027", "meetings.errors.date_invalid"),
        ("2026-12-01", "meetings.errors.date_past"),
        ("1/12 2026", "meetings.errors.date_past"),
        ("3 decembruari", "meetings.errors.date"),
        ("fredagsmys", "meetings.errors.date"),
        ("12/3/27", "meetings.errors.date"),  # a two-digit year is not guessed
        ("3 12", "meetings.errors.date"),
        ("nästa vecka", "meetings.errors.date"),
        ("2026-12-03T13:00", "meetings.errors.date"),
        ("", "errors.text.empty"),
        ("x" * 5000, "errors.text.too_long"),
    ],
)
def test_bad_dates(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_date(text, today=TODAY)
    assert (caught.value.field, caught.value.key) == ("meetings.date", reason)


def test_a_past_date_when_asked_for() -> None:
    assert parse_date("1 dec 2026", today=TODAY, allow_past=True) == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("2h", 120),
        ("2 h", 120),
        ("2 tim", 120),
        ("2 timmar", 120),
        ("1 timme", 60),
        ("2 hours", 120),
        ("1,5 tim", 90),
        ("1.5h", 90),
        ("1,25 h", 75),
        ("1,1 h", 66),
        ("90 min", 90),
        ("90 minuter", 90),
        ("45 minutes", 45),
        ("45m", 45),
        ("1 h 30 min", 90),
        ("1h30", 90),
        ("1 tim och 15 min", 75),
        ("1:30", 90),
        ("12 h", 720),
        ("5 min", 5),
    ],
)
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("90", "meetings.errors.duration_format"),  # minutes or hours? not guessed
        ("2", "meetings.errors.duration_format"),
        ("1,333 h", "meetings.errors.duration_format"),
        ("1:75", "meetings.errors.duration_format"),
        ("1,5 h 30 min", "meetings.errors.duration_format"),
        ("13 h", "meetings.errors.duration"),
        ("4 min", "meetings.errors.duration"),
        ("0 h", "meetings.errors.duration"),
        ("lång", "meetings.errors.duration_format"),
        ("", "errors.text.empty"),
        ("9" * 5000, "errors.text.too_long"),
    ],
)
def test_bad_durations(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_duration(text)
    assert (caught.value.field, caught.value.key) == ("meetings.duration", reason)


def test_months_off() -> None:
    assert parse_months("juli") == frozenset({7})
    assert parse_months("Jul, aug") == frozenset({7, 8})
    assert parse_months("7 8 december") == frozenset({7, 8, 12})
    assert parse_months("") == frozenset()
    for bad in ("13", "sommar", "0", "x" * 500):
        with pytest.raises(InvalidInput) as caught:
            parse_months(bad)
        assert caught.value.field == "meetings.months_off"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_parsed_or_refused_with_a_field(text: str) -> None:
    for parse, field in (
        (parse_time, "meetings.time"),
        (lambda v: parse_date(v, today=TODAY), "meetings.date"),
        (parse_duration, "meetings.duration"),
    ):
        try:
            parse(text)
        except InvalidInput as error:
            assert error.field == field
            for lang in LANGS:
                assert t(lang, f"field.{error.field}")
                assert t(lang, error.key, **error.params)


@pytest.mark.parametrize("lang", LANGS)
def test_the_parsed_result_is_shown_back(lang: str) -> None:
    rule = Rule(
        RuleKind.MONTHLY,
        date(2026, 12, 3),
        time(13),
        timedelta(minutes=90),
        weekday=3,
        ordinal=-1,
        holiday_policy=HolidayPolicy.MOVE,
        months_off=frozenset({7}),
        count=10,
    )
    shown = describe_rule(lang, rule)  # type: ignore[arg-type]
    if lang == "sv":
        assert shown.startswith("Sista torsdagen i månaden från torsdag 3 december 2026")
        assert "kl. 13.00–14.30 (1 tim 30 min" in shown
        assert "Uppehåll i juli" in shown and "10 möten" in shown
        assert render_date("sv", date(2026, 12, 3)) == "torsdag 3 december 2026"
        assert render_duration("sv", timedelta(hours=2)) == "2 timmar"
    else:
        assert shown.startswith("The last Thursday of the month from Thursday 3 December 2026")
        assert "13:00–14:30 (1 h 30 min" in shown
        assert "No meetings in July" in shown and "10 meetings" in shown
    once = Rule(RuleKind.ONCE, date(2027, 1, 14), time(9), timedelta(hours=1))
    assert render_date(lang, date(2027, 1, 14)) in describe_rule(lang, once)  # type: ignore[arg-type]
    biweekly = Rule(RuleKind.BIWEEKLY, date(2027, 1, 14), time(9), timedelta(hours=1), weekday=0)
    assert describe_rule(lang, biweekly).startswith(("Varannan måndag", "Every other Monday"))  # type: ignore[arg-type]


def test_every_key_the_meeting_services_raise_is_in_both_catalogues() -> None:
    import re
    from pathlib import Path

    import bot.services.meetings as package

    folder = Path(package.__file__).parent
    source = "\n".join(p.read_text(encoding="utf-8") for p in folder.glob("*.py"))
    raised = set(re.findall(r'"((?:meetings|errors)\.[a-z_.]+)"', source))
    fields = {k for k in raised if k.count(".") == 1 and not k.startswith("meetings.errors")}
    reasons = {k for k in raised if ".errors." in k or k.startswith("errors.")}
    assert "meetings.time" in fields and "meetings.errors.never" in reasons
    for lang in LANGS:
        for field in fields - {"meetings.show", "meetings.weekday"}:
            assert t(lang, f"field.{field}")
        for reason in reasons:
            assert t(lang, reason, max=1, length=2, years=3, date="2026-03-29", time="02:30")
