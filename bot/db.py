"""The bot's database: one aiosqlite writer, a small pool of read-only WAL readers beside it,
and the forward-only migrations runner."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import multiprocessing
import os
import re
import sqlite3
import threading
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import aiosqlite

from bot.errors import DatabaseError

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
# Set while the current task holds the write lock, so nested calls do not wait on themselves.
_in_transaction: contextvars.ContextVar[bool] = contextvars.ContextVar("in_tx", default=False)
T = TypeVar("T")
DEFAULT_READERS = 3


def default_migrations_dir() -> Path:
    """`migrations/` beside the package in a checkout, or inside it in an installed wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "migrations", here / "migrations"):
        if candidate.is_dir():
            return candidate
    raise DatabaseError("the migrations folder is missing from this installation")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def discover_migrations(folder: Path) -> list[Migration]:
    """Migrations in `folder`, ordered by version; gaps and duplicates are refused."""
    found: list[Migration] = []
    for path in sorted(folder.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise DatabaseError(f"migration file {path.name} is not named NNNN_what_it_does.sql")
        found.append(Migration(int(match.group(1)), match.group(2), path))
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise DatabaseError(
                f"migrations must be numbered 0001, 0002, … without gaps; "
                f"expected {expected:04d}, found {migration.path.name}"
            )
    return found


class Database:
    """The bot's writer connection and its readers: WAL, foreign keys, busy timeout,
    `secure_delete`, `Row` results.

    Writes that belong together go in `async with db.transaction():`. One lock serialises
    transactions so that two coroutines never interleave statements in one open transaction.
    Reads outside a transaction (`fetchone`, `fetchall`, `fetchval`, `read`) run on a pool of
    read-only connections, each on its own thread, so that they neither wait for the writer
    nor queue behind each other; inside a transaction they run on the writer and see its
    uncommitted rows.
    """

    def __init__(
        self,
        path: Path,
        migrations_dir: Path | None = None,
        *,
        readers: int = DEFAULT_READERS,
        processes: int = 0,
        warm: Callable[[], object] | None = None,
    ) -> None:
        self.path = path
        self.migrations_dir = migrations_dir or default_migrations_dir()
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._reader_count = 0 if str(path) == ":memory:" else max(0, readers)
        # Processes for reads that are mostly Python (a search's scoring and explaining): they
        # run beside the bot's thread instead of taking turns with it for the interpreter.
        self._process_count = 0 if str(path) == ":memory:" else max(0, processes)
        self._warm = warm
        self._processes: ProcessPoolExecutor | None = None
        self._started: list[Future[bool]] = []
        # One read-only connection per reader thread, opened by that thread on its first read.
        self._reader_local = threading.local()
        self._reader_conns: list[sqlite3.Connection] = []
        self._reader_conns_lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        # Bumped by every write (and every use of the writer), so that what a service caches
        # from a read is known to be stale once anything may have changed.
        self._generation = 0

    @property
    def generation(self) -> int:
        """A number that changes whenever the writer may have changed something: a cache
        entry read at one generation is current while the generation stays the same."""
        return self._generation

    async def connect(self) -> None:
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA busy_timeout = 5000")
        await conn.execute("PRAGMA synchronous = NORMAL")
        # Deleted rows are overwritten on disk, not only unlinked: erasure must be real also on
        # SQLite builds that do not default to it.
        await conn.execute("PRAGMA secure_delete = ON")
        self._conn = conn
        if self._reader_count:
            await self._open_readers()

    def start_processes(self) -> None:
        """Start the database's processes, in the background (once: again does nothing). The
        bot starts them once it is up, after its migrations, so that they never open the file
        before them; until one has started, `compute` runs in a reader."""
        if self._process_count and self._processes is None and self._conn is not None:
            self._open_processes()

    def _open_processes(self) -> None:
        # "spawn": a fork would copy this process's threads' locks mid-use. The processes start
        # in the background; until one has, `compute` runs in a reader.
        self._processes = ProcessPoolExecutor(
            max_workers=self._process_count,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_process_start,
            initargs=(str(self.path.resolve()), os.getpid(), self._warm),
        )
        self._started = [self._processes.submit(_process_ready) for _ in range(self._process_count)]
        self._started[0].add_done_callback(_report_start)

    async def _open_readers(self) -> None:
        # The executor's queue is first come, first served: readers are handed out fairly.
        self._executor = ThreadPoolExecutor(
            max_workers=self._reader_count, thread_name_prefix="krokarm-db-read"
        )
        await asyncio.get_running_loop().run_in_executor(self._executor, self._reader)

    def _reader(self) -> sqlite3.Connection:
        """This reader thread's connection (runs on the thread)."""
        reader: sqlite3.Connection | None = getattr(self._reader_local, "conn", None)
        if reader is not None:
            return reader
        reader = open_reader(self.path)
        self._reader_local.conn = reader
        with self._reader_conns_lock:
            self._reader_conns.append(reader)
        return reader

    async def close(self) -> None:
        if self._processes is not None:
            processes, self._processes = self._processes, None
            await asyncio.to_thread(processes.shutdown, True, cancel_futures=True)
        if self._executor is not None:
            executor, self._executor = self._executor, None
            await asyncio.to_thread(executor.shutdown, True)  # running reads finish first
            with self._reader_conns_lock:
                readers, self._reader_conns = self._reader_conns, []
            for reader in readers:
                reader.close()
            self._reader_local = threading.local()
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn(connection)` on a read-only connection, in one hop to its thread.

        Inside a transaction (or without readers) it runs on the writer's thread and sees
        what the transaction wrote. `fn` must only read.
        """
        if self._executor is None or _in_transaction.get():
            async with self._exclusive():
                return await self.conn._execute(fn, self.conn._conn)
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, lambda: fn(self._reader())
        )

    async def compute(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(connection, *args)` for a read that is mostly Python work, such as a search
        that scores and explains its hits: in one of the database's processes when it has
        them (beside the bot's own thread, not taking turns with it), else as `read` does.

        `fn` must be a module-level function and `args` and its result picklable; it must
        only read, and must not rely on what this process holds in memory (a process sees the
        database as any reader does, after every committed write)."""
        processes = self._processes
        if processes is None or _in_transaction.get() or not self._processes_started():
            return await self.read(lambda conn: fn(conn, *args))
        try:
            return await asyncio.wrap_future(processes.submit(_process_call, fn, args))
        except BrokenProcessPool:
            # A process died (killed, out of memory): new ones start, this read runs here (as
            # does every other read it was given).
            if self._processes is processes:
                log.warning("a database process stopped; starting new ones")
                processes.shutdown(wait=False, cancel_futures=True)
                self._open_processes()
            return await self.read(lambda conn: fn(conn, *args))

    def _processes_started(self) -> bool:
        """Whether a process has started (until then, and if none could, reads run here)."""
        return any(f.done() and not f.cancelled() and f.exception() is None for f in self._started)

    async def processes_started(self) -> bool:
        """Wait until the database's processes have started (or failed to): whether any runs
        `compute` now. False for a database without processes."""
        if self._started:
            await asyncio.to_thread(wait_futures, self._started)
        return self._processes_started()

    async def __aenter__(self) -> Database:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise DatabaseError("the database is not connected")
        return self._conn

    @property
    def in_transaction(self) -> bool:
        """Whether the current task is inside `transaction()` (or holds the write lock)."""
        return _in_transaction.get()

    async def checkpoint(self, attempts: int = 5) -> bool:
        """Copy the write-ahead log into the database file and empty it, so that pages a
        deletion overwrote leave no older copy behind in the log. A reader in the middle of a
        query holds the log back: tried again shortly. Returns whether the log was emptied."""
        for attempt in range(attempts):
            async with self._exclusive():
                cursor = await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                row = await cursor.fetchone()
                await cursor.close()
            if row is None or row[0] == 0:
                return True
            await asyncio.sleep(0.02 * (attempt + 1))
        log.warning("the write-ahead log could not be emptied: readers kept it busy")
        return False

    @asynccontextmanager
    async def _exclusive(self) -> AsyncIterator[None]:
        if _in_transaction.get():
            yield
            return
        async with self._lock:
            token = _in_transaction.set(True)
            self._generation += 1
            try:
                yield
            finally:
                _in_transaction.reset(token)
                self._generation += 1

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception; nested use joins the outer."""
        if _in_transaction.get():
            yield self.conn
            return
        async with self._exclusive():
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")

    async def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run one statement; returns lastrowid (for INSERT) or the number of changed rows."""
        async with self._exclusive():
            self._generation += 1
            cursor = await self.conn.execute(sql, params)
            result = cursor.lastrowid if sql.lstrip()[:6].upper() == "INSERT" else cursor.rowcount
            await cursor.close()
            return int(result or 0)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self._exclusive():
            self._generation += 1
            await self.conn.executemany(sql, rows)

    async def fetchone(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> aiosqlite.Row | None:
        row: aiosqlite.Row | None = await self.read(lambda c: c.execute(sql, params).fetchone())
        return row

    async def fetchall(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> list[aiosqlite.Row]:
        rows: list[aiosqlite.Row] = await self.read(lambda c: c.execute(sql, params).fetchall())
        return rows

    async def fetchval(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    # --- migrations -------------------------------------------------------------------------

    async def current_version(self) -> int:
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))"
        )
        value = await self.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        return int(value)

    async def migrate(self) -> list[Migration]:
        """Apply every pending migration, each in its own transaction; returns those applied.

        A database newer than the code is refused; a failing migration is rolled back and
        leaves the database at the version before it.
        """
        migrations = discover_migrations(self.migrations_dir)
        latest = migrations[-1].version if migrations else 0
        current = await self.current_version()
        if current > latest:
            raise DatabaseError(
                f"the database {self.path} is at schema version {current}, newer than this "
                f"version of Krokarm knows (up to {latest}); upgrade Krokarm or restore a backup"
            )
        applied: list[Migration] = []
        for migration in migrations:
            if migration.version <= current:
                continue
            async with self._exclusive():
                # executescript would COMMIT first, so statements run one by one inside our BEGIN.
                await self.conn.execute("BEGIN IMMEDIATE")
                try:
                    for statement in split_sql(migration.sql()):
                        await self.conn.execute(statement)
                    await self.conn.execute(
                        "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                        (migration.version, migration.name),
                    )
                except sqlite3.Error as exc:
                    await self.conn.execute("ROLLBACK")
                    raise DatabaseError(
                        f"migration {migration.path.name} failed and was rolled back "
                        f"(the database stays at version {migration.version - 1}): {exc}"
                    ) from exc
                await self.conn.execute("COMMIT")
            log.info("applied migration %s", migration.path.name)
            applied.append(migration)
        return applied

    async def backup(self, target: Path) -> None:
        """An online copy of the database (SQLite's backup API), safe while the bot runs."""

        def prepare() -> bool:
            target.parent.mkdir(parents=True, exist_ok=True)
            return target.exists()

        if await asyncio.to_thread(prepare):
            raise DatabaseError(f"{target} exists already; choose a new file name")
        async with aiosqlite.connect(target) as dest, self._exclusive():
            await dest.execute("PRAGMA secure_delete = ON")
            await self.conn.backup(dest)

    async def size_bytes(self) -> int:
        """The database's size on disk, with its write-ahead log."""

        def measure() -> int:
            total = 0
            for suffix in ("", "-wal"):
                p = Path(f"{self.path}{suffix}")
                if p.exists():
                    total += p.stat().st_size
            return total

        return await asyncio.to_thread(measure)


def split_sql(script: str) -> list[str]:
    """Split a migration into statements with sqlite3's own completeness test (handles
    semicolons inside strings and trigger bodies)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        ln.strip().startswith("--") or not ln.strip() for ln in buffer.splitlines()
    ):
        raise DatabaseError("a migration ends with an incomplete SQL statement")
    return statements


K = TypeVar("K", bound=Hashable)


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection to the database at `path`, with the writer's settings (so that
    a PRAGMA read on either answers the same)."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    reader = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    reader.row_factory = sqlite3.Row
    reader.execute("PRAGMA foreign_keys = ON")
    reader.execute("PRAGMA busy_timeout = 5000")
    reader.execute("PRAGMA synchronous = NORMAL")
    reader.execute("PRAGMA secure_delete = ON")
    reader.execute("PRAGMA query_only = ON")
    return reader


# --- in a database process -----------------------------------------------------------------

# The process's read-only connection, opened when it starts.
_process_conn: sqlite3.Connection | None = None


def _process_start(path: str, parent: int, warm: Callable[[], object] | None) -> None:
    global _process_conn
    _process_conn = open_reader(Path(path))
    threading.Thread(
        target=_watch_parent, args=(parent,), name="krokarm-parent-watch", daemon=True
    ).start()
    if warm is not None:
        warm()


def _report_start(started: Future[bool]) -> None:
    if not started.cancelled() and started.exception() is not None:
        log.warning(
            "the database's processes could not start (%s); reads run in the bot's threads",
            type(started.exception()).__name__,
        )


def _watch_parent(parent: int) -> None:
    """Ends this process once the bot's is gone (killed with no time to stop its helpers)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _process_ready() -> bool:
    return _process_conn is not None


def _process_call(fn: Callable[..., T], args: tuple[Any, ...]) -> T:
    assert _process_conn is not None, "the process's connection opens when it starts"
    return fn(_process_conn, *args)


class UntilWrite(Generic[K, T]):
    """Values read from a database, kept until anything is written to it: a read cache that is
    never stale. Each database has its own entries; at most `size` keys are kept per database
    (then they are all dropped). Inside a transaction the value is always read afresh."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._by_db: weakref.WeakKeyDictionary[Database, dict[K, tuple[int, T]]] = (
            weakref.WeakKeyDictionary()
        )

    async def get(self, db: Database, key: K, read: Callable[[], Awaitable[T]]) -> T:
        if db.in_transaction:
            return await read()
        known = self._by_db.setdefault(db, {})
        generation = db.generation  # before the read: a write during it makes the entry stale
        entry = known.get(key)
        if entry is not None and entry[0] == generation:
            return entry[1]
        value = await read()
        if len(known) >= self.size:
            known.clear()
        known[key] = (generation, value)
        return value
