"""A network's organisations: its member municipalities and everyone else admins add.

A member municipality is an organisation of kind ``municipality`` carrying its SCB code; the
network's municipalities are those rows that are not archived. Organisations are archived,
never deleted, so that people and records that refer to them keep their meaning; adding one
again restores it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from bot.db import Database
from bot.errors import InvalidInput
from bot.services import municipalities
from bot.services.network import NAME_MAX, timestamp
from bot.services.text import clean_line
from bot.services.text import parse_id as text_parse_id
from bot.services.textnorm import fold, swedish_sort_key

KINDS: Final = ("municipality", "region", "authority", "civil_society", "company", "other")
OTHER_KINDS: Final = KINDS[1:]


@dataclass(frozen=True, slots=True)
class Organisation:
    id: int
    guild_id: int
    kind: str
    name: str
    municipality_code: str | None
    created_at: str
    archived_at: str | None

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


@dataclass(frozen=True, slots=True)
class Change:
    """What one call changed, and what it found already as asked."""

    changed: tuple[Organisation, ...]  # added, restored or archived by this call
    unchanged: tuple[Organisation, ...]  # already there (add) or already gone (remove)
    not_members: tuple[municipalities.Municipality, ...] = ()  # remove: never in the network


def _org(row: object) -> Organisation:
    return Organisation(
        id=row["id"],  # type: ignore[index]
        guild_id=row["guild_id"],  # type: ignore[index]
        kind=row["kind"],  # type: ignore[index]
        name=row["name"],  # type: ignore[index]
        municipality_code=row["municipality_code"],  # type: ignore[index]
        created_at=row["created_at"],  # type: ignore[index]
        archived_at=row["archived_at"],  # type: ignore[index]
    )


def sort_key(org: Organisation) -> tuple[int, tuple[tuple[int, ...], str, str]]:
    """Municipalities first, then the other kinds, each alphabetically the Swedish way."""
    return (KINDS.index(org.kind), swedish_sort_key(org.name))


# --- reading ------------------------------------------------------------------------------------


async def list_organisations(
    db: Database, guild_id: int, *, kind: str | None = None, include_archived: bool = False
) -> list[Organisation]:
    """The network's organisations, municipalities first, Swedish alphabetical order."""
    sql = "SELECT * FROM organisations WHERE guild_id = ?"
    params: list[object] = [guild_id]
    if kind is not None:
        sql += " AND kind = ?"
        params.append(kind)
    if not include_archived:
        sql += " AND archived_at IS NULL"
    rows = await db.fetchall(sql, params)
    return sorted((_org(r) for r in rows), key=sort_key)


async def counts(db: Database, guild_id: int) -> dict[str, int]:
    """How many (non-archived) organisations of each kind the network has."""
    rows = await db.fetchall(
        "SELECT kind, COUNT(*) FROM organisations WHERE guild_id = ? AND archived_at IS NULL"
        " GROUP BY kind",
        (guild_id,),
    )
    return {row[0]: int(row[1]) for row in rows}


async def get(db: Database, guild_id: int, organisation_id: int) -> Organisation | None:
    row = await db.fetchone(
        "SELECT * FROM organisations WHERE guild_id = ? AND id = ?", (guild_id, organisation_id)
    )
    return None if row is None else _org(row)


async def municipality_codes(db: Database, guild_id: int) -> set[str]:
    """The SCB codes of the network's (non-archived) member municipalities."""
    rows = await db.fetchall(
        "SELECT municipality_code FROM organisations"
        " WHERE guild_id = ? AND kind = 'municipality' AND archived_at IS NULL",
        (guild_id,),
    )
    return {r[0] for r in rows}


def matches(orgs: Iterable[Organisation], text: str, limit: int = 25) -> list[Organisation]:
    """Organisations whose name contains `text` (case-, diacritic- and hyphen-insensitive),
    names starting with it first; a municipality also matches its misspellings."""
    key = fold(text).replace("-", " ")
    pool = list(orgs)
    if not key:
        return pool[:limit]
    resolved = municipalities.resolve(text)
    starts: list[Organisation] = []
    contains: list[Organisation] = []
    for org in pool:
        name = fold(org.name).replace("-", " ")
        if name.startswith(key) or (resolved and org.municipality_code == resolved.code):
            starts.append(org)
        elif key in name:
            contains.append(org)
    return (starts + contains)[:limit]


