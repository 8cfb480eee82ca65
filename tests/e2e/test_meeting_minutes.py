"""The agenda, the minutes and the actions as members meet them, through the sandbox.

The bot's clock moves; nothing sleeps. A monthly meeting (the first Thursday, 13:00) is made
with the series service; the rest happens through commands, buttons and jobs.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from bot.services import network
from bot.services.meetings import series as meetings
from bot.services.meetings.rules import HolidayPolicy, Rule, RuleKind
from bot.services.meetings.series import Place
from tests.e2e.conftest import World, result_of
from tests.e2e.test_directory import eventually
from tests.e2e.test_network_setup import run_setup
from tests.e2e.test_privacy import _export, traces_of


async def monthly(world: World, guild: Any = None, organiser: Any = None) -> meetings.Series:
    guild = guild or world.guild
    organiser = organiser or world.admin
    now = world.clock.now()
    rule = Rule(
        kind=RuleKind.MONTHLY,
        start=now.date(),
        at=time(13),
        duration=timedelta(hours=2),
        weekday=3,
        ordinal=1,
        holiday_policy=HolidayPolicy.NONE,
    )
    draft = meetings.make_draft(
        title="Nätverksträff", rule=rule, place=Place("address", text="Stadshuset"), now=now
    )
    return await meetings.create_series(
        world.bot.db, guild.id, draft, organiser_id=organiser.id, now=now
    )


async def meetings_channel(world: World, guild: Any = None) -> Any:
    guild = guild or world.guild
    channel = world.sandbox.create_channel(guild, "möten")
    await network.set_channel(world.bot.db, guild.id, "meetings", channel.id)
    return channel


async def settle(world: World) -> None:
    """Run what is due now, so that nothing the scheduler's own timers would start (the
    meetings' event sync) is still running when the bot stops."""
    while any(due <= world.clock.now() for _, due in await world.bot.jobs.pending()):
        await world.run_due()


async def count(world: World, table: str) -> int:
    return int(await world.bot.db.fetchval(f"SELECT count(*) FROM {table}"))


