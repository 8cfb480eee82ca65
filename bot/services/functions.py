"""Functions in organisations: "integrationssamordnare" of Lysekil, held by one person.

A function outlives its holders: when the holder leaves the server, gives it up, is removed by
an admin or asks to be forgotten, the function stays and shows as vacant, so that the network
sees the gap instead of losing it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db import Database
from bot.errors import InvalidInput, UserError
from bot.services import audit, directory
from bot.services.directory import from_iso, iso
from bot.services.profiles import ensure_member
from bot.services.text import clean_line
from bot.services.textnorm import fold

__all__ = [
    "Function",
    "add",
    "archive",
    "assign",
    "get",
    "list_functions",
    "matching",
    "set_own",
    "vacate",
    "vacate_all_held",
]

NAME_MAX = 100


@dataclass(frozen=True, slots=True)
class Function:
    id: int
    guild_id: int
    organisation_id: int
    organisation_name: str
    municipality_code: str | None
    name: str
    holder_user_id: int | None
    holder_since: datetime | None
    vacated_at: datetime | None

    @property
    def vacant(self) -> bool:
        return self.holder_user_id is None


_SELECT = (
    "SELECT f.id, f.guild_id, f.organisation_id, o.name AS org, o.municipality_code, f.name,"
    " f.holder_user_id, f.holder_since, f.vacated_at FROM functions f"
    " JOIN organisations o ON o.id = f.organisation_id"
)


def _function(r: Any) -> Function:
    return Function(
        id=int(r["id"]),
        guild_id=int(r["guild_id"]),
        organisation_id=int(r["organisation_id"]),
        organisation_name=r["org"],
        municipality_code=r["municipality_code"],
        name=r["name"],
        holder_user_id=r["holder_user_id"],
        holder_since=from_iso(r["holder_since"]) if r["holder_since"] else None,
        vacated_at=from_iso(r["vacated_at"]) if r["vacated_at"] else None,
    )


async def get(db: Database, guild_id: int, function_id: int) -> Function:
    """A function of this network (not removed), or InvalidInput naming the function field."""
    row = await db.fetchone(
        _SELECT + " WHERE f.id = ? AND f.guild_id = ? AND f.archived_at IS NULL",
        (function_id, guild_id),
    )
    if row is None:
        raise InvalidInput("function.function", "function.error.unknown")
    return _function(row)


async def list_functions(
    db: Database,
    guild_id: int,
    *,
    organisation_id: int | None = None,
    municipality_code: str | None = None,
    holder_user_id: int | None = None,
) -> list[Function]:
    sql = _SELECT + " WHERE f.guild_id = ? AND f.archived_at IS NULL"
    params: list[Any] = [guild_id]
    if organisation_id is not None:
        sql += " AND f.organisation_id = ?"
        params.append(organisation_id)
    if municipality_code is not None:
        sql += " AND o.municipality_code = ?"
        params.append(municipality_code)
    if holder_user_id is not None:
        sql += " AND f.holder_user_id = ?"
        params.append(holder_user_id)
    sql += " ORDER BY o.name COLLATE NOCASE, f.name_key"
    return [_function(r) for r in await db.fetchall(sql, params)]


async def matching(db: Database, guild_id: int, current: str, limit: int = 25) -> list[Function]:
    """Functions whose name or organisation contains what has been typed (autocomplete)."""
    key = fold(current.strip())[:NAME_MAX]
    rows = await db.fetchall(
        _SELECT + " WHERE f.guild_id = ? AND f.archived_at IS NULL"
        " ORDER BY o.name COLLATE NOCASE, f.name_key",
        (guild_id,),
    )
    # A network has tens of functions, not thousands: folding the organisation names here is
    # simpler than keeping a folded copy of a table another feature owns.
    found = [_function(r) for r in rows]
    return [f for f in found if key in fold(f"{f.name} {f.organisation_name}")][:limit]


async def add(
    db: Database, guild_id: int, organisation_id: int, name: str, *, now: datetime
) -> Function:
    """A new (vacant) function of one of the network's organisations."""
    clean = clean_line("function.name", name, max_length=NAME_MAX)
    org = await db.fetchval(
        "SELECT 1 FROM organisations WHERE id = ? AND guild_id = ? AND archived_at IS NULL",
        (organisation_id, guild_id),
    )
    if not org:
        raise InvalidInput("function.organisation", "function.error.unknown_organisation")
    try:
        fid = await db.execute(
            "INSERT INTO functions (guild_id, organisation_id, name, name_key, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (guild_id, organisation_id, clean, fold(clean), iso(now)),
        )
    except sqlite3.IntegrityError:
        raise InvalidInput("function.name", "function.error.exists", name=clean) from None
    return await get(db, guild_id, fid)


async def _reindex_holders(db: Database, guild_id: int, *user_ids: int | None) -> None:
    ids = await directory.holder_profile_ids(db, guild_id, [u for u in user_ids if u is not None])
    await directory.index_profiles(db, ids)


