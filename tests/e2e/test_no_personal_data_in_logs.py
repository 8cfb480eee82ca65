"""The bot's own logs hold no personal data, even at DEBUG."""

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
        self.lines.append(self.format(record))


@pytest.fixture
def own_logs() -> Iterator[Everything]:
    """Every record of the project's own loggers (bot.*, cogs.*), at DEBUG."""
    handler = Everything()
    loggers = [logging.getLogger("bot"), logging.getLogger("cogs")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.addHandler(handler)
    try:
        yield handler
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(handler)
            lg.setLevel(level)


async def test_a_whole_personal_data_journey_logs_nothing_personal(
    world: World, own_logs: Everything
) -> None:
    facts = await anna_with_everything(world)
    sb = world.sandbox
    await sb.invoke("contact find", {"query": "zetterqvist"}, user=world.erik, guild=world.guild)
    await sb.invoke("privacy mydata", {}, user=world.anna, guild=world.guild)
    await sb.remove_member(world.guild, world.anna)
    await until_left(world, world.anna.id)
    purged = result_of(await world.advance(timedelta(days=31)), "leavers:purge")
    assert [p.user_id for p in purged] == [world.anna.id]
    needles = [*facts["personal"], str(facts["user_id"])]
    leaks = [line for line in own_logs.lines for n in needles if n.casefold() in line.casefold()]
    assert own_logs.lines, "the journey logged nothing at all: is the handler attached?"
    assert leaks == []