async def test_agenda_minutes_and_actions_end_to_end_in_both_languages(world: World) -> None:
    sb = world.sandbox
    await monthly(world)
    channel = await meetings_channel(world)
    anna = world.as_user(world.anna, locale="sv-SE")
    erik = world.as_user(world.erik, locale="en-US")
    maria = world.as_user(world.admin, locale="sv-SE")

    # Anna puts a quick item on the next meeting in Swedish; Erik picks the meeting in English.
    added = await anna.invoke(
        "möte dagordning lägg-till", {"text": "Nytt SFI-schema", "typ": "Snabb boll"}
    )
    assert added.ephemeral and "snabba boll" in added.text and "3 december" in added.text
    choices = await erik.autocomplete("meeting agenda add", {"text": "x"}, focused="meeting")
    assert choices and "3 December" in choices[0].name
    assert not any(c.value.isdigit() for c in choices)  # never a bare internal number
    added = await erik.invoke(
        "meeting agenda add",
        {"text": "Cooperation with schools", "kind": "Strategic question",
         "meeting": choices[0].value},
    )  # fmt: skip
    assert "strategic question" in added.text
    shown = await erik.invoke("meeting agenda show", {})
    assert "Cooperation with schools" in shown.text and "Nytt SFI-schema" in shown.text
    assert "Strategic questions" in shown.text and "No open actions." in shown.text
    typed = await anna.invoke("möte dagordning visa", {"möte": "3/12"})
    assert "Strategiska frågor" in typed.text and "Snabba bollar" in typed.text

    # Only the organiser or an admin chairs.
    world.clock.advance(timedelta(days=10, hours=3, minutes=5))  # Thursday 3 Dec, 12:05 UTC
    refused = await anna.invoke("möte starta", {})
    assert "organisatör" in refused.text and await count(world, "meeting_minutes") == 0
    started = await maria.invoke("möte starta", {})
    assert "har börjat" in started.text and "Nytt SFI-schema" in started.text
    items = await anna.autocomplete("möte anteckning", {"text": "x"}, focused="punkt")
    quick = next(c for c in items if c.name == "Nytt SFI-schema")
    noted = await anna.invoke("möte anteckning", {"text": "Schemat är klart", "punkt": quick.value})
    assert "behandlad" in noted.text
    refused = await erik.invoke("meeting decision", {"text": "We decide"})
    assert "organiser" in refused.text
    decided = await maria.invoke("möte beslut", {"text": "Vi bjuder in skolorna"})
    assert "Beslutet" in decided.text
    acted = await maria.invoke(
        "möte åtgärd", {"ansvarig": world.erik, "text": "Boka lokal", "klart-senast": "15 dec"}
    )
    assert "Boka lokal" in acted.text and "15 december" in acted.text
    ended = await maria.invoke("möte avsluta", {})
    assert "Protokollet: https://discord.com/channels/" in ended.text
    posted = sb.channel_messages(channel)[-1]
    assert posted.attachments and posted.attachments[0].filename == "minutes-2026-12-03.md"
    markdown = posted.attachments[0].data.decode()
    for words in ("Vi bjuder in skolorna", "Schemat är klart", "Boka lokal", "Anna Andersson",
                  "Nytt SFI-schema", "## Beslut"):  # fmt: skip
        assert words in markdown, words
    assert "Cooperation with schools" not in markdown  # not handled: it moves on

    # The unhandled item is on January's agenda, marked as carried over.
    runs = await world.advance(timedelta(hours=3))
    assert result_of(runs, "meeting-minutes:sweep")["reminded"] == 0
    january = await erik.invoke("meeting agenda show", {})
    assert "7 January" in january.text and "Cooperation with schools" in january.text
    assert "carried over from 2026-12-03" in january.text and "Boka lokal" in january.text
    assert "Nytt SFI-schema" not in january.text

    # Past minutes, by the list and by a typed date.
    past = await anna.invoke("möte protokoll", {})
    assert "1 möte med protokoll" in past.text
    one = await erik.invoke("meeting minutes", {"meeting": "2026-12-03"})
    assert "We decide" not in one.text and "Vi bjuder in skolorna" in one.text
    assert one.attachments

    # Erik's action: listed, reminded the day before it is due and before the next meeting.
    mine = await erik.invoke("action list", {"which": "Mine"})
    assert "Boka lokal" in mine.text and "1 open action of yours" in mine.text
    action_id = int(await world.bot.db.fetchval("SELECT id FROM meeting_actions"))
    runs = await world.advance(datetime(2026, 12, 14, 8, 0, tzinfo=UTC) - world.clock.now())
    assert result_of(runs, f"action-due:{action_id}") is True
    # In the network's language: the bot knows a member's language only from an interaction.
    assert "ska vara klar i morgon" in sb.dm_messages(world.erik)[-1].content
    runs = await world.advance(datetime(2027, 1, 5, 13, 0, tzinfo=UTC) - world.clock.now())
    assert result_of(runs, "meeting-minutes:sweep")["reminded"] == 1
    assert "inför mötet" in sb.dm_messages(world.erik)[-1].content
    runs = await world.advance(timedelta(hours=1))
    assert result_of(runs, "meeting-minutes:sweep")["reminded"] == 0  # never twice

    # Done: not by Anna (neither owner nor chair); by Erik, typing words of it.
    refused = await anna.invoke("åtgärd klar", {"id": "boka"})
    assert "ansvarige" in refused.text
    found = await erik.autocomplete("action done", {}, focused="id")
    assert [c.name for c in found] == ["Boka lokal"] and found[0].value == str(action_id)
    done = await erik.invoke("action done", {"id": "lokal"})
    assert "Marked as done" in done.text
    assert "Inga åtgärder här." in (await anna.invoke("åtgärd lista", {"vilka": "Öppna"})).text