async def assign(
    db: Database,
    guild_id: int,
    function_id: int,
    user_id: int,
    *,
    actor_id: int,
    now: datetime,
) -> Function:
    """Give the function to a member (replacing its holder, if any). Audited when an admin
    assigns someone else."""
    function = await get(db, guild_id, function_id)
    left = await db.fetchval(
        "SELECT left_at FROM members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
    )
    if left is not None:
        raise UserError("function.error.holder_left")
    async with db.transaction():
        await ensure_member(db, guild_id, user_id, now)
        await db.execute(
            "UPDATE functions SET holder_user_id = ?, holder_since = ?, vacated_at = NULL"
            " WHERE id = ?",
            (user_id, iso(now), function_id),
        )
        if actor_id != user_id:
            await audit.record(
                db,
                guild_id,
                actor_id=actor_id,
                subject_id=user_id,
                action="function.assign",
                detail={"function_id": function_id, "function": function.name},
                now=now,
            )
        if function.holder_user_id not in (None, user_id) and actor_id != function.holder_user_id:
            await audit.record(
                db,
                guild_id,
                actor_id=actor_id,
                subject_id=function.holder_user_id,
                action="function.vacate",
                detail={"function_id": function_id, "function": function.name},
                now=now,
            )
        await _reindex_holders(db, guild_id, user_id, function.holder_user_id)
    return await get(db, guild_id, function_id)


async def vacate(
    db: Database, guild_id: int, function_id: int, *, actor_id: int | None, now: datetime
) -> Function:
    """The function stays, without a holder. `actor_id` None: the system (the holder left)."""
    function = await get(db, guild_id, function_id)
    if function.vacant:
        raise UserError("function.error.already_vacant", name=function.name)
    async with db.transaction():
        await db.execute(
            "UPDATE functions SET holder_user_id = NULL, holder_since = NULL, vacated_at = ?"
            " WHERE id = ?",
            (iso(now), function_id),
        )
        if actor_id is not None and actor_id != function.holder_user_id:
            await audit.record(
                db,
                guild_id,
                actor_id=actor_id,
                subject_id=function.holder_user_id,
                action="function.vacate",
                detail={"function_id": function_id, "function": function.name},
                now=now,
            )
        await _reindex_holders(db, guild_id, function.holder_user_id)
    return await get(db, guild_id, function_id)


async def vacate_all_held(db: Database, guild_id: int, user_id: int, *, now: datetime) -> int:
    """Every function this person holds becomes vacant (they left, or are being forgotten)."""
    async with db.transaction():
        count = await db.execute(
            "UPDATE functions SET holder_user_id = NULL, holder_since = NULL, vacated_at = ?"
            " WHERE guild_id = ? AND holder_user_id = ?",
            (iso(now), guild_id, user_id),
        )
        if count:
            await _reindex_holders(db, guild_id, user_id)
    return count


async def set_own(
    db: Database,
    guild_id: int,
    user_id: int,
    organisation_id: int,
    function_ids: Sequence[int],
    *,
    now: datetime,
) -> list[Function]:
    """A member says which of their organisation's functions they hold: they may take vacant
    ones and give up their own; functions held by someone else stay as they are."""
    available = await list_functions(db, guild_id, organisation_id=organisation_id)
    by_id = {f.id: f for f in available}
    wanted = set(function_ids)
    for fid in wanted:
        f = by_id.get(fid)
        if f is None:
            raise InvalidInput("function.function", "function.error.unknown")
        if f.holder_user_id not in (None, user_id):
            raise UserError("function.error.held_by_other", name=f.name)
    async with db.transaction():
        await ensure_member(db, guild_id, user_id, now)
        for f in available:
            if f.id in wanted and f.holder_user_id is None:
                await db.execute(
                    "UPDATE functions SET holder_user_id = ?, holder_since = ?, vacated_at = NULL"
                    " WHERE id = ?",
                    (user_id, iso(now), f.id),
                )
            elif f.id not in wanted and f.holder_user_id == user_id:
                await db.execute(
                    "UPDATE functions SET holder_user_id = NULL, holder_since = NULL,"
                    " vacated_at = ? WHERE id = ?",
                    (iso(now), f.id),
                )
        await _reindex_holders(db, guild_id, user_id)
    return await list_functions(db, guild_id, holder_user_id=user_id)


async def archive(db: Database, guild_id: int, function_id: int, *, now: datetime) -> Function:
    """Remove a function that no longer exists in the organisation (kept for the record)."""
    function = await get(db, guild_id, function_id)
    async with db.transaction():
        await db.execute(
            "UPDATE functions SET archived_at = ?, holder_user_id = NULL, holder_since = NULL"
            " WHERE id = ?",
            (iso(now), function_id),
        )
        await _reindex_holders(db, guild_id, function.holder_user_id)
    return function
