"""/meeting schedule, list, cancel, edit, RSVP and events: end to end, both languages, with the
clock moved (never slept)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from bot.services import network
from bot.services.meetings import reminders
from tests.e2e.conftest import World
from tests.e2e.test_network_setup import run_setup

MONTHLY = {
    "title": "Nätverksträff",
    "rule": "first",
    "weekday": 3,
    "start_time": "kl 13",
    "duration": "2 h",
}


async def set_up(world: World, lang: str = "sv-SE") -> Any:
    await run_setup(world.sandbox, world.guild, world.admin)
    if lang == "en":
        await world.as_admin.invoke("network settings", {"language": "en"})
    return await network.get(world.bot.db, world.guild.id)


def meetings_channel(world: World, settings: Any) -> Any:
    return world.sandbox.world.channels[settings.channels["meetings"]]


def posts(world: World, settings: Any, needle: str) -> list[Any]:
    return [
        m
        for m in world.sandbox.channel_messages(meetings_channel(world, settings))
        if needle in m.content
    ]


async def scheduled(
    world: World, options: dict[str, Any] | None = None, locale: str = "sv-SE"
) -> Any:
    """/meeting schedule, Confirm, and the followup once the announcement is out."""
    sb = world.sandbox
    draft = await world.as_admin.invoke("meeting schedule", options or MONTHLY, locale=locale)
    confirm = "Bekräfta" if locale.startswith("sv") else "Confirm"
    saved = await world.as_admin.click(draft, confirm, locale=locale)
    return await sb.wait_for_followup(saved)


async def test_schedule_shows_back_then_saves_and_announces(world: World) -> None:
    settings = await set_up(world)
    sb = world.sandbox
    draft = await world.as_admin.invoke("meeting schedule", MONTHLY)
    assert draft.ephemeral
    assert "Första torsdagen i månaden" in draft.text, draft.text
    assert "torsdag 3 december kl. 13.00" in draft.text
    assert await world.bot.db.fetchval("SELECT count(*) FROM meeting_series") == 0
    saved = await world.as_admin.click(draft, "Bekräfta")
    assert "Sparat" in saved.text
    done = await sb.wait_for_followup(saved)
    assert "Utlyst i" in done.content and "3 evenemang" in done.content, done.content
    assert posts(world, settings, "Nytt möte: **Nätverksträff**")
    assert await reminders.counts(world.bot.db) == {"pending": 3}
    events = sorted(world.guild.scheduled_events, key=lambda e: e.scheduled_start_time)
    assert len(events) == 3
    assert events[0].channel_id == settings.channels["voice"]
    assert events[0].scheduled_start_time.isoformat().startswith("2026-12-03T12:00")


async def test_cancel_on_the_draft_writes_nothing(world: World) -> None:
    await set_up(world)
    draft = await world.as_admin.invoke("meeting schedule", MONTHLY)
    gone = await world.as_admin.click(draft, "Avbryt")
    assert "Inget sparades" in gone.text
    assert await world.bot.db.fetchval("SELECT count(*) FROM meeting_series") == 0
    assert await world.bot.db.fetchval("SELECT count(*) FROM meeting_drafts") == 0


async def test_a_member_may_not_schedule(world: World) -> None:
    await set_up(world)
    reply = await world.as_anna.invoke("meeting schedule", MONTHLY)
    assert reply.ephemeral and "administratör" in reply.text.lower()
    assert await world.bot.db.fetchval("SELECT count(*) FROM meeting_drafts") == 0


async def test_confirm_works_after_a_restart_and_only_for_its_owner(world: World) -> None:
    await set_up(world)
    sb = world.sandbox
    draft = await world.as_admin.invoke("meeting schedule", MONTHLY)
    await world.restart()
    refused = await world.as_anna.click(draft, "Bekräfta")
    assert refused.ephemeral
    saved = await world.as_admin.click(draft, "Bekräfta")
    assert "Sparat" in saved.text
    await sb.wait_for_followup(saved)
    assert await world.bot.db.fetchval("SELECT count(*) FROM meeting_series") == 1


async def test_reminders_arrive_once_at_each_offset_with_dms_to_those_coming(
    world: World,
) -> None:
    settings = await set_up(world)
    sb = world.sandbox
    # The member role is pinged on purpose, and only it (Discord pings a role the bot may not
    # mention everywhere only when the role is mentionable: setup makes it so).
    assert sb.world.guilds[world.guild.id].roles_by_id[settings.member_role_id].mentionable
    await scheduled(world)
    announcement = posts(world, settings, "Nytt möte")[-1]
    assert not announcement.pinged_role_ids
    answered = await world.as_anna.click(announcement, "Jag kommer")
    assert "Noterat: du kommer" in (await sb.wait_for_followup(answered)).content
    not_coming = await world.as_erik.click(announcement, "Kommer inte", locale="en-US")
    assert "not coming" in (await sb.wait_for_followup(not_coming)).content
    # 3 Dec 13.00 Stockholm is 12.00 UTC; the clock starts on 23 Nov 09.00 UTC.
    await world.advance(timedelta(days=3, hours=2, minutes=59))  # 26 Nov 11.59
    assert posts(world, settings, "Påminnelse") == []
    await world.advance(timedelta(minutes=1))  # 26 Nov 12.00: 7 days before
    assert len(posts(world, settings, "Påminnelse")) == 1
    await world.advance(timedelta(days=6))  # 2 Dec 12.00: 1 day before
    assert len(posts(world, settings, "Påminnelse")) == 2
    await world.advance(timedelta(hours=23))  # 3 Dec 11.00: 1 hour before
    reminders_sent = posts(world, settings, "Påminnelse")
    assert len(reminders_sent) == 3
    last = reminders_sent[-1]
    assert last.content.startswith(f"<@&{settings.member_role_id}>")
    assert last.pinged_role_ids == {settings.member_role_id}
    assert not last.pinged_user_ids and not last.pinged_everyone
    assert "Kommer: 1" in last.content and "Kommer inte: 1" in last.content
    await world.advance(timedelta(days=2))
    assert len(posts(world, settings, "Påminnelse")) == 3
    dms = [m for m in sb.dm_messages(world.anna) if "Nätverksträff" in m.content]
    assert len(dms) == 3
    assert not [m for m in sb.dm_messages(world.erik) if "Påminnelse" in m.content]
    assert (await reminders.counts(world.bot.db))["sent"] == 3


async def test_reminders_in_english_for_an_english_network(world: World) -> None:
    settings = await set_up(world, "en")
    await scheduled(world, {**MONTHLY, "title": "Network meeting", "reminders": "1h"})
    await world.advance(timedelta(days=10, hours=2))  # 3 Dec 11.00 UTC
    sent = posts(world, settings, "Reminder: **Network meeting**")
    assert len(sent) == 1
    assert "When: Thursday 3 December at 13:00–15:00" in sent[0].content


async def test_rsvp_after_a_restart_updates_the_counts(world: World) -> None:
    settings = await set_up(world)
    sb = world.sandbox
    await scheduled(world)
    announcement = posts(world, settings, "Nytt möte")[-1]
    await world.restart()
    reply = await world.as_anna.click(announcement, "Kanske")
    assert "kanske" in (await sb.wait_for_followup(reply)).content
    message = sb.world.messages[announcement.id]
    assert "Kanske: 1" in message.content
    coming = await world.as_erik.click(announcement, "Jag kommer", locale="en-US")
    await sb.wait_for_followup(coming)
    assert "Kommer: 1 · Kanske: 1" in sb.world.messages[announcement.id].content
    who = await world.as_anna.click(announcement, "Vilka kommer?")
    assert "Erik" in who.text


async def test_interested_on_the_event_counts_as_maybe(world: World) -> None:
    from sandbox.world import INTENT_GUILD_SCHEDULED_EVENTS

    await set_up(world)
    await scheduled(world)
    first = min(world.guild.scheduled_events, key=lambda e: e.scheduled_start_time)
    world.sandbox.world.dispatch(
        "GUILD_SCHEDULED_EVENT_USER_ADD",
        {
            "guild_scheduled_event_id": str(first.id),
            "user_id": str(world.anna.id),
            "guild_id": str(world.guild.id),
        },
        intent=INTENT_GUILD_SCHEDULED_EVENTS,
    )
    for _ in range(100):
        answer = await world.bot.db.fetchval(
            "SELECT answer FROM meeting_rsvps WHERE user_id = ?", (world.anna.id,)
        )
        if answer:
            break
        await asyncio.sleep(0.01)
    assert answer == "maybe"


async def test_cancel_one_tells_those_who_answered_and_cancels_the_event(world: World) -> None:
    settings = await set_up(world)
    sb = world.sandbox
    await scheduled(world)
    announcement = posts(world, settings, "Nytt möte")[-1]
    await sb.wait_for_followup(await world.as_anna.click(announcement, "Jag kommer"))
    choices = await world.as_admin.autocomplete(
        "meeting cancel", {"meeting": "nät"}, focused="meeting"
    )
    assert choices and "Nätverksträff" in choices[0].name
    reply = await world.as_admin.invoke("meeting cancel", {"meeting": choices[0].value})
    assert "Inställt: Nätverksträff" in reply.text and "1 person" in reply.text, reply.text
    assert any("är inställt" in m.content for m in sb.dm_messages(world.anna))
    events = [e for e in world.guild.scheduled_events if e.status == 1]
    assert len(events) == 2  # the next two remain; the cancelled one is no longer scheduled
    counts = await reminders.counts(world.bot.db)
    assert counts.get("dropped") == 3
    listing = await world.as_erik.invoke("meeting list", {}, locale="en-US")
    assert "Coming meetings" in listing.text and "Thursday 7 January" in listing.text


async def test_edit_moves_the_events_and_keeps_the_past(world: World) -> None:
    await set_up(world)
    await scheduled(world)
    choices = await world.as_admin.autocomplete("meeting edit", {"meeting": ""}, focused="meeting")
    reply = await world.as_admin.invoke(
        "meeting edit",
        {"meeting": choices[0].value, "start_time": "14.30"},
    )
    assert "14.30" in reply.text, reply.text
    starts = sorted(e.scheduled_start_time for e in world.guild.scheduled_events if e.status == 1)
    assert starts and all(s.minute == 30 for s in starts)


@pytest.mark.parametrize(
    ("field", "options", "expected"),
    [
        ("date", {"rule": "once", "date": "2026-01-05"}, "Datum"),
        ("date", {"rule": "once", "date": "30 februari"}, "Datum"),
        ("time", {"start_time": "25:00"}, "Tid"),
        ("dst", {"rule": "once", "date": "2027-03-28", "start_time": "02:30"}, "Tid"),
        ("never", {"until": "2026-11-25"}, ""),
        ("title", {"title": "x" * 5000}, "Titel"),
        ("everyone", {"title": "@everyone kom"}, "Titel"),
        ("link", {"place": "link", "where": "javascript:alert(1)"}, "Länk"),
    ],
)
async def test_bad_input_gets_a_clear_message_and_writes_nothing(
    world: World, field: str, options: dict[str, Any], expected: str
) -> None:
    await set_up(world)
    reply = await world.as_admin.invoke("meeting schedule", {**MONTHLY, **options})
    assert reply.ephemeral
    assert expected in reply.text, reply.text
    assert not reply.buttons
    db = world.bot.db
    assert await db.fetchval("SELECT count(*) FROM meeting_series") == 0
    assert await db.fetchval("SELECT count(*) FROM meeting_drafts") == 0
    assert await db.fetchval("SELECT count(*) FROM meeting_reminders") == 0


async def test_the_nudge_goes_to_members_who_have_not_answered(world: World) -> None:
    settings = await set_up(world)
    sb = world.sandbox
    await scheduled(world, {**MONTHLY, "reminders": "1h", "nudge": True})
    announcement = posts(world, settings, "Nytt möte")[-1]
    await sb.wait_for_followup(await world.as_anna.click(announcement, "Jag kommer"))
    await world.advance(timedelta(days=8, hours=3))  # 1 Dec 12.00 UTC: two days before
    nudged = [m for m in sb.dm_messages(world.erik) if "Kommer du till" in m.content]
    assert len(nudged) == 1
    assert not [m for m in sb.dm_messages(world.anna) if "Kommer du till" in m.content]
    await world.advance(timedelta(days=1))
    assert len([m for m in sb.dm_messages(world.erik) if "Kommer du till" in m.content]) == 1


async def test_schedule_and_cancel_the_series_in_english(world: World) -> None:
    settings = await set_up(world)
    sb = world.sandbox
    options = {
        "title": "Network meeting",
        "rule": "last",
        "weekday": 3,
        "start_time": "1pm",
        "duration": "90 min",
        "place": "link",
        "where": "https://teams.example.org/meet/42",
        "months_off": "juli",
    }
    draft = await world.as_admin.invoke("meeting schedule", options, locale="en-US")
    assert "Last Thursday" in draft.text or "last Thursday" in draft.text, draft.text
    assert "Thursday 26 November" in draft.text, draft.text
    saved = await world.as_admin.click(draft, "Confirm", locale="en-US")
    await sb.wait_for_followup(saved)
    events = [e for e in world.guild.scheduled_events if e.status == 1]
    assert len(events) == 3
    assert all(e.entity_type == 3 and e.scheduled_end_time is not None for e in events)
    assert events[0].entity_metadata == {"location": "https://teams.example.org/meet/42"}
    announcement = posts(world, settings, "Network meeting")[-1]
    await sb.wait_for_followup(await world.as_erik.click(announcement, "Kanske"))
    bad = await world.as_admin.invoke(
        "meeting schedule",
        {**options, "start_time": "25:00"},
        locale="en-US",
    )
    assert bad.ephemeral and "**Time**" in bad.text, bad.text
    choices = await world.as_admin.autocomplete(
        "meeting cancel", {"meeting": ""}, focused="meeting"
    )
    reply = await world.as_admin.invoke(
        "meeting cancel",
        {"meeting": choices[0].value, "scope": "series"},
        locale="en-US",
    )
    assert "The series Network meeting is cancelled" in reply.text, reply.text
    assert "1 person who had answered was told" in reply.text
    assert not [e for e in world.guild.scheduled_events if e.status == 1]
    listing = await world.as_erik.invoke("meeting list", {}, locale="en-US")
    assert "No meetings are scheduled" in listing.text


async def test_the_weekday_may_come_from_a_typed_date(world: World) -> None:
    await set_up(world)
    options = {"title": "Träff", "rule": "first", "date": "torsdag", "start_time": "13.00"}
    draft = await world.as_admin.invoke("meeting schedule", options)
    assert "Första torsdagen i månaden" in draft.text, draft.text
    missing = await world.as_admin.invoke(
        "meeting schedule",
        {"title": "Träff", "rule": "weekly", "start_time": "13.00"},
    )
    assert missing.ephemeral and "**Veckodag**" in missing.text, missing.text
