"""Benchmark of the meetings feature.

`CASES` (run by `make bench`): `/meeting list` and `/meeting calendar` on the bench network.

`python -m bench.cases_meetings [--networks 100] [--series 100] [--burst 1000]` measures the
load the issue asks for, in one process with the sandbox: start-up time to ready (gateway
ready, and the jobs run at start) over an empty database and over one with networks × series,
the bot's resident memory, and the median and worst delay of reminders after their due time
while `burst` of them fall due in the same minute (each reminder's delay is taken at the
"after_send" step of its life, `bot.services.meetings.reminders.checkpoint`).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.registry import contains, slash

CASES = [
    slash("meeting list", check=contains("Kommande möten")),
    slash("meeting calendar", check=contains("kalenderfilen")),
]

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
# The one-off meetings of the burst start here (local time); their 1-hour reminder is due at
# 14:00 local on 1 December 2026 (13:00 UTC).
BURST_START = "2026-12-01 15:00"
BURST_DUE = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)


def _rss_mb() -> float:
    """The resident set size now (Linux /proc), in MB; the peak as a fallback."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _start(sandbox: Any, db_path: Path, clock: Any) -> tuple[Any, Any, float, float]:
    from bot.shell.running import running_bot

    began = time.perf_counter()
    stack = running_bot(sandbox, db_path, clock=clock, sync=False, ready_timeout=600)
    bot = await stack.__aenter__()
    ready = time.perf_counter() - began
    await asyncio.wait_for(bot.jobs_started.wait(), 600)
    started = time.perf_counter() - began
    return stack, bot, ready, started


async def measure(networks: int, per_network: int, burst: int) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).parent / "side"))
    from seeds import seed_meeting_series

    from bot.clock import FixedClock
    from bot.db import Database
    from bot.services.meetings import reminders
    from sandbox import Sandbox

    out: dict[str, Any] = {"networks": networks, "series": networks * per_network, "burst": burst}
    clock = FixedClock(START)
    sandbox = Sandbox(clock=clock)
    await sandbox.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            empty = Path(tmp) / "empty.db"
            stack, _bot, ready, started = await _start(sandbox, empty, clock)
            out["empty: ready s"], out["empty: jobs run s"] = ready, started
            await stack.__aexit__(None, None, None)

            owner = sandbox.create_user("bench-owner", locale="sv-SE")
            guilds = []
            for n in range(networks):
                g = sandbox.create_guild(f"Network {n}", preferred_locale="sv-SE", owner=owner)
                text = sandbox.create_channel(g, "möten")
                voice = sandbox.create_channel(g, "möte", type=2)
                guilds.append((g.id, text.id, voice.id))
            full = Path(tmp) / "full.db"
            async with Database(full) as db:
                await db.migrate()
                await seed_meeting_series(
                    db, guilds, per_network, burst=burst, burst_start=BURST_START
                )
            for label in ("seeded, first start", "seeded, second start"):
                stack, bot, ready, started = await _start(sandbox, full, clock)
                out[f"{label}: ready s"], out[f"{label}: jobs run s"] = ready, started
                out[f"{label}: RSS MB"] = _rss_mb()
                if label.endswith("second start"):
                    break
                await stack.__aexit__(None, None, None)
            out["reminder rows"] = await bot.db.fetchval("SELECT count(*) FROM meeting_reminders")

            # The burst: move the clock to the minute they fall due and run what is due.
            sent_at: list[float] = []
            original = reminders.checkpoint

            async def timed(step: str) -> None:
                if step == "after_send":
                    sent_at.append(time.perf_counter())

            # Everything due before the burst's minute runs first (not measured).
            clock.set(BURST_DUE - timedelta(minutes=1))
            await bot.jobs.run_due()
            reminders.checkpoint = timed
            try:
                clock.set(BURST_DUE + timedelta(seconds=30))
                due_at = time.perf_counter()
                await bot.jobs.run_due()
            finally:
                reminders.checkpoint = original
            delays = [t - due_at for t in sent_at]
            out["reminders sent in the burst"] = len(delays)
            if delays:
                out["reminder delay median s"] = statistics.median(delays)
                out["reminder delay worst s"] = max(delays)
            out["RSS MB after the burst"] = _rss_mb()
            await stack.__aexit__(None, None, None)
    finally:
        await sandbox.stop()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--networks", type=int, default=100)
    parser.add_argument("--series", type=int, default=100, help="series per network")
    parser.add_argument("--burst", type=int, default=1000)
    args = parser.parse_args()
    result = asyncio.run(measure(args.networks, args.series, args.burst))
    for key, value in result.items():
        print(f"{key:40} {value:.3f}" if isinstance(value, float) else f"{key:40} {value}")


if __name__ == "__main__":
    main()
