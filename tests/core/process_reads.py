"""Reads for tests/core/test_db_processes.py, in a module of their own: a database process
imports this module to run them, and nothing else of the tests."""

from __future__ import annotations

import os
import sqlite3


def pid(conn: sqlite3.Connection) -> int:
    return os.getpid()


def count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def fail(conn: sqlite3.Connection) -> None:
    conn.execute("SELECT * FROM no_such_table")


def broken_warm() -> None:
    raise RuntimeError("this process cannot start")
