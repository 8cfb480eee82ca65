"""The bot's lifecycle as a network meets it: jobs at start, removal from a server, stopping."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.services import members, networks
from sandbox import Sandbox
from tests.conftest import ErrorLog
from tests.e2e.conftest import World, result_of
from tests.e2e.test_directory import eventually
from tests.e2e.test_privacy import anna_with_everything, traces_of

ROOT = Path(__file__).resolve().parents[2]


async def left_at(world: World, guild_id: int) -> str | None:
    value = await world.bot.db.fetchval(
        "SELECT left_at FROM networks WHERE guild_id = ?", (guild_id,)
    )
    return None if value is None else str(value)


async def readd_bot(sandbox: Sandbox, guild: Any) -> None:
    """An admin invites the bot back: the guild is there again and GUILD_CREATE is sent, as
    Discord sends it for a guild joined after READY."""
    sandbox.world.guilds[guild.id] = guild
    sandbox.world.dispatch("GUILD_CREATE", {"__guild_create__": guild.id}, intent=None)
    await asyncio.sleep(0)


async def rows_of_network(world: World, guild_id: int) -> dict[str, int]:
    db = world.bot.db
    counts = {}
    for table in await networks.tables_with_guild_id(db):
        n = await db.fetchval(f"SELECT COUNT(*) FROM {table} WHERE guild_id = ?", (guild_id,))
        if n:
            counts[table] = int(n)
    return counts


async def test_a_network_that_removes_the_bot_is_deleted_after_its_grace_period(
    world: World,
) -> None:
    facts = await anna_with_everything(world)
    gid = world.guild.id
    other = world.sandbox.create_guild("Fyrbodal", preferred_locale="sv-SE", owner=world.admin)
    await world.sandbox.add_member(other, world.erik)

    async def other_known() -> bool:
        return (
            await world.bot.db.fetchval("SELECT 1 FROM networks WHERE guild_id = ?", (other.id,))
            is not None
        )

    await eventually(other_known)
    await world.bot.jobs.schedule(
        "freshness", "only-a-test", world.clock.now() + timedelta(days=90), guild_id=gid
    )
    before = await rows_of_network(world, gid)
    assert {"networks", "members", "profiles", "functions", "audit_log", "jobs"} <= set(before)

    await world.sandbox.remove_bot(world.guild)

    async def marked() -> bool:
        return await left_at(world, gid) is not None

    await eventually(marked)
    assert result_of(await world.advance(timedelta(days=29)), "networks:purge") == []
    assert await rows_of_network(world, gid) == before  # within the grace period: all kept
    assert result_of(await world.advance(timedelta(days=2)), "networks:purge") == [gid]
    assert await rows_of_network(world, gid) == {}
    assert await traces_of(world.bot.db, facts["user_id"], facts["personal"]) == []
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM directory_index") == 0
    assert gid not in world.bot.network_langs
    # The other network is untouched.
    assert await left_at(world, other.id) is None
    assert await rows_of_network(world, other.id) != {}


async def test_a_network_that_invites_the_bot_back_in_time_loses_nothing(world: World) -> None:
    await anna_with_everything(world)
    gid = world.guild.id
    before = await rows_of_network(world, gid)
    await world.sandbox.remove_bot(world.guild)

    async def marked() -> bool:
        return await left_at(world, gid) is not None

    await eventually(marked)
    await world.advance(timedelta(days=20))
    await readd_bot(world.sandbox, world.guild)

    async def back() -> bool:
        return await left_at(world, gid) is None

    await eventually(back)
    assert result_of(await world.advance(timedelta(days=40)), "networks:purge") == []
    assert await rows_of_network(world, gid) == before
    card = await world.as_erik.invoke("contact card", {"member": world.anna}, locale="en-US")
    assert "Anna Zetterqvist" in card.text


async def test_the_privacy_notice_states_the_removal_period(world: World) -> None:
    await world.bot.db.execute(
        "UPDATE networks SET removal_grace_days = 45 WHERE guild_id = ?", (world.guild.id,)
    )
    swedish = await world.as_anna.invoke("privacy notice", {})
    assert "tar bort Krokarm från sin server raderas allt" in swedish.text
    assert "efter 45 dagar" in swedish.text
    english = await world.as_erik.invoke("privacy notice", {}, locale="en-US")
    assert "removes Krokarm from its server" in english.text and "after 45 days" in english.text


async def test_a_leaver_whose_grace_period_passed_while_the_bot_was_down_is_purged_at_start(
    world: World,
) -> None:
    facts = await anna_with_everything(world)
    await world.sandbox.remove_member(world.guild, world.anna)

    async def gone() -> bool:
        member = await members.get_member(world.bot.db, world.guild.id, world.anna.id)
        return member is not None and member.left_at is not None

    await eventually(gone)
    await world.stop()
    world.clock.advance(timedelta(days=31))  # no job ran while the bot was down
    await world.start()  # … and a restart, however soon, purges at once
    assert await members.get_member(world.bot.db, world.guild.id, world.anna.id) is None
    assert await traces_of(world.bot.db, facts["user_id"], facts["personal"]) == []


async def test_jobs_due_at_start_wait_for_the_member_comparison(world: World) -> None:
    """Someone who came back while the bot was down after a grace period's worth of absence is
    noticed before the purge runs, and keeps their data."""
    await anna_with_everything(world)
    await world.sandbox.remove_member(world.guild, world.anna)

    async def gone() -> bool:
        member = await members.get_member(world.bot.db, world.guild.id, world.anna.id)
        return member is not None and member.left_at is not None

    await eventually(gone)
    await world.stop()
    await world.sandbox.add_member(world.guild, world.anna)
    world.clock.advance(timedelta(days=31))
    await world.start()
    member = await members.get_member(world.bot.db, world.guild.id, world.anna.id)
    assert member is not None and member.left_at is None


class Slow(commands.Cog):
    """A command that is still working when the bot is told to stop."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.started = asyncio.Event()
        self.gate = asyncio.Event()

    @app_commands.command(name="slow", description="Takes its time")
    async def slow(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        self.started.set()
        await self.gate.wait()
        count = await self.db.fetchval("SELECT COUNT(*) FROM networks")
        await interaction.followup.send(f"done: {count} network", ephemeral=True)


async def with_slow(world: World) -> Slow:
    cog = Slow(world.bot.db)
    await world.bot.add_cog(cog)
    await world.bot.tree.sync()
    return cog


async def test_stopping_lets_a_running_command_finish_and_answers_new_ones(
    world: World,
) -> None:
    slow = await with_slow(world)
    in_flight = asyncio.create_task(world.as_anna.invoke("slow", {}))
    await asyncio.wait_for(slow.started.wait(), 5)
    stopping = asyncio.create_task(world.stop())

    async def refusing() -> bool:
        return world.bot._stopping

    await eventually(refusing)
    # New interactions are not dispatched: the user is told, in their language.
    english = await world.as_erik.invoke("help", {}, locale="en-US")
    assert english.ephemeral and "The bot is restarting" in english.text
    swedish = await world.as_anna.invoke("about", {})
    assert "Boten startar om" in swedish.text
    assert not stopping.done()  # still waiting for the slow command
    slow.gate.set()
    reply = await asyncio.wait_for(in_flight, 10)
    assert reply.text == "done: 1 network"
    await asyncio.wait_for(stopping, 10)
    # No ERROR was logged (the autouse error_log fixture fails the test otherwise).


async def test_stopping_does_not_wait_for_ever(world: World, error_log: ErrorLog) -> None:
    slow = await with_slow(world)
    world.bot.drain_seconds = 0.3
    in_flight = asyncio.create_task(world.as_anna.invoke("slow", {}, timeout=30))
    await asyncio.wait_for(slow.started.wait(), 5)
    started = time.monotonic()
    await world.stop()
    assert time.monotonic() - started < 5
    in_flight.cancel()


async def test_sigterm_stops_the_bot_the_orderly_way(sandbox: Sandbox, tmp_path: Path) -> None:
    """`python -m bot run` under systemd or docker: SIGTERM lets a running command finish and
    closes everything without an error."""
    owner = sandbox.create_user("maria", global_name="Maria Admin", locale="sv-SE")
    guild = sandbox.create_guild("Integration Halland", preferred_locale="sv-SE", owner=owner)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_"))}
    env.update(
        DISCORD_TOKEN=sandbox.token,
        DISCORD_API_BASE=sandbox.api_base,
        DISCORD_GATEWAY_URL=sandbox.gateway_url,
        DATABASE_PATH=str(tmp_path / "krokarm.db"),
        DEV_GUILD_ID=str(guild.id),
        LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not any(c["name"] == "help" for c in sandbox.synced_commands(guild)):
            assert time.monotonic() < deadline, "the bot did not start"
            await asyncio.sleep(0.05)
        await sandbox.wait_until_ready(timeout=30)
        reply = await sandbox.invoke("help", {}, user=owner, guild=guild)
        assert "Krokarm – kommandon" in reply.text
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log and " ERROR " not in log, log
