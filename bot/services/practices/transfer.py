"""Between practices and the exchange's flat records: export with find's filters, and an
import checked row by row and written in one transaction (no Discord here).

`exchange` reads and writes the files; this module maps its `PracticeRecord` to the stored
`Practice` (`to_record`, `from_record`) and back. The contact travels as text: a contact
function as "Function, Organisation", a person as their directory name; on import the text is
matched to the network's functions, then to its profiles (else the practice has no contact and
the freshness question goes to the admins).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from bot.db import Database
from bot.errors import InvalidInput
from bot.i18n import Lang
from bot.services.practices import exchange, model
from bot.services.practices.exchange import ImportReport, PracticeRecord
from bot.services.practices.model import Fields, Practice
from bot.services.practices.search import (
    SOURCE,
    Criteria,
    _analyzer_ready,
    _match,
    _with_places,
    documents,
)
from bot.services.search import parse
from bot.services.textnorm import fold

Format = Literal["markdown", "csv", "xlsx", "html"]
FORMATS: tuple[Format, ...] = ("markdown", "csv", "xlsx", "html")
_SUFFIX = {"markdown": "md", "csv": "csv", "xlsx": "xlsx", "html": "html"}
BATCH = 2_000


# --- records -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Contacts:
    """The network's functions and profile names, to give a contact as text and read it back."""

    functions: dict[int, str]  # function id → "Function, Organisation"
    names: dict[int, str]  # user id → display name

    def text(self, p: Practice) -> str:
        if p.contact_function_id is not None and p.contact_function_id in self.functions:
            return self.functions[p.contact_function_id]
        if p.contact_user_id is not None:
            return self.names.get(p.contact_user_id, "")
        return ""

    def resolve(self, text: str) -> tuple[int | None, int | None]:
        """(user id, function id) the text names; (None, None) when it names nobody."""
        key = fold(text.strip())
        if not key:
            return None, None
        for fid, label in self.functions.items():
            if fold(label) == key or fold(label.split(",")[0]) == key:
                return None, fid
        users = [uid for uid, name in self.names.items() if fold(name) == key]
        return (users[0], None) if len(users) == 1 else (None, None)


async def contacts(db: Database, guild_id: int) -> Contacts:
    functions = {
        int(r["id"]): f"{r['name']}, {r['org']}"
        for r in await db.fetchall(
            "SELECT f.id, f.name, o.name AS org FROM functions f"
            " JOIN organisations o ON o.id = f.organisation_id"
            " WHERE f.guild_id = ? AND f.archived_at IS NULL",
            (guild_id,),
        )
    }
    names = {
        int(r["user_id"]): r["display_name"]
        for r in await db.fetchall(
            "SELECT user_id, display_name FROM profiles WHERE guild_id = ?", (guild_id,)
        )
    }
    return Contacts(functions, names)


def to_record(p: Practice, people: Contacts) -> PracticeRecord:
    return PracticeRecord(
        title=p.title,
        summary=p.summary,
        description=p.description,
        target_groups=p.targets,
        themes=p.themes,
        organisations=p.organisations,
        municipalities=p.municipalities,
        status=p.status,
        start_date=p.start_date,
        end_date=p.end_date,
        funding=p.funding[0] if p.funding else None,
        funding_amount_sek=p.funding_sek,
        success_factors=p.success_factors,
        lessons=p.lessons,
        contact=people.text(p),
        links=p.links,
        created_at=p.created_at,
        updated_at=p.changed_at,
    )


def from_record(record: PracticeRecord, people: Contacts) -> Fields:
    user_id, function_id = people.resolve(record.contact)
    return Fields(
        title=record.title,
        summary=record.summary,
        description=record.description,
        themes=record.themes,
        targets=record.target_groups,
        organisations=record.organisations,
        municipalities=record.municipalities,
        status=record.status,
        start_date=record.start_date,
        end_date=record.end_date,
        funding=(record.funding,) if record.funding else (),
        funding_sek=record.funding_amount_sek,
        success_factors=record.success_factors,
        lessons=record.lessons,
        links=record.links,
        contact_user_id=user_id,
        contact_function_id=function_id,
    )


# --- export --------------------------------------------------------------------------------------


def _matching(conn: sqlite3.Connection, guild_id: int, match: str) -> list[int]:
    rows = conn.execute(
        f"SELECT rowid FROM {SOURCE.table} WHERE {SOURCE.table} MATCH ? ORDER BY {SOURCE.bm25()}",
        (match,),
    ).fetchall()
    return [int(r[0]) for r in rows]


