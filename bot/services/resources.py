"""Resources: links the network keeps (guides, contacts at authorities, funding calls,
training, tips from elsewhere), each with who added it and when, on the one search.

The index (`resource_index`, migrations/0007) has the one search's shape: tokens led by the
network's id, so a search reads and scores only its own network's resources. A resource's
place is its organisation's municipality, for `/ask`'s place filter.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from bot.db import Database
from bot.errors import InvalidInput, NotAllowed, UserError
from bot.services import municipalities
from bot.services import search as engine
from bot.services.ask import AskItem, AskQuery, search_index
from bot.services.directory import from_iso, iso
from bot.services.profiles import parse_expertise
from bot.services.search import Hit, Query, Source, rank
from bot.services.text import check_stored_text, clean_line, clean_paragraphs
from bot.services.textnorm import fold

__all__ = [
    "KINDS",
    "SOURCE",
    "Resource",
    "add",
    "ask_hits",
    "ask_items",
    "check_url",
    "edit",
    "find",
    "get",
    "parse_tags",
    "remove",
]

KINDS = ("guide", "authority_contact", "funding", "training", "tip")
TITLE_MAX = 150
URL_MAX = 500
DESCRIPTION_MAX = 1000
TAG_MAX = 40
MAX_TAGS = 8
PAGE_SIZE = 5

SOURCE = Source(
    name="resources",
    table="resource_index",
    columns=("title", "tags", "description", "organisation"),
    weights=(8.0, 6.0, 2.0, 3.0),
)


@dataclass(frozen=True, slots=True)
class Resource:
    id: int
    guild_id: int
    kind: str
    title: str
    url: str
    description: str | None
    organisation_id: int | None
    organisation_name: str | None
    municipality_code: str | None
    author_user_id: int | None
    created_at: datetime
    updated_at: datetime
    tags: tuple[str, ...] = ()
    tip_channel_id: int | None = None
    tip_message_id: int | None = None


@dataclass(frozen=True, slots=True)
class Found:
    resources: list[Resource]
    total: int
    page: int
    pages: int
    hits: list[Hit] = field(default_factory=list)


# --- checks -------------------------------------------------------------------------------


def check_url(value: str | None) -> str:
    """A web link: http or https with a host, no spaces or control characters, at most
    URL_MAX characters. `javascript:`, `data:`, `file:` and the like are refused."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput("resource.url", "errors.text.empty")
    if len(text) > URL_MAX:
        raise InvalidInput("resource.url", "errors.text.too_long", max=URL_MAX, length=len(text))
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text):
        raise InvalidInput("resource.url", "resource.error.url")
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        raise InvalidInput("resource.url", "resource.error.url") from None
    if parts.scheme.lower() not in ("http", "https") or not host or "." not in host:
        raise InvalidInput("resource.url", "resource.error.url")
    check_stored_text("resource.url", text)
    return text


def parse_tags(text: str | None) -> list[str]:
    """Comma-separated tags, as profiles take expertise: cleaned, at most MAX_TAGS."""
    try:
        tags = parse_expertise(text)
    except InvalidInput as e:
        raise InvalidInput("resource.tags", e.key, **e.params) from None
    if len(tags) > MAX_TAGS:
        raise InvalidInput("resource.tags", "profile.error.too_many", max=MAX_TAGS)
    return tags


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput("resource.kind", "resource.error.kind")
    return kind


# --- reading ------------------------------------------------------------------------------

_COLUMNS = (
    "r.id, r.guild_id, r.kind, r.title, r.url, r.description, r.organisation_id,"
    " o.name AS org, o.municipality_code, r.author_user_id, r.created_at, r.updated_at,"
    " r.tip_channel_id, r.tip_message_id"
)
_JOIN = " FROM resources r LEFT JOIN organisations o ON o.id = r.organisation_id"


def _load(conn: sqlite3.Connection, ids: Sequence[int]) -> list[Resource]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT {_COLUMNS}{_JOIN} WHERE r.id IN ({marks})", list(ids)).fetchall()
    tags: dict[int, list[str]] = {}
    for r in conn.execute(
        f"SELECT resource_id, tag FROM resource_tags WHERE resource_id IN ({marks})"
        " ORDER BY resource_id, position",
        list(ids),
    ):
        tags.setdefault(int(r[0]), []).append(r[1])
    out = {int(r["id"]): _resource(r, tags) for r in rows}
    return [out[i] for i in ids if i in out]


