"""Practices as stored: the record, its checks, and every write (one transaction each).

A practice is the network's record of something done for newcomers: never deleted, archived.
Every check runs before anything is written; a refusal is `InvalidInput` naming the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any, Final
from urllib.parse import urlsplit

from bot.db import Database
from bot.errors import InvalidInput, UserError
from bot.services import municipalities
from bot.services.setup_plan import PRACTICE_TAGS
from bot.services.text import check_stored_text, clean_line, clean_paragraphs
from bot.services.textnorm import fold

THEMES: Final = PRACTICE_TAGS
TARGETS: Final = (
    "newly_arrived_adults",
    "unaccompanied_minors",
    "families_children",
    "women",
    "far_from_labour_market",
    "staff",
)
STATUSES: Final = ("planned", "ongoing", "ended")
FUNDING: Final = ("state_refugee_funds", "esf", "arvsfonden", "municipal", "other")
# One kind per practice, as the exchange formats (and the network's spreadsheets) have it.
MAX_FUNDING: Final = 1

TITLE_MAX: Final = 100
SUMMARY_MAX: Final = 300
DESCRIPTION_MAX: Final = 4000
FACTORS_MAX: Final = 2000
LESSONS_MAX: Final = 2000
ORGANISATION_MAX: Final = 100
MAX_ORGANISATIONS: Final = 10
MAX_MUNICIPALITIES: Final = 20
MAX_THEMES: Final = 5  # a forum post carries at most five tags
MAX_LINKS: Final = 5
LINK_MAX: Final = 500
MAX_SEK: Final = 10_000_000_000


def iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Practice:
    """One practice with everything it shows."""

    id: int
    guild_id: int
    title: str
    summary: str
    description: str
    themes: tuple[str, ...]
    targets: tuple[str, ...]
    organisations: tuple[str, ...]
    municipalities: tuple[str, ...]  # SCB codes
    status: str
    start_date: date | None
    end_date: date | None
    funding: tuple[str, ...]
    funding_sek: int | None
    success_factors: str
    lessons: str
    links: tuple[str, ...]
    contact_user_id: int | None
    contact_function_id: int | None
    created_by_user_id: int | None
    created_at: datetime
    changed_by_user_id: int | None
    changed_at: datetime
    archived_at: datetime | None
    thread_id: int | None
    reminded_at: datetime | None = None
    interested: tuple[str, ...] = ()  # organisation names
    adopted: tuple[str, ...] = ()

    @property
    def municipality_names(self) -> list[str]:
        out = []
        for code in self.municipalities:
            m = municipalities.by_code(code)
            out.append(m.name if m else code)
        return out


@dataclass(frozen=True, slots=True)
class Fields:
    """What a practice is made of, checked (`clean`) before it is written."""

    title: str
    summary: str
    description: str = ""
    themes: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    status: str = "ongoing"
    start_date: date | None = None
    end_date: date | None = None
    funding: tuple[str, ...] = ()
    funding_sek: int | None = None
    success_factors: str = ""
    lessons: str = ""
    links: tuple[str, ...] = ()
    contact_user_id: int | None = None
    contact_function_id: int | None = None

    @classmethod
    def of(cls, p: Practice) -> Fields:
        return cls(
            title=p.title,
            summary=p.summary,
            description=p.description,
            themes=p.themes,
            targets=p.targets,
            organisations=p.organisations,
            municipalities=p.municipalities,
            status=p.status,
            start_date=p.start_date,
            end_date=p.end_date,
            funding=p.funding,
            funding_sek=p.funding_sek,
            success_factors=p.success_factors,
            lessons=p.lessons,
            links=p.links,
            contact_user_id=p.contact_user_id,
            contact_function_id=p.contact_function_id,
        )


# --- checks of typed text ------------------------------------------------------------------------

_SPLIT = re.compile(r"[,;\n]+")


def split_list(text: str | None) -> list[str]:
    """Comma-, semicolon- or line-separated items, trimmed, empty ones dropped."""
    return [p.strip() for p in _SPLIT.split(text or "") if p.strip()]


def parse_municipalities(text: str | None) -> tuple[str, ...]:
    """Municipality names or SCB codes (comma-separated, ASCII spellings and typos too)."""
    items = split_list(text)
    if len(items) > MAX_MUNICIPALITIES:
        raise InvalidInput(
            "practice.municipalities", "practice.error.too_many", max=MAX_MUNICIPALITIES
        )
    codes: list[str] = []
    for item in items:
        found = municipalities.resolve(item)
        if found is None:
            raise InvalidInput(
                "practice.municipalities", "practice.error.unknown_municipality", value=item[:60]
            )
        if found.code not in codes:
            codes.append(found.code)
    return tuple(codes)


def parse_organisations(text: str | None) -> tuple[str, ...]:
    items = split_list(text)
    if len(items) > MAX_ORGANISATIONS:
        raise InvalidInput(
            "practice.organisations", "practice.error.too_many", max=MAX_ORGANISATIONS
        )
    out: list[str] = []
    for item in items:
        name = clean_line("practice.organisations", item, max_length=ORGANISATION_MAX)
        if fold(name) not in {fold(o) for o in out}:
            out.append(name)
    return tuple(out)


def parse_links(text: str | None) -> tuple[str, ...]:
    """http and https links, one per line or separated by spaces or commas."""
    items = [p for p in re.split(r"[\s,]+", text or "") if p]
    if len(items) > MAX_LINKS:
        raise InvalidInput("practice.links", "practice.error.too_many", max=MAX_LINKS)
    out: list[str] = []
    for item in items:
        out.append(clean_link(item))
    return tuple(dict.fromkeys(out))


def clean_link(item: str) -> str:
    if len(item) > LINK_MAX:
        raise InvalidInput("practice.links", "errors.text.too_long", max=LINK_MAX, length=len(item))
    try:
        parts = urlsplit(item)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or any(c.isspace() or ord(c) < 32 for c in item)
    ):
        raise InvalidInput("practice.links", "practice.error.link", value=item[:60])
    check_stored_text("practice.links", item)
    return item


def parse_date(field_key: str, text: str | None) -> date | None:
    value = (text or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field_key, "practice.error.date", value=value[:30]) from None


def parse_sek(text: str | None) -> int | None:
    """An amount in whole kronor: "14 000 000", "14000000 kr", "14 mkr" is not accepted."""
    value = (text or "").strip().lower()
    for suffix in ("sek", "kr", ":-"):
        value = value.removesuffix(suffix).strip()
    value = value.replace(" ", "").replace("\u00a0", "").replace("_", "")
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        raise InvalidInput("practice.funding_sek", "practice.error.amount")
    amount = int(value)
    if amount > MAX_SEK:
        raise InvalidInput("practice.funding_sek", "practice.error.amount")
    return amount


def _keys(
    field_key: str, values: Sequence[str], allowed: Sequence[str], limit: int
) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(values))
    for v in out:
        if v not in allowed:
            raise InvalidInput(field_key, "practice.error.choice", value=str(v)[:40])
    if len(out) > limit:
        raise InvalidInput(field_key, "practice.error.too_many", max=limit)
    return out


def clean(f: Fields) -> Fields:
    """`f` checked and normalised, or InvalidInput naming the first bad field."""
    title = clean_line("practice.title", f.title, max_length=TITLE_MAX)
    summary = clean_paragraphs("practice.summary", f.summary, max_length=SUMMARY_MAX)
    description = clean_paragraphs(
        "practice.description", f.description, max_length=DESCRIPTION_MAX, required=False
    )
    factors = clean_paragraphs(
        "practice.success_factors", f.success_factors, max_length=FACTORS_MAX, required=False
    )
    lessons = clean_paragraphs(
        "practice.lessons", f.lessons, max_length=LESSONS_MAX, required=False
    )
    orgs = tuple(
        clean_line("practice.organisations", o, max_length=ORGANISATION_MAX)
        for o in f.organisations
    )
    if len(orgs) > MAX_ORGANISATIONS:
        raise InvalidInput(
            "practice.organisations", "practice.error.too_many", max=MAX_ORGANISATIONS
        )
    for code in f.municipalities:
        if municipalities.by_code(code) is None:
            raise InvalidInput(
                "practice.municipalities", "practice.error.unknown_municipality", value=code[:60]
            )
    if f.status not in STATUSES:
        raise InvalidInput("practice.status", "practice.error.choice", value=str(f.status)[:40])
    if f.start_date and f.end_date and f.end_date < f.start_date:
        raise InvalidInput("practice.end_date", "practice.error.end_before_start")
    if f.funding_sek is not None and not 0 <= f.funding_sek <= MAX_SEK:
        raise InvalidInput("practice.funding_sek", "practice.error.amount")
    links = tuple(clean_link(x) for x in f.links)
    if len(links) > MAX_LINKS:
        raise InvalidInput("practice.links", "practice.error.too_many", max=MAX_LINKS)
    return replace(
        f,
        title=title,
        summary=summary,
        description=description,
        success_factors=factors,
        lessons=lessons,
        organisations=orgs,
        municipalities=tuple(dict.fromkeys(f.municipalities)),
        themes=_keys("practice.themes", f.themes, THEMES, MAX_THEMES),
        targets=_keys("practice.targets", f.targets, TARGETS, len(TARGETS)),
        funding=_keys("practice.funding", f.funding, FUNDING, MAX_FUNDING),
        links=links,
    )


# --- reading -------------------------------------------------------------------------------------

_COLUMNS = (
    "id, guild_id, title, summary, description, themes, targets, organisations, municipalities,"
    " status, start_date, end_date, funding, funding_sek, success_factors, lessons, links,"
    " contact_user_id, contact_function_id, created_by_user_id, created_at, changed_by_user_id,"
    " changed_at, archived_at, thread_id, reminded_at"
)


def _json(text: str | None) -> tuple[str, ...]:
    return tuple(json.loads(text or "[]"))


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def row_to_practice(r: Any, interest: dict[int, tuple[list[str], list[str]]]) -> Practice:
    pid = int(r["id"])
    interested, adopted = interest.get(pid, ([], []))
    return Practice(
        id=pid,
        guild_id=int(r["guild_id"]),
        title=r["title"],
        summary=r["summary"],
        description=r["description"],
        themes=_json(r["themes"]),
        targets=_json(r["targets"]),
        organisations=_json(r["organisations"]),
        municipalities=_json(r["municipalities"]),
        status=r["status"],
        start_date=_date(r["start_date"]),
        end_date=_date(r["end_date"]),
        funding=_json(r["funding"]),
        funding_sek=r["funding_sek"],
        success_factors=r["success_factors"],
        lessons=r["lessons"],
        links=_json(r["links"]),
        contact_user_id=r["contact_user_id"],
        contact_function_id=r["contact_function_id"],
        created_by_user_id=r["created_by_user_id"],
        created_at=from_iso(r["created_at"]),
        changed_by_user_id=r["changed_by_user_id"],
        changed_at=from_iso(r["changed_at"]),
        archived_at=from_iso(r["archived_at"]) if r["archived_at"] else None,
        thread_id=r["thread_id"],
        reminded_at=from_iso(r["reminded_at"]) if r["reminded_at"] else None,
        interested=tuple(interested),
        adopted=tuple(adopted),
    )


def load_rows(conn: Any, ids: Sequence[int]) -> list[Practice]:
    """Practices by id, in the order given (sqlite3 connection or a reader's)."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM practices WHERE id IN ({marks})", list(ids)
    ).fetchall()
    interest: dict[int, tuple[list[str], list[str]]] = {}
    for r in conn.execute(
        f"SELECT practice_id, kind, organisation_name FROM practice_interest"
        f" WHERE practice_id IN ({marks}) ORDER BY id",
        list(ids),
    ).fetchall():
        pair = interest.setdefault(int(r[0]), ([], []))
        (pair[0] if r[1] == "interest" else pair[1]).append(r[2])
    by_id = {int(r["id"]): row_to_practice(r, interest) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


async def load(db: Database, ids: Sequence[int]) -> list[Practice]:
    wanted = list(ids)
    return await db.read(lambda conn: load_rows(conn, wanted))


async def get(db: Database, guild_id: int, practice_id: int, *, archived: bool = False) -> Practice:
    """The practice of this network, or UserError: another network's is never found."""
    found = await load(db, [practice_id])
    if not found or found[0].guild_id != guild_id or (found[0].archived_at and not archived):
        raise UserError("practice.error.not_found")
    return found[0]


# --- writing -------------------------------------------------------------------------------------


def values(f: Fields) -> dict[str, Any]:
    """The columns of a practice's row for these (checked) fields."""
    return {
        "title": f.title,
        "title_key": fold(f.title),
        "summary": f.summary,
        "description": f.description,
        "themes": json.dumps(list(f.themes)),
        "targets": json.dumps(list(f.targets)),
        "organisations": json.dumps(list(f.organisations), ensure_ascii=False),
        "municipalities": json.dumps(list(f.municipalities)),
        "status": f.status,
        "start_date": f.start_date.isoformat() if f.start_date else None,
        "end_date": f.end_date.isoformat() if f.end_date else None,
        "funding": json.dumps(list(f.funding)),
        "funding_sek": f.funding_sek,
        "success_factors": f.success_factors,
        "lessons": f.lessons,
        "links": json.dumps(list(f.links)),
        "contact_user_id": f.contact_user_id,
        "contact_function_id": f.contact_function_id,
    }


async def _check_function(db: Database, guild_id: int, function_id: int | None) -> None:
    if function_id is None:
        return
    ok = await db.fetchval(
        "SELECT 1 FROM functions WHERE id = ? AND guild_id = ? AND archived_at IS NULL",
        (function_id, guild_id),
    )
    if not ok:
        raise InvalidInput("practice.contact", "practice.error.unknown_function")


async def _history(
    db: Database,
    practice_id: int,
    guild_id: int,
    now: datetime,
    user_id: int | None,
    kind: str,
    detail: dict[str, Any],
) -> None:
    await db.execute(
        "INSERT INTO practice_history (practice_id, guild_id, at, user_id, kind, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (practice_id, guild_id, iso(now), user_id, kind, json.dumps(detail)),
    )


async def insert_checked(
    db: Database,
    guild_id: int,
    f: Fields,
    *,
    user_id: int | None,
    now: datetime,
    kind: str = "created",
) -> int:
    """Write a practice already `clean`ed (inside the caller's transaction); its id."""
    row = values(f)
    row.update(
        guild_id=guild_id,
        created_by_user_id=user_id,
        created_at=iso(now),
        changed_by_user_id=user_id,
        changed_at=iso(now),
    )
    cols = ", ".join(row)
    marks = ", ".join("?" * len(row))
    await db.execute(f"INSERT INTO practices ({cols}) VALUES ({marks})", list(row.values()))
    pid = int(await db.fetchval("SELECT last_insert_rowid()"))
    await _history(db, pid, guild_id, now, user_id, kind, {"status": f.status})
    return pid


async def create(
    db: Database, guild_id: int, f: Fields, *, user_id: int | None, now: datetime
) -> Practice:
    """A new practice (checked, written and indexed in one transaction)."""
    from bot.services.practices.search import index_practices

    f = clean(f)
    await _check_function(db, guild_id, f.contact_function_id)
    async with db.transaction():
        pid = await insert_checked(db, guild_id, f, user_id=user_id, now=now)
        await index_practices(db, [pid])
    return await get(db, guild_id, pid)


_TRACKED = tuple(Fields.__dataclass_fields__)


async def update(
    db: Database, guild_id: int, practice_id: int, f: Fields, *, user_id: int, now: datetime
) -> tuple[Practice, Practice]:
    """Save changed fields (checked first); (before, after). The status change, when there is
    one, is its own history entry."""
    from bot.services.practices.search import index_practices

    before = await get(db, guild_id, practice_id)
    f = clean(f)
    await _check_function(db, guild_id, f.contact_function_id)
    old = Fields.of(before)
    changed = [name for name in _TRACKED if getattr(old, name) != getattr(f, name)]
    if not changed:
        return before, before
    row = values(f)
    row.update(changed_by_user_id=user_id, changed_at=iso(now), reminded_at=None)
    sets = ", ".join(f"{k} = ?" for k in row)
    async with db.transaction():
        await db.execute(
            f"UPDATE practices SET {sets} WHERE id = ? AND guild_id = ?",
            [*row.values(), practice_id, guild_id],
        )
        others = [c for c in changed if c != "status"]
        if others:
            await _history(db, practice_id, guild_id, now, user_id, "edited", {"fields": others})
        if "status" in changed:
            await _history(
                db,
                practice_id,
                guild_id,
                now,
                user_id,
                "status",
                {"from": before.status, "to": f.status},
            )
        await index_practices(db, [practice_id])
    return before, await get(db, guild_id, practice_id)


async def set_status(
    db: Database, guild_id: int, practice_id: int, status: str, *, user_id: int, now: datetime
) -> tuple[Practice, Practice]:
    before = await get(db, guild_id, practice_id)
    end = before.end_date
    if status == "ended" and end is None:
        end = now.date()
        if before.start_date and end < before.start_date:
            end = before.start_date
    return await update(
        db,
        guild_id,
        practice_id,
        replace(Fields.of(before), status=status, end_date=end),
        user_id=user_id,
        now=now,
    )


async def confirm_current(
    db: Database, guild_id: int, practice_id: int, *, user_id: int | None, now: datetime
) -> None:
    """The contact says the practice still runs as described: it counts as changed now."""
    async with db.transaction():
        await db.execute(
            "UPDATE practices SET changed_at = ?, reminded_at = NULL WHERE id = ? AND guild_id = ?",
            (iso(now), practice_id, guild_id),
        )
        await _history(db, practice_id, guild_id, now, user_id, "confirmed", {})


async def archive(
    db: Database, guild_id: int, practice_id: int, *, user_id: int, now: datetime
) -> Practice:
    """Archive (never delete): it leaves the search and the lists, its record stays."""
    before = await get(db, guild_id, practice_id)
    async with db.transaction():
        await db.execute(
            "UPDATE practices SET archived_at = ?, changed_at = ?, changed_by_user_id = ?"
            " WHERE id = ? AND guild_id = ?",
            (iso(now), iso(now), user_id, practice_id, guild_id),
        )
        await _history(db, practice_id, guild_id, now, user_id, "archived", {})
    return replace(before, archived_at=now)


async def set_thread(db: Database, practice_id: int, thread_id: int | None) -> None:
    await db.execute("UPDATE practices SET thread_id = ? WHERE id = ?", (thread_id, practice_id))


async def by_thread(db: Database, thread_id: int) -> Practice | None:
    pid = await db.fetchval("SELECT id FROM practices WHERE thread_id = ?", (thread_id,))
    if pid is None:
        return None
    found = await load(db, [int(pid)])
    return found[0] if found else None


async def history(db: Database, practice_id: int) -> list[dict[str, Any]]:
    rows = await db.fetchall(
        "SELECT at, user_id, kind, detail FROM practice_history WHERE practice_id = ? ORDER BY id",
        (practice_id,),
    )
    return [
        {"at": r["at"], "user_id": r["user_id"], "kind": r["kind"], **json.loads(r["detail"])}
        for r in rows
    ]


# --- interest and adoption -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InterestChange:
    practice: Practice
    organisation: str
    added: bool  # False: withdrawn


async def toggle_interest(
    db: Database,
    guild_id: int,
    practice_id: int,
    kind: str,
    organisation: str | None,
    *,
    user_id: int,
    now: datetime,
) -> InterestChange:
    """Record the member's organisation as interested in (or as having adopted) the practice;
    pressed again by the same organisation, it is withdrawn."""
    if kind not in ("interest", "adopted"):
        raise ValueError(kind)
    practice = await get(db, guild_id, practice_id)
    if not organisation:
        raise UserError("practice.error.no_organisation")
    key = fold(organisation)
    async with db.transaction():
        removed = await db.execute(
            "DELETE FROM practice_interest"
            " WHERE practice_id = ? AND kind = ? AND organisation_key = ?",
            (practice_id, kind, key),
        )
        if not removed:
            await db.execute(
                "INSERT INTO practice_interest (practice_id, guild_id, kind, organisation_name,"
                " organisation_key, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    practice_id,
                    guild_id,
                    kind,
                    organisation[:ORGANISATION_MAX],
                    key,
                    user_id,
                    iso(now),
                ),
            )
    del practice
    return InterestChange(await get(db, guild_id, practice_id), organisation, not removed)


