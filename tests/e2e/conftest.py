"""End-to-end fixtures: a sandbox Discord with a network server and the real bot connected."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.bot import Krokarm
from bot.clock import FixedClock
from bot.jobs import JobRun
from bot.shell.running import running_bot
from sandbox import Actor, Sandbox


@dataclass
class World:
    """A network server with an admin, a Swedish-speaking and an English-speaking member."""

    sandbox: Sandbox
    guild: Any
    admin: Any
    anna: Any
    erik: Any
    bot: Krokarm
    database: Path
    clock: FixedClock

    def as_user(self, user: Any, *, locale: str | None = None) -> Actor:
        """The driver bound to `user` in this network's server (`world.as_user(bo)`)."""
        return self.sandbox.as_user(user, guild=self.guild, locale=locale)

    @property
    def as_anna(self) -> Actor:
        """Anna acting in the network's server: `await world.as_anna.invoke("about")`."""
        return self.as_user(self.anna)

    @property
    def as_erik(self) -> Actor:
        """Erik acting in the network's server (no locale bound: pass `locale=` as before)."""
        return self.as_user(self.erik)

    @property
    def as_admin(self) -> Actor:
        """The admin (Maria) acting in the network's server."""
        return self.as_user(self.admin)

    async def stop(self) -> None:
        """Stop the bot; the sandbox goes on (what happens now, the bot does not see)."""
        if self._stack is not None:
            await self._stack.__aexit__(None, None, None)
            self._stack = None

    async def start(self) -> None:
        """Start a fresh bot on the same database and sandbox (and its jobs: what fell due
        while it was down has run when this returns)."""
        self._stack = running_bot(self.sandbox, self.database, clock=self.clock)
        self.bot = await self._stack.__aenter__()
        await jobs_started(self.bot)

    async def advance(self, delta: timedelta) -> list[JobRun]:
        """Move the bot's clock and run what is due then, as the scheduler would have."""
        self.clock.advance(delta)
        return await self.bot.jobs.run_due()

    async def run_due(self) -> list[JobRun]:
        """Run what is due now (without moving the clock)."""
        return await self.bot.jobs.run_due()

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    _stack: Any = None


def result_of(runs: list[JobRun], job_id: str) -> Any:
    """What the job `job_id` returned in `runs`; it must have run exactly once, successfully."""
    mine = [r for r in runs if r.id == job_id]
    assert len(mine) == 1 and mine[0].ok, f"{job_id} did not run once and well: {runs}"
    return mine[0].result


async def jobs_started(bot: Krokarm) -> None:
    """Until the bot has compared its servers' members and run the jobs due at start."""
    await asyncio.wait_for(bot.jobs_started.wait(), 10)


# The bot's clock in end-to-end tests: it moves only when a test advances it.
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    """The one clock the bot and the sandbox share."""
    return FixedClock(START)


@pytest.fixture
async def sandbox(clock: FixedClock) -> AsyncIterator[Sandbox]:
    sb = Sandbox(clock=clock)
    await sb.start()
    try:
        yield sb
    finally:
        await sb.stop()
    unexpected = list(sb.errors)
    assert not unexpected, f"the sandbox answered with errors the test did not expect: {unexpected}"


@pytest.fixture
async def world(sandbox: Sandbox, clock: FixedClock, tmp_path: Path) -> AsyncIterator[World]:
    owner = sandbox.create_user("maria", global_name="Maria Admin", locale="sv-SE")
    guild = sandbox.create_guild("Integration Halland", preferred_locale="sv-SE", owner=owner)
    anna = sandbox.create_user("anna", global_name="Anna Andersson", locale="sv-SE")
    erik = sandbox.create_user("erik", global_name="Erik Eriksson", locale="en-US")
    await sandbox.add_member(guild, owner)
    await sandbox.add_member(guild, anna)
    await sandbox.add_member(guild, erik)
    database = tmp_path / "krokarm.db"
    stack = running_bot(sandbox, database, clock=clock)
    bot = await stack.__aenter__()
    await jobs_started(bot)
    w = World(sandbox, guild, owner, anna, erik, bot, database, clock)
    w._stack = stack
    try:
        yield w
    finally:
        await w.stop()
