"""Reminder rows and answers against a real SQLite database with every migration applied."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.db import Database
from bot.errors import InvalidInput
from bot.services.meetings import reminders, rsvp
from bot.services.meetings import series as meetings
from bot.services.meetings.forms import draft_from_form

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
MARIA = 1001


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        await database.execute("INSERT INTO networks (guild_id, name) VALUES (1, 'Söderhamn')")
        yield database


async def monthly(db: Database, reminders_typed: str | None = None) -> meetings.Series:
    draft = draft_from_form(
        now=NOW,
        title="Nätverksträff",
        kind="monthly",
        first_date=None,
        start_time="13:00",
        duration="2 h",
        weekday=3,
        ordinal=1,
        place_kind="address",
        place="Stadshuset, Söderhamn",
        reminders=reminders.parse_offsets(reminders_typed),
    )
    return await meetings.create_series(db, 1, draft, organiser_id=MARIA, now=NOW)


def test_offsets_are_read_the_ways_people_type_them() -> None:
    assert reminders.parse_offsets("7d, 1d, 1h") == (10080, 1440, 60)
    assert reminders.parse_offsets("1 vecka och 2 timmar") == (10080, 120)
    assert reminders.parse_offsets("30 min") == (30,)
    assert reminders.parse_offsets("") is None
    for bad in ("snart", "7d, kl 13", "1h; DROP TABLE", "x" * 300):
        with pytest.raises(InvalidInput):
            reminders.parse_offsets(bad)


@given(st.text(max_size=60))
def test_offsets_never_crash(text: str) -> None:
    try:
        found = reminders.parse_offsets(text)
    except InvalidInput:
        return
    assert found is None or all(m > 0 for m in found)


def test_nonces_fit_discord() -> None:
    assert len(reminders.nonce(2**62)) <= 25 and len(reminders.nonce(2**62, 2**62)) <= 25


async def test_plan_writes_each_reminder_once_and_drops_a_cancelled_meetings(
    db: Database,
) -> None:
    s = await monthly(db)
    planned, dropped = await reminders.plan(db, 1, NOW)
    # 3 December 13.00: 7 days, 1 day and 1 hour before (the next one is beyond four weeks).
    assert sorted(due for _, due in planned) == [
        datetime(2026, 11, 26, 12, tzinfo=UTC),
        datetime(2026, 12, 2, 12, tzinfo=UTC),
        datetime(2026, 12, 3, 11, tzinfo=UTC),
    ]
    assert dropped == []
    assert await reminders.plan(db, 1, NOW) == ([], [])
    first = (await meetings.list_coming(db, 1, NOW, limit=1))[0]
    await meetings.cancel_occurrence(db, 1, first.key, by=MARIA, now=NOW)
    planned, dropped = await reminders.plan(db, 1, NOW)
    assert (planned, len(dropped)) == ([], 3)
    later = NOW + timedelta(days=17)  # the January meeting is now within four weeks
    planned, dropped = await reminders.plan(db, 1, later)
    assert dropped == []
    assert [due for _, due in planned] == [
        datetime(2026, 12, 31, 12, tzinfo=UTC),
        datetime(2027, 1, 6, 12, tzinfo=UTC),
        datetime(2027, 1, 7, 11, tzinfo=UTC),
    ]
    assert s.id == first.key.series_id


async def test_claim_then_record_and_a_second_record_changes_nothing(db: Database) -> None:
    await monthly(db, "1h")
    [(reminder_id, _)], _ = await reminders.plan(db, 1, NOW)
    assert await reminders.claim(db, reminder_id, NOW) == 1
    assert await reminders.claim(db, reminder_id, NOW) == 2  # a re-run after a stop
    await reminders.record_sent(db, reminder_id, 42, NOW)
    await reminders.record_missed(db, reminder_id, NOW)
    got = await reminders.get(db, reminder_id)
    assert got is not None and (got.status, got.message_id) == ("sent", 42)


async def test_an_event_interest_never_overrides_a_button_answer(db: Database) -> None:
    await monthly(db)
    key = (await meetings.list_coming(db, 1, NOW, limit=1))[0].key
    await rsvp.answer(db, 1, key, 7, "not_coming", NOW)
    await rsvp.answer(db, 1, key, 7, "maybe", NOW, via="event")
    await rsvp.answer(db, 1, key, 8, "maybe", NOW, via="event")
    await rsvp.answer(db, 1, key, 8, "coming", NOW)
    await rsvp.withdraw_event_interest(db, 1, key, 8)
    assert {(a.user_id, a.answer) for a in await rsvp.answers(db, key)} == {
        (7, "not_coming"),
        (8, "coming"),
    }