async def member_organisation(db: Database, guild_id: int, user_id: int) -> str | None:
    """The organisation the member picked (or its municipality's name), for interest."""
    return await db.fetchval(
        "SELECT o.name FROM members m JOIN organisations o ON o.id = m.organisation_id"
        " WHERE m.guild_id = ? AND m.user_id = ?",
        (guild_id, user_id),
    )


# --- who to reach --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Contact:
    """Who answers for a practice: a person, a function (and its holder), or nobody."""

    user_id: int | None
    function_name: str | None = None
    organisation_name: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


async def contact_of(db: Database, p: Practice) -> Contact:
    """The person to reach: the named contact; else the holder of the contact function."""
    if p.contact_function_id is not None:
        row = await db.fetchone(
            "SELECT f.name, f.holder_user_id, o.name AS org FROM functions f"
            " JOIN organisations o ON o.id = f.organisation_id WHERE f.id = ?",
            (p.contact_function_id,),
        )
        if row is not None:
            return Contact(p.contact_user_id or row["holder_user_id"], row["name"], row["org"])
    return Contact(p.contact_user_id)


async def may_edit(db: Database, p: Practice, user_id: int, *, admin: bool) -> bool:
    """Its contact (or the contact function's holder), its creator, or a network admin."""
    if admin or user_id in (p.contact_user_id, p.created_by_user_id):
        return True
    contact = await contact_of(db, p)
    return contact.user_id == user_id