def _resource(r: Any, tags: dict[int, list[str]]) -> Resource:
    rid = int(r["id"])
    return Resource(
        id=rid,
        guild_id=int(r["guild_id"]),
        kind=r["kind"],
        title=r["title"],
        url=r["url"],
        description=r["description"],
        organisation_id=r["organisation_id"],
        organisation_name=r["org"],
        municipality_code=r["municipality_code"],
        author_user_id=r["author_user_id"],
        created_at=from_iso(r["created_at"]),
        updated_at=from_iso(r["updated_at"]),
        tags=tuple(tags.get(rid, ())),
        tip_channel_id=r["tip_channel_id"],
        tip_message_id=r["tip_message_id"],
    )


async def get(db: Database, guild_id: int, resource_id: int) -> Resource | None:
    found = await db.read(lambda conn: _load(conn, [resource_id]))
    return found[0] if found and found[0].guild_id == guild_id else None


async def _require(db: Database, guild_id: int, resource_id: int) -> Resource:
    found = await get(db, guild_id, resource_id)
    if found is None:
        raise UserError("resource.error.unknown")
    return found


async def _org_place(db: Database, guild_id: int, organisation_id: int | None) -> tuple[str, str]:
    if organisation_id is None:
        return "", ""
    row = await db.fetchone(
        "SELECT name, municipality_code FROM organisations"
        " WHERE id = ? AND guild_id = ? AND archived_at IS NULL",
        (organisation_id, guild_id),
    )
    if row is None:
        raise InvalidInput("resource.organisation", "resource.error.organisation")
    return row["name"], row["municipality_code"] or ""


# --- the index ----------------------------------------------------------------------------


async def _analyzer_ready() -> None:
    if not engine.loaded():
        await asyncio.to_thread(engine.warm)


def _document(
    guild_id: int, title: str, tags: Sequence[str], description: str, org: str, code: str
) -> tuple[str, ...]:
    place = municipalities.by_code(code) if code else None
    organisation = " ".join(x for x in (org, place.name if place else "") if x)
    fields = {
        "title": title,
        "tags": " | ".join(tags),
        "description": description,
        "organisation": organisation,
    }
    return engine.document_row(SOURCE, guild_id, fields, [code] if code else [])


async def _index(db: Database, resource_id: int, doc: tuple[str, ...]) -> None:
    await db.execute("DELETE FROM resource_index WHERE rowid = ?", (resource_id,))
    await db.execute(
        "INSERT INTO resource_index (rowid, title, tags, description, organisation)"
        " VALUES (?, ?, ?, ?, ?)",
        (resource_id, *doc),
    )


async def _write_tags(db: Database, guild_id: int, resource_id: int, tags: Sequence[str]) -> None:
    await db.execute("DELETE FROM resource_tags WHERE resource_id = ?", (resource_id,))
    await db.executemany(
        "INSERT INTO resource_tags (resource_id, guild_id, position, tag, tag_key)"
        " VALUES (?, ?, ?, ?, ?)",
        [(resource_id, guild_id, i, tag, fold(tag)) for i, tag in enumerate(tags)],
    )


# --- writing ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Draft:
    """A resource as typed, checked: what `add` and `edit` write."""

    title: str
    url: str
    description: str
    tags: tuple[str, ...]
    kind: str
    organisation_id: int | None


def draft(
    *,
    title: str | None,
    url: str | None,
    description: str | None,
    tags: str | None,
    kind: str,
    organisation_id: int | None,
) -> Draft:
    """Every field checked (each refusal names its field), before anything is written."""
    return Draft(
        title=clean_line("resource.title", title, max_length=TITLE_MAX),
        url=check_url(url),
        description=clean_paragraphs(
            "resource.description", description, max_length=DESCRIPTION_MAX, required=False
        ),
        tags=tuple(parse_tags(tags)),
        kind=_check_kind(kind),
        organisation_id=organisation_id,
    )


