"""Reminders are never lost or doubled: the bot is stopped at every step of a reminder's life
and started again on the same database; the sandbox counts the messages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.services.meetings import reminders
from tests.e2e.conftest import World
from tests.e2e.test_meetings_series import posts, scheduled, set_up

ONE_HOUR = {
    "title": "Nätverksträff",
    "rule": "first",
    "weekday": 3,
    "start_time": "13:00",
    "duration": "2 h",
    "reminders": "1h",
}
# 3 Dec 13.00 Stockholm = 12.00 UTC; the 1-hour reminder is due at 11.00 UTC, 10 days and
# 2 hours after the clock's start (23 Nov 09.00 UTC).
TO_DUE = timedelta(days=10, hours=2)


class Killed(BaseException):
    """The bot stopping at a step (not an Exception: nothing in the bot catches it)."""


@pytest.mark.parametrize("step", reminders.STEPS)
async def test_killed_at_each_step_the_reminder_arrives_exactly_once(
    world: World, step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = await set_up(world)
    sb = world.sandbox
    await scheduled(world, ONE_HOUR)
    await sb.wait_for_followup(
        await sb.click(posts(world, settings, "Nytt möte")[-1], "Jag kommer", user=world.anna)
    )
    killed: list[str] = []

    async def kill_once(at: str) -> None:
        if at == step and not killed:
            killed.append(at)
            raise Killed(at)

    monkeypatch.setattr(reminders, "checkpoint", kill_once)
    with pytest.raises(Killed):
        await world.advance(TO_DUE)
    assert killed == [step]
    await world.stop()
    await world.start()  # what fell due runs at start
    await world.advance(timedelta(minutes=30))
    await world.advance(timedelta(days=1))
    sent = posts(world, settings, "Påminnelse")
    assert len(sent) == 1, [m.content for m in sent]
    dms = [m for m in sb.dm_messages(world.anna) if "Påminnelse" in m.content]
    assert len(dms) == 1
    assert (await reminders.counts(world.bot.db)).get("sent") == 1


async def test_due_while_down_arrives_at_start_if_the_meeting_has_not_begun(
    world: World,
) -> None:
    settings = await set_up(world)
    await scheduled(world, ONE_HOUR)
    await world.stop()
    world.clock.advance(TO_DUE + timedelta(minutes=40))  # 11.40 UTC: due, meeting at 12.00
    await world.start()
    assert len(posts(world, settings, "Påminnelse")) == 1
    assert (await reminders.counts(world.bot.db)) == {"sent": 1}


async def test_due_while_down_is_recorded_missed_once_the_meeting_began(world: World) -> None:
    settings = await set_up(world)
    await scheduled(world, ONE_HOUR)
    await world.stop()
    world.clock.advance(TO_DUE + timedelta(hours=1, minutes=30))  # 12.30 UTC: it has begun
    await world.start()
    assert posts(world, settings, "Påminnelse") == []
    counts: dict[str, Any] = await reminders.counts(world.bot.db)
    assert counts.get("missed") == 1


async def test_a_failed_send_is_retried_then_reported(world: World) -> None:
    settings = await set_up(world)
    sb = world.sandbox
    await scheduled(world, ONE_HOUR)
    channel = sb.world.channels[settings.channels["meetings"]]
    await sb.delete_channel(channel)
    await world.advance(TO_DUE)
    for _ in range(reminders.RETRIES):
        await world.advance(timedelta(minutes=20))
    counts = await reminders.counts(world.bot.db)
    assert counts.get("failed") == 1, counts
    told = [m for m in sb.dm_messages(world.admin) if "kunde inte skickas" in m.content]
    assert len(told) == 1


async def test_stopped_after_sending_and_back_after_the_nonce_window(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Discord keeps a nonce for a few minutes only: after a longer stop the bot finds its own
    message in the channel instead of sending the reminder again."""
    import sandbox.world

    settings = await set_up(world)
    await scheduled(world, ONE_HOUR)

    async def kill_after_send(at: str) -> None:
        if at == "after_send":
            raise Killed(at)

    monkeypatch.setattr(reminders, "checkpoint", kill_after_send)
    with pytest.raises(Killed):
        await world.advance(TO_DUE)
    monkeypatch.undo()
    monkeypatch.setattr(sandbox.world, "NONCE_WINDOW_S", 0.0)
    await world.stop()
    world.clock.advance(timedelta(minutes=20))
    await world.start()
    assert len(posts(world, settings, "Påminnelse")) == 1
    assert (await reminders.counts(world.bot.db)) == {"sent": 1}