async def search(db: Database, guild_id: int, text: str, limit: int = 25) -> list[Organisation]:
    """The network's organisations matching `text` (for autocomplete and onboarding search)."""
    return matches(await list_organisations(db, guild_id), text, limit)


# --- organisations of other kinds ---------------------------------------------------------------


def _check_kind(kind: str, allowed: Sequence[str] = OTHER_KINDS) -> None:
    if kind not in allowed:
        raise InvalidInput("network_organisation_kind", "network.error.kind")


def _municipality_code(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    return resolve_municipality(text).code


async def _by_name(db: Database, guild_id: int, name: str) -> Organisation | None:
    row = await db.fetchone(
        "SELECT * FROM organisations WHERE guild_id = ? AND name = ? COLLATE NOCASE",
        (guild_id, name),
    )
    return None if row is None else _org(row)


async def add(
    db: Database,
    guild_id: int,
    *,
    kind: str,
    name: str,
    municipality: str | None = None,
) -> Change:
    """Add an organisation that is not a member municipality (region, authority, …).

    `municipality` optionally names the municipality it is in. An archived organisation of the
    same name is restored; an active one is reported as already there.
    """
    _check_kind(kind)
    clean = clean_line("network_organisation_name", name, max_length=NAME_MAX)
    code = _municipality_code(municipality)
    async with db.transaction():
        existing = await _by_name(db, guild_id, clean)
        if existing is not None and existing.kind == "municipality":
            raise InvalidInput("network_organisation_name", "network.error.name_is_municipality")
        if existing is not None and not existing.archived:
            return Change(changed=(), unchanged=(existing,))
        if existing is not None:
            await db.execute(
                "UPDATE organisations SET archived_at = NULL, kind = ?, name = ?,"
                " municipality_code = ? WHERE id = ?",
                (kind, clean, code, existing.id),
            )
            org_id = existing.id
        else:
            org_id = await db.execute(
                "INSERT INTO organisations (guild_id, kind, name, municipality_code)"
                " VALUES (?, ?, ?, ?)",
                (guild_id, kind, clean, code),
            )
        org = await get(db, guild_id, org_id)
    assert org is not None
    return Change(changed=(org,), unchanged=())


async def rename(db: Database, guild_id: int, organisation_id: int, new_name: str) -> Organisation:
    """Rename an organisation (not a municipality: those carry SCB's name)."""
    clean = clean_line("network_organisation_name", new_name, max_length=NAME_MAX)
    async with db.transaction():
        org = await _require(db, guild_id, organisation_id)
        if org.kind == "municipality":
            raise InvalidInput("network_organisation", "network.error.rename_municipality")
        other = await _by_name(db, guild_id, clean)
        if other is not None and other.id != org.id:
            raise InvalidInput(
                "network_organisation_name", "network.error.name_taken", name=other.name
            )
        await db.execute("UPDATE organisations SET name = ? WHERE id = ?", (clean, org.id))
    renamed = await get(db, guild_id, organisation_id)
    assert renamed is not None
    return renamed


async def archive(db: Database, guild_id: int, organisation_id: int, when: datetime) -> Change:
    """Archive an organisation (of any kind); people who picked it keep it."""
    async with db.transaction():
        org = await _require(db, guild_id, organisation_id)
        if org.archived:
            return Change(changed=(), unchanged=(org,))
        await db.execute(
            "UPDATE organisations SET archived_at = ? WHERE id = ?", (timestamp(when), org.id)
        )
        archived = await get(db, guild_id, organisation_id)
    assert archived is not None
    return Change(changed=(archived,), unchanged=())


async def _require(db: Database, guild_id: int, organisation_id: int) -> Organisation:
    org = await get(db, guild_id, organisation_id)
    if org is None:
        raise InvalidInput("network_organisation", "network.error.unknown_organisation")
    return org


def parse_id(text: str) -> int:
    """An organisation id as an autocomplete value carries it; InvalidInput otherwise."""
    found = text_parse_id(text)
    if found is None:
        raise InvalidInput("network_organisation", "network.error.unknown_organisation")
    return found


# --- member municipalities ----------------------------------------------------------------------


def resolve_municipality(text: str) -> municipalities.Municipality:
    """The municipality `text` names (code, name, misspelling), or InvalidInput."""
    found = municipalities.resolve(text) if text.strip() else None
    if found is None:
        raise InvalidInput(
            "network_municipality", "network.error.unknown_municipality", value=text.strip()[:60]
        )
    return found


def resolve_preset(text: str) -> municipalities.Preset:
    """A preset by key ("county-13", "fyrbodal") or by its Swedish or English name."""
    wanted = fold(text).replace("-", " ").strip()
    for preset in municipalities.PRESETS.values():
        names = (preset.key, preset.name_sv, preset.name_en)
        if wanted and any(fold(n).replace("-", " ") == wanted for n in names):
            return preset
    raise InvalidInput("network_preset", "network.error.unknown_preset", value=text.strip()[:60])


async def add_municipalities(db: Database, guild_id: int, codes: Sequence[str]) -> Change:
    """Make these municipalities members (one, or a preset's); restores archived ones.

    All or nothing: a name clash with another organisation changes nothing.
    """
    wanted = _known(codes)
    changed: list[Organisation] = []
    unchanged: list[Organisation] = []
    async with db.transaction():
        for m in wanted:
            row = await db.fetchone(
                "SELECT * FROM organisations WHERE guild_id = ? AND kind = 'municipality'"
                " AND municipality_code = ?",
                (guild_id, m.code),
            )
            if row is not None and row["archived_at"] is None:
                unchanged.append(_org(row))
                continue
            if row is not None:
                await db.execute(
                    "UPDATE organisations SET archived_at = NULL WHERE id = ?", (row["id"],)
                )
                org_id = row["id"]
            else:
                clash = await _by_name(db, guild_id, m.name)
                if clash is not None:
                    raise InvalidInput(
                        "network_municipality", "network.error.name_taken", name=clash.name
                    )
                org_id = await db.execute(
                    "INSERT INTO organisations (guild_id, kind, name, municipality_code)"
                    " VALUES (?, 'municipality', ?, ?)",
                    (guild_id, m.name, m.code),
                )
            org = await get(db, guild_id, org_id)
            assert org is not None
            changed.append(org)
    return Change(changed=tuple(changed), unchanged=tuple(unchanged))


async def remove_municipalities(
    db: Database, guild_id: int, codes: Sequence[str], when: datetime
) -> Change:
    """Archive these member municipalities; reports those that were not members."""
    wanted = _known(codes)
    changed: list[Organisation] = []
    unchanged: list[Organisation] = []
    not_members: list[municipalities.Municipality] = []
    async with db.transaction():
        for m in wanted:
            row = await db.fetchone(
                "SELECT * FROM organisations WHERE guild_id = ? AND kind = 'municipality'"
                " AND municipality_code = ?",
                (guild_id, m.code),
            )
            if row is None:
                not_members.append(m)
            elif row["archived_at"] is not None:
                unchanged.append(_org(row))
            else:
                await db.execute(
                    "UPDATE organisations SET archived_at = ? WHERE id = ?",
                    (timestamp(when), row["id"]),
                )
                org = await get(db, guild_id, row["id"])
                assert org is not None
                changed.append(org)
    return Change(
        changed=tuple(changed), unchanged=tuple(unchanged), not_members=tuple(not_members)
    )


def _known(codes: Sequence[str]) -> list[municipalities.Municipality]:
    found: list[municipalities.Municipality] = []
    for code in dict.fromkeys(codes):
        m = municipalities.by_code(code)
        if m is None:
            raise InvalidInput(
                "network_municipality", "network.error.unknown_municipality", value=code
            )
        found.append(m)
    return found
