"""A network's settings: name, language, time zone, roles, channels, privacy and retention.

Every change is validated as a whole before anything is written, and written in one
transaction, so bad input changes nothing. Errors are `InvalidInput` with catalogue keys.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from types import MappingProxyType
from typing import Any, Final
from zoneinfo import available_timezones

from bot.db import Database, UntilWrite
from bot.errors import InvalidInput, UserError
from bot.i18n import Lang
from bot.services.text import clean_line, clean_paragraphs

LOCALES: Final = ("sv-SE", "en")
LANG_OF_LOCALE: Final[Mapping[str, Lang]] = MappingProxyType({"sv-SE": "sv", "en": "en"})

# What the bot remembers channels for, in the order setup builds them.
CHANNEL_PURPOSES: Final = (
    "category",
    "welcome",
    "general",
    "meetings",
    "tips",
    "practices",
    "questions",
    "voice",
)
ROLE_PURPOSES: Final = ("admin", "member")

NAME_MAX = 100
PRIVACY_NOTICE_MAX = 4000
GRACE_DAYS = (1, 365)  # the schema's CHECK constraints, checked here first for a clear message
CONFIRM_DAYS = (7, 1095)
_CACHED_NETWORKS = 1000


def timestamp(when: datetime) -> str:
    """The database's timestamp format (UTC, seconds): 2026-11-23T09:00:00Z."""
    if when.tzinfo is None:
        raise ValueError("timestamps must be aware datetimes")
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@cache
def _zones() -> Mapping[str, str]:
    """IANA zone names by their case-folded form (only Area/Location names and UTC)."""
    zones = {z for z in available_timezones() if "/" in z or z == "UTC"}
    zones -= {z for z in zones if z.startswith(("posix/", "right/", "SystemV/"))}
    return MappingProxyType({z.casefold(): z for z in zones})


def time_zones() -> list[str]:
    """Every accepted IANA time zone name, sorted."""
    return sorted(_zones().values())


def clean_time_zone(text: str) -> str:
    """The canonical IANA name for `text` ("europe/stockholm" → "Europe/Stockholm")."""
    zone = _zones().get(text.strip().replace(" ", "_").casefold())
    if zone is None:
        raise InvalidInput("network_time_zone", "network.error.time_zone", value=text.strip()[:60])
    return zone


def _clean_days(field: str, value: int, bounds: tuple[int, int]) -> int:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(field, "network.error.days", min=low, max=high)
    return value


def clean_privacy_notice(text: str | None) -> str | None:
    """The notice as stored: None (the built-in default) for empty text."""
    if text is None or not text.strip():
        return None
    return clean_paragraphs("network_privacy_notice", text, max_length=PRIVACY_NOTICE_MAX)


@dataclass(frozen=True, slots=True)
class NetworkSettings:
    """Everything a network has configured."""

    guild_id: int
    name: str
    locale: str  # "sv-SE" or "en"
    timezone: str
    admin_role_id: int | None
    member_role_id: int | None
    privacy_notice: str | None  # None: the default text of the network's language
    leaver_grace_days: int
    confirm_after_days: int
    set_up_at: str | None
    channels: Mapping[str, int]  # purpose → channel id
    forum_tags: Mapping[tuple[str, str], int]  # (forum purpose, tag key) → tag id

    @property
    def lang(self) -> Lang:
        return LANG_OF_LOCALE.get(self.locale, "sv")

    def role_id(self, purpose: str) -> int | None:
        return self.admin_role_id if purpose == "admin" else self.member_role_id


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()


# Per database and guild id, while nothing has been written since: a change is seen at once.
_cache: UntilWrite[int, NetworkSettings | None] = UntilWrite(_CACHED_NETWORKS)


def _read(conn: sqlite3.Connection, guild_id: int) -> NetworkSettings | None:
    row = conn.execute("SELECT * FROM networks WHERE guild_id = ?", (guild_id,)).fetchone()
    if row is None:
        return None
    channels = conn.execute(
        "SELECT purpose, channel_id FROM network_channels WHERE guild_id = ?", (guild_id,)
    ).fetchall()
    tags = conn.execute(
        "SELECT forum, tag_key, tag_id FROM forum_tags WHERE guild_id = ?", (guild_id,)
    ).fetchall()
    return NetworkSettings(
        guild_id=guild_id,
        name=row["name"],
        locale=row["locale"],
        timezone=row["timezone"],
        admin_role_id=row["admin_role_id"],
        member_role_id=row["member_role_id"],
        privacy_notice=row["privacy_notice"],
        leaver_grace_days=row["leaver_grace_days"],
        confirm_after_days=row["confirm_after_days"],
        set_up_at=row["set_up_at"],
        channels=MappingProxyType({r[0]: int(r[1]) for r in channels}),
        forum_tags=MappingProxyType({(r[0], r[1]): int(r[2]) for r in tags}),
    )


async def get(db: Database, guild_id: int) -> NetworkSettings:
    """A network's settings; `UserError` if the bot has never seen the server.

    Read in one call to a reader and kept in memory until the next write to the database
    (inside a transaction it is always read afresh, from the writer)."""
    found = await _cache.get(db, guild_id, lambda: db.read(lambda conn: _read(conn, guild_id)))
    if found is None:
        raise UserError("network.error.unknown_network")
    return found


