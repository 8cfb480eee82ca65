"""The directory: profiles as readers see them, the search index, and `/contact find`.

Search runs on the one search (`bot.services.search`, index shape in
migrations/0004_search.sql): Swedish stems, ASCII spellings for ASCII queries ("Soderhamn"
finds Söderhamn), compound parts ("samordnare" finds "integrationssamordnare"), the field's
thesaurus (TMO, SFI, AF …) and a typo fallback when nothing matches. Every token of the index
carries the network's id, so a search reads and scores only its own network. Results are ranked
by bm25 with the name weighted highest, then by name (a match of more than
`rank.BOUND` people: the newest of them first, so that a page scores only those); a page, its
count and its profiles are read in one call to a read-only connection, with a fixed number of
queries whatever its size.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from babel import Locale

from bot.db import Database
from bot.i18n import Lang, has, t
from bot.services import municipalities
from bot.services import search as engine
from bot.services.contact_fields import display_phone
from bot.services.search import Hit, Query, Source, rank
from bot.services.textnorm import fold

__all__ = [
    "LANGUAGE_EXTRAS",
    "SOURCE",
    "FunctionRef",
    "Profile",
    "SearchResult",
    "VacantFunction",
    "from_iso",
    "index_profiles",
    "iso",
    "language_name",
    "load_profiles",
    "profile_id",
    "reindex_dirty",
    "search",
    "vacant_functions",
]

PAGE_SIZE = 5
MAX_PER_PAGE = 100
# The directory's index and the bm25 weights of its columns.
SOURCE = Source(
    name="directory",
    table="directory_index",
    columns=("name", "title", "functions", "expertise", "organisation", "other"),
    weights=(10.0, 6.0, 6.0, 4.0, 3.0, 1.0),
)


def iso(when: datetime) -> str:
    """A timestamp as stored: UTC, 'YYYY-MM-DDTHH:MM:SSZ' (the schema's default format)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(text: str) -> datetime:
    """The stored timestamp `text` (`iso`'s format; anything else is a `ValueError`)."""
    digits = text[0:4] + text[5:7] + text[8:10] + text[11:13] + text[14:16] + text[17:19]
    if (
        len(text) == 20
        and text[4] == text[7] == "-"
        and text[10] == "T"
        and text[13] == text[16] == ":"
        and text[19] == "Z"
        and digits.isascii()
        and digits.isdigit()
    ):
        # What strptime would answer, without its cost (every hit of every search has three).
        return datetime(
            int(text[0:4]),
            int(text[5:7]),
            int(text[8:10]),
            int(text[11:13]),
            int(text[14:16]),
            int(text[17:19]),
            tzinfo=UTC,
        )
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


# Languages newcomers speak that CLDR (Babel) has no name for; the names live in the catalogues
# under `directory.language.<code>`.
LANGUAGE_EXTRAS: dict[str, tuple[str, ...]] = {
    "prs": ("dari",),
    "swl": ("svenskt teckensprak", "swedish sign language", "teckensprak", "sign language"),
    "kmr": ("kurmanji", "nordkurdiska", "northern kurdish"),
}


def language_name(code: str, lang: str) -> str:
    """A language's name in the reader's language ("arabiska" / "Arabic"): CLDR's (Babel) where
    it has one, else the catalogue's `directory.language.<code>` ("dari" / "Dari"), else the
    code."""
    reader: Lang = "sv" if lang == "sv" else "en"
    found = Locale(reader).languages.get(code)
    if found:
        return found
    key = f"directory.language.{code}"
    return t(reader, key) if has(reader, key) else code


@dataclass(frozen=True, slots=True)
class FunctionRef:
    """A function a person holds, as shown on their card."""

    id: int
    name: str
    organisation_name: str


@dataclass(frozen=True, slots=True)
class Profile:
    """One person's directory entry, with everything a card shows."""

    id: int
    guild_id: int
    user_id: int
    display_name: str
    title: str | None
    # The organisation is the membership's (members.organisation_id), shown here for the card.
    organisation_id: int | None
    organisation_name: str | None
    municipality_code: str | None
    department: str | None
    email: str | None
    phone: str | None
    contact_ok: bool
    visibility: str
    created_at: datetime
    updated_at: datetime
    confirmed_at: datetime
    reminded_at: datetime | None
    expertise: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    functions: tuple[FunctionRef, ...] = ()

    @property
    def hidden(self) -> bool:
        return self.visibility == "hidden"

    def unconfirmed(self, now: datetime, confirm_after_days: int) -> bool:
        """Older than the network's confirmation period."""
        return self.confirmed_at < now - timedelta(days=confirm_after_days)

    @property
    def municipality_name(self) -> str | None:
        if self.municipality_code is None:
            return None
        found = municipalities.by_code(self.municipality_code)
        return found.name if found else None


@dataclass(frozen=True, slots=True)
class VacantFunction:
    """A function nobody holds at the moment."""

    id: int
    name: str
    organisation_name: str
    vacated_at: datetime | None


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[Profile]
    total: int
    page: int
    pages: int
    confirm_after_days: int
    vacant: list[VacantFunction] = field(default_factory=list)
    # The same hits as the one search's shape: score and what matched, in the same order.
    scored: list[Hit] = field(default_factory=list)
    # Query words the index did not hold, and the network's words searched instead.
    corrected: dict[str, str] = field(default_factory=dict)


_PROFILE_COLUMNS = """
    p.id, p.guild_id, p.user_id, p.display_name, p.title, m.organisation_id,
    o.name AS organisation_name, o.municipality_code, p.department, p.email, p.phone,
    p.contact_ok, p.visibility, p.created_at, p.updated_at, p.confirmed_at, p.reminded_at
"""
# A person's organisation is their membership's (members.organisation_id), never the profile's:
# every read of it goes from the profile through the member row.
_WITH_ORGANISATION = (
    " JOIN members m ON m.guild_id = p.guild_id AND m.user_id = p.user_id"
    " LEFT JOIN organisations o ON o.id = m.organisation_id"
)


async def profile_id(db: Database, guild_id: int, user_id: int) -> int | None:
    value = await db.fetchval(
        "SELECT id FROM profiles WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
    )
    return None if value is None else int(value)


async def load_profiles(db: Database, ids: Sequence[int]) -> list[Profile]:
    """Profiles by id, in the order given, with expertise, languages and functions (4 queries
    in one call to a reader)."""
    if not ids:
        return []
    wanted = list(ids)
    return await db.read(lambda conn: read_profiles(conn, wanted))


def read_profiles(conn: sqlite3.Connection, ids: Sequence[int]) -> list[Profile]:
    """`load_profiles` in a reader the caller already holds."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT {_PROFILE_COLUMNS} FROM profiles p{_WITH_ORGANISATION} WHERE p.id IN ({marks})",
        list(ids),
    ).fetchall()
    tags: dict[int, list[str]] = {}
    for r in conn.execute(
        f"SELECT profile_id, tag FROM profile_expertise WHERE profile_id IN ({marks})"
        " ORDER BY profile_id, position",
        list(ids),
    ):
        tags.setdefault(int(r["profile_id"]), []).append(r["tag"])
    langs: dict[int, list[str]] = {}
    for r in conn.execute(
        f"SELECT profile_id, language FROM profile_languages WHERE profile_id IN ({marks})"
        " ORDER BY profile_id, position",
        list(ids),
    ):
        langs.setdefault(int(r["profile_id"]), []).append(r["language"])
    held: dict[int, list[FunctionRef]] = {}
    for r in conn.execute(
        "SELECT p.id AS pid, f.id, f.name, o.name AS org FROM profiles p"
        " JOIN functions f ON f.guild_id = p.guild_id AND f.holder_user_id = p.user_id"
        " JOIN organisations o ON o.id = f.organisation_id"
        f" WHERE p.id IN ({marks}) AND f.archived_at IS NULL ORDER BY f.name_key",
        list(ids),
    ):
        held.setdefault(int(r["pid"]), []).append(FunctionRef(r["id"], r["name"], r["org"]))
    by_id = {int(r["id"]): _profile(r, tags, langs, held) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def _profile(
    r: Any,
    tags: dict[int, list[str]],
    langs: dict[int, list[str]],
    held: dict[int, list[FunctionRef]],
) -> Profile:
    pid = int(r["id"])
    return Profile(
        id=pid,
        guild_id=int(r["guild_id"]),
        user_id=int(r["user_id"]),
        display_name=r["display_name"],
        title=r["title"],
        organisation_id=r["organisation_id"],
        organisation_name=r["organisation_name"],
        municipality_code=r["municipality_code"],
        department=r["department"],
        email=r["email"],
        phone=display_phone(r["phone"]),  # stored E.164 (or the older display form)
        contact_ok=bool(r["contact_ok"]),
        visibility=r["visibility"],
        created_at=from_iso(r["created_at"]),
        updated_at=from_iso(r["updated_at"]),
        confirmed_at=from_iso(r["confirmed_at"]),
        reminded_at=from_iso(r["reminded_at"]) if r["reminded_at"] else None,
        expertise=tuple(tags.get(pid, ())),
        languages=tuple(langs.get(pid, ())),
        functions=tuple(held.get(pid, ())),
    )


# --- the index ----------------------------------------------------------------------------------


def _language_words(code: str) -> str:
    words = [language_name(code, "sv"), language_name(code, "en"), *LANGUAGE_EXTRAS.get(code, ())]
    return " ".join(words)


async def _analyzer_ready() -> None:
    # The word list behind compound splitting loads once, in about a second: off the loop.
    if not engine.loaded():
        await asyncio.to_thread(engine.warm)


def _documents(rows: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Index rows (rowid and token text per column) of the profiles members may find."""
    docs: list[tuple[Any, ...]] = []
    for r in rows:
        if r["visibility"] != "members" or r["left_at"] is not None:
            continue
        code = r["municipality_code"]
        place = municipalities.by_code(code) if code else None
        organisation = " ".join(x for x in (r["org"], place.name if place else None) if x)
        other = " ".join(
            [r["department"] or "", *(_language_words(c) for c in (r["langs"] or "").split())]
        )
        fields = {
            "name": r["display_name"],
            "title": r["title"] or "",
            "functions": r["fnames"] or "",
            "expertise": r["tags"] or "",
            "organisation": organisation,
            "other": other,
        }
        row = engine.document_row(SOURCE, int(r["guild_id"]), fields, [code] if code else [])
        docs.append((int(r["id"]), *row))
    return docs


async def index_profiles(db: Database, ids: Iterable[int]) -> None:
    """(Re)write the search documents of these profiles. Call inside the writing transaction.

    Only what a member may find is indexed: visible profiles of current members. Others are
    removed from the index (and come back when shown again or when the member returns)."""
    wanted = sorted(set(ids))
    if not wanted:
        return
    await _analyzer_ready()
    marks = ",".join("?" * len(wanted))
    rows = await db.fetchall(
        "SELECT p.id, p.guild_id, p.display_name, p.title, p.department, o.name AS org,"
        " o.municipality_code, p.visibility, m.left_at,"
        " (SELECT group_concat(f.name, ' | ') FROM functions f WHERE f.guild_id = p.guild_id"
        "   AND f.holder_user_id = p.user_id AND f.archived_at IS NULL) AS fnames,"
        " (SELECT group_concat(e.tag, ' | ') FROM profile_expertise e"
        "   WHERE e.profile_id = p.id) AS tags,"
        " (SELECT group_concat(l.language, ' ') FROM profile_languages l"
        "   WHERE l.profile_id = p.id) AS langs"
        f" FROM profiles p{_WITH_ORGANISATION} WHERE p.id IN ({marks})",
        wanted,
    )
    # Analysing text is CPU work (a whole network after an upgrade): off the event loop.
    docs = await asyncio.to_thread(_documents, rows)
    async with db.transaction():
        await db.execute(f"DELETE FROM directory_index WHERE rowid IN ({marks})", wanted)
        await db.executemany(
            "INSERT INTO directory_index"
            " (rowid, name, title, functions, expertise, organisation, other)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            docs,
        )
        await db.execute(f"UPDATE profiles SET index_dirty = 0 WHERE id IN ({marks})", wanted)


async def reindex_dirty(db: Database, guild_id: int) -> int:
    """Re-index profiles whose organisation changed (renamed, moved, or another one picked at
    onboarding) since they were indexed; returns how many."""
    ids = [
        int(r["id"])
        for r in await db.fetchall(
            "SELECT id FROM profiles WHERE guild_id = ? AND index_dirty = 1", (guild_id,)
        )
    ]
    await index_profiles(db, ids)
    return len(ids)


async def forget_erased(db: Database) -> None:
    """After people were erased: make their terms leave the index's pages (FTS5 keeps deleted
    terms in its segments until they are merged) and, once nothing is left uncommitted, the
    write-ahead log. The directory declares it as a privacy clean-up (`bot.features`), run
    after `erase`, `purge_leavers` and the deletion of a network."""
    async with db.transaction():
        for statement in engine.forget_deleted(SOURCE.table):
            await db.execute(statement)
    if not db.in_transaction:
        await db.checkpoint()


async def holder_profile_ids(db: Database, guild_id: int, user_ids: Iterable[int]) -> list[int]:
    users = sorted(set(user_ids))
    if not users:
        return []
    marks = ",".join("?" * len(users))
    rows = await db.fetchall(
        f"SELECT id FROM profiles WHERE guild_id = ? AND user_id IN ({marks})", [guild_id, *users]
    )
    return [int(r["id"]) for r in rows]


# --- search -------------------------------------------------------------------------------------


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@lru_cache(maxsize=4096)
def _place_code(word: str) -> str | None:
    """The code of the municipality `word` names (fuzzy matching is costly: remembered)."""
    place = municipalities.resolve(word)
    return place.code if place is not None else None


def _with_places(query: Query) -> Query:
    """A word that names a municipality (also misspelt: "Soderhamm") matches its people too."""
    terms = []
    for term in query.terms:
        word = term.word
        code = _place_code(word) if word is not None else None
        terms.append(term if code is None else engine.Term(term.text, term.alternatives, code))
    return Query(tuple(terms), query.short, query.corrected)


@dataclass(frozen=True, slots=True)
class _Plan:
    guild_id: int
    query: Query
    expertise: Query
    municipality_code: str | None
    offset: int
    limit: int

    def match(self) -> str | None:
        parts = [
            engine.expression(self.guild_id, self.query.terms),
            engine.expression(self.guild_id, self.expertise.terms, "expertise"),
        ]
        if self.municipality_code is not None:
            parts.append(
                engine.expression(
                    self.guild_id,
                    (engine.Term(self.municipality_code, (), self.municipality_code),),
                    "organisation",
                )
            )
        found = [p for p in parts if p]
        return " AND ".join(f"({p})" for p in found) if found else None

    def filters(self) -> tuple[str, list[Any]]:
        sql = ""
        params: list[Any] = []
        # Words too short for the index filter on the folded name (and tags) instead.
        for word in self.query.short:
            sql += " AND p.name_key LIKE ? ESCAPE '\\'"
            params.append("%" + _like(fold(word)) + "%")
        for word in self.expertise.short:
            sql += (
                " AND p.id IN (SELECT profile_id FROM profile_expertise"
                " WHERE guild_id = ? AND tag_key LIKE ? ESCAPE '\\')"
            )
            params += [self.guild_id, _like(fold(word)) + "%"]
        return sql, params


_VISIBLE = (
    " JOIN members m ON m.guild_id = p.guild_id AND m.user_id = p.user_id"
    " WHERE p.guild_id = ? AND p.visibility = 'members' AND m.left_at IS NULL"
)


# Rows fetched past a page to order equal scores by name; more ties than this (hundreds of
# identical entries) fall back to ordering the whole set in SQL.
_TIE_ROOM = 50


def _page(conn: sqlite3.Connection, plan: _Plan) -> tuple[list[tuple[int, float]], int]:
    """(id, score) of the page's profiles, and how many match in all."""
    match = plan.match()
    extra, extra_params = plan.filters()
    if extra:
        return _page_joined(conn, plan, match, extra, extra_params)
    table = SOURCE.table
    if match is None:
        # Everyone visible, by name: the index counts them, the name index pages them.
        total = conn.execute(
            f"SELECT COUNT(*) FROM {table} WHERE {table} MATCH ?",
            (f'"{engine.every_document(plan.guild_id)}"',),
        ).fetchone()[0]
        rows = conn.execute(
            f"SELECT p.id FROM profiles p{_VISIBLE} ORDER BY p.name_key, p.id LIMIT ? OFFSET ?",
            (plan.guild_id, plan.limit, plan.offset),
        ).fetchall()
        return [(int(r[0]), 0.0) for r in rows], int(total)
    # The index holds only what members may find, and only this network's terms are read:
    # it counts the matches, and scores them in C, handing over only the best ones; a broad
    # match scores its newest entries first (`bot.services.search.rank`).
    total = int(
        conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {table} MATCH ?", (match,)).fetchone()[0]
    )
    if total == 0 or plan.offset >= total:
        return [], total
    page: list[tuple[int, float]] = []
    for part in rank.parts(conn, SOURCE, match, total, plan.offset, plan.limit):
        page += _part_page(conn, plan, match, part)
    return page, total


def _part_page(
    conn: sqlite3.Connection, plan: _Plan, match: str, part: rank.Part
) -> list[tuple[int, float]]:
    table = SOURCE.table
    wanted = part.offset + part.limit
    best = conn.execute(
        f"SELECT rowid, {SOURCE.bm25()} AS score FROM {table} WHERE {table} MATCH ?{part.where}"
        " ORDER BY score LIMIT ?",
        (match, *part.params, wanted + _TIE_ROOM),
    ).fetchall()
    if not best:
        return []
    boundary = best[min(wanted, len(best)) - 1][1]
    candidates = [(int(r[0]), float(r[1])) for r in best if r[1] <= boundary]
    if len(candidates) == len(best) and len(best) < part.total:
        # Too many entries score the same at the page's edge to order them here.
        found, _ = _page_joined(conn, plan, match, "", [], part)
        return found
    # Equal scores are ordered by name, as everywhere in the directory.
    marks = ",".join("?" * len(candidates))
    names = dict(
        conn.execute(
            f"SELECT id, name_key FROM profiles WHERE id IN ({marks})",
            [i for i, _ in candidates],
        ).fetchall()
    )
    candidates.sort(key=lambda c: (c[1], names.get(c[0], ""), c[0]))
    return [(i, -score) for i, score in candidates[part.offset : wanted]]


def _page_joined(
    conn: sqlite3.Connection,
    plan: _Plan,
    match: str | None,
    extra: str,
    extra_params: list[Any],
    part: rank.Part | None = None,
) -> tuple[list[tuple[int, float]], int]:
    """The page with filters the index cannot answer (words too short for it), or of one
    part of a broad match whose scores tie at the page's edge."""
    offset, limit = (part.offset, part.limit) if part else (plan.offset, plan.limit)
    if match is None:
        base = f" FROM profiles p{_VISIBLE}{extra}"
        params: list[Any] = [plan.guild_id, *extra_params]
        total = int(conn.execute("SELECT COUNT(*)" + base, params).fetchone()[0])
        rows = conn.execute(
            "SELECT p.id, 0.0" + base + " ORDER BY p.name_key, p.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return [(int(r[0]), 0.0) for r in rows], total
    narrowed = part.where.replace("rowid", f"{SOURCE.table}.rowid") if part else ""
    scored = (
        f"WITH scored(id, score) AS MATERIALIZED (SELECT rowid, {SOURCE.bm25()}"
        f" FROM {SOURCE.table} WHERE {SOURCE.table} MATCH ?{narrowed})"
    )
    joined = f" FROM scored CROSS JOIN profiles p ON p.id = scored.id{_VISIBLE}{extra}"
    params = [match, *(part.params if part else ()), plan.guild_id, *extra_params]
    rows = conn.execute(
        scored
        + " SELECT p.id, scored.score, COUNT(*) OVER () AS total"
        + joined
        + " ORDER BY scored.score, p.name_key, p.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    if not rows:
        if offset == 0:
            return [], 0
        count = conn.execute(scored + " SELECT COUNT(*)" + joined, params).fetchone()[0]
        return [], int(count)
    return [(int(r[0]), -float(r[1])) for r in rows], int(rows[0][2])


@dataclass(frozen=True, slots=True)
class _Read:
    scored: list[Hit]
    profiles: list[Profile]
    total: int
    page: int
    vacant: list[VacantFunction]
    days: int
    corrected: dict[str, str]


def _search(
    conn: sqlite3.Connection, plan: _Plan, page: int, per_page: int, *, check: bool = True
) -> _Read | None:
    """The whole search in one call to a reader: the page, its count, the typo fallback, the
    explanations, the profiles, the vacant functions and the network's period. None when
    profiles of the network wait to be re-indexed (by the writer, first)."""
    if (
        check
        and conn.execute(
            "SELECT 1 FROM profiles WHERE guild_id = ? AND index_dirty = 1 LIMIT 1",
            (plan.guild_id,),
        ).fetchone()
    ):
        return None
    found, total = _page(conn, plan)
    if total == 0 and plan.offset == 0 and plan.query.terms:
        corrected = engine.correct_typos(conn, SOURCE, plan.guild_id, plan.query)
        if corrected is not None:
            plan = _Plan(
                plan.guild_id, corrected, plan.expertise, plan.municipality_code, 0, plan.limit
            )
            found, total = _page(conn, plan)
    if not found and total > 0:  # past the end: show the last page
        page = max(0, -(-total // per_page) - 1)
        plan = _Plan(
            plan.guild_id,
            plan.query,
            plan.expertise,
            plan.municipality_code,
            page * per_page,
            plan.limit,
        )
        found, total = _page(conn, plan)
    terms = Query(plan.query.terms + plan.expertise.terms, (), plan.query.corrected)
    hits = engine.explain(conn, SOURCE, plan.guild_id, terms, found)
    people = read_profiles(conn, [i for i, _ in found])
    vacant = (
        _vacant(conn, plan.guild_id, plan.municipality_code, 25)
        if plan.municipality_code is not None
        else []
    )
    days = conn.execute(
        "SELECT confirm_after_days FROM networks WHERE guild_id = ?", (plan.guild_id,)
    ).fetchone()
    return _Read(
        hits,
        people,
        total,
        page,
        vacant,
        int(days[0]) if days and days[0] else 183,
        dict(plan.query.corrected),
    )


async def search(
    db: Database,
    guild_id: int,
    *,
    query: str | None = None,
    municipality_code: str | None = None,
    expertise: str | None = None,
    page: int = 0,
    per_page: int = PAGE_SIZE,
) -> SearchResult:
    """Visible profiles of current members of this network that match every criterion.

    `query` matches name, title, organisation (and its municipality), functions, expertise,
    department and languages; each of its terms must match somewhere, and a term that names a
    municipality (also misspelt: "Soderhamm") matches that municipality's people too. When the
    query finds nobody, words the network's index does not hold are replaced by the closest
    ones it does ("Uddevala" → "uddevalla"). `expertise` matches the expertise tags only.
    Hidden profiles, people who left and other networks never appear. `page` counts from 0;
    a page past the end shows the last one.
    """
    await _analyzer_ready()
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    page = max(page, 0)
    plan = _Plan(
        guild_id,
        _with_places(engine.parse(query)),
        engine.parse(expertise),
        municipality_code,
        page * per_page,
        per_page,
    )
    read = await db.read(lambda conn: _search(conn, plan, page, per_page))
    if read is None:  # an organisation renamed, a member who left …: re-index, then search
        await reindex_dirty(db, guild_id)
        read = await db.read(lambda conn: _search(conn, plan, page, per_page, check=False))
    assert read is not None
    pages = max(1, -(-read.total // per_page))
    return SearchResult(
        hits=read.profiles,
        total=read.total,
        page=min(read.page, pages - 1),
        pages=pages,
        confirm_after_days=read.days,
        vacant=read.vacant,
        scored=read.scored,
        corrected=read.corrected,
    )


async def vacant_functions(
    db: Database, guild_id: int, *, municipality_code: str | None = None, limit: int = 25
) -> list[VacantFunction]:
    """Functions nobody holds, of the network or of one municipality's organisations."""
    return await db.read(lambda conn: _vacant(conn, guild_id, municipality_code, limit))


def _vacant(
    conn: sqlite3.Connection, guild_id: int, municipality_code: str | None, limit: int
) -> list[VacantFunction]:
    sql = (
        "SELECT f.id, f.name, o.name AS org, f.vacated_at FROM functions f"
        " JOIN organisations o ON o.id = f.organisation_id"
        " WHERE f.guild_id = ? AND f.holder_user_id IS NULL AND f.archived_at IS NULL"
    )
    params: list[Any] = [guild_id]
    if municipality_code is not None:
        sql += " AND o.municipality_code = ?"
        params.append(municipality_code)
    sql += " ORDER BY o.name, f.name_key LIMIT ?"
    params.append(limit)
    return [
        VacantFunction(
            int(r["id"]),
            r["name"],
            r["org"],
            from_iso(r["vacated_at"]) if r["vacated_at"] else None,
        )
        for r in conn.execute(sql, params).fetchall()
    ]
