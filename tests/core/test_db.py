"""The migrations runner and the connection's settings, against real SQLite files."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.db import Database, discover_migrations, split_sql
from bot.errors import DatabaseError


def write(folder: Path, name: str, sql: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(sql)


async def test_fresh_database_gets_every_migration(tmp_path: Path) -> None:
    async with Database(tmp_path / "sub" / "k.db") as db:
        applied = await db.migrate()
        assert [m.version for m in applied] == [
            m.version for m in discover_migrations(db.migrations_dir)
        ]
        assert await db.current_version() == applied[-1].version
        assert await db.fetchval("PRAGMA journal_mode") == "wal"
        assert await db.fetchval("PRAGMA foreign_keys") == 1
        assert await db.fetchval("PRAGMA busy_timeout") == 5000


async def test_rerun_applies_nothing(tmp_path: Path) -> None:
    async with Database(tmp_path / "k.db") as db:
        await db.migrate()
    async with Database(tmp_path / "k.db") as db:
        assert await db.migrate() == []


async def test_newer_database_is_refused(tmp_path: Path) -> None:
    migrations = tmp_path / "m"
    write(migrations, "0001_a.sql", "CREATE TABLE a (x INTEGER);")
    write(migrations, "0002_b.sql", "CREATE TABLE b (x INTEGER);")
    async with Database(tmp_path / "k.db", migrations) as db:
        await db.migrate()
    (migrations / "0002_b.sql").unlink()
    async with Database(tmp_path / "k.db", migrations) as db:
        with pytest.raises(DatabaseError, match="newer"):
            await db.migrate()


async def test_failing_migration_rolls_back_to_previous_version(tmp_path: Path) -> None:
    migrations = tmp_path / "m"
    write(migrations, "0001_a.sql", "CREATE TABLE a (x INTEGER);")
    write(
        migrations,
        "0002_broken.sql",
        "CREATE TABLE b (x INTEGER);\nINSERT INTO b VALUES (1);\nINSERT INTO nowhere VALUES (2);",
    )
    async with Database(tmp_path / "k.db", migrations) as db:
        with pytest.raises(DatabaseError, match=r"0002_broken\.sql.*version 1"):
            await db.migrate()
        assert await db.current_version() == 1
        tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master")}
        assert "a" in tables and "b" not in tables
        # The connection is usable afterwards: the fix lands and applies.
        write(migrations, "0002_broken.sql", "CREATE TABLE b (x INTEGER);")
        assert [m.version for m in await db.migrate()] == [2]


def test_gaps_and_bad_names_are_refused(tmp_path: Path) -> None:
    write(tmp_path / "gap", "0001_a.sql", "SELECT 1;")
    write(tmp_path / "gap", "0003_c.sql", "SELECT 1;")
    with pytest.raises(DatabaseError, match="0002"):
        discover_migrations(tmp_path / "gap")
    write(tmp_path / "bad", "1_a.sql", "SELECT 1;")
    with pytest.raises(DatabaseError, match="NNNN"):
        discover_migrations(tmp_path / "bad")


def test_split_sql_keeps_semicolons_in_strings_and_triggers() -> None:
    script = """
    -- a comment; with a semicolon
    CREATE TABLE t (x TEXT DEFAULT 'a;b');
    CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = 'c;d'; END;
    """
    statements = split_sql(script)
    assert len(statements) == 2
    assert statements[1].endswith("END;")


async def test_transaction_rolls_back_and_serialises(tmp_path: Path) -> None:
    async with Database(tmp_path / "k.db") as db:
        await db.execute("CREATE TABLE n (v INTEGER)")
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await db.execute("INSERT INTO n VALUES (1)")
                raise RuntimeError("boom")
        assert await db.fetchval("SELECT COUNT(*) FROM n") == 0

        async def add(i: int) -> None:
            async with db.transaction():
                current = await db.fetchval("SELECT COALESCE(MAX(v), 0) FROM n")
                await asyncio.sleep(0)
                await db.execute("INSERT INTO n VALUES (?)", (current + 1,))

        await asyncio.gather(*(add(i) for i in range(20)))
        assert await db.fetchval("SELECT MAX(v) FROM n") == 20


async def test_online_backup(tmp_path: Path) -> None:
    async with Database(tmp_path / "k.db") as db:
        await db.migrate()
        await db.execute("INSERT INTO networks (guild_id, name) VALUES (1, 'Halland')")
        await db.backup(tmp_path / "copy.db")
    async with Database(tmp_path / "copy.db") as copy:
        assert await copy.fetchval("SELECT name FROM networks") == "Halland"
