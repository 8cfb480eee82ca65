"""The demo is built whatever the hour: its dates are the network's local dates, and after
22:00 UTC in summer (23:00 in winter) Stockholm is already on the next day."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.shell.demo import build_world, seed
from bot.shell.running import running_bot
from sandbox import Sandbox


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 6, 10, 22, 30, tzinfo=UTC),  # 00:30 in Stockholm (summer time)
        datetime(2026, 12, 2, 23, 30, tzinfo=UTC),  # 00:30 in Stockholm (winter time)
    ],
)
async def test_the_demo_is_built_late_at_night_utc(tmp_path: Path, at: datetime) -> None:
    clock = FixedClock(at)
    sandbox = Sandbox(clock=clock)
    await sandbox.start()
    try:
        world = await build_world(sandbox)
        async with running_bot(sandbox, tmp_path / "demo.db", clock=clock) as bot:
            await seed(bot, sandbox, world)
            held = await bot.db.fetchval("SELECT COUNT(*) FROM meeting_minutes")
            assert held == 1
    finally:
        await sandbox.stop()
