"""Jobs on the bot's clock: kinds registered by features, what is due kept in the `jobs` table.

A job's id is `<kind>:<key>` (`purge:leavers`, `reminder:42`). The table is the schedule; the
APScheduler (in-memory job store) only wakes the bot when the next row falls due. At start its
jobs are rebuilt from the table and whatever fell due while the bot was down runs at once.

Time is the bot's `Clock`: a row is due when `due_at <= clock.now()`. The scheduler's wall-clock
timers only say when to look again; `run_due(now)` is what runs jobs, so tests and the shell
move the clock and call it instead of sleeping.

A run claims its row in the database before the handler runs (`claimed_at`), so that the timer
and a `run_due` at the same moment never run one job twice. A recurring job then moves to its
next time (missed periods are not run again one by one); a one-off job is deleted. A handler
that fails is logged and tried again later; claims left by a bot that stopped in the middle of
a run are released at the next start, so handlers must be safe to run again (a reminder
feature records what it sent before it sends).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.db import Database

if TYPE_CHECKING:
    from bot.bot import Krokarm

log = logging.getLogger(__name__)

__all__ = ["Job", "JobKind", "JobRun", "Jobs", "job_id", "split_id"]

# A one-off job whose handler failed is tried again after this long.
RETRY_AFTER = timedelta(minutes=15)
# A recurring job never runs more often than this, whatever its declaration says.
MIN_EVERY = timedelta(seconds=1)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def job_id(kind: str, key: str | int) -> str:
    """The id of a job: `reminder:42`."""
    return f"{kind}:{key}"


def split_id(ident: str) -> tuple[str, str]:
    kind, _, key = ident.partition(":")
    return kind, key


@dataclass(frozen=True, slots=True)
class Job:
    """One run of a job, as its handler gets it."""

    id: str
    kind: str
    key: str
    due_at: datetime
    now: datetime
    bot: Krokarm


Handler = Callable[[Job], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class JobKind:
    """A kind of job a feature declares. `every` makes it recurring maintenance: its one row
    (`<name>:<recurring_key>`, e.g. `leavers:purge`) exists from the first start, and it runs
    at every start and then on schedule."""

    name: str
    handler: Handler
    every: timedelta | None = None
    recurring_key: str = "all"

    @property
    def recurring_id(self) -> str:
        return job_id(self.name, self.recurring_key)


@dataclass(frozen=True, slots=True)
class JobRun:
    """What one run did: for tests, the shell and the log."""

    id: str
    ok: bool
    result: object = None


class Jobs:
    """The job layer of one bot: its kinds, the `jobs` table and the scheduler that wakes it."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        scheduler: AsyncIOScheduler,
        kinds: Iterable[JobKind],
    ) -> None:
        self.db = db
        self.clock = clock
        self.scheduler = scheduler
        self._kinds: dict[str, JobKind] = {}
        for kind in kinds:
            if ":" in kind.name or kind.name in self._kinds:
                raise ValueError(f"job kind {kind.name!r} is not a unique name without ':'")
            self._kinds[kind.name] = kind
        self._bot: Krokarm | None = None
        self._running: set[asyncio.Task[Any]] = set()
        self._stopping = False
        self._sweep: asyncio.Lock = asyncio.Lock()

    # --- the table ------------------------------------------------------------------------

    async def schedule(
        self,
        kind: str,
        key: str | int,
        due_at: datetime,
        *,
        every: timedelta | None = None,
        guild_id: int | None = None,
    ) -> str:
        """Put a job in the table (or move it, if it exists and is not running now); returns
        its id. Features call this when they create something that falls due later; a job of a
        network (`guild_id`) is deleted with the network."""
        if kind not in self._kinds:
            raise ValueError(f"unknown job kind {kind!r}")
        ident = job_id(kind, key)
        await self.db.execute(
            "INSERT INTO jobs (id, kind, due_at, every_seconds, guild_id) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET due_at = excluded.due_at,"
            " every_seconds = excluded.every_seconds WHERE jobs.claimed_at IS NULL",
            (ident, kind, _iso(due_at), self._seconds(every) if every else None, guild_id),
        )
        self._arm(ident, due_at)
        return ident

    async def cancel(self, ident: str) -> bool:
        """Remove a job that has not started; True if there was one."""
        removed = await self.db.execute(
            "DELETE FROM jobs WHERE id = ? AND claimed_at IS NULL", (ident,)
        )
        if self.scheduler.get_job(ident) is not None:
            self.scheduler.remove_job(ident)
        return removed > 0

    async def pending(self) -> list[tuple[str, datetime]]:
        """Every job in the table and when it is due, soonest first."""
        rows = await self.db.fetchall("SELECT id, due_at FROM jobs ORDER BY due_at, id")
        return [(str(r["id"]), _from_iso(r["due_at"])) for r in rows]

    # --- the lifecycle --------------------------------------------------------------------

    async def start(self, bot: Krokarm) -> list[JobRun]:
        """Claims left by a stopped bot are released, recurring jobs get their row, what fell
        due while the bot was down runs now, and the scheduler is armed for the rest."""
        self._bot = bot
        now = self.clock.now()
        await self.db.execute("UPDATE jobs SET claimed_at = NULL WHERE claimed_at IS NOT NULL")
        for kind in self._kinds.values():
            if kind.every is not None:
                # Due now: maintenance runs at every start, not one period after it.
                await self.db.execute(
                    "INSERT INTO jobs (id, kind, due_at, every_seconds) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (id) DO UPDATE SET due_at = excluded.due_at,"
                    " every_seconds = excluded.every_seconds",
                    (kind.recurring_id, kind.name, _iso(now), self._seconds(kind.every)),
                )
        if not self.scheduler.running:
            self.scheduler.start()
        runs = await self.run_due(now)
        await self._arm_all()
        return runs

    async def stop(self, grace: float = 10.0) -> None:
        """No new runs; runs in progress get `grace` seconds to finish, then are cancelled
        (their claim is released at the next start, so they run again)."""
        if self._stopping:
            return
        self._stopping = True
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        running = [t for t in self._running if not t.done()]
        if running:
            _, late = await asyncio.wait(running, timeout=grace)
            for task in late:
                task.cancel()
            if late:
                log.warning("%d job runs did not finish within %s s; stopped", len(late), grace)
                await asyncio.wait(late, timeout=1.0)

    # --- running --------------------------------------------------------------------------

    async def run_due(self, now: datetime | None = None) -> list[JobRun]:
        """Run every job due at `now` (the bot's clock by default), soonest first, one at a
        time; returns what ran. Tests and the shell call this after moving the clock."""
        if self._stopping or self._bot is None:
            return []
        now = now or self.clock.now()
        runs: list[JobRun] = []
        async with self._sweep:
            rows = await self.db.fetchall(
                "SELECT id FROM jobs WHERE claimed_at IS NULL AND due_at <= ? ORDER BY due_at, id",
                (_iso(now),),
            )
            for row in rows:
                if self._stopping:
                    break
                run = await self._tracked(self._run_one(str(row["id"]), now))
                if run is not None:
                    runs.append(run)
        return runs

    async def _tracked(self, coro: Awaitable[JobRun | None]) -> JobRun | None:
        task = asyncio.ensure_future(coro)
        self._running.add(task)
        try:
            return await asyncio.shield(task)
        finally:
            if task.done():
                self._running.discard(task)
            else:
                task.add_done_callback(self._running.discard)

    async def _run_one(self, ident: str, now: datetime) -> JobRun | None:
        assert self._bot is not None
        claimed = await self.db.execute(
            "UPDATE jobs SET claimed_at = ? WHERE id = ? AND claimed_at IS NULL AND due_at <= ?",
            (_iso(now), ident, _iso(now)),
        )
        if not claimed:
            return None  # someone else runs it, or it moved
        row = await self.db.fetchone(
            "SELECT kind, due_at, every_seconds FROM jobs WHERE id = ?", (ident,)
        )
        assert row is not None
        kind = self._kinds.get(str(row["kind"]))
        every = int(row["every_seconds"]) if row["every_seconds"] is not None else None
        if kind is None:
            # A kind no feature declares any more (a feature removed): leave it, unclaimed.
            log.warning("job %s has no registered kind %r; left in the table", ident, row["kind"])
            await self.db.execute("UPDATE jobs SET claimed_at = NULL WHERE id = ?", (ident,))
            return None
        job = Job(ident, kind.name, split_id(ident)[1], _from_iso(row["due_at"]), now, self._bot)
        try:
            result = await kind.handler(job)
        except asyncio.CancelledError:
            raise
        except Exception:
            # Ids only: what the job is about may be a person.
            log.exception("job %s failed; it will be tried again", ident)
            later = now + (timedelta(seconds=every) if every else RETRY_AFTER)
            await self.db.execute(
                "UPDATE jobs SET claimed_at = NULL, due_at = ?, failures = failures + 1"
                " WHERE id = ?",
                (_iso(later), ident),
            )
            self._arm(ident, later)
            return JobRun(ident, ok=False)
        if every is None:
            await self.db.execute("DELETE FROM jobs WHERE id = ?", (ident,))
        else:
            following = now + timedelta(seconds=every)
            await self.db.execute(
                "UPDATE jobs SET claimed_at = NULL, due_at = ?, last_run_at = ?, failures = 0"
                " WHERE id = ?",
                (_iso(following), _iso(now), ident),
            )
            self._arm(ident, following)
        return JobRun(ident, ok=True, result=result)

    # --- the scheduler: wall-clock timers that say when to look again ----------------------

    @staticmethod
    def _seconds(every: timedelta) -> int:
        return int(max(every, MIN_EVERY).total_seconds())

    async def _arm_all(self) -> None:
        for ident, due_at in await self.pending():
            self._arm(ident, due_at)

    def _arm(self, ident: str, due_at: datetime) -> None:
        """An APScheduler job (id = the row's id) that fires when the row falls due by the bot's
        clock, converted to wall time (the bot's clock may run elsewhere, as in tests)."""
        if self._stopping or not self.scheduler.running:
            return
        delay = max(timedelta(0), due_at - self.clock.now())
        self.scheduler.add_job(
            self._fire,
            "date",
            run_date=datetime.now(UTC) + delay,
            args=[ident],
            id=ident,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    async def _fire(self, ident: str) -> None:
        if self._stopping:
            return
        now = self.clock.now()
        row = await self.db.fetchone("SELECT due_at FROM jobs WHERE id = ?", (ident,))
        if row is None:
            return
        due_at = _from_iso(row["due_at"])
        if due_at > now:
            self._arm(ident, due_at)  # the bot's clock is behind the wall: look again later
            return
        try:
            async with self._sweep:
                await self._tracked(self._run_one(ident, now))
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            # The scheduler shut down under a timer that was waiting or running: the run itself
            # is shielded and awaited by `stop`, or its claim is released at the next start.
