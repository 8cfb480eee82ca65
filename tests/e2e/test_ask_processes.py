"""`/ask` as a deployed bot runs it, its searches in a search process (SEARCH_PROCESSES=1; the
rest of the suite searches in the bot's threads): the same answers in Swedish and English,
hidden profiles and other networks never seen, and a killed process costs no answer."""

from __future__ import annotations

import os
import signal
from typing import Any

import pytest

from bot.db import Database
from tests.core.test_db_processes import _wait_gone
from tests.e2e.conftest import World
from tests.e2e.test_ask import ask, build_net


@pytest.fixture
def search_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEARCH_PROCESSES", "1")


def _count_computes(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = db.compute

    async def compute(fn: Any, *args: Any) -> Any:
        calls.append(getattr(fn, "__name__", repr(fn)))
        return await original(fn, *args)

    monkeypatch.setattr(db, "compute", compute)
    return calls


async def test_answers_from_a_search_process_in_both_languages(
    search_processes: None, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    net = await build_net(world)
    db = world.bot.db
    assert await db.processes_started()
    calls = _count_computes(db, monkeypatch)
    sv = await ask(world, world.erik, "vem kan TMO?")
    assert "Det här vet nätverket" in sv.text and "Fatima Hassan" in sv.text
    assert f"<@{net['fatima'].id}>" in sv.text
    assert "Hemlig" not in sv.text and "Främling" not in sv.text
    en = await ask(world, world.erik, "who knows trauma-informed care?", "en-US")
    assert "What the network knows" in en.text and "Fatima Hassan" in en.text
    assert "(synonym)" in en.text
    assert "Hemlig" not in en.text and "Främling" not in en.text
    assert calls, "the answers were searched through the database's processes"
    # A profile edited a moment ago is found at once: the process reads what was committed.
    from bot.services import profiles

    await profiles.save(
        db,
        world.guild.id,
        int(net["johan"].id),
        profiles.ProfileFields("Johan Berg", "Projektledare"),
        now=world.clock.now(),
        expertise=profiles.parse_expertise("tolkning"),
    )
    after = await ask(world, world.erik, "vem kan tolkning?")
    assert "Johan Berg" in after.text


async def test_a_killed_search_process_costs_no_answer(
    search_processes: None, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await build_net(world)
    db = world.bot.db
    assert await db.processes_started()
    from tests.core import process_reads

    worker = await db.compute(process_reads.pid)
    assert worker != os.getpid()
    os.kill(worker, signal.SIGKILL)
    assert await _wait_gone(worker)
    answered = await ask(world, world.erik, "vem kan TMO?")
    assert "Fatima Hassan" in answered.text
    assert await db.processes_started()
    assert await db.compute(process_reads.pid) not in (worker, os.getpid())
