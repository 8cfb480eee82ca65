"""The directory: profiles as readers see them, the search index, and `/contact find`.

Search runs on an FTS5 index with the trigram tokenizer over folded text (see
migrations/0003_directory.sql): every term of three or more characters matches anywhere inside
a word, so "samordnare" finds "integrationssamordnare" and "Soderhamn" finds Söderhamn. Results
are ranked by bm25 with the name weighted highest, then by name; a page is loaded with a fixed
number of queries whatever its size (no query per hit).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from babel import Locale

from bot.db import Database
from bot.services import municipalities
from bot.services.contact_fields import display_phone
from bot.services.textnorm import fold

__all__ = [
    "LANGUAGE_EXTRAS",
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
]

PAGE_SIZE = 5
# Below three characters a term cannot use the trigram index; it filters on the name instead.
MIN_INDEXED_TERM = 3
MAX_TERMS = 8
# bm25 weights of the columns: name, title, functions, expertise, organisation, other.
_WEIGHTS = "10.0, 6.0, 6.0, 4.0, 3.0, 1.0"


def iso(when: datetime) -> str:
    """A timestamp as stored: UTC, 'YYYY-MM-DDTHH:MM:SSZ' (the schema's default format)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


# Languages newcomers speak that CLDR (Babel) has no name for; the names live in the catalogues
# under `directory.language.<code>`.
LANGUAGE_EXTRAS: dict[str, tuple[str, ...]] = {
    "prs": ("dari",),
    "swl": ("svenskt teckensprak", "swedish sign language", "teckensprak", "sign language"),
    "kmr": ("kurmanji", "nordkurdiska", "northern kurdish"),
}


def language_name(code: str, lang: str) -> str:
    """A language's name in the reader's language ("arabiska" / "Arabic"), else the code."""
    names = Locale("sv" if lang == "sv" else "en").languages
    return names.get(code) or code


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
    """Profiles by id, in the order given, with expertise, languages and functions (4 queries)."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = await db.fetchall(
        f"SELECT {_PROFILE_COLUMNS} FROM profiles p{_WITH_ORGANISATION} WHERE p.id IN ({marks})",
        list(ids),
    )
    tags: dict[int, list[str]] = {}
    for r in await db.fetchall(
        f"SELECT profile_id, tag FROM profile_expertise WHERE profile_id IN ({marks})"
        " ORDER BY profile_id, position",
        list(ids),
    ):
        tags.setdefault(int(r["profile_id"]), []).append(r["tag"])
    langs: dict[int, list[str]] = {}
    for r in await db.fetchall(
        f"SELECT profile_id, language FROM profile_languages WHERE profile_id IN ({marks})"
        " ORDER BY profile_id, position",
        list(ids),
    ):
        langs.setdefault(int(r["profile_id"]), []).append(r["language"])
    held: dict[int, list[FunctionRef]] = {}
    for r in await db.fetchall(
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


async def index_profiles(db: Database, ids: Iterable[int]) -> None:
    """(Re)write the search documents of these profiles. Call inside the writing transaction."""
    wanted = sorted(set(ids))
    if not wanted:
        return
    marks = ",".join("?" * len(wanted))
    rows = await db.fetchall(
        "SELECT p.id, p.display_name, p.title, p.department, o.name AS org,"
        " o.municipality_code,"
        " (SELECT group_concat(f.name, ' | ') FROM functions f WHERE f.guild_id = p.guild_id"
        "   AND f.holder_user_id = p.user_id AND f.archived_at IS NULL) AS fnames,"
        " (SELECT group_concat(e.tag, ' | ') FROM profile_expertise e"
        "   WHERE e.profile_id = p.id) AS tags,"
        " (SELECT group_concat(l.language, ' ') FROM profile_languages l"
        "   WHERE l.profile_id = p.id) AS langs"
        f" FROM profiles p{_WITH_ORGANISATION} WHERE p.id IN ({marks})",
        wanted,
    )
    docs = []
    for r in rows:
        place = municipalities.by_code(r["municipality_code"]) if r["municipality_code"] else None
        organisation = " ".join(x for x in (r["org"], place.name if place else None) if x)
        other = " ".join(
            [r["department"] or "", *(_language_words(c) for c in (r["langs"] or "").split())]
        )
        docs.append(
            (
                int(r["id"]),
                fold(r["display_name"]),
                fold(r["title"] or ""),
                fold(r["fnames"] or ""),
                fold(r["tags"] or ""),
                fold(organisation),
                fold(other),
            )
        )
    async with db.transaction():
        await db.execute(f"DELETE FROM directory_fts WHERE rowid IN ({marks})", wanted)
        await db.executemany(
            "INSERT INTO directory_fts"
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

_TERM_SPLIT = re.compile(r"[\s,;:!?()\[\]{}\"'*^+~<>=|/\\]+")


def terms_of(text: str | None) -> list[str]:
    """The folded search terms of a query, at most MAX_TERMS, duplicates dropped."""
    if not text:
        return []
    seen: list[str] = []
    for term in _TERM_SPLIT.split(fold(text[:200])):
        term = term.strip(".-_")
        if term and term not in seen:
            seen.append(term)
    return seen[:MAX_TERMS]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


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
    municipality (also misspelt: "Soderhamm") matches that municipality's people too.
    `expertise` matches the expertise tags only. Hidden profiles, people who left and other
    networks never appear.
    """
    await reindex_dirty(db, guild_id)
    # Plan: the plain full-text terms go into one FTS query that also scores (bm25); every other
    # criterion (a term that may name a municipality, a term too short for trigrams, the
    # municipality option) is a set of ids. Each is a materialised CTE, and the query is driven
    # from the scored set or the first set, filtering by the others with `IN` (one ephemeral
    # index each). An `IN (SELECT … MATCH …)` in the WHERE clause would re-run the full-text
    # query for every row, and a JOIN on a CTE scans it per row.
    fts_terms: list[str] = []
    sets: list[tuple[str, list[Any]]] = []
    # The people of the municipality's organisations, through their member rows (where the
    # organisation is kept), to their profiles.
    in_municipality = (
        "SELECT p.id FROM organisations o"
        " CROSS JOIN members m ON m.organisation_id = o.id"
        " CROSS JOIN profiles p ON p.guild_id = m.guild_id AND p.user_id = m.user_id"
        " WHERE o.guild_id = ? AND o.municipality_code = ?"
    )
    for term in terms_of(query):
        if len(term) < MIN_INDEXED_TERM:
            sets.append(
                (
                    "SELECT id FROM profiles WHERE guild_id = ? AND name_key LIKE ? ESCAPE '\\'",
                    [guild_id, "%" + _like(term) + "%"],
                )
            )
            continue
        place = municipalities.resolve(term)
        if place is None:
            fts_terms.append(_fts_string(term))
        else:
            # A term that names a municipality, also misspelt, matches its people too.
            sets.append(
                (
                    "SELECT rowid FROM directory_fts WHERE directory_fts MATCH ?"
                    " UNION " + in_municipality,
                    [_fts_string(term), guild_id, place.code],
                )
            )
    for term in terms_of(expertise):
        if len(term) >= MIN_INDEXED_TERM:
            fts_terms.append("expertise : " + _fts_string(term))
        else:
            sets.append(
                (
                    "SELECT profile_id FROM profile_expertise"
                    " WHERE guild_id = ? AND tag_key LIKE ? ESCAPE '\\'",
                    [guild_id, _like(term) + "%"],
                )
            )
    if municipality_code is not None:
        sets.append((in_municipality, [guild_id, municipality_code]))

    ctes: list[str] = []
    params: list[Any] = []
    for i, (sql, values) in enumerate(sets):
        ctes.append(f"s{i}(id) AS MATERIALIZED ({sql})")
        params += values
    if fts_terms:
        ctes.append(
            f"scored(id, score) AS MATERIALIZED (SELECT rowid, bm25(directory_fts, {_WEIGHTS})"
            " FROM directory_fts WHERE directory_fts MATCH ?)"
        )
        params.append(" AND ".join(fts_terms))
        driver, others, order = "scored", range(len(sets)), "scored.score, p.name_key, p.id"
    elif sets:
        driver, others, order = "s0", range(1, len(sets)), "p.name_key, p.id"
    else:
        driver, others, order = "", range(0), "p.name_key, p.id"
    source = f"{driver} CROSS JOIN profiles p ON p.id = {driver}.id" if driver else "profiles p"
    filters = "".join(f" AND p.id IN (SELECT id FROM s{i})" for i in others)
    sql = (
        ("WITH " + ", ".join(ctes) + " " if ctes else "")
        + f"SELECT p.id, COUNT(*) OVER () AS total FROM {source}"
        " JOIN members m ON m.guild_id = p.guild_id AND m.user_id = p.user_id"
        " WHERE p.guild_id = ? AND p.visibility = 'members' AND m.left_at IS NULL"
        f"{filters} ORDER BY {order} LIMIT ? OFFSET ?"
    )
    rows = await db.fetchall(sql, [*params, guild_id, per_page, page * per_page])
    if not rows and page > 0:  # past the end: show the last page
        return await _last_page(db, guild_id, query, municipality_code, expertise, per_page)
    total = int(rows[0]["total"]) if rows else 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 0), pages - 1)
    ids = [int(r["id"]) for r in rows]
    hits = await load_profiles(db, ids)

    vacant: list[VacantFunction] = []
    if municipality_code is not None:
        vacant = await vacant_functions(db, guild_id, municipality_code=municipality_code)
    days = await db.fetchval(
        "SELECT confirm_after_days FROM networks WHERE guild_id = ?", (guild_id,)
    )
    return SearchResult(hits, total, page, pages, int(days or 183), vacant)


async def _last_page(
    db: Database,
    guild_id: int,
    query: str | None,
    municipality_code: str | None,
    expertise: str | None,
    per_page: int,
) -> SearchResult:
    first = await search(
        db,
        guild_id,
        query=query,
        municipality_code=municipality_code,
        expertise=expertise,
        per_page=per_page,
    )
    if first.pages <= 1:
        return first
    return await search(
        db,
        guild_id,
        query=query,
        municipality_code=municipality_code,
        expertise=expertise,
        per_page=per_page,
        page=first.pages - 1,
    )


async def vacant_functions(
    db: Database, guild_id: int, *, municipality_code: str | None = None, limit: int = 25
) -> list[VacantFunction]:
    """Functions nobody holds, of the network or of one municipality's organisations."""
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
        for r in await db.fetchall(sql, params)
    ]
