"""The job layer: the table is the schedule, the bot's clock says what is due."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import FixedClock
from bot.db import Database
from bot.jobs import Job, JobKind, Jobs

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class Calls:
    def __init__(self) -> None:
        self.seen: list[tuple[str, datetime]] = []
        self.fail = False
        self.gate: asyncio.Event | None = None

    async def handle(self, job: Job) -> str:
        self.seen.append((job.id, job.now))
        if self.gate is not None:
            await self.gate.wait()
        if self.fail:
            raise RuntimeError("the handler broke")
        return f"did {job.key}"


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        yield database


def make(db: Database, clock: FixedClock, calls: Calls) -> Jobs:
    kinds = [
        JobKind("reminder", calls.handle),
        JobKind("sweep", calls.handle, every=timedelta(hours=6), recurring_key="all"),
    ]
    return Jobs(db, clock, AsyncIOScheduler(timezone="UTC"), kinds)


BOT: Any = object()  # the handlers here need no bot


async def test_recurring_jobs_run_at_start_and_then_every_period(db: Database) -> None:
    clock, calls = FixedClock(START), Calls()
    jobs = make(db, clock, calls)
    runs = await jobs.start(BOT)
    assert [(r.id, r.ok, r.result) for r in runs] == [("sweep:all", True, "did all")]
    assert await jobs.run_due() == []
    clock.advance(timedelta(hours=5))
    assert await jobs.run_due() == []
    clock.advance(timedelta(hours=1))
    assert [r.id for r in await jobs.run_due()] == ["sweep:all"]
    # A long outage runs the job once, not once per missed period.
    clock.advance(timedelta(days=3))
    assert [r.id for r in await jobs.run_due()] == ["sweep:all"]
    assert dict(await jobs.pending()) == {"sweep:all": clock.now() + timedelta(hours=6)}
    await jobs.stop()


async def test_a_restart_runs_maintenance_at_once(db: Database) -> None:
    clock, calls = FixedClock(START), Calls()
    first = make(db, clock, calls)
    await first.start(BOT)
    await first.stop()
    clock.advance(timedelta(hours=1))  # restarted well within six hours
    second = make(db, clock, calls)
    assert [r.id for r in await second.start(BOT)] == ["sweep:all"]
    assert calls.seen[-1] == ("sweep:all", clock.now())
    await second.stop()


async def test_one_off_jobs_run_once_when_due_and_are_removed(db: Database) -> None:
    clock, calls = FixedClock(START), Calls()
    jobs = make(db, clock, calls)
    await jobs.start(BOT)
    ident = await jobs.schedule("reminder", 42, START + timedelta(days=2))
    assert ident == "reminder:42"
    clock.advance(timedelta(days=1))
    assert [r.id for r in await jobs.run_due()] == ["sweep:all"]
    clock.advance(timedelta(days=1))
    runs = await jobs.run_due()
    assert [(r.id, r.result) for r in runs] == [("sweep:all", "did all"), ("reminder:42", "did 42")]
    assert "reminder:42" not in dict(await jobs.pending())
    clock.advance(timedelta(days=30))
    assert "reminder:42" not in [r.id for r in await jobs.run_due()]
    await jobs.stop()


async def test_what_fell_due_while_the_bot_was_down_runs_at_start(db: Database) -> None:
    clock, calls = FixedClock(START), Calls()
    first = make(db, clock, calls)
    await first.start(BOT)
    await first.schedule("reminder", 7, START + timedelta(hours=1))
    await first.stop()
    clock.advance(timedelta(hours=2))
    second = make(db, clock, calls)
    assert sorted(r.id for r in await second.start(BOT)) == ["reminder:7", "sweep:all"]
    await second.stop()


async def test_a_claimed_job_is_not_run_twice_at_once(db: Database) -> None:
    clock, calls = FixedClock(START), Calls()
    jobs = make(db, clock, calls)
    await jobs.start(BOT)
    await jobs.schedule("reminder", 1, START)
    calls.gate = asyncio.Event()
    first = asyncio.create_task(jobs._run_one("reminder:1", clock.now()))
    await asyncio.sleep(0.05)  # the first run holds the claim and waits in its handler
    assert await jobs._run_one("reminder:1", clock.now()) is None
    calls.gate.set()
    run = await first
    assert run is not None and run.ok
    assert [s[0] for s in calls.seen].count("reminder:1") == 1
    await jobs.stop()


async def test_a_failing_job_is_logged_and_tried_again_later(db: Database, error_log: Any) -> None:
    clock, calls = FixedClock(START), Calls()
    jobs = make(db, clock, calls)
    await jobs.start(BOT)
    await jobs.schedule("reminder", 3, START)
    calls.fail = True
    [run] = await jobs.run_due()
    assert (run.id, run.ok) == ("reminder:3", False)
    error_log.take("job reminder:3 failed")
    assert await jobs.run_due() == []  # not at once again
    calls.fail = False
    clock.advance(timedelta(minutes=15))
    assert [r.ok for r in await jobs.run_due()] == [True]
    await jobs.stop()


async def test_rescheduling_moves_a_job_and_cancel_removes_it(db: Database) -> None:
    clock, calls = FixedClock(START), Calls()
    jobs = make(db, clock, calls)
    await jobs.start(BOT)
    await jobs.schedule("reminder", 5, START + timedelta(hours=1))
    await jobs.schedule("reminder", 5, START + timedelta(hours=3))
    clock.advance(timedelta(hours=2))
    assert await jobs.run_due() == []
    assert await jobs.cancel("reminder:5")
    clock.advance(timedelta(hours=2))
    assert await jobs.run_due() == []
    with pytest.raises(ValueError):
        await jobs.schedule("no-such-kind", 1, START)
    await jobs.stop()


def test_kind_names_are_unique_and_without_colons(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.db")
    calls = Calls()
    for kinds in (
        [JobKind("a:b", calls.handle)],
        [JobKind("a", calls.handle), JobKind("a", calls.handle)],
    ):
        with pytest.raises(ValueError):
            Jobs(db, FixedClock(START), AsyncIOScheduler(), kinds)


async def test_the_scheduler_wakes_the_bot_when_a_row_falls_due(db: Database) -> None:
    """The wall-clock timer APScheduler keeps runs the job when the bot's clock says it is due
    (here the real clock, a fraction of a second ahead)."""
    from bot.clock import Clock

    calls = Calls()
    jobs = Jobs(db, Clock(), AsyncIOScheduler(timezone="UTC"), [JobKind("reminder", calls.handle)])
    await jobs.start(BOT)
    await jobs.schedule("reminder", 9, datetime.now(UTC) + timedelta(seconds=0.2))
    assert jobs.scheduler.get_job("reminder:9") is not None
    for _ in range(100):
        if calls.seen:
            break
        await asyncio.sleep(0.05)
    assert [s[0] for s in calls.seen] == ["reminder:9"]
    await jobs.stop()