async def add(
    db: Database, guild_id: int, author_user_id: int, d: Draft, *, now: datetime
) -> Resource:
    await _analyzer_ready()
    org, code = await _org_place(db, guild_id, d.organisation_id)
    doc = await asyncio.to_thread(_document, guild_id, d.title, d.tags, d.description, org, code)
    async with db.transaction():
        rid = await db.execute(
            "INSERT INTO resources (guild_id, kind, title, url, description, organisation_id,"
            " author_user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                guild_id,
                d.kind,
                d.title,
                d.url,
                d.description or None,
                d.organisation_id,
                author_user_id,
                iso(now),
                iso(now),
            ),
        )
        await _write_tags(db, guild_id, rid, d.tags)
        await _index(db, rid, doc)
    return await _require(db, guild_id, rid)


def _check_may_change(resource: Resource, actor_id: int, is_admin: bool) -> None:
    if not is_admin and resource.author_user_id != actor_id:
        raise NotAllowed("resource.error.not_yours")


async def edit(
    db: Database,
    guild_id: int,
    resource_id: int,
    d: Draft,
    *,
    actor_id: int,
    is_admin: bool,
    now: datetime,
) -> Resource:
    """Replace a resource's fields: by its author or a network admin (checked here)."""
    current = await _require(db, guild_id, resource_id)
    _check_may_change(current, actor_id, is_admin)
    await _analyzer_ready()
    org, code = await _org_place(db, guild_id, d.organisation_id)
    doc = await asyncio.to_thread(_document, guild_id, d.title, d.tags, d.description, org, code)
    async with db.transaction():
        await db.execute(
            "UPDATE resources SET kind = ?, title = ?, url = ?, description = ?,"
            " organisation_id = ?, updated_at = ? WHERE id = ? AND guild_id = ?",
            (
                d.kind,
                d.title,
                d.url,
                d.description or None,
                d.organisation_id,
                iso(now),
                resource_id,
                guild_id,
            ),
        )
        await _write_tags(db, guild_id, resource_id, d.tags)
        await _index(db, resource_id, doc)
    return await _require(db, guild_id, resource_id)


async def remove(
    db: Database, guild_id: int, resource_id: int, *, actor_id: int, is_admin: bool
) -> Resource:
    """Delete a resource: by its author or a network admin (checked here)."""
    current = await _require(db, guild_id, resource_id)
    _check_may_change(current, actor_id, is_admin)
    async with db.transaction():
        await db.execute(
            "DELETE FROM resources WHERE id = ? AND guild_id = ?", (resource_id, guild_id)
        )
    return current


async def set_tip_message(
    db: Database, guild_id: int, resource_id: int, channel_id: int, message_id: int
) -> None:
    await db.execute(
        "UPDATE resources SET tip_channel_id = ?, tip_message_id = ? WHERE id = ? AND guild_id = ?",
        (channel_id, message_id, resource_id, guild_id),
    )


async def mine_or_all(
    db: Database, guild_id: int, user_id: int, text: str, *, is_admin: bool, limit: int = 25
) -> list[Resource]:
    """Resources a user may change (their own; all for an admin) whose title holds `text`."""
    sql = "SELECT id FROM resources WHERE guild_id = ?"
    params: list[Any] = [guild_id]
    if not is_admin:
        sql += " AND author_user_id = ?"
        params.append(user_id)
    if text.strip():
        sql += " AND title LIKE ? ESCAPE '\\'"
        like = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(f"%{like}%")
    sql += " ORDER BY created_at DESC, id DESC LIMIT ?"
    params.append(limit)
    ids = [int(r[0]) for r in await db.fetchall(sql, params)]
    return await db.read(lambda conn: _load(conn, ids))


# --- finding ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Criteria:
    query: str | None = None
    tag: str | None = None
    kind: str | None = None


def _ranked(
    conn: sqlite3.Connection, match: str, offset: int, limit: int
) -> tuple[list[tuple[int, float]], int]:
    """(id, score) of a page of the match, best first, then newest, and how many match."""
    return rank.page(
        conn, SOURCE, match, offset, limit, rows="resources", order="t.created_at DESC, t.id DESC"
    )


