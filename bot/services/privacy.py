"""Personal data as a Swedish public body must handle it: export, erasure, purge of leavers.

Features register what they store about people, so that export and erasure cover tables this
module has never heard of:

* :func:`register_personal` — rows that *are* a person's data (a profile): deleted.
* :func:`register_authored` — rows a person wrote that stay for the network (a forum answer, an
  agenda item): the author column is set to NULL, which the features show as "former member",
  and any columns holding copies of personal data in the row are cleared.
* :func:`register_hook` — anything that needs more than that (vacating functions); hooks run
  first, inside the same transaction.

The membership row itself goes last. Everything happens in one transaction: a person is
forgotten completely or not at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from bot.db import Database
from bot.services import directory, functions, members, profiles
from bot.services.directory import iso

__all__ = [
    "AUTHORED",
    "HOOKS",
    "PERSONAL",
    "AuthoredData",
    "Erasure",
    "PersonalData",
    "PurgedMember",
    "custom_notice",
    "erase",
    "export",
    "member_left",
    "purge_leavers",
    "register_authored",
    "register_hook",
    "register_personal",
]

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

Hook = Callable[[Database, int, int, datetime], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class PersonalData:
    """A table whose rows are one person's data, found by `user_column` within a network."""

    table: str
    user_column: str = "user_id"
    guild_column: str = "guild_id"


@dataclass(frozen=True, slots=True)
class AuthoredData:
    """A table of things people wrote that stay when the author is forgotten."""

    table: str
    user_column: str
    guild_column: str = "guild_id"
    # Columns that copy personal data into the row (an author's display name): cleared too.
    scrub_columns: tuple[str, ...] = ()


PERSONAL: list[PersonalData] = []
AUTHORED: list[AuthoredData] = []
HOOKS: list[tuple[str, Hook]] = []


def _check(*names: str) -> None:
    for name in names:
        if not _IDENTIFIER.match(name):
            raise ValueError(f"not a plain SQL identifier: {name!r}")


def register_personal(
    table: str, user_column: str = "user_id", guild_column: str = "guild_id"
) -> None:
    """Rows of `table` whose `user_column` is the person are deleted when they are forgotten."""
    _check(table, user_column, guild_column)
    entry = PersonalData(table, user_column, guild_column)
    if entry not in PERSONAL:
        PERSONAL.append(entry)


def register_authored(
    table: str,
    user_column: str,
    guild_column: str = "guild_id",
    scrub_columns: tuple[str, ...] = (),
) -> None:
    """Rows of `table` written by the person stay; `user_column` and `scrub_columns` become
    NULL (the feature shows a "former member" as the author)."""
    _check(table, user_column, guild_column, *scrub_columns)
    entry = AuthoredData(table, user_column, guild_column, tuple(scrub_columns))
    if entry not in AUTHORED:
        AUTHORED.append(entry)


def register_hook(name: str, hook: Hook) -> None:
    """`hook(db, guild_id, user_id, now)` runs first when someone is forgotten; returns a count."""
    if all(existing != name for existing, _ in HOOKS):
        HOOKS.append((name, hook))


async def _vacate(db: Database, guild_id: int, user_id: int, now: datetime) -> int:
    return await functions.vacate_all_held(db, guild_id, user_id, now=now)


# The directory's own data.
register_hook("functions.vacate", _vacate)
register_personal("profiles")  # expertise and languages go with it (ON DELETE CASCADE)
register_authored("functions", "holder_user_id", scrub_columns=("holder_since",))
register_authored("audit_log", "actor_user_id")
register_authored("audit_log", "subject_user_id")
# The membership itself is removed last, after everything that refers to it.
MEMBERSHIP = PersonalData("members")


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


async def erase(db: Database, guild_id: int, user_id: int, *, now: datetime) -> Erasure:
    """Forget a person in one network: their data deleted, what they wrote kept without them."""
    result = Erasure(guild_id, user_id)
    async with db.transaction():
        await directory.prepare_erasure(db)
        for name, hook in HOOKS:
            result.hooks[name] = await hook(db, guild_id, user_id, now)
        for a in AUTHORED:
            sets = ", ".join(f"{c} = NULL" for c in (a.user_column, *a.scrub_columns))
            count = await db.execute(
                f"UPDATE {a.table} SET {sets} WHERE {a.guild_column} = ? AND {a.user_column} = ?",
                (guild_id, user_id),
            )
            key = f"{a.table}.{a.user_column}"
            result.anonymised[key] = result.anonymised.get(key, 0) + count
        for p in [*PERSONAL, MEMBERSHIP]:
            count = await db.execute(
                f"DELETE FROM {p.table} WHERE {p.guild_column} = ? AND {p.user_column} = ?",
                (guild_id, user_id),
            )
            result.removed[p.table] = result.removed.get(p.table, 0) + count
    # The person's terms leave the search index's pages too (not only its rows).
    await directory.forget_erased(db)
    return result


def _row(row: Any) -> dict[str, Any]:
    return {key: row[key] for key in row.keys()}  # noqa: SIM118 (a Row iterates values)


async def export(db: Database, guild_id: int, user_id: int, *, now: datetime) -> dict[str, Any]:
    """Everything stored about a person in one network, as JSON-ready data.

    `profile` is the profile as the directory shows it; `tables` holds the raw rows of every
    registered table that refer to the person, so that later features are included as well.
    The organisation is stored once, on the membership (`tables.members`); the profile shows
    that same one by name.
    """
    network = await db.fetchone(
        "SELECT guild_id, name FROM networks WHERE guild_id = ?", (guild_id,)
    )
    profile = await profiles.get(db, guild_id, user_id)
    tables: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str, str]] = set()
    entries: list[PersonalData | AuthoredData] = [MEMBERSHIP, *PERSONAL, *AUTHORED]
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
    profile_data: dict[str, Any] | None = None
    if profile is not None:
        profile_data = asdict(profile)
        for key, value in list(profile_data.items()):
            if isinstance(value, datetime):
                profile_data[key] = iso(value)
    return {
        "exported_at": iso(now),
        "network": _row(network) if network else {"guild_id": guild_id},
        "user_id": user_id,
        "profile": profile_data,
        "tables": tables,
    }


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


async def member_left(db: Database, guild_id: int, user_id: int, *, now: datetime) -> int:
    """Someone left the server: the grace period before their data is removed starts, and their
    functions become vacant now. Returns how many functions were vacated."""
    await members.mark_left(db, guild_id, user_id, now)
    return await functions.vacate_all_held(db, guild_id, user_id, now=now)


async def purge_leavers(db: Database, *, now: datetime) -> list[PurgedMember]:
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
            erasure = await erase(db, guild_id, user_id, now=now)
        purged.append(PurgedMember(guild_id, user_id, r["left_at"], erasure))
    if purged:
        await directory.forget_erased(db)
    return purged


__all__ += ["MEMBERSHIP", "export_json", "network_periods"]