async def test_bad_input_gets_a_clear_message_and_writes_nothing(world: World) -> None:
    await monthly(world)
    anna = world.as_user(world.anna, locale="sv-SE")
    erik = world.as_user(world.erik, locale="en-US")
    maria = world.as_user(world.admin, locale="sv-SE")
    for text, words in (
        (" ", "Text"),
        ("x" * 5000, "Text"),
        ("@everyone kom hit", "Text"),
    ):
        reply = await anna.invoke("möte dagordning lägg-till", {"text": text})
        assert reply.ephemeral and words in reply.text, reply.text
    reply = await erik.invoke("meeting agenda add", {"text": "ok", "meeting": "30 February"})
    assert "Meeting" in reply.text and "does not exist" in reply.text
    assert await count(world, "meeting_agenda_items") == 0
    # Markdown and Arabic are kept as written, and shown escaped.
    await anna.invoke("möte dagordning lägg-till", {"text": "**مرحبا** _hej_"})
    shown = await anna.invoke("möte dagordning visa", {})
    assert "\\*\\*مرحبا\\*\\*" in shown.text
    # Notes and actions need a meeting in progress; a due date of 30 February is refused.
    reply = await anna.invoke("möte anteckning", {"text": "hej"})
    assert "Inget möte pågår" in reply.text
    world.clock.advance(timedelta(days=10, hours=3, minutes=5))
    await maria.invoke("möte starta", {})
    reply = await maria.invoke(
        "möte åtgärd", {"ansvarig": world.anna, "text": "Boka", "klart-senast": "30 februari"}
    )
    assert "Klart senast" in reply.text and "finns inte" in reply.text
    reply = await maria.invoke("möte åtgärd", {"ansvarig": world.anna, "text": "x" * 5000})
    assert "Åtgärd" in reply.text
    reply = await anna.invoke("möte anteckning", {"text": "<@123> och @here"})
    assert "Anteckning" in reply.text
    assert await count(world, "meeting_actions") == 0
    assert await count(world, "meeting_entries") == 0
    reply = await erik.invoke("action done", {"id": "nothing like it"})
    assert "No open action matches" in reply.text


async def test_two_networks_hold_their_meetings_at_once(world: World) -> None:
    sb = world.sandbox
    other = sb.create_guild("Fyrbodal", preferred_locale="en-US", owner=world.erik)
    await sb.add_member(other, world.erik)
    await sb.add_member(other, world.anna)
    await world.run_due()
    await monthly(world)
    await monthly(world, other, world.erik)
    world.clock.advance(timedelta(days=10, hours=3, minutes=5))
    maria = world.as_user(world.admin, locale="sv-SE")
    erik = sb.as_user(world.erik, guild=other, locale="en-US")
    await maria.invoke("möte starta", {})
    await erik.invoke("meeting start", {})
    await maria.invoke("möte beslut", {"text": "Halland bjuder in skolorna"})
    await erik.invoke("meeting decision", {"text": "Fyrbodal starts civic guides"})
    anna_there = sb.as_user(world.anna, guild=other, locale="sv-SE")
    await anna_there.invoke("möte anteckning", {"text": "Lysekil berättar"})
    ended_here = await maria.invoke("möte avsluta", {})
    ended_there = await erik.invoke("meeting end", {})
    # Without a meetings channel, the minutes come with the answer.
    assert "Mötet är avslutat" in ended_here.text and ended_here.attachments
    assert "The meeting has ended" in ended_there.text and ended_there.attachments
    here = await maria.invoke("möte protokoll", {"möte": "3 dec 2026"})
    there = await erik.invoke("meeting minutes", {"meeting": "2026-12-03"})
    assert "Halland bjuder in skolorna" in here.text and "Fyrbodal" not in here.text
    assert "Fyrbodal starts civic guides" in there.text and "Lysekil berättar" in there.text
    assert "Halland" not in there.text


async def test_mydata_shows_the_minutes_and_forget_me_keeps_them_without_the_person(
    world: World,
) -> None:
    await monthly(world)
    anna = world.as_user(world.anna, locale="sv-SE")
    erik = world.as_user(world.erik, locale="en-US")
    maria = world.as_user(world.admin, locale="sv-SE")
    await anna.invoke("möte dagordning lägg-till", {"text": "Annas fråga om SFI"})
    await anna.invoke(
        "möte dagordning lägg-till", {"text": "Annas andra fråga", "typ": "Snabb boll"}
    )
    world.clock.advance(timedelta(days=10, hours=3, minutes=5))
    await maria.invoke("möte starta", {})
    await anna.invoke("möte anteckning", {"text": "Anna berättar om Halmstad"})
    await maria.invoke("möte åtgärd", {"ansvarig": world.anna, "text": "Ringa skolan"})
    await maria.invoke("möte avsluta", {})
    mine = await anna.invoke("privacy mydata", {})
    tables = _export(mine)["tables"]
    for table in ("meeting_agenda_items", "meeting_entries", "meeting_actions",
                  "meeting_participants"):  # fmt: skip
        assert tables.get(table), table
    asked = await anna.invoke("privacy forget-me", {})
    done = await world.as_anna.click(asked, "Ja, glöm mig")
    assert "raderade" in done.text
    assert await traces_of(world.bot.db, world.anna.id, []) == []
    kept = await erik.invoke("meeting minutes", {"meeting": "2026-12-03"})
    assert "Anna berättar om Halmstad" in kept.text and "Ringa skolan" in kept.text
    assert "a former member" in kept.text
    assert "a former member" in kept.attachments[0].data.decode()
    later = await erik.invoke("meeting agenda show", {})
    assert "Annas fråga om SFI" in later.text and "a former member" in later.text
    assert "Ringa skolan" in (await erik.invoke("action list", {"which": "All"})).text


