"""The audit log: changes admins make to other people's data, for admins to read.

Entries name the action and, in `detail`, fields and functions; never personal values, so that
the log itself does not become a copy of the data it watches over.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db import Database
from bot.services.directory import from_iso, iso

__all__ = ["ACTIONS", "AuditEntry", "AuditPage", "list_entries", "record"]

# The actions recorded (catalogue keys `audit.action.<action>`).
ACTIONS = (
    "function.assign",
    "function.vacate",
    "profile.edit",
    "profile.visibility",
)
PAGE_SIZE = 10


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor_user_id: int | None  # None: the person has since been forgotten
    subject_user_id: int | None
    action: str
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    page: int
    pages: int


async def record(
    db: Database,
    guild_id: int,
    *,
    actor_id: int,
    subject_id: int | None,
    action: str,
    detail: dict[str, Any] | None = None,
    now: datetime,
) -> int:
    """Log one change; call inside the transaction that makes it."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    return await db.execute(
        "INSERT INTO audit_log (guild_id, at, actor_user_id, subject_user_id, action, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (guild_id, iso(now), actor_id, subject_id, action, json.dumps(detail or {})),
    )


async def list_entries(
    db: Database,
    guild_id: int,
    *,
    user_id: int | None = None,
    page: int = 0,
    per_page: int = PAGE_SIZE,
) -> AuditPage:
    """Newest first; with `user_id`, the entries where that person acted or was acted upon."""
    where = "guild_id = ?"
    params: list[Any] = [guild_id]
    if user_id is not None:
        where += " AND (actor_user_id = ? OR subject_user_id = ?)"
        params += [user_id, user_id]
    total = int(await db.fetchval(f"SELECT COUNT(*) FROM audit_log WHERE {where}", params) or 0)
    pages = max(1, -(-total // per_page))
    page = min(max(page, 0), pages - 1)
    rows = await db.fetchall(
        f"SELECT * FROM audit_log WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
        [*params, per_page, page * per_page],
    )
    entries = [
        AuditEntry(
            int(r["id"]),
            from_iso(r["at"]),
            r["actor_user_id"],
            r["subject_user_id"],
            r["action"],
            json.loads(r["detail"]),
        )
        for r in rows
    ]
    return AuditPage(entries, total, page, pages)
