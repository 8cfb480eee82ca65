"""Erasure is real: after forget-me and the purge of a leaver, the person's name, e-mail and
phone are nowhere in the database file, its write-ahead log or a backup — not in a freed page,
not in the search index's segments.

`PRAGMA secure_delete` is forced off on every connection as it is opened, before the bot's own
settings, as a SQLite built without it (python.org's and Homebrew's builds) would have it: the
tests do not pass only because this machine's SQLite (Debian's) is built with it on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import World, result_of
from tests.e2e.test_directory import eventually, fill_in_profile
from tests.e2e.test_privacy import anna_with_everything


def _raw(path: Path) -> bytes:
    data = b""
    for suffix in ("", "-wal"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            data += part.read_bytes()
    return data.lower()  # ASCII letters: every needle below is ASCII


async def _needles(world: World, facts: dict[str, Any]) -> list[bytes]:
    stored = await world.bot.db.fetchone(
        "SELECT display_name, email, phone FROM profiles WHERE user_id = ?", (facts["user_id"],)
    )
    assert stored is not None
    # The phone is stored as E.164, not as typed ("035-13 70 00"): look for what is stored.
    values = {v for v in facts["personal"] if v != "035-13 70 00"} | set(stored)
    # The surname alone, and pieces of it: the index keeps terms, prefix-compressed.
    values |= {"zetterqvist", "etterqvist"}
    return sorted({v.casefold().encode() for v in values if v})


@pytest.fixture(autouse=True)
def secure_delete_off_by_default(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every SQLite connection opens with secure_delete off (autouse: before `world`)."""
    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)
        conn.execute("PRAGMA secure_delete = OFF")
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    probe = sqlite3.connect(":memory:")
    assert probe.execute("PRAGMA secure_delete").fetchone()[0] == 0
    probe.close()
    yield


async def _with_secure_delete_off(world: World) -> None:
    """The bot turns it on for its own connections, whatever the default."""
    cursor = await world.bot.db.conn.execute("PRAGMA secure_delete")
    row = await cursor.fetchone()
    await cursor.close()
    assert row is not None and row[0] == 1


async def _someone_who_stays(world: World) -> None:
    await fill_in_profile(
        world,
        world.erik,
        fields={"profile:display_name": "Erik Johnson", "profile:title": "Unit manager"},
        expertise="SFI",
        languages="engelska",
    )


async def _assert_gone(world: World, needles: list[bytes], tmp_path: Path) -> None:
    db = world.bot.db
    left = [n for n in needles if n in _raw(db.path)]
    assert left == [], f"still in the database file or its log: {left}"
    copy = tmp_path / "backup" / "copy.db"
    await db.backup(copy)
    left = [n for n in needles if n in _raw(copy)]
    assert left == [], f"still in the backup: {left}"
    # The directory still works for those who stay.
    found = await world.as_admin.invoke("contact find", {"query": "sfi"}, locale="en-US")
    assert "Erik Johnson" in found.text


async def test_forget_me_leaves_nothing_on_disk(world: World, tmp_path: Path) -> None:
    await _with_secure_delete_off(world)
    await _someone_who_stays(world)
    facts = await anna_with_everything(world)
    needles = await _needles(world, facts)
    on_disk = _raw(world.bot.db.path)
    assert all(n in on_disk for n in needles)  # the scan finds them before

    asked = await world.as_anna.invoke("privacy forget-me", {})
    done = await world.as_anna.click(asked, "Ja, glöm mig")
    assert "Dina personuppgifter i nätverket är raderade" in done.text

    await _assert_gone(world, needles, tmp_path)


async def test_the_purge_of_a_leaver_leaves_nothing_on_disk(world: World, tmp_path: Path) -> None:
    await _with_secure_delete_off(world)
    await _someone_who_stays(world)
    facts = await anna_with_everything(world)
    needles = await _needles(world, facts)
    db = world.bot.db
    await world.sandbox.remove_member(world.guild, world.anna)

    async def left() -> bool:
        return (
            await db.fetchval("SELECT left_at FROM members WHERE user_id = ?", (world.anna.id,))
            is not None
        )

    await eventually(left)
    purged = result_of(await world.advance(timedelta(days=31)), "leavers:purge")
    assert [p.user_id for p in purged] == [world.anna.id]

    await _assert_gone(world, needles, tmp_path)
