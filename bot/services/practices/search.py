"""Finding practices on the one search (`bot.services.search`).

One FTS5 index (`practice_index`, migrations/0007) of token text the analyzer writes, every
token led by the network's id: a search reads and scores only its own network. bm25 weighs the
title highest; a word naming a municipality also finds that municipality's practices. Filters
(theme, status, target group, funding, county) are tokens of the `facets` column, so the index
answers, counts and scores a filtered search alone.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bot.db import Database
from bot.services import municipalities
from bot.services import search as engine
from bot.services.practices.model import Practice, load_rows
from bot.services.search import Hit, Query, Source, rank
from bot.services.search.analyzer import word_forms
from bot.services.textnorm import fold

__all__ = [
    "SOURCE",
    "Criteria",
    "SearchResult",
    "ask_hits",
    "ask_items",
    "facet_token",
    "index_practices",
    "search",
    "snippet",
    "titles_matching",
]

PAGE_SIZE = 5
MAX_PER_PAGE = 100
SOURCE = Source(
    name="practices",
    table="practice_index",
    columns=("title", "summary", "body", "organisation", "facets"),
    weights=(10.0, 4.0, 1.5, 3.0, 0.0),
)
FACET = "f"  # the token kind of filter values (beside the analyzer's a, x, m, e)
_FACETS = {"theme": "t", "status": "s", "target": "g", "funding": "u", "county": "c"}


def facet_token(guild_id: int, facet: str, value: str) -> str:
    clean = "".join(c for c in value.lower() if c.isascii() and c.isalnum())
    return f"{guild_id}{FACET}{_FACETS[facet]}{clean}"


@dataclass(frozen=True, slots=True)
class Criteria:
    """What `/practice find` (and export) asks for; state that travels in the pager."""

    query: str | None = None
    municipality: str | None = None  # SCB code
    county: str | None = None  # two-digit county code
    theme: str | None = None
    status: str | None = None
    target: str | None = None
    funding: str | None = None

    def pack(self) -> str:
        parts = [
            self.query,
            self.municipality,
            self.county,
            self.theme,
            self.status,
            self.target,
            self.funding,
        ]
        return "|".join((p or "").replace("%", "%25").replace("|", "%7C") for p in parts)

    @classmethod
    def unpack(cls, state: str) -> Criteria:
        from urllib.parse import unquote

        parts = state.split("|") + [""] * 7
        vals = [unquote(p) or None for p in parts[:7]]
        return cls(*vals)


@dataclass(frozen=True, slots=True)
class SearchResult:
    practices: list[Practice]
    total: int
    page: int
    pages: int
    scored: list[Hit] = field(default_factory=list)
    corrected: dict[str, str] = field(default_factory=dict)


# --- the index -----------------------------------------------------------------------------------


def _document(p: Any) -> tuple[Any, ...]:
    import json

    guild_id = int(p["guild_id"])
    codes = json.loads(p["municipalities"])
    places = [m for m in (municipalities.by_code(c) for c in codes) if m is not None]
    organisation = " ".join([*json.loads(p["organisations"]), *(m.name for m in places)])
    body = "\n".join([p["description"], p["success_factors"], p["lessons"]])
    # Theme and target words are searchable too ("ensamkommande", "praktik").
    fields = {
        "title": p["title"],
        "summary": p["summary"],
        "body": body,
        "organisation": organisation,
        "facets": "",
    }
    row = list(engine.document_row(SOURCE, guild_id, fields, codes))
    facets = [
        *(facet_token(guild_id, "theme", t) for t in json.loads(p["themes"])),
        *(facet_token(guild_id, "target", t) for t in json.loads(p["targets"])),
        *(facet_token(guild_id, "funding", t) for t in json.loads(p["funding"])),
        facet_token(guild_id, "status", p["status"]),
        *(facet_token(guild_id, "county", m.county_code) for m in places),
    ]
    row[-1] = f"{row[-1]} {' '.join(facets)}".strip()
    return (int(p["id"]), *row)


async def _analyzer_ready() -> None:
    if not engine.loaded():
        await asyncio.to_thread(engine.warm)


async def index_practices(db: Database, ids: Iterable[int]) -> None:
    """(Re)write the index documents of these practices (archived ones leave the index).
    Runs inside the caller's transaction when there is one."""
    wanted = sorted(set(ids))
    if not wanted:
        return
    await _analyzer_ready()
    marks = ",".join("?" * len(wanted))
    rows = await db.fetchall(
        "SELECT id, guild_id, title, summary, description, success_factors, lessons,"
        " organisations, municipalities, themes, targets, funding, status FROM practices"
        f" WHERE id IN ({marks}) AND archived_at IS NULL",
        wanted,
    )
    docs = await asyncio.to_thread(lambda: [_document(r) for r in rows])
    async with db.transaction():
        await db.execute(f"DELETE FROM practice_index WHERE rowid IN ({marks})", wanted)
        await db.executemany(
            "INSERT INTO practice_index (rowid, title, summary, body, organisation, facets)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            docs,
        )


