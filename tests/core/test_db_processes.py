"""`Database.compute`: reads that are mostly Python run in the database's own processes, see
every committed write, fall back to the bot's readers until a process runs (and while one is
replaced), and end with the bot, even when it is killed."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from bot.db import Database
from tests.core import process_reads

ROOT = Path(__file__).resolve().parents[2]


async def _db(tmp_path: Path, processes: int = 1) -> Database:
    db = Database(tmp_path / "k.db", processes=processes)
    await db.connect()
    await db.execute("CREATE TABLE t (x INTEGER)")
    assert not await db.processes_started(), "they start when the bot asks"
    db.start_processes()
    db.start_processes()  # once: again does nothing
    return db


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in state  # ended; only its parent's bookkeeping is left


async def _wait_gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if _gone(pid):
            return True
        await asyncio.sleep(0.1)
    return False


async def test_a_read_runs_in_another_process_and_sees_every_committed_write(
    tmp_path: Path,
) -> None:
    db = await _db(tmp_path)
    try:
        assert await db.processes_started()
        assert await db.compute(process_reads.pid) != os.getpid()
        assert await db.compute(process_reads.count, "t") == 0
        await db.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(5)])
        assert await db.compute(process_reads.count, "t") == 5
        # Inside a transaction, on the writer: what the transaction wrote, not yet committed.
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO t VALUES (99)")
            assert await db.compute(process_reads.count, "t") == 6
            assert await db.compute(process_reads.pid) == os.getpid()
        assert await db.compute(process_reads.count, "t") == 6
        # An error in the read reaches the caller as it is.
        with pytest.raises(sqlite3.OperationalError, match="no such table"):
            await db.compute(process_reads.fail)
    finally:
        await db.close()


async def test_without_processes_a_read_runs_in_the_bot(tmp_path: Path) -> None:
    db = await _db(tmp_path, processes=0)
    try:
        assert not await db.processes_started()
        assert await db.compute(process_reads.pid) == os.getpid()
        assert await db.compute(process_reads.count, "t") == 0
    finally:
        await db.close()
    async with Database(Path(":memory:"), processes=2) as memory:  # no file to share
        memory.start_processes()
        assert not await memory.processes_started()
        assert await memory.compute(process_reads.pid) == os.getpid()


async def test_processes_that_cannot_start_leave_reads_to_the_bot(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(tmp_path / "k.db", processes=1, warm=process_reads.broken_warm)
    await db.connect()
    db.start_processes()
    try:
        assert not await db.processes_started()
        assert "processes could not start" in caplog.text
        assert await db.compute(process_reads.pid) == os.getpid()
    finally:
        await db.close()


async def test_a_killed_process_is_replaced_and_no_read_is_lost(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = await _db(tmp_path)
    try:
        await db.executemany("INSERT INTO t VALUES (?)", [(1,), (2,)])
        assert await db.processes_started()
        first = await db.compute(process_reads.pid)
        os.kill(first, signal.SIGKILL)
        assert await _wait_gone(first)
        # The read that finds the process gone is answered here; new processes start.
        assert await db.compute(process_reads.count, "t") == 2
        assert "a database process stopped" in caplog.text
        assert await db.processes_started()
        second = await db.compute(process_reads.pid)
        assert second not in (first, os.getpid())
        assert await db.compute(process_reads.count, "t") == 2
    finally:
        await db.close()
    assert await _wait_gone(second), "close() ends the processes"


SCRIPT = """
import asyncio, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from bot.db import Database
from tests.core import process_reads

async def main():
    async with Database(Path({path!r}), processes=1) as db:
        db.start_processes()
        assert await db.processes_started()
        print(await db.compute(process_reads.pid), flush=True)
        await asyncio.sleep(60)

if __name__ == "__main__":
    asyncio.run(main())
"""


async def test_the_processes_end_when_the_bot_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "bot_like.py"
    script.write_text(SCRIPT.format(root=str(ROOT), path=str(tmp_path / "k.db")))
    bot: Any = await asyncio.create_subprocess_exec(
        sys.executable, str(script), stdout=subprocess.PIPE, cwd=tmp_path
    )
    try:
        line = await asyncio.wait_for(bot.stdout.readline(), timeout=60)
        worker = int(line)
        assert not _gone(worker)
        bot.kill()  # kill -9: the bot has no time to stop its processes
        await bot.wait()
        assert await _wait_gone(worker), "a process outlived the bot"
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
