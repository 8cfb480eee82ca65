"""The sandbox runs on the clock it is given (the bot's), not on the wall clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import discord
import pytest
import yarl

from sandbox import Sandbox
from sandbox.state import SnowflakeGenerator, snowflake_time

from .testbot import running

START = dt.datetime(2031, 3, 4, 9, 0, tzinfo=dt.UTC)
PAST = dt.datetime(2020, 3, 4, 9, 0, tzinfo=dt.UTC)


class MovableClock:
    """A clock of the test's own (the sandbox takes any object with ``now()``)."""

    def __init__(self, start: dt.datetime) -> None:
        self.at = start

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, delta: dt.timedelta) -> None:
        self.at += delta


@pytest.fixture(params=[START, PAST], ids=["ahead-of-wall-time", "behind-wall-time"])
def clock(request: pytest.FixtureRequest) -> MovableClock:
    return MovableClock(request.param)


@pytest.fixture
async def csb(clock: MovableClock, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Sandbox]:
    sandbox = Sandbox(clock=clock)
    await sandbox.start()
    monkeypatch.setattr(discord.http.Route, "BASE", sandbox.api_base)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(sandbox.gateway_url)
    )
    yield sandbox
    await sandbox.stop()


async def test_new_objects_and_messages_carry_the_clock_time(
    csb: Sandbox, clock: MovableClock
) -> None:
    start = clock.now()
    owner = csb.create_user("maria")
    guild = csb.create_guild("Halland", owner=owner)
    assert guild.joined_at == start
    assert snowflake_time(guild.id) == start
    general = csb.find_channel(guild, "general")
    async with running(csb, sync=False) as bot:
        clock.advance(dt.timedelta(days=2))
        chan = bot.get_channel(general.id)
        assert isinstance(chan, discord.TextChannel)
        sent = await chan.send("hej")
        assert sent.created_at == start + dt.timedelta(days=2)
        stored = csb.channel_messages(general)[-1]
        assert stored.timestamp == start + dt.timedelta(days=2)
        clock.advance(dt.timedelta(hours=1))
        edited = await sent.edit(content="hej igen")
        assert edited.edited_at == start + dt.timedelta(days=2, hours=1)
        member = await csb.add_member(guild, csb.create_user("anna"))
        assert member.joined_at == start + dt.timedelta(days=2, hours=1)


async def test_scheduled_event_in_the_past_is_judged_on_the_clock(
    csb: Sandbox, clock: MovableClock
) -> None:
    owner = csb.create_user("maria")
    guild = csb.create_guild("Halland", owner=owner)
    async with running(csb, sync=False) as bot:
        g = bot.get_guild(guild.id)
        assert g is not None
        # Years away from the wall clock, but one day after the sandbox's now: accepted.
        start = clock.now() + dt.timedelta(days=1)
        event = await g.create_scheduled_event(
            name="Träff",
            start_time=start,
            end_time=start + dt.timedelta(hours=2),
            entity_type=discord.EntityType.external,
            location="Halmstad",
            privacy_level=discord.PrivacyLevel.guild_only,
        )
        assert event.start_time == start
        clock.advance(dt.timedelta(days=2))
        with pytest.raises(discord.HTTPException) as info:
            await g.create_scheduled_event(
                name="Förr",
                start_time=start + dt.timedelta(hours=12),
                end_time=start + dt.timedelta(hours=14),
                entity_type=discord.EntityType.external,
                location="Halmstad",
                privacy_level=discord.PrivacyLevel.guild_only,
            )
        assert info.value.code == 50035
        assert "GUILD_SCHEDULED_EVENT_SCHEDULED_START_TIME_TO_PAST" in str(csb.errors[-1].body)
    csb.clear_errors()


async def test_interaction_token_expires_when_the_clock_passes_15_minutes(
    csb: Sandbox, clock: MovableClock
) -> None:
    owner = csb.create_user("maria")
    guild = csb.create_guild("Halland", owner=owner)
    async with running(csb) as bot:
        r = await csb.invoke("about", user=owner, guild=guild)
        rec = csb.world.interactions[r.interaction_id]
        webhook = discord.Webhook.partial(csb.application_id, rec.token, client=bot)
        clock.advance(dt.timedelta(minutes=14))
        await webhook.send("still in time", wait=True)
        clock.advance(dt.timedelta(minutes=1, seconds=1))
        with pytest.raises(discord.HTTPException) as info:
            await webhook.send("late followup", wait=True)
        assert info.value.status == 401 and info.value.code == 50027
    csb.clear_errors()


def test_snowflakes_grow_when_the_clock_stands_still_or_goes_back() -> None:
    clock = MovableClock(START)
    make = SnowflakeGenerator(clock)
    ids = [make() for _ in range(10_000)]
    clock.advance(dt.timedelta(days=-1))
    ids += [make() for _ in range(10)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert abs(snowflake_time(ids[-1]) - START) < dt.timedelta(seconds=1)


def test_a_naive_clock_is_refused() -> None:
    naive = MovableClock(dt.datetime(2031, 1, 1))
    with pytest.raises(ValueError, match="aware"):
        Sandbox(clock=naive)