async def test_the_purge_of_leavers_keeps_the_minutes(world: World) -> None:
    sb = world.sandbox
    await monthly(world)
    maria = world.as_user(world.admin, locale="sv-SE")
    world.clock.advance(timedelta(days=10, hours=3, minutes=5))
    await maria.invoke("möte starta", {})
    await maria.invoke("möte åtgärd", {"ansvarig": world.erik, "text": "Boka lokal"})
    await maria.invoke("möte avsluta", {})
    await sb.remove_member(world.guild, world.erik)

    async def left() -> bool:
        return bool(
            await world.bot.db.fetchval(
                "SELECT left_at FROM members WHERE user_id = ?", (world.erik.id,)
            )
        )

    await eventually(left)
    purged = result_of(await world.advance(timedelta(days=31)), "leavers:purge")
    assert [p.user_id for p in purged] == [world.erik.id]
    assert await traces_of(world.bot.db, world.erik.id, []) == []
    kept = await maria.invoke("åtgärd lista", {"vilka": "Alla"})
    assert "Boka lokal" in kept.text and "en tidigare medlem" in kept.text


async def test_the_seven_day_reminder_carries_the_agenda_and_open_actions(world: World) -> None:
    sb = world.sandbox
    await run_setup(sb, world.guild, world.admin)
    settings = await network.get(world.bot.db, world.guild.id)
    draft = await world.as_admin.invoke(
        "meeting schedule",
        {"title": "Nätverksträff", "rule": "first", "weekday": 3, "start_time": "kl 13",
         "duration": "2 h"},
    )  # fmt: skip
    saved = await world.as_admin.click(draft, "Bekräfta")
    await sb.wait_for_followup(saved)
    anna = world.as_user(world.anna, locale="sv-SE")
    await anna.invoke("möte dagordning lägg-till", {"text": "Samverkan med skolan"})
    await world.advance(timedelta(days=3, hours=3, minutes=1))  # 7 days before 3 December
    channel = sb.world.channels[settings.channels["meetings"]]
    reminder = sb.channel_messages(channel)[-1].content
    assert "Strategisk fråga: Samverkan med skolan" in reminder, reminder
    assert "Inga öppna åtgärder" not in reminder  # only what there is
    await settle(world)


async def test_long_lists_page_and_the_pager_outlives_a_restart(world: World) -> None:
    from bot.services.meetings import minutes

    await monthly(world)
    world.clock.advance(timedelta(days=10, hours=3, minutes=5))
    db, gid, now = world.bot.db, world.guild.id, world.clock.now()
    await minutes.start(db, gid, None, chair_id=world.admin.id, now=now)
    for n in range(12):
        await minutes.add_action(
            db, gid, owner_id=world.anna.id, text=f"Uppgift {n + 1}", due=None,
            user_id=world.admin.id, now=now,
        )  # fmt: skip
    await minutes.end(db, gid, now=now)
    anna = world.as_user(world.anna, locale="sv-SE")
    first = await anna.invoke("åtgärd lista", {"vilka": "Mina"})
    assert "12 öppna åtgärder för dig" in first.text and "Sida 1 av 2" in first.text
    assert "Uppgift 10" in first.text and "Uppgift 11" not in first.text
    await settle(world)
    await world.restart()
    second = await anna.click(first, "Nästa ▶")
    assert "Uppgift 12" in second.text and "Sida 2 av 2" in second.text


def test_the_demo_has_last_months_minutes_open_actions_and_an_agenda(tmp_path: Path) -> None:
    from tests.e2e.test_shell import run_shell

    result = run_shell(tmp_path, ":user maria\n/möte protokoll\n/möte dagordning visa\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "1 möte med protokoll" in out and "1 beslut, 2 åtgärder" in out
    assert "Gemensam introduktion för nyanlända" in out and "Bjuda in Arbetsförmedlingen" in out