def documents(rows: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Index rows for practice rows (for bulk writers: the import, the bench's seeds)."""
    return [_document(r) for r in rows]


# --- search --------------------------------------------------------------------------------------


def _with_places(query: Query) -> Query:
    terms = []
    for term in query.terms:
        word = term.word
        place = municipalities.resolve(word) if word is not None and len(word) >= 4 else None
        terms.append(
            term if place is None else engine.Term(term.text, term.alternatives, place.code)
        )
    return Query(tuple(terms), query.short, query.corrected)


def _match(guild_id: int, query: Query, c: Criteria) -> str:
    parts: list[str] = []
    text = engine.expression(guild_id, query.terms)
    if text:
        parts.append(text)
    if c.municipality:
        parts.append(
            engine.expression(
                guild_id, (engine.Term(c.municipality, (), c.municipality),), "organisation"
            )
            or ""
        )
    for facet in ("theme", "status", "target", "funding", "county"):
        value = getattr(c, facet)
        if value:
            parts.append(f'facets : "{facet_token(guild_id, facet, value)}"')
    if not parts:
        parts.append(f'"{engine.every_document(guild_id)}"')
    return " AND ".join(f"({p})" for p in parts if p)


def _page(
    conn: sqlite3.Connection, match: str, offset: int, limit: int
) -> tuple[list[tuple[int, float]], int]:
    """(id, score) of the page's practices, and how many match: best first, then by title (a
    match of more than `rank.BOUND` practices: the newest of them first)."""
    return rank.page(
        conn, SOURCE, match, offset, limit, rows="practices", order="t.title_key, t.id"
    )


def _search(
    conn: sqlite3.Connection, guild_id: int, query: Query, c: Criteria, page: int, per_page: int
) -> tuple[list[Hit], list[Practice], int, int, dict[str, str]]:
    found, total = _page(conn, _match(guild_id, query, c), page * per_page, per_page)
    if total == 0 and query.terms:
        corrected = engine.correct_typos(conn, SOURCE, guild_id, query)
        if corrected is not None:
            query = corrected
            found, total = _page(conn, _match(guild_id, query, c), page * per_page, per_page)
    if not found and total > 0:
        page = max(0, -(-total // per_page) - 1)
        found, total = _page(conn, _match(guild_id, query, c), page * per_page, per_page)
    hits = (
        engine.explain(conn, SOURCE, guild_id, query, found)
        if query.terms
        else [Hit(SOURCE.name, i, s) for i, s in found]
    )
    return hits, load_rows(conn, [i for i, _ in found]), total, page, dict(query.corrected)


async def search(
    db: Database,
    guild_id: int,
    criteria: Criteria = Criteria(),
    *,
    page: int = 0,
    per_page: int = PAGE_SIZE,
) -> SearchResult:
    """Current practices of this network that match every criterion, best first (bm25, the
    title weighted), then by title. Another network's practices are never read."""
    await _analyzer_ready()
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    page = max(page, 0)
    query = _with_places(engine.parse(criteria.query))
    hits, found, total, page, corrected = await db.read(
        lambda conn: _search(conn, guild_id, query, criteria, page, per_page)
    )
    pages = max(1, -(-total // per_page))
    return SearchResult(found, total, min(page, pages - 1), pages, hits, corrected)


async def titles_matching(
    db: Database, guild_id: int, current: str, limit: int = 25
) -> list[tuple[int, str]]:
    """(id, title) of current practices whose title holds the words typed (autocomplete):
    the title words of the index first, else the folded title as a substring."""
    text = (current or "").strip()
    if not text:
        rows = await db.fetchall(
            "SELECT id, title FROM practices WHERE guild_id = ? AND archived_at IS NULL"
            " ORDER BY changed_at DESC LIMIT ?",
            (guild_id, limit),
        )
        return [(int(r[0]), r[1]) for r in rows]
    await _analyzer_ready()
    query = engine.parse(text)
    out: list[tuple[int, str]] = []
    expression = engine.expression(guild_id, query.terms, "title")
    if expression:
        rows = await db.fetchall(
            "SELECT p.id, p.title FROM practice_index i JOIN practices p ON p.id = i.rowid"
            " WHERE practice_index MATCH ? AND p.guild_id = ?"
            f" ORDER BY {SOURCE.bm25()}, p.title_key LIMIT ?",
            (expression, guild_id, limit),
        )
        out = [(int(r[0]), r[1]) for r in rows]
    if not out:
        key = "%" + fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = await db.fetchall(
            "SELECT id, title FROM practices WHERE guild_id = ? AND archived_at IS NULL"
            " AND title_key LIKE ? ESCAPE '\\' ORDER BY title_key LIMIT ?",
            (guild_id, key, limit),
        )
        out = [(int(r[0]), r[1]) for r in rows]
    return out


async def resolve(db: Database, guild_id: int, typed: str) -> int | None:
    """The practice a typed value names: an autocomplete value ("p:<id>"), or a title typed
    in full or in words (the best match). Never a bare number alone."""
    value = (typed or "").strip()
    if value.startswith("p:"):
        from bot.services.text import parse_id

        pid = parse_id(value[2:])
        if pid is not None:
            ok = await db.fetchval(
                "SELECT 1 FROM practices WHERE id = ? AND guild_id = ? AND archived_at IS NULL",
                (pid, guild_id),
            )
            return pid if ok else None
        return None
    exact = await db.fetchval(
        "SELECT id FROM practices WHERE guild_id = ? AND archived_at IS NULL AND title_key = ?",
        (guild_id, fold(value)),
    )
    if exact is not None:
        return int(exact)
    found = await titles_matching(db, guild_id, value, limit=1)
    return found[0][0] if found else None


# --- snippets ------------------------------------------------------------------------------------


_MARKDOWN = re.compile(r"([\\*_~`|>#\[\]()<@-])")


def escape_markdown(text: str) -> str:
    """Text that shows as typed in Discord's markdown (no formatting, no links)."""
    return _MARKDOWN.sub(r"\\\1", text)


def _matched_terms(hit: Hit | None) -> set[str]:
    return {m.matched for m in hit.matched if m.via != "place"} if hit else set()


@lru_cache(maxsize=8192)
def _forms(word: str) -> tuple[str, ...]:
    return tuple(form for _kind, form in word_forms(word))


def _word_matches(word: str, terms: set[str]) -> bool:
    for form in _forms(word):
        for t in terms:
            if form == t or (len(t) >= 3 and form.startswith(t)):
                return True
    return False


def snippet(text: str, hit: Hit | None, *, width: int = 160) -> str:
    """`text` around the first word that matched, the matching words in **bold** (the rest
    escaped, so user text never formats); the start of `text` when nothing in it matched."""
    terms = _matched_terms(hit)
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    marked = [s for s in spans if terms and _word_matches(text[s[0] : s[1]], terms)]
    if marked:
        start = max(0, marked[0][0] - width // 3)
        # Start at a word boundary.
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    else:
        start = 0
    end = min(len(text), start + width)
    out: list[str] = ["…" if start > 0 else ""]
    at = start
    for s, e in marked:
        if s < start or e > end:
            continue
        out.append(escape_markdown(text[at:s]))
        out.append("**" + escape_markdown(text[s:e]) + "**")
        at = e
    out.append(escape_markdown(text[at:end]))
    if end < len(text):
        out.append("…")
    return " ".join("".join(out).split())


_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)


# --- /ask ----------------------------------------------------------------------------------


def ask_hits(conn: sqlite3.Connection, guild_id: int, q: Any) -> list[Hit]:
    """The practices that answer a question (an `AskQuery`), in a reader: any of its terms may
    match, the title weighted; archived practices are not in the index."""
    from bot.services.ask.source import search_index

    return search_index(conn, SOURCE, guild_id, q)


def ask_items(conn: sqlite3.Connection, guild_id: int, hits: Sequence[Hit]) -> list[Any]:
    """The hits as /ask shows them, in a reader: the practice's title, its forum post, its
    summary."""
    from bot.services.ask.source import AskItem

    if not hits:
        return []
    marks = ",".join("?" * len(hits))
    rows = conn.execute(
        f"SELECT id, title, summary, thread_id FROM practices WHERE +guild_id = ?"
        f" AND +archived_at IS NULL AND id IN ({marks})",
        (guild_id, *[h.id for h in hits]),
    ).fetchall()
    by_id = {int(r["id"]): r for r in rows}
    items = []
    for hit in hits:
        row = by_id.get(hit.id)
        if row is None:
            continue
        thread = row["thread_id"]
        url = f"https://discord.com/channels/{guild_id}/{thread}" if thread else None
        items.append(AskItem(id=hit.id, title=row["title"], url=url, detail=row["summary"]))
    return items
