"""Personal data as a Swedish public body must handle it: export, erasure, purge of leavers.

What each feature stores about people is declared once, in its `bot.features.Feature`, and
collected when the bot is built into one :class:`DataMap`; export, erasure and the purge take
that map, so what they cover never depends on which modules happen to be imported:

* :class:`PersonalData` — rows that *are* a person's data (a profile): deleted.
* :class:`AuthoredData` — rows a person wrote that stay for the network (a forum answer, an
  agenda item): the author column is set to NULL, which the features show as "former member",
  and any columns holding copies of personal data in the row are cleared.
* erasure hooks — anything that needs more than that (vacating functions); hooks run first,
  inside the same transaction. Leave hooks run when someone leaves the server.
* export sections — a feature's own view of the person (the directory's profile) in the export.

The membership row itself goes last. Everything happens in one transaction: a person is
forgotten completely or not at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.db import Database
from bot.services import members

__all__ = [
    "MEMBERSHIP",
    "AuthoredData",
    "DataMap",
    "Erasure",
    "PersonalData",
    "PurgedMember",
    "custom_notice",
    "erase",
    "export",
    "export_json",
    "member_left",
    "network_periods",
    "purge_leavers",
]

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

# hook(db, guild_id, user_id, now) -> how many rows it changed
Hook = Callable[[Database, int, int, datetime], Awaitable[int]]
# section(db, guild_id, user_id) -> JSON-ready data, or None when the feature holds nothing
Exporter = Callable[[Database, int, int], Awaitable[dict[str, Any] | None]]
Cleanup = Callable[[Database], Awaitable[None]]


def _check(*names: str) -> None:
    for name in names:
        if not _IDENTIFIER.match(name):
            raise ValueError(f"not a plain SQL identifier: {name!r}")


def iso(when: datetime) -> str:
    """A timestamp as stored: UTC, 'YYYY-MM-DDTHH:MM:SSZ'."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class PersonalData:
    """A table whose rows are one person's data, found by `user_column` within a network."""

    table: str
    user_column: str = "user_id"
    guild_column: str = "guild_id"

    def __post_init__(self) -> None:
        _check(self.table, self.user_column, self.guild_column)


@dataclass(frozen=True, slots=True)
class AuthoredData:
    """A table of things people wrote that stay when the author is forgotten."""

    table: str
    user_column: str
    guild_column: str = "guild_id"
    # Columns that copy personal data into the row (an author's display name): cleared too.
    scrub_columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check(self.table, self.user_column, self.guild_column, *self.scrub_columns)


# The membership itself is removed last, after everything that refers to it.
MEMBERSHIP = PersonalData("members")


@dataclass(frozen=True)
class DataMap:
    """Every feature's personal data, collected from the feature declarations."""

    personal: tuple[PersonalData, ...] = ()
    authored: tuple[AuthoredData, ...] = ()
    erasure_hooks: tuple[tuple[str, Hook], ...] = ()
    leave_hooks: tuple[tuple[str, Hook], ...] = ()
    sections: tuple[tuple[str, Exporter], ...] = ()
    # Run after people are erased, outside the transaction: what must also leave the file's
    # pages (a full-text index keeps deleted terms until it is merged).
    cleanups: tuple[tuple[str, Cleanup], ...] = ()

    @classmethod
    def merge(cls, maps: Iterable[DataMap]) -> DataMap:
        """One map from many, each entry once, in declaration order; a hook or section name
        declared twice is refused."""
        personal: list[PersonalData] = []
        authored: list[AuthoredData] = []
        erasure: dict[str, Hook] = {}
        leave: dict[str, Hook] = {}
        sections: dict[str, Exporter] = {}
        cleanups: dict[str, Cleanup] = {}
        for m in maps:
            personal += [p for p in m.personal if p not in personal]
            authored += [a for a in m.authored if a not in authored]
            for into, items in ((erasure, m.erasure_hooks), (leave, m.leave_hooks)):
                for name, hook in items:
                    if name in into:
                        raise ValueError(f"privacy hook {name!r} is declared twice")
                    into[name] = hook
            for name, exporter in m.sections:
                if name in sections or name in ("tables", "network", "user_id"):
                    raise ValueError(f"export section {name!r} is declared twice")
                sections[name] = exporter
            for name, cleanup in m.cleanups:
                if name in cleanups:
                    raise ValueError(f"privacy clean-up {name!r} is declared twice")
                cleanups[name] = cleanup
        return cls(
            tuple(personal),
            tuple(authored),
            tuple(erasure.items()),
            tuple(leave.items()),
            tuple(sections.items()),
            tuple(cleanups.items()),
        )

    async def clean_up(self, db: Database) -> None:
        """After erasure: what the features must do so that nothing of it stays on disk."""
        for _, cleanup in self.cleanups:
            await cleanup(db)

    def tables(self) -> set[tuple[str, str]]:
        """(table, user column) of everything the map covers, the membership included."""
        entries: list[PersonalData | AuthoredData] = [MEMBERSHIP, *self.personal, *self.authored]
        return {(e.table, e.user_column) for e in entries}


@dataclass
class Erasure:
    """What forgetting one person removed (rows per table) and anonymised."""

    guild_id: int
    user_id: int
    removed: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)
    hooks: dict[str, int] = field(default_factory=dict)

    @property
    def anything(self) -> bool:
        return any(self.removed.values()) or any(self.anonymised.values())