async def update(
    db: Database,
    guild_id: int,
    *,
    name: str | _Unset = UNSET,
    locale: str | _Unset = UNSET,
    timezone: str | _Unset = UNSET,
    admin_role_id: int | _Unset | None = UNSET,
    member_role_id: int | _Unset | None = UNSET,
    privacy_notice: str | _Unset | None = UNSET,
    leaver_grace_days: int | _Unset = UNSET,
    confirm_after_days: int | _Unset = UNSET,
) -> tuple[NetworkSettings, tuple[str, ...]]:
    """Change some settings; returns the new settings and the names of the fields that changed.

    Everything is validated before anything is written: one bad value changes nothing.
    `privacy_notice=None` (or empty text) goes back to the default text.
    """
    current = await get(db, guild_id)
    wanted: dict[str, Any] = {}
    if not isinstance(name, _Unset):
        wanted["name"] = clean_line("network_name", name, max_length=NAME_MAX)
    if not isinstance(locale, _Unset):
        if locale not in LOCALES:
            raise InvalidInput("network_language", "network.error.language")
        wanted["locale"] = locale
    if not isinstance(timezone, _Unset):
        wanted["timezone"] = clean_time_zone(timezone)
    if not isinstance(admin_role_id, _Unset):
        wanted["admin_role_id"] = admin_role_id
    if not isinstance(member_role_id, _Unset):
        wanted["member_role_id"] = member_role_id
    if not isinstance(privacy_notice, _Unset):
        wanted["privacy_notice"] = clean_privacy_notice(privacy_notice)
    if not isinstance(leaver_grace_days, _Unset):
        wanted["leaver_grace_days"] = _clean_days(
            "network_grace_days", leaver_grace_days, GRACE_DAYS
        )
    if not isinstance(confirm_after_days, _Unset):
        wanted["confirm_after_days"] = _clean_days(
            "network_confirm_days", confirm_after_days, CONFIRM_DAYS
        )
    if (
        wanted.get("admin_role_id") is not None
        and wanted.get("admin_role_id") == wanted.get("member_role_id", current.member_role_id)
    ) or (
        wanted.get("member_role_id") is not None
        and wanted.get("member_role_id") == wanted.get("admin_role_id", current.admin_role_id)
    ):
        raise InvalidInput("network_member_role", "network.error.same_role")
    changed = {k: v for k, v in wanted.items() if getattr(current, k) != v}
    if changed:
        assignments = ", ".join(f"{column} = ?" for column in changed)
        async with db.transaction():
            await db.execute(
                f"UPDATE networks SET {assignments} WHERE guild_id = ?",
                (*changed.values(), guild_id),
            )
    return await get(db, guild_id), tuple(changed)


async def record_setup(
    db: Database,
    guild_id: int,
    *,
    channels: Mapping[str, int],
    roles: Mapping[str, int],
    tags: Mapping[tuple[str, str], int],
    when: datetime | None,
) -> None:
    """Remember what setup created or adopted, by id; `when` marks the setup as finished."""
    unknown = (set(channels) - set(CHANNEL_PURPOSES)) | (set(roles) - set(ROLE_PURPOSES))
    if unknown:
        raise ValueError(f"unknown purposes: {sorted(unknown)}")
    async with db.transaction():
        await db.executemany(
            "INSERT INTO network_channels (guild_id, purpose, channel_id) VALUES (?, ?, ?)"
            " ON CONFLICT (guild_id, purpose) DO UPDATE SET channel_id = excluded.channel_id",
            [(guild_id, purpose, cid) for purpose, cid in channels.items()],
        )
        await db.executemany(
            "INSERT INTO forum_tags (guild_id, forum, tag_key, tag_id) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (guild_id, forum, tag_key) DO UPDATE SET tag_id = excluded.tag_id",
            [(guild_id, forum, key, tid) for (forum, key), tid in tags.items()],
        )
        for purpose, role_id in roles.items():
            await db.execute(
                f"UPDATE networks SET {purpose}_role_id = ? WHERE guild_id = ?",
                (role_id, guild_id),
            )
        if when is not None:
            await db.execute(
                "UPDATE networks SET set_up_at = ? WHERE guild_id = ?",
                (timestamp(when), guild_id),
            )


async def set_channel(db: Database, guild_id: int, purpose: str, channel_id: int | None) -> None:
    """Point a purpose at another channel (None: forget it)."""
    if purpose not in CHANNEL_PURPOSES:
        raise InvalidInput("network_channel_purpose", "network.error.purpose")
    if channel_id is None:
        await db.execute(
            "DELETE FROM network_channels WHERE guild_id = ? AND purpose = ?", (guild_id, purpose)
        )
    else:
        await record_setup(
            db, guild_id, channels={purpose: channel_id}, roles={}, tags={}, when=None
        )


async def welcome_message(db: Database, guild_id: int) -> int | None:
    """The id of the standing message in the welcome channel, if the bot has posted one."""
    found = await db.fetchval(
        "SELECT welcome_message_id FROM networks WHERE guild_id = ?", (guild_id,)
    )
    return int(found) if found is not None else None


async def set_welcome_message(db: Database, guild_id: int, message_id: int | None) -> None:
    await db.execute(
        "UPDATE networks SET welcome_message_id = ? WHERE guild_id = ?", (message_id, guild_id)
    )