def _find(
    conn: sqlite3.Connection, guild_id: int, query: Query, c: Criteria, page: int, per_page: int
) -> tuple[list[tuple[int, float]], int, Query]:
    where = ["r.guild_id = ?"]
    params: list[Any] = [guild_id]
    if c.kind:
        where.append("r.kind = ?")
        params.append(c.kind)
    if c.tag:
        where.append(
            "r.id IN (SELECT resource_id FROM resource_tags WHERE guild_id = ? AND tag_key = ?)"
        )
        params += [guild_id, fold(c.tag)]
    filters = " AND ".join(where)
    match = engine.expression(guild_id, query.terms)
    if match is None:
        total = int(
            conn.execute(f"SELECT COUNT(*) FROM resources r WHERE {filters}", params).fetchone()[0]
        )
        rows = conn.execute(
            f"SELECT r.id, 0.0 FROM resources r WHERE {filters}"
            " ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?",
            [*params, per_page, page * per_page],
        ).fetchall()
        return [(int(r[0]), 0.0) for r in rows], total, query
    if not c.kind and not c.tag:
        # Every entry of the index is one of this network's resources: a broad match scores
        # its newest entries first (`bot.services.search.rank`).
        found, total = _ranked(conn, match, page * per_page, per_page)
        if total == 0 and page == 0:
            corrected = engine.correct_typos(conn, SOURCE, guild_id, query)
            if corrected is not None:
                match = engine.expression(guild_id, corrected.terms)
                assert match is not None
                found, total = _ranked(conn, match, 0, per_page)
                query = corrected
        return found, total, query
    sql = (
        f"WITH scored(id, score) AS MATERIALIZED (SELECT rowid, {SOURCE.bm25()}"
        f" FROM {SOURCE.table} WHERE {SOURCE.table} MATCH ?)"
        f" SELECT r.id, scored.score, COUNT(*) OVER () FROM scored"
        f" CROSS JOIN resources r ON r.id = scored.id WHERE {filters}"
        " ORDER BY scored.score, r.created_at DESC, r.id DESC LIMIT ? OFFSET ?"
    )
    rows = conn.execute(sql, [match, *params, per_page, page * per_page]).fetchall()
    if not rows and page == 0:
        corrected = engine.correct_typos(conn, SOURCE, guild_id, query)
        if corrected is not None:
            match = engine.expression(guild_id, corrected.terms)
            rows = conn.execute(sql, [match, *params, per_page, page * per_page]).fetchall()
            query = corrected
    total = int(rows[0][2]) if rows else 0
    return [(int(r[0]), -float(r[1])) for r in rows], total, query


async def find(
    db: Database, guild_id: int, criteria: Criteria, *, page: int = 0, per_page: int = PAGE_SIZE
) -> Found:
    """This network's resources matching every criterion: the query on the one search (title,
    tags, description, organisation and its municipality), a tag, a kind; best first, then
    newest. Without a query: newest first."""
    if criteria.kind is not None:
        _check_kind(criteria.kind)
    await _analyzer_ready()
    query = engine.parse(criteria.query)
    page = max(page, 0)

    def read(conn: sqlite3.Connection) -> tuple[list[Resource], int, list[Hit]]:
        scored, total, used = _find(conn, guild_id, query, criteria, page, per_page)
        hits = engine.explain(conn, SOURCE, guild_id, used, scored) if used.terms else []
        return _load(conn, [i for i, _ in scored]), total, hits

    found, total, hits = await db.read(read)
    pages = max(1, -(-total // per_page))
    return Found(found, total, min(page, pages - 1), pages, hits)


# --- /ask ---------------------------------------------------------------------------------


def ask_hits(conn: sqlite3.Connection, guild_id: int, q: AskQuery) -> list[Hit]:
    """The resources that answer a question, in a reader (a place in it: those there)."""
    return search_index(conn, SOURCE, guild_id, q, place_column="organisation")


def ask_items(conn: sqlite3.Connection, guild_id: int, hits: Sequence[Hit]) -> list[AskItem]:
    """The hits as /ask shows them, in a reader: title, link, organisation, when added."""
    return [
        AskItem(
            id=r.id,
            title=r.title,
            url=r.url,
            detail=r.organisation_name,
            when=r.created_at,
        )
        for r in _load(conn, [h.id for h in hits])
        if r.guild_id == guild_id
    ]


async def forget_deleted(db: Database) -> None:
    """After a network was deleted (its resources with it): make the terms of deleted
    resources leave the index's pages (a privacy clean-up, declared in `bot.features`)."""
    async with db.transaction():
        for statement in engine.forget_deleted(SOURCE.table):
            await db.execute(statement)
