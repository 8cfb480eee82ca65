"""Profiles: every field validated before anything is written, each change in one transaction.

Free text is normalised (NFC, single spaces, no control characters), limited in length,
refused when it contains a mention (`@everyone`, `<@123>`) and screened for personal identity
numbers. Markdown is kept as typed; the cogs escape it when they show it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from babel import Locale

from bot.db import Database
from bot.errors import InvalidInput, UserError
from bot.services import audit, directory, members
from bot.services.contact_fields import EmailError, PhoneError, normalize_email, normalize_phone
from bot.services.directory import LANGUAGE_EXTRAS, Profile, iso, language_name
from bot.services.personnummer import contains_id_number
from bot.services.text import clean_line
from bot.services.textnorm import fold

__all__ = [
    "MAX_EXPERTISE",
    "MAX_LANGUAGES",
    "ProfileFields",
    "confirm",
    "ensure_member",
    "expertise_suggestions",
    "get",
    "parse_expertise",
    "parse_languages",
    "save",
    "set_ask_opt_in",
    "set_details",
    "set_organisation",
    "set_visibility",
    "validate_fields",
]

Visibility = Literal["members", "hidden"]
VISIBILITIES: tuple[Visibility, ...] = ("members", "hidden")

# Field limits (the modal's max_length matches them).
NAME_MAX = 80
TITLE_MAX = 100
DEPARTMENT_MAX = 100
TAG_MAX = 40
MAX_EXPERTISE = 15
MAX_LANGUAGES = 10
LIST_INPUT_MAX = 1000

# Mentions that would ping or look like a ping when the text is shown: @everyone, @here, and
# Discord's <@id>, <@!id>, <@&id> and <#id> syntax.
_LIST_SPLIT = re.compile(r"[,;\n]+")


@dataclass(frozen=True, slots=True)
class ProfileFields:
    """The text fields of the profile modal, as typed."""

    display_name: str
    title: str = ""
    department: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class _Clean:
    display_name: str
    title: str | None
    department: str | None
    email: str | None
    phone: str | None


def validate_fields(fields: ProfileFields) -> _Clean:
    """Every text field checked; raises on the first that is not accepted."""
    name = clean_line("profile.display_name", fields.display_name, max_length=NAME_MAX)
    title = clean_line("profile.title", fields.title, max_length=TITLE_MAX, required=False)
    department = clean_line(
        "profile.department", fields.department, max_length=DEPARTMENT_MAX, required=False
    )
    email: str | None = None
    if fields.email.strip():
        if contains_id_number(fields.email):
            raise InvalidInput("email", "errors.id_number")
        try:
            email = normalize_email(fields.email)
        except EmailError as exc:
            raise InvalidInput("email", f"profile.error.email.{exc.reason}") from None
    phone: str | None = None
    if fields.phone.strip():
        # Parsed before the personnummer guard: a field that holds a valid phone number is a
        # phone number (a bare "0701132417" also passes for someone's 2007 birth date and Luhn
        # digit). Only what is not a phone number is screened, to choose the message.
        try:
            phone = normalize_phone(fields.phone)
        except PhoneError as exc:
            if contains_id_number(fields.phone):
                raise InvalidInput("profile.phone", "errors.id_number") from None
            raise InvalidInput("profile.phone", f"profile.error.phone.{exc.reason}") from None
    return _Clean(name, title or None, department or None, email, phone)


def parse_expertise(text: str | None) -> list[str]:
    """Comma-separated tags: each cleaned, at most TAG_MAX characters, duplicates dropped."""
    if text and len(text) > LIST_INPUT_MAX:
        raise InvalidInput(
            "profile.expertise", "errors.text.too_long", max=LIST_INPUT_MAX, length=len(text)
        )
    if text and contains_id_number(text):
        # Screened before splitting: "850709-" + line break + "9805" would become two tags.
        raise InvalidInput("profile.expertise", "errors.id_number")
    tags: list[str] = []
    keys: set[str] = set()
    for part in _LIST_SPLIT.split(text or ""):
        if len(part.strip()) > TAG_MAX:
            # The field takes 1,000 characters in all; each tag 40. Say which tag is too long.
            shown = part.strip()
            raise InvalidInput(
                "profile.expertise",
                "profile.error.tag_too_long",
                tag=shown if len(shown) <= 60 else shown[:59] + "…",
                max=TAG_MAX,
                length=len(shown),
            )
        tag = clean_line("profile.expertise", part, max_length=TAG_MAX, required=False)
        if tag and fold(tag) not in keys:
            keys.add(fold(tag))
            tags.append(tag)
    if len(tags) > MAX_EXPERTISE:
        raise InvalidInput("profile.expertise", "profile.error.too_many", max=MAX_EXPERTISE)
    return tags


def _language_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for locale in ("en", "sv"):
        for code, name in Locale(locale).languages.items():
            index.setdefault(fold(name), code)
    for code, names in LANGUAGE_EXTRAS.items():
        for name in names:
            index[fold(name)] = code
    # The names the catalogues give where CLDR has none (Dari, montenegrinska, …).
    for code in {*index.values(), *LANGUAGE_EXTRAS}:
        for lang in ("sv", "en"):
            index.setdefault(fold(language_name(code, lang)), code)
    return index


_LANGUAGES: dict[str, str] = {}


def parse_languages(text: str | None) -> list[str]:
    """Comma-separated language names (Swedish or English) or ISO codes → ISO codes."""
    if not _LANGUAGES:
        _LANGUAGES.update(_language_index())
    if text and len(text) > LIST_INPUT_MAX:
        raise InvalidInput(
            "profile.languages", "errors.text.too_long", max=LIST_INPUT_MAX, length=len(text)
        )
    codes: list[str] = []
    for part in _LIST_SPLIT.split(text or ""):
        name = clean_line("profile.languages", part, max_length=60, required=False)
        if not name:
            continue
        key = fold(name)
        code = _LANGUAGES.get(key)
        if code is None and key in _LANGUAGES.values():
            code = key
        if code is None:
            raise InvalidInput("profile.languages", "profile.error.unknown_language", value=name)
        if code not in codes:
            codes.append(code)
    if len(codes) > MAX_LANGUAGES:
        raise InvalidInput("profile.languages", "profile.error.too_many", max=MAX_LANGUAGES)
    return codes


async def ensure_member(db: Database, guild_id: int, user_id: int, now: datetime) -> None:
    """The membership row a profile hangs on (people who were on the server before the bot
    have none yet)."""
    await db.execute(
        "INSERT INTO members (guild_id, user_id, joined_at) VALUES (?, ?, ?)"
        " ON CONFLICT (guild_id, user_id) DO NOTHING",
        (guild_id, user_id, iso(now)),
    )


async def get(db: Database, guild_id: int, user_id: int) -> Profile | None:
    pid = await directory.profile_id(db, guild_id, user_id)
    if pid is None:
        return None
    found = await directory.load_profiles(db, [pid])
    return found[0] if found else None


async def _require(db: Database, guild_id: int, user_id: int) -> int:
    pid = await directory.profile_id(db, guild_id, user_id)
    if pid is None:
        raise UserError("profile.error.no_profile")
    return pid


async def _check_organisation(db: Database, guild_id: int, organisation_id: int | None) -> None:
    if organisation_id is None:
        return
    found = await db.fetchval(
        "SELECT 1 FROM organisations WHERE id = ? AND guild_id = ? AND archived_at IS NULL",
        (organisation_id, guild_id),
    )
    if not found:
        raise InvalidInput("profile.organisation", "profile.error.unknown_organisation")


async def save(
    db: Database,
    guild_id: int,
    user_id: int,
    fields: ProfileFields,
    *,
    now: datetime,
    actor_id: int | None = None,
    organisation_id: int | None = None,
    expertise: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
) -> Profile:
    """Create or update a profile's text fields (and optionally organisation, expertise and
    languages, already parsed). Saving one's own profile confirms it. All or nothing.

    The organisation is the membership's (`members.set_organisation`, as at onboarding): None
    keeps the one the person has, so a newcomer's profile starts with the one they picked.
    """
    clean = validate_fields(fields)
    await _check_organisation(db, guild_id, organisation_id)
    actor = user_id if actor_id is None else actor_id
    async with db.transaction():
        await ensure_member(db, guild_id, user_id, now)
        if organisation_id is not None:
            await members.set_organisation(db, guild_id, user_id, organisation_id, now)
        existing = await directory.profile_id(db, guild_id, user_id)
        if existing is None:
            pid = await db.execute(
                "INSERT INTO profiles (guild_id, user_id, display_name, title, department, email,"
                " phone, name_key, created_at, updated_at, confirmed_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    guild_id,
                    user_id,
                    clean.display_name,
                    clean.title,
                    clean.department,
                    clean.email,
                    clean.phone,
                    fold(clean.display_name),
                    iso(now),
                    iso(now),
                    iso(now),
                ),
            )
        else:
            pid = existing
            await db.execute(
                "UPDATE profiles SET display_name = ?, title = ?, department = ?, email = ?,"
                " phone = ?, name_key = ?, updated_at = ?,"
                " confirmed_at = CASE WHEN ? THEN ? ELSE confirmed_at END WHERE id = ?",
                (
                    clean.display_name,
                    clean.title,
                    clean.department,
                    clean.email,
                    clean.phone,
                    fold(clean.display_name),
                    iso(now),
                    actor == user_id,
                    iso(now),
                    pid,
                ),
            )
        if expertise is not None:
            await _write_expertise(db, guild_id, pid, expertise)
        if languages is not None:
            await _write_languages(db, pid, languages)
        if actor != user_id:
            await audit.record(
                db,
                guild_id,
                actor_id=actor,
                subject_id=user_id,
                action="profile.edit",
                detail={"created": existing is None},
                now=now,
            )
        await directory.index_profiles(db, [pid])
    result = await get(db, guild_id, user_id)
    assert result is not None
    return result


async def _write_expertise(db: Database, guild_id: int, pid: int, tags: Sequence[str]) -> None:
    await db.execute("DELETE FROM profile_expertise WHERE profile_id = ?", (pid,))
    await db.executemany(
        "INSERT INTO profile_expertise (profile_id, guild_id, position, tag, tag_key)"
        " VALUES (?, ?, ?, ?, ?)",
        [(pid, guild_id, i, tag, fold(tag)) for i, tag in enumerate(tags)],
    )


async def _write_languages(db: Database, pid: int, codes: Sequence[str]) -> None:
    await db.execute("DELETE FROM profile_languages WHERE profile_id = ?", (pid,))
    await db.executemany(
        "INSERT INTO profile_languages (profile_id, position, language) VALUES (?, ?, ?)",
        [(pid, i, code) for i, code in enumerate(codes)],
    )


async def set_details(
    db: Database,
    guild_id: int,
    user_id: int,
    *,
    now: datetime,
    expertise: str | None = None,
    languages: str | None = None,
    contact_ok: bool | None = None,
) -> Profile:
    """Expertise and languages (as typed, comma-separated) and the contact opt-in."""
    tags = parse_expertise(expertise) if expertise is not None else None
    codes = parse_languages(languages) if languages is not None else None
    pid = await _require(db, guild_id, user_id)
    async with db.transaction():
        if tags is not None:
            await _write_expertise(db, guild_id, pid, tags)
        if codes is not None:
            await _write_languages(db, pid, codes)
        if contact_ok is not None:
            await db.execute("UPDATE profiles SET contact_ok = ? WHERE id = ?", (contact_ok, pid))
        await db.execute(
            "UPDATE profiles SET updated_at = ?, confirmed_at = ? WHERE id = ?",
            (iso(now), iso(now), pid),
        )
        await directory.index_profiles(db, [pid])
    result = await get(db, guild_id, user_id)
    assert result is not None
    return result


async def set_organisation(
    db: Database, guild_id: int, user_id: int, organisation_id: int, *, now: datetime
) -> Profile:
    """The person's organisation (one of the network's, not archived). It is kept on the
    membership, so this is the same choice as the one made at onboarding, and changes it."""
    await _check_organisation(db, guild_id, organisation_id)
    pid = await _require(db, guild_id, user_id)
    async with db.transaction():
        await members.set_organisation(db, guild_id, user_id, organisation_id, now)
        await db.execute(
            "UPDATE profiles SET updated_at = ?, confirmed_at = ? WHERE id = ?",
            (iso(now), iso(now), pid),
        )
        await directory.index_profiles(db, [pid])
    result = await get(db, guild_id, user_id)
    assert result is not None
    return result


async def set_ask_opt_in(db: Database, guild_id: int, user_id: int, ping: bool) -> None:
    """Whether `/ask` may ping this person when a question fits their expertise or function
    (opt-in; they are named, unpinged, otherwise)."""
    pid = await _require(db, guild_id, user_id)
    await db.execute("UPDATE profiles SET ask_opt_in = ? WHERE id = ?", (int(ping), pid))


async def set_visibility(
    db: Database,
    guild_id: int,
    user_id: int,
    visibility: str,
    *,
    now: datetime,
    actor_id: int | None = None,
) -> Profile:
    """Shown to the network's members, or hidden from the directory. An admin hiding someone
    else's entry is audited."""
    if visibility not in VISIBILITIES:
        raise InvalidInput("profile.visibility", "profile.error.bad_visibility")
    pid = await _require(db, guild_id, user_id)
    async with db.transaction():
        await db.execute(
            "UPDATE profiles SET visibility = ?, updated_at = ? WHERE id = ?",
            (visibility, iso(now), pid),
        )
        if actor_id is not None and actor_id != user_id:
            await audit.record(
                db,
                guild_id,
                actor_id=actor_id,
                subject_id=user_id,
                action="profile.visibility",
                detail={"visibility": visibility},
                now=now,
            )
    result = await get(db, guild_id, user_id)
    assert result is not None
    return result


async def confirm(db: Database, guild_id: int, user_id: int, *, now: datetime) -> Profile:
    """ "Still correct": the entry is confirmed as of now."""
    pid = await _require(db, guild_id, user_id)
    await db.execute("UPDATE profiles SET confirmed_at = ? WHERE id = ?", (iso(now), pid))
    result = await get(db, guild_id, user_id)
    assert result is not None
    return result


async def expertise_suggestions(
    db: Database, guild_id: int, current: str, limit: int = 25
) -> list[str]:
    """Tags the network already uses, most used first, matching what has been typed."""
    key = fold(current.strip())[:TAG_MAX]
    rows = await db.fetchall(
        "SELECT tag_key, MIN(tag) AS tag, COUNT(*) AS n FROM profile_expertise"
        " WHERE guild_id = ? AND tag_key LIKE ? ESCAPE '\\'"
        " GROUP BY tag_key ORDER BY (tag_key LIKE ? ESCAPE '\\') DESC, n DESC, tag_key LIMIT ?",
        (guild_id, f"%{_like(key)}%", f"{_like(key)}%", limit),
    )
    return [r["tag"] for r in rows]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
