"""Meeting series against a real SQLite database with every migration applied."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from bot.db import Database
from bot.errors import InvalidInput, UserError
from bot.services.meetings import series as meetings
from bot.services.meetings.calendar import CalendarSeries, build_calendar
from bot.services.meetings.forms import draft_from_form
from bot.services.meetings.rules import HolidayPolicy, Rule, RuleKind
from bot.services.meetings.series import OccurrenceKey, Place, SeriesDraft

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # Wednesday 2 December 2026
STOCKHOLM = ZoneInfo("Europe/Stockholm")
MARIA = 1001


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        for guild_id, name in ((1, "Söderhamn"), (2, "Fyrbodal")):
            await database.execute(
                "INSERT INTO networks (guild_id, name) VALUES (?, ?)", (guild_id, name)
            )
        yield database


def monthly(**changes: object) -> Rule:
    """The last Thursday of the month at 13:00 for two hours, July off, holidays skipped."""
    values: dict[str, object] = {
        "kind": RuleKind.MONTHLY,
        "start": date(2027, 1, 1),
        "at": time(13),
        "duration": timedelta(hours=2),
        "weekday": 3,
        "ordinal": -1,
        "months_off": frozenset({7}),
        "holiday_policy": HolidayPolicy.SKIP,
    }
    values.update(changes)
    return Rule(**values)  # type: ignore[arg-type]


def draft(
    rule: Rule | None = None,
    title: str = "Nätverksträff",
    place: Place | None = None,
) -> SeriesDraft:
    return meetings.make_draft(
        title=title,
        rule=rule or monthly(),
        place=place or Place("link", text="https://teams.microsoft.com/l/meetup-join/abc"),
        now=NOW,
    )


async def count_rows(db: Database) -> tuple[int, int, int]:
    return (
        await db.fetchval("SELECT count(*) FROM meeting_series"),
        await db.fetchval("SELECT count(*) FROM meeting_reminder_offsets"),
        await db.fetchval("SELECT count(*) FROM meeting_overrides"),
    )


async def test_create_and_list_coming(db: Database) -> None:
    s = await meetings.create_series(db, 1, draft(), organiser_id=MARIA, now=NOW)
    assert (s.title, s.organiser_id, s.reminders) == ("Nätverksträff", MARIA, (10080, 1440, 60))
    assert s.rule == monthly() and s.place.kind == "link" and s.created_at == NOW
    coming = await meetings.list_coming(db, 1, NOW, within=timedelta(days=365))
    local = [o.local_start for o in coming]
    assert [d.date() for d in local] == [
        date(2027, 1, 28),
        date(2027, 2, 25),
        date(2027, 3, 25),
        date(2027, 4, 29),
        date(2027, 5, 27),
        date(2027, 6, 24),
        # no July
        date(2027, 8, 26),
        date(2027, 9, 30),
        date(2027, 10, 28),
        date(2027, 11, 25),
        # 30 December 2027 is within 365 days? No: 2 Dec 2026 + 365 = 2 Dec 2027.
    ]
    assert all((d.hour, d.minute) == (13, 0) for d in local)
    # 13:00 in Stockholm is 12:00 UTC in winter and 11:00 UTC in summer.
    assert [o.start.hour for o in coming[:4]] == [12, 12, 12, 11]
    assert coming[0].key == OccurrenceKey(s.id, datetime(2027, 1, 28, 13, 0))
    # Networks are kept apart.
    assert await meetings.list_coming(db, 2, NOW) == []
    with pytest.raises(UserError):
        await meetings.get_series(db, 2, s.id)


async def test_several_series_interleave_in_order(db: Database) -> None:
    await meetings.create_series(db, 1, draft(), organiser_id=MARIA, now=NOW)
    weekly = Rule(RuleKind.WEEKLY, date(2027, 1, 1), time(9), timedelta(hours=1), weekday=0)
    await meetings.create_series(db, 1, draft(weekly, "Måndagsfika"), organiser_id=MARIA, now=NOW)
    coming = await meetings.list_coming(db, 1, NOW, limit=6)
    assert [o.series.title for o in coming] == ["Måndagsfika"] * 4 + [
        "Nätverksträff",
        "Måndagsfika",
    ]
    assert coming == sorted(coming, key=lambda o: o.start)
    # 6 January 2027 (trettondedag jul) is a Wednesday; Monday meetings all held.
    assert [o.local_start.day for o in coming[:4]] == [4, 11, 18, 25]


@pytest.mark.parametrize(
    ("make", "field", "reason"),
    [
        (lambda: draft(title="x" * 5000), "meetings.title", "errors.text.too_long"),
        (lambda: draft(title="Möte @everyone"), "meetings.title", "errors.text.mention"),
        (lambda: draft(title="Möte <@&123456789>"), "meetings.title", "errors.text.mention"),
        (lambda: draft(title="Anna 19811218-9876"), "meetings.title", "errors.id_number"),
        (lambda: draft(title="Möte\x07"), "meetings.title", "errors.text.control_characters"),
        (lambda: draft(title="\u200b"), "meetings.title", "errors.text.invisible"),
        (
            lambda: meetings.clean_place("link", "javascript:alert(1)"),
            "meetings.link",
            "meetings.errors.link",
        ),
        (
            lambda: meetings.clean_place("link", "JavaScript://example.com/%0aalert(1)"),
            "meetings.link",
            "meetings.errors.link",
        ),
        (
            lambda: meetings.clean_place("link", "data:text/html,hi"),
            "meetings.link",
            "meetings.errors.link",
        ),
        (
            lambda: meetings.clean_place("link", "ftp://example.com/x"),
            "meetings.link",
            "meetings.errors.link",
        ),
        (
            lambda: meetings.clean_place("link", "https://user:pw@example.com/"),
            "meetings.link",
            "meetings.errors.link",
        ),
        (lambda: meetings.clean_place("link", "https://"), "meetings.link", "meetings.errors.link"),
        (
            lambda: meetings.clean_place("link", "https://exa mple.com"),
            "meetings.link",
            "meetings.errors.link",
        ),
        (
            lambda: meetings.clean_place("address", "@here Storgatan 1"),
            "meetings.place",
            "errors.text.mention",
        ),
        (
            lambda: meetings.clean_place("voice", None),
            "meetings.place",
            "meetings.errors.voice_channel",
        ),
        (
            lambda: meetings.clean_place("moon", "x"),
            "meetings.place_kind",
            "meetings.errors.place_kind",
        ),
        (
            lambda: draft(Rule(RuleKind.ONCE, date(2026, 12, 1), time(13), timedelta(hours=1))),
            "meetings.date",
            "meetings.errors.date_past",
        ),
        (
            lambda: draft(Rule(RuleKind.ONCE, date(2027, 3, 28), time(2, 30), timedelta(hours=1))),
            "meetings.time",
            "meetings.errors.time_missing",
        ),
        (lambda: draft(monthly(count=0)), "meetings.count", "meetings.errors.count"),
        (
            lambda: draft(monthly(months_off=frozenset(range(1, 13)))),
            "meetings.months_off",
            "meetings.errors.all_months_off",
        ),
        (
            lambda: meetings.make_draft(
                title="M", rule=monthly(), place=Place("voice", 5), reminders=[1], now=NOW
            ),
            "meetings.reminders",
            "meetings.errors.reminders",
        ),
    ],
)
async def test_bad_input_is_refused_and_writes_nothing(
    db: Database, make: object, field: str, reason: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        made = make()  # type: ignore[operator]
        await meetings.create_series(db, 1, made, organiser_id=MARIA, now=NOW)
    assert (caught.value.field, caught.value.key) == (field, reason)
    assert await count_rows(db) == (0, 0, 0)


async def test_create_checks_the_draft_again(db: Database) -> None:
    unchecked = SeriesDraft("@everyone", monthly(), Place("voice", 5))
    with pytest.raises(InvalidInput):
        await meetings.create_series(db, 1, unchecked, organiser_id=MARIA, now=NOW)
    assert await count_rows(db) == (0, 0, 0)


async def test_cancel_one_occurrence(db: Database) -> None:
    s = await meetings.create_series(db, 1, draft(), organiser_id=MARIA, now=NOW)
    first, second = await meetings.list_coming(db, 1, NOW, limit=2)
    cancelled = await meetings.cancel_occurrence(db, 1, second.key, by=MARIA, now=NOW)
    assert cancelled.key == second.key
    coming = await meetings.list_coming(db, 1, NOW, limit=2)
    assert coming[0].key == first.key and coming[1].key != second.key
    shown = await meetings.list_coming(db, 1, NOW, limit=2, include_cancelled=True)
    assert [o.status for o in shown] == ["scheduled", "cancelled"]
    with pytest.raises(UserError) as caught:
        await meetings.cancel_occurrence(db, 1, second.key, by=MARIA, now=NOW)
    assert caught.value.key == "meetings.errors.occurrence_cancelled"
    # Once it has begun, it cannot be cancelled.
    with pytest.raises(UserError) as caught:
        await meetings.cancel_occurrence(db, 1, first.key, by=MARIA, now=first.start)
    assert caught.value.key == "meetings.errors.occurrence_past"
    # A key the rule does not give.
    with pytest.raises(UserError):
        await meetings.cancel_occurrence(
            db, 1, OccurrenceKey(s.id, datetime(2027, 1, 27, 13)), by=MARIA, now=NOW
        )
    assert await count_rows(db) == (1, 3, 1)


async def test_move_one_occurrence(db: Database) -> None:
    await meetings.create_series(db, 1, draft(), organiser_id=MARIA, now=NOW)
    march = (await meetings.list_coming(db, 1, NOW, limit=3))[2]
    assert march.local_start == datetime(2027, 3, 25, 13, tzinfo=STOCKHOLM)
    # Moved across the change to summer time: still 10:00 on the wall.
    moved = await meetings.move_occurrence(
        db, 1, march.key, datetime(2027, 3, 30, 10, 0), by=MARIA, now=NOW
    )
    assert (moved.status, moved.key) == ("moved", march.key)
    assert moved.local_start == datetime(2027, 3, 30, 10, tzinfo=STOCKHOLM)
    assert moved.start == datetime(2027, 3, 30, 8, tzinfo=UTC)
    coming = await meetings.list_coming(db, 1, NOW, limit=4)
    assert [o.local_start.date() for o in coming] == [
        date(2027, 1, 28),
        date(2027, 2, 25),
        date(2027, 3, 30),
        date(2027, 4, 29),
    ]
    # Moved again: the same key, the new time.
    again = await meetings.move_occurrence(
        db, 1, march.key, datetime(2027, 3, 31, 14, 0), by=MARIA, now=NOW
    )
    assert again.local_start.day == 31
    for when, reason in (
        (datetime(2027, 3, 28, 2, 30), "meetings.errors.time_missing"),
        (datetime(2027, 10, 31, 2, 30), "meetings.errors.time_ambiguous"),
        (datetime(2026, 12, 1, 13, 0), "meetings.errors.date_past"),
    ):
        with pytest.raises(InvalidInput) as caught:
            await meetings.move_occurrence(db, 1, march.key, when, by=MARIA, now=NOW)
        assert caught.value.key == reason
    assert (await meetings.get_occurrence(db, 1, march.key)).local_start.day == 31


async def test_cancel_the_series_keeps_the_past(db: Database) -> None:
    s = await meetings.create_series(db, 1, draft(), organiser_id=MARIA, now=NOW)
    later = datetime(2027, 3, 1, tzinfo=UTC)
    cancelled = await meetings.cancel_series(db, 1, s.id, now=later)
    assert cancelled[0].local_start.date() == date(2027, 3, 25)
    assert await meetings.list_coming(db, 1, later) == []
    again = await meetings.get_series(db, 1, s.id)
    assert again.cancelled_at == later
    past = meetings.occurrences(again, [], NOW, later)
    assert [o.local_start.date() for o in past] == [date(2027, 1, 28), date(2027, 2, 25)]
    with pytest.raises(UserError):
        await meetings.cancel_series(db, 1, s.id, now=later)


async def test_edit_from_an_occurrence_keeps_the_past(db: Database) -> None:
    s = await meetings.create_series(db, 1, draft(monthly(count=10)), organiser_id=MARIA, now=NOW)
    coming = await meetings.list_coming(db, 1, NOW, limit=10)
    feb, mar, apr, may = coming[1], coming[2], coming[3], coming[4]
    await meetings.cancel_occurrence(db, 1, may.key, by=MARIA, now=NOW)
    await meetings.move_occurrence(db, 1, apr.key, datetime(2027, 4, 28, 9), by=MARIA, now=NOW)
    # From March on: the third Tuesday at 10:00, at the town hall.
    edited = monthly(start=mar.key.original.date(), at=time(10), weekday=1, ordinal=3)
    now = datetime(2027, 2, 26, tzinfo=UTC)  # February's meeting is past
    result = await meetings.edit_from(
        db,
        1,
        mar.key,
        meetings.make_draft(
            title="Nätverksträff", rule=edited, place=Place("address", text="Stadshuset"), now=now
        ),
        now=now,
    )
    assert result.old is not None and result.old.rule.until == date(2027, 3, 24)
    assert result.old.rule.count is None
    assert result.new.previous_id == s.id and result.new.uid != s.uid
    # Ten meetings in all: two held (January, February), eight to come.
    assert result.new.rule.count == 8
    # The changes to April and May no longer match the new rule's dates: dropped.
    assert set(result.dropped) == {apr.key, may.key} and result.carried == {}
    assert await count_rows(db) == (2, 6, 0)
    past = meetings.occurrences(result.old, [], NOW, now)
    assert [o.key for o in past] == [coming[0].key, feb.key]
    after = await meetings.list_coming(db, 1, now, within=timedelta(days=800))
    assert len(after) == 8
    assert [o.local_start.date() for o in after[:3]] == [
        date(2027, 4, 20),
        date(2027, 5, 18),
        date(2027, 6, 15),
    ]
    assert all(o.local_start.hour == 10 and o.series.id == result.new.id for o in after)


async def test_edit_carries_changes_that_still_apply(db: Database) -> None:
    s = await meetings.create_series(db, 1, draft(), organiser_id=MARIA, now=NOW)
    coming = await meetings.list_coming(db, 1, NOW, limit=4)
    await meetings.cancel_occurrence(db, 1, coming[3].key, by=MARIA, now=NOW)
    # Only the title changes from February on: the cancelled April stays cancelled.
    result = await meetings.edit_from(
        db, 1, coming[1].key, draft(monthly(start=date(2027, 2, 25)), "Nätverksmöte"), now=NOW
    )
    new_key = OccurrenceKey(result.new.id, coming[3].key.original)
    assert result.carried == {coming[3].key: new_key} and result.dropped == ()
    titles = [
        (o.series.title, o.local_start.month)
        for o in await meetings.list_coming(db, 1, NOW, limit=4)
    ]
    assert titles == [
        ("Nätverksträff", 1),
        ("Nätverksmöte", 2),
        ("Nätverksmöte", 3),
        ("Nätverksmöte", 5),
    ]
    # Edited from the first occurrence: changed in place, same series and uid.
    first = (await meetings.list_coming(db, 1, NOW, limit=1))[0]
    in_place = await meetings.edit_from(
        db, 1, first.key, draft(monthly(start=date(2027, 1, 28)), "Träff"), now=NOW
    )
    assert in_place.old is None and in_place.new.id == s.id and in_place.new.uid == s.uid
    # It keeps the end the first edit gave it: the two parts never overlap.
    assert in_place.new.rule.until == date(2027, 2, 24)
    titles = [
        (o.series.title, o.local_start.month)
        for o in await meetings.list_coming(db, 1, NOW, limit=3)
    ]
    assert titles == [("Träff", 1), ("Nätverksmöte", 2), ("Nätverksmöte", 3)]


async def test_edit_refuses_bad_input_and_writes_nothing(db: Database) -> None:
    await meetings.create_series(db, 1, draft(), organiser_id=MARIA, now=NOW)
    second = (await meetings.list_coming(db, 1, NOW, limit=2))[1]
    before = await count_rows(db)
    bad = SeriesDraft("@everyone", monthly(start=date(2027, 2, 25)), Place("voice", 5))
    with pytest.raises(InvalidInput):
        await meetings.edit_from(db, 1, second.key, bad, now=NOW)
    early = draft(monthly(start=date(2027, 1, 1)))
    with pytest.raises(InvalidInput) as caught:
        await meetings.edit_from(db, 1, second.key, early, now=NOW)
    assert caught.value.key == "meetings.errors.edit_before"
    assert await count_rows(db) == before
    assert (await meetings.list_series(db, 1))[0].rule == monthly()


async def test_the_calendar_matches_the_list(db: Database) -> None:
    await meetings.create_series(
        db, 1, draft(monthly(holiday_policy=HolidayPolicy.MOVE)), organiser_id=MARIA, now=NOW
    )
    weekly = Rule(
        RuleKind.BIWEEKLY, date(2026, 12, 10), time(8, 30), timedelta(minutes=45), weekday=3
    )
    await meetings.create_series(db, 1, draft(weekly, "Snabba bollar"), organiser_id=MARIA, now=NOW)
    coming = await meetings.list_coming(db, 1, NOW, limit=8)
    await meetings.cancel_occurrence(db, 1, coming[1].key, by=MARIA, now=NOW)
    await meetings.move_occurrence(
        db, 1, coming[4].key, datetime(2027, 2, 2, 15), by=MARIA, now=NOW
    )
    series = await meetings.list_series(db, 1)
    overrides = await meetings.overrides_of(db, [s.id for s in series])
    ics = build_calendar("Söderhamn", [CalendarSeries(s, overrides[s.id]) for s in series], NOW)
    cal = icalendar.Calendar.from_ical(ics)
    end = NOW + timedelta(days=730)
    expanded = sorted(
        e["DTSTART"].dt.astimezone(UTC) for e in recurring_ical_events.of(cal).between(NOW, end)
    )
    ours = [o.start for o in await meetings.list_coming(db, 1, NOW, within=timedelta(days=730))]
    assert expanded == ours
    text = ics.decode()
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Stockholm" in text
    assert (
        "RRULE:FREQ=MONTHLY;BYDAY=-1TH" in text and "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH" in text
    )
    assert "DTSTAMP:20261202T090000Z" in text and "RECURRENCE-ID;TZID=Europe/Stockholm" in text
    assert text.count(f"UID:{series[0].uid}") >= 1
    # Stable: the same input gives the same file.
    assert (
        build_calendar("Söderhamn", [CalendarSeries(s, overrides[s.id]) for s in series], NOW)
        == ics
    )


def test_occurrence_keys_round_trip() -> None:
    key = OccurrenceKey(12, datetime(2026, 12, 3, 13, 0))
    assert key.token == "12-202612031300"
    assert OccurrenceKey.parse(key.token) == key
    for bad in (
        None,
        "",
        "12",
        "12-2026",
        "x-202612031300",
        "12-202613031300",
        "¹²-202612031300",
        "1" * 30 + "-202612031300",
    ):
        assert OccurrenceKey.parse(bad) is None


async def test_a_series_from_what_was_typed(db: Database) -> None:
    made = draft_from_form(
        now=NOW,
        title="  Nätverksträff  ",
        kind="monthly",
        first_date="1 jan",
        start_time="kl. 13.30",
        duration="1,5 tim",
        weekday=3,
        ordinal=-1,
        months_off="juli",
        until="31/12 2027",
        place_kind="address",
        place="Stadshuset, Söderhamn",
    )
    assert made.title == "Nätverksträff"
    assert made.rule == monthly(
        at=time(13, 30), duration=timedelta(minutes=90), until=date(2027, 12, 31)
    )
    s = await meetings.create_series(db, 1, made, organiser_id=MARIA, now=NOW)
    assert s.place == Place("address", text="Stadshuset, Söderhamn")
    # A series without a first date starts today; a one-off needs its date.
    weekly = draft_from_form(
        now=NOW,
        title="Fika",
        kind="weekly",
        first_date="",
        start_time="9",
        duration="30 min",
        weekday=4,
        place_kind="voice",
        voice_channel_id=55,
    )
    assert weekly.rule.start == date(2026, 12, 2) and weekly.place == Place("voice", 55)
    for changes, field, reason in (
        ({"kind": "once", "first_date": ""}, "meetings.date", "errors.text.empty"),
        ({"kind": "fortnightly"}, "meetings.rule", "meetings.errors.kind"),
        ({"start_time": "25:00"}, "meetings.time", "meetings.errors.time"),
        ({"first_date": "30 februari"}, "meetings.date", "meetings.errors.date_invalid"),
        ({"duration": "lång"}, "meetings.duration", "meetings.errors.duration_format"),
        ({"until": "1/1 2026"}, "meetings.until", "meetings.errors.date_past"),
        ({"holiday_policy": "maybe"}, "meetings.holiday_policy", "meetings.errors.holiday_policy"),
        ({"timezone": "Europe/Atlantis"}, "meetings.time_zone", "meetings.errors.time_zone"),
        (
            {"place_kind": "link", "place": "javascript:alert(1)"},
            "meetings.link",
            "meetings.errors.link",
        ),
        ({"title": "@everyone"}, "meetings.title", "errors.text.mention"),
    ):
        values: dict[str, object] = {
            "now": NOW,
            "title": "Träff",
            "kind": "weekly",
            "first_date": "",
            "start_time": "9",
            "duration": "1h",
            "weekday": 1,
            "place_kind": "voice",
            "voice_channel_id": 5,
        }
        values.update(changes)
        with pytest.raises(InvalidInput) as caught:
            draft_from_form(**values)  # type: ignore[arg-type]
        assert (caught.value.field, caught.value.key) == (field, reason)
    assert await count_rows(db) == (1, 3, 0)


async def test_a_start_in_the_past_is_refused(db: Database) -> None:
    with pytest.raises(InvalidInput) as caught:
        draft(monthly(start=date(2026, 11, 1)))
    assert caught.value.key == "meetings.errors.date_past"


async def test_a_move_onto_another_meeting_of_the_series_is_refused(db: Database) -> None:
    weekly = Rule(RuleKind.WEEKLY, date(2027, 1, 1), time(9), timedelta(hours=1), weekday=0)
    await meetings.create_series(db, 1, draft(weekly), organiser_id=MARIA, now=NOW)
    first, second = await meetings.list_coming(db, 1, NOW, limit=2)
    with pytest.raises(InvalidInput) as caught:
        await meetings.move_occurrence(db, 1, first.key, second.key.original, by=MARIA, now=NOW)
    assert caught.value.key == "meetings.errors.move_taken"
    assert await count_rows(db) == (1, 3, 0)
