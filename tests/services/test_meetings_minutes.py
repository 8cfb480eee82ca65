"""Agenda, minutes and actions against a real SQLite database with every migration applied."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.db import Database
from bot.errors import InvalidInput, UserError
from bot.features import declared
from bot.services import privacy
from bot.services.ask.parse import parse_question
from bot.services.ask.source import AskQuery
from bot.services.meetings import actions, agenda, minutes
from bot.services.meetings import series as meetings
from bot.services.meetings.rules import HolidayPolicy, Rule, RuleKind
from bot.services.meetings.series import Place

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # Wednesday 2 December 2026
MARIA, ANNA, ERIK = 1001, 1002, 1003


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        for guild_id, name in ((1, "Söderhamn"), (2, "Fyrbodal")):
            await database.execute(
                "INSERT INTO networks (guild_id, name) VALUES (?, ?)", (guild_id, name)
            )
            for user in (MARIA, ANNA, ERIK):
                await database.execute(
                    "INSERT INTO members (guild_id, user_id) VALUES (?, ?)", (guild_id, user)
                )
        yield database


async def monthly(db: Database, guild_id: int = 1) -> meetings.Series:
    """The first Thursday of the month at 13:00 for two hours, from December 2026."""
    rule = Rule(
        kind=RuleKind.MONTHLY,
        start=date(2026, 12, 2),
        at=time(13),
        duration=timedelta(hours=2),
        weekday=3,
        ordinal=1,
        holiday_policy=HolidayPolicy.NONE,
    )
    draft = meetings.make_draft(
        title="Nätverksträff", rule=rule, place=Place("address", text="Stadshuset"), now=NOW
    )
    return await meetings.create_series(db, guild_id, draft, organiser_id=MARIA, now=NOW)


async def test_items_not_handled_move_to_the_next_meeting_marked_carried(db: Database) -> None:
    await monthly(db)
    first = await agenda.resolve_coming(db, 1, None, now=NOW)
    assert first.local_start == datetime(2026, 12, 3, 13, 0, tzinfo=first.local_start.tzinfo)
    strategic = await agenda.add_item(
        db, 1, first, "Samverkan med skolan", kind="strategic", user_id=ANNA, now=NOW
    )
    quick = await agenda.add_item(db, 1, first, "Nytt SFI-schema", kind="quick", user_id=ERIK,
                                  now=NOW)  # fmt: skip
    shown = await agenda.agenda_for(db, 1, first.key, now=NOW)
    assert [i.id for i in shown.strategic] == [strategic.id]
    assert [i.id for i in shown.quick] == [quick.id]
    # The meeting is held: the quick item is handled, the strategic one is not.
    at_meeting = datetime(2026, 12, 3, 12, 5, tzinfo=UTC)
    _started, occurrence = await minutes.start(db, 1, None, chair_id=MARIA, now=at_meeting)
    assert occurrence.key == first.key
    await minutes.add_entry(db, 1, "note", "Schemat klart", user_id=ERIK, item_id=quick.id,
                            now=at_meeting)  # fmt: skip
    record = await minutes.end(db, 1, now=at_meeting + timedelta(hours=1))
    assert [i.id for i in record.handled] == [quick.id]
    assert set(record.participants) == {MARIA, ERIK}
    # The strategic item is now on January's agenda, marked as carried over.
    january = await agenda.resolve_coming(db, 1, "2027-01-07", now=NOW)
    carried = (await agenda.agenda_for(db, 1, january.key, now=NOW)).items
    assert [(i.id, i.carried, i.carried_from) for i in carried] == [
        (strategic.id, 1, datetime(2026, 12, 3, 13, 0))
    ]
    # Running it again moves nothing more.
    assert await agenda.carry_over(db, None, now=NOW + timedelta(days=2)) == 0


async def test_a_meeting_that_passes_without_minutes_carries_its_items(db: Database) -> None:
    await monthly(db)
    first = await agenda.resolve_coming(db, 1, None, now=NOW)
    item = await agenda.add_item(db, 1, first, "Fråga", kind=None, user_id=ANNA, now=NOW)
    assert item.kind == "strategic"
    later = NOW + timedelta(days=2)
    assert await agenda.carry_over(db, None, now=later) == 1
    nxt = await agenda.resolve_coming(db, 1, None, now=later)
    assert [i.id for i in (await agenda.agenda_for(db, 1, nxt.key)).items] == [item.id]


async def test_bad_agenda_input_writes_nothing(db: Database) -> None:
    await monthly(db)
    first = await agenda.resolve_coming(db, 1, None, now=NOW)
    for text in ("", "x" * 5000, "@everyone kom", "   "):
        with pytest.raises(InvalidInput):
            await agenda.add_item(db, 1, first, text, kind="quick", user_id=ANNA, now=NOW)
    with pytest.raises(InvalidInput):
        await agenda.add_item(db, 1, first, "ok", kind="urgent", user_id=ANNA, now=NOW)
    with pytest.raises(InvalidInput):
        await agenda.resolve_coming(db, 1, "30 februari", now=NOW)
    with pytest.raises(InvalidInput):
        await agenda.resolve_coming(db, 1, "2026-12-10", now=NOW)  # no meeting that day
    assert await db.fetchval("SELECT count(*) FROM meeting_agenda_items") == 0
    # Markdown and Arabic are text like any other.
    item = await agenda.add_item(db, 1, first, "**مرحبا** _hej_", kind="quick", user_id=ANNA,
                                 now=NOW)  # fmt: skip
    assert item.text == "**مرحبا** _hej_"


async def test_actions_due_dates_and_reminders(db: Database) -> None:
    await monthly(db)
    at_meeting = datetime(2026, 12, 3, 12, 5, tzinfo=UTC)
    with pytest.raises(UserError):
        await minutes.add_action(db, 1, owner_id=ANNA, text="x", due=None, user_id=MARIA,
                                 now=at_meeting)  # fmt: skip
    await minutes.start(db, 1, None, chair_id=MARIA, now=at_meeting)
    with pytest.raises(UserError):
        await minutes.start(db, 1, None, chair_id=MARIA, now=at_meeting)
    for due in ("30 februari", "2026-02-30", "igår", "2026-11-01"):
        with pytest.raises(InvalidInput):
            await minutes.add_action(db, 1, owner_id=ANNA, text="Boka lokal", due=due,
                                     user_id=MARIA, now=at_meeting)  # fmt: skip
    assert await db.fetchval("SELECT count(*) FROM meeting_actions") == 0
    action = await minutes.add_action(db, 1, owner_id=ANNA, text="Boka lokal", due="15 dec",
                                      user_id=MARIA, now=at_meeting)  # fmt: skip
    assert action.due == date(2026, 12, 15) and action.status == "open"
    reminder = actions.due_reminder_at(action, ZoneInfo("Europe/Stockholm"), at_meeting)
    assert reminder == datetime(2026, 12, 14, 8, 0, tzinfo=UTC)
    await minutes.end(db, 1, now=at_meeting + timedelta(hours=2))
    assert await actions.claim_due(db, action.id, reminder) is not None
    assert await actions.claim_due(db, action.id, reminder) is None  # never twice
    # Two days before January's meeting, Anna is reminded once.
    before = datetime(2027, 1, 5, 13, 0, tzinfo=UTC)
    due = await actions.before_meeting(db, before)
    assert [(d.action.id, d.occurrence.local_start.day) for d in due] == [(action.id, 7)]
    assert await actions.claim_before(db, action.id, due[0].occurrence)
    assert await actions.before_meeting(db, before) == []
    assert [a.id for a in await actions.list_actions(db, 1, which="mine", user_id=ANNA)] == [
        action.id
    ]
    assert await actions.list_actions(db, 1, which="mine", user_id=ERIK) == []
    assert (await actions.resolve_open(db, 1, "boka")).id == action.id
    done = await actions.mark_done(db, action, by=ANNA, now=before)
    assert done.status == "done"
    with pytest.raises(UserError):
        await actions.mark_done(db, done, by=ANNA, now=before)
    assert await actions.list_actions(db, 1, which="open") == []
    assert [a.id for a in await actions.list_actions(db, 1, which="all")] == [action.id]


def question(text: str) -> AskQuery:
    """A question as /ask parses it."""
    return parse_question(text, expertise_keys=set())


async def test_two_networks_never_meet(db: Database) -> None:
    await monthly(db, 1)
    await monthly(db, 2)
    at_meeting = datetime(2026, 12, 3, 12, 5, tzinfo=UTC)
    await minutes.start(db, 1, None, chair_id=MARIA, now=at_meeting)
    await minutes.start(db, 2, None, chair_id=ERIK, now=at_meeting)
    await minutes.add_entry(db, 1, "decision", "Vi bjuder in Arbetsförmedlingen",
                            user_id=MARIA, now=at_meeting)  # fmt: skip
    await minutes.add_entry(db, 2, "decision", "Fyrbodal startar samhällsguider",
                            user_id=ERIK, now=at_meeting)  # fmt: skip
    one = await minutes.end(db, 1, now=at_meeting)
    two = await minutes.end(db, 2, now=at_meeting)
    assert [e.text for e in one.decisions] == ["Vi bjuder in Arbetsförmedlingen"]
    assert [e.text for e in two.decisions] == ["Fyrbodal startar samhällsguider"]
    hits = await db.read(lambda conn: minutes.ask_hits(conn, 1, question("arbetsformedlingen"),
                                                       kind="decision"))  # fmt: skip
    assert [h.id for h in hits] == [one.decisions[0].id]
    assert await db.read(lambda conn: minutes.ask_hits(conn, 1, question("samhällsguider"),
                                                       kind="decision")) == []  # fmt: skip
    rendered = await db.read(lambda conn: minutes.ask_entries(conn, 1, hits))
    assert rendered[0].title == "Nätverksträff"


async def test_forget_me_keeps_the_minutes_without_the_person(db: Database) -> None:
    await monthly(db)
    first = await agenda.resolve_coming(db, 1, None, now=NOW)
    await agenda.add_item(db, 1, first, "Fråga från Anna", kind="quick", user_id=ANNA, now=NOW)
    at_meeting = datetime(2026, 12, 3, 12, 5, tzinfo=UTC)
    await minutes.start(db, 1, None, chair_id=MARIA, present=[ANNA], now=at_meeting)
    await minutes.add_entry(db, 1, "note", "Anteckning", user_id=ANNA, now=at_meeting)
    await minutes.add_action(db, 1, owner_id=ANNA, text="Ring skolan", due=None, user_id=ANNA,
                             now=at_meeting)  # fmt: skip
    record = await minutes.end(db, 1, now=at_meeting)
    data = declared().privacy
    exported = await privacy.export(db, data, 1, ANNA, now=NOW)
    for table in ("meeting_agenda_items", "meeting_entries", "meeting_actions",
                  "meeting_participants"):  # fmt: skip
        assert exported["tables"].get(table), table
    await privacy.erase(db, data, 1, ANNA, now=NOW)
    after = await minutes.record(db, 1, record.minutes.id)
    assert [e.text for e in after.notes] == ["Anteckning"] and after.notes[0].author_id is None
    assert after.actions[0].owner_id is None and after.actions[0].text == "Ring skolan"
    assert MARIA in after.participants and None in after.participants
    assert ANNA not in after.participants
    # Anna in the other network is untouched.
    assert await db.fetchval("SELECT count(*) FROM members WHERE user_id = ?", (ANNA,)) == 1


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=700), due=st.text(max_size=50))
async def test_any_typed_text_is_stored_cleaned_or_refused_by_field(
    db: Database, text: str, due: str
) -> None:
    """Whatever is typed: an InvalidInput naming the field, or the cleaned text stored."""
    if not await db.fetchval("SELECT count(*) FROM meeting_series"):
        await monthly(db)
    first = await agenda.resolve_coming(db, 1, None, now=NOW)
    before = await db.fetchval("SELECT count(*) FROM meeting_agenda_items")
    try:
        item = await agenda.add_item(db, 1, first, text, kind="quick", user_id=ANNA, now=NOW)
    except InvalidInput as refused:
        assert refused.field == "meetings_minutes.text"
        assert await db.fetchval("SELECT count(*) FROM meeting_agenda_items") == before
    except UserError as full:
        assert full.key == "meetings_minutes.errors.agenda_full"
    else:
        assert 1 <= len(item.text) <= agenda.TEXT_MAX and "@everyone" not in item.text
    try:
        found = actions.parse_due(due, today=NOW.date())
    except InvalidInput as refused:
        assert refused.field == "meetings_minutes.due"
    else:
        assert found is None or found >= NOW.date()
