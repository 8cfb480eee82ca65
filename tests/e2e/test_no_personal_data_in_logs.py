"""No logger writes personal data or tokens, even at DEBUG: not the bot's own, not discord.py's
(gateway payloads, HTTP URLs with interaction tokens), not aiosqlite's (SQL parameters)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.services.network import timestamp
from tests.e2e.conftest import World, result_of
from tests.e2e.test_offline_departures import until_left_is
from tests.e2e.test_privacy import anna_with_everything


async def until_left(world: World, user_id: int) -> None:
    await until_left_is(world, user_id, timestamp(world.clock.now()))


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.levelname} {self.format(record)}")


@pytest.fixture
def own_logs() -> Iterator[Everything]:
    """Every record of every logger, at DEBUG: the root listens, every logger that exists is set
    to DEBUG and propagates (a library's own level or handler cannot hide a record)."""
    handler = Everything()
    root = logging.getLogger()
    loggers = [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    saved = [(lg, lg.level, lg.propagate, lg.disabled) for lg in loggers]
    root_level = root.level
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.propagate = True
        lg.disabled = False
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(root_level)
        for lg, level, propagate, disabled in saved:
            lg.setLevel(level)
            lg.propagate = propagate
            lg.disabled = disabled


async def test_a_whole_personal_data_journey_logs_nothing_personal(
    world: World, own_logs: Everything
) -> None:
    facts = await anna_with_everything(world)
    sb = world.sandbox
    await world.as_erik.invoke("contact find", {"query": "zetterqvist"})
    await world.as_anna.invoke("privacy mydata", {})
    await sb.remove_member(world.guild, world.anna)
    await until_left(world, world.anna.id)
    purged = result_of(await world.advance(timedelta(days=31)), "leavers:purge")
    assert [p.user_id for p in purged] == [world.anna.id]
    tokens = [rec.token for rec in sb.world.interactions.values()]
    assert tokens, "the journey made no interactions"
    needles = [*facts["personal"], str(facts["user_id"]), sb.token, *tokens]
    leaks = [
        (n, line) for line in own_logs.lines for n in needles if n.casefold() in line.casefold()
    ]
    assert own_logs.lines, "the journey logged nothing at all: is the handler attached?"
    # The libraries' loggers are heard too (discord.client reports every event it dispatches).
    assert any(line.startswith("discord.client DEBUG") for line in own_logs.lines)
    assert leaks == []