async def matching(db: Database, guild_id: int, criteria: Criteria) -> list[Practice]:
    """Every current practice find's criteria match (no pages), best first."""
    await _analyzer_ready()
    query = _with_places(parse(criteria.query))
    match = _match(guild_id, query, criteria)
    ids = await db.read(lambda conn: _matching(conn, guild_id, match))
    out: list[Practice] = []
    for start in range(0, len(ids), BATCH):
        out += await model.load(db, ids[start : start + BATCH])
    return [p for p in out if p.guild_id == guild_id and p.archived_at is None]


async def export(
    db: Database,
    guild_id: int,
    criteria: Criteria,
    fmt: Format,
    lang: Lang,
    network_name: str,
    *,
    today: date,
) -> tuple[str, bytes, int]:
    """(file name, content, how many practices) of the export in `fmt`."""
    found = await matching(db, guild_id, criteria)
    people = await contacts(db, guild_id)
    records = [to_record(p, people) for p in found]

    def build() -> bytes:
        if fmt == "csv":
            return exchange.to_csv(records, lang)
        if fmt == "xlsx":
            return exchange.to_xlsx(records, lang)
        if fmt == "html":
            return exchange.to_html(records, lang, network_name, generated_on=today).encode()
        return exchange.to_markdown(records, lang, network_name).encode()

    data = await asyncio.to_thread(build)
    stem = "goda-exempel" if lang == "sv" else "good-practice"
    return f"{stem}-{today.isoformat()}.{_SUFFIX[fmt]}", data, len(records)


# --- import --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Checked:
    """An import after the file's checks and the inventory's own: what will be written."""

    report: ImportReport
    accepted: list[tuple[int, Fields, datetime | None, datetime | None]]
    refused: list[tuple[int, str]]  # (row, reason) — the file's refusals and the inventory's


async def check_import(
    db: Database, guild_id: int, data: bytes, filename: str, lang: Lang, describe: Any
) -> Checked:
    """Read the file (in a thread) and check every accepted row with the inventory's checks;
    `describe(lang, InvalidInput)` words a refusal. Writes nothing."""
    report = await asyncio.to_thread(exchange.parse_import, data, filename, lang)
    people = await contacts(db, guild_id)
    refused: list[tuple[int, str]] = [
        (row.row, "; ".join(f"{p.column}: {p.message}" for p in row.problems))
        for row in report.refused
    ]
    accepted = []
    for row in report.accepted:
        try:
            fields = model.clean(from_record(row.record, people))
        except InvalidInput as error:
            refused.append((row.row, describe(lang, error) or error.field))
            continue
        accepted.append((row.row, fields, row.record.created_at, row.record.updated_at))
    refused.sort()
    return Checked(report, accepted, refused)


async def write_import(
    db: Database,
    guild_id: int,
    rows: Sequence[tuple[int, Fields, datetime | None, datetime | None]],
    *,
    user_id: int | None,
    now: datetime,
) -> list[int]:
    """Write checked rows as new practices in ONE transaction (all or nothing), indexed."""
    await _analyzer_ready()
    if not rows:
        return []
    async with db.transaction():
        # One writer, inside one transaction: the ids that follow the largest are ours.
        first = int(await db.fetchval("SELECT COALESCE(MAX(id), 0) + 1 FROM practices"))
        ids = list(range(first, first + len(rows)))
        records: list[dict[str, Any]] = []
        history: list[tuple[Any, ...]] = []
        for pid, (_row, fields, created, updated) in zip(ids, rows, strict=True):
            values = model.values(fields)
            values.update(
                id=pid,
                guild_id=guild_id,
                created_by_user_id=user_id,
                created_at=model.iso(created or now),
                changed_by_user_id=user_id,
                changed_at=model.iso(updated or created or now),
            )
            records.append(values)
            history.append(
                (
                    pid,
                    guild_id,
                    model.iso(now),
                    user_id,
                    "imported",
                    f'{{"status": "{fields.status}"}}',
                )
            )
        columns = list(records[0])
        await db.executemany(
            f"INSERT INTO practices ({', '.join(columns)})"
            f" VALUES ({', '.join('?' * len(columns))})",
            [tuple(r[c] for c in columns) for r in records],
        )
        await db.executemany(
            "INSERT INTO practice_history (practice_id, guild_id, at, user_id, kind, detail)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            history,
        )
        docs = await asyncio.to_thread(documents, records)
        await db.executemany(
            "INSERT INTO practice_index (rowid, title, summary, body, organisation, facets)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            docs,
        )
    return ids