@dataclass(frozen=True, slots=True)
class PurgedMember:
    guild_id: int
    user_id: int
    left_at: str
    erasure: Erasure


async def erase(
    db: Database, data: DataMap, guild_id: int, user_id: int, *, now: datetime
) -> Erasure:
    """Forget a person in one network: their data deleted, what they wrote kept without them."""
    result = Erasure(guild_id, user_id)
    async with db.transaction():
        # Deleted rows are overwritten on disk, whatever the SQLite build's default.
        await db.execute("PRAGMA secure_delete = ON")
        for name, hook in data.erasure_hooks:
            result.hooks[name] = await hook(db, guild_id, user_id, now)
        for a in data.authored:
            sets = ", ".join(f"{c} = NULL" for c in (a.user_column, *a.scrub_columns))
            count = await db.execute(
                f"UPDATE {a.table} SET {sets} WHERE {a.guild_column} = ? AND {a.user_column} = ?",
                (guild_id, user_id),
            )
            key = f"{a.table}.{a.user_column}"
            result.anonymised[key] = result.anonymised.get(key, 0) + count
        for p in [*data.personal, MEMBERSHIP]:
            count = await db.execute(
                f"DELETE FROM {p.table} WHERE {p.guild_column} = ? AND {p.user_column} = ?",
                (guild_id, user_id),
            )
            result.removed[p.table] = result.removed.get(p.table, 0) + count
    if not db.in_transaction:  # a purge of many runs the clean-ups once, at its end
        await data.clean_up(db)
    return result


def _row(row: Any) -> dict[str, Any]:
    return {key: row[key] for key in row.keys()}  # noqa: SIM118 (a Row iterates values)


async def export(
    db: Database, data: DataMap, guild_id: int, user_id: int, *, now: datetime
) -> dict[str, Any]:
    """Everything stored about a person in one network, as JSON-ready data.

    `profile` is the profile as the directory shows it; `tables` holds the raw rows of every
    registered table that refer to the person, so that later features are included as well.
    The organisation is stored once, on the membership (`tables.members`); the profile shows
    that same one by name.
    """
    network = await db.fetchone(
        "SELECT guild_id, name FROM networks WHERE guild_id = ?", (guild_id,)
    )
    tables: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str, str]] = set()
    entries: list[PersonalData | AuthoredData] = [MEMBERSHIP, *data.personal, *data.authored]
    for entry in entries:
        if (entry.table, entry.user_column) in seen:
            continue
        seen.add((entry.table, entry.user_column))
        rows = await db.fetchall(
            f"SELECT * FROM {entry.table}"
            f" WHERE {entry.guild_column} = ? AND {entry.user_column} = ?",
            (guild_id, user_id),
        )
        if rows:
            tables.setdefault(entry.table, []).extend(_row(r) for r in rows)
    result: dict[str, Any] = {
        "exported_at": iso(now),
        "network": _row(network) if network else {"guild_id": guild_id},
        "user_id": user_id,
    }
    for name, section in data.sections:
        result[name] = await section(db, guild_id, user_id)
    result["tables"] = tables
    return result


def export_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


async def custom_notice(db: Database, guild_id: int) -> str | None:
    """The network's own privacy notice, or None for the built-in default text."""
    value = await db.fetchval("SELECT privacy_notice FROM networks WHERE guild_id = ?", (guild_id,))
    return str(value) if value else None


async def network_periods(db: Database, guild_id: int) -> tuple[int, int]:
    """(leaver grace days, confirm-after days) of the network."""
    row = await db.fetchone(
        "SELECT leaver_grace_days, confirm_after_days FROM networks WHERE guild_id = ?", (guild_id,)
    )
    return (30, 183) if row is None else (int(row[0]), int(row[1]))


async def member_left(
    db: Database, data: DataMap, guild_id: int, user_id: int, *, now: datetime
) -> dict[str, int]:
    """Someone left the server: the grace period before their data is removed starts, and the
    features' leave hooks run (the directory's functions become vacant now). Returns what each
    hook changed."""
    async with db.transaction():
        await members.mark_left(db, guild_id, user_id, now)
        return {name: await hook(db, guild_id, user_id, now) for name, hook in data.leave_hooks}


async def purge_leavers(db: Database, data: DataMap, *, now: datetime) -> list[PurgedMember]:
    """Forget everyone whose grace period after leaving has passed; returns who and what."""
    rows = await db.fetchall(
        "SELECT m.guild_id, m.user_id, m.left_at FROM members m"
        " JOIN networks n ON n.guild_id = m.guild_id"
        " WHERE m.left_at IS NOT NULL"
        " AND julianday(m.left_at) <= julianday(?) - n.leaver_grace_days"
        " ORDER BY m.left_at",
        (iso(now),),
    )
    purged: list[PurgedMember] = []
    for r in rows:
        guild_id, user_id = int(r["guild_id"]), int(r["user_id"])
        async with db.transaction():
            # They may have come back since the query above: then nothing is removed.
            still_gone = await db.fetchval(
                "SELECT left_at FROM members WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )
            if still_gone != r["left_at"]:
                continue
            erasure = await erase(db, data, guild_id, user_id, now=now)
        purged.append(PurgedMember(guild_id, user_id, r["left_at"], erasure))
    if purged:
        await data.clean_up(db)
    return purged
