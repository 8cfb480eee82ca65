"""/meeting schedule, list, cancel, edit: end to end, in Swedish and English, clock moved."""

from __future__ import annotations

from typing import Any

from bot.services import network
from bot.services.meetings import reminders
from tests.e2e.conftest import World
from tests.e2e.test_network_setup import run_setup


async def set_up(world: World) -> Any:
    await run_setup(world.sandbox, world.guild, world.admin)
    return await network.get(world.bot.db, world.guild.id)


def meetings_channel(world: World, settings: Any) -> Any:
    return world.sandbox.world.channels[settings.channels["meetings"]]


async def schedule(world: World, options: dict[str, Any], locale: str = "sv-SE") -> Any:
    sb = world.sandbox
    draft = await sb.invoke(
        "meeting schedule", options, user=world.admin, guild=world.guild, locale=locale
    )
    return draft


MONTHLY = {
    "title": "Nätverksträff",
    "rule": "first",
    "weekday": 3,
    "start_time": "kl 13",
    "duration": "2 h",
}


async def test_schedule_shows_back_then_saves_and_announces(world: World) -> None:
    settings = await set_up(world)
    sb = world.sandbox
    draft = await schedule(world, MONTHLY)
    assert draft.ephemeral
    assert "Första torsdagen i månaden" in draft.text, draft.text
    assert "torsdag 3 december kl. 13.00" in draft.text
    count = await world.bot.db.fetchval("SELECT count(*) FROM meeting_series")
    assert count == 0
    saved = await sb.click(draft, "Bekräfta", user=world.admin)
    assert "Sparat" in saved.text
    done = await sb.wait_for_followup(saved)
    assert "Utlyst i" in done.content and "3 evenemang" in done.content, done.content
    posts = sb.channel_messages(meetings_channel(world, settings))
    assert "Nätverksträff" in posts[-1].content
    states = await reminders.counts(world.bot.db)
    assert states == {"pending": 3}
    events = list(world.guild.scheduled_events)
    assert len(events) == 3
