"""Networks: one Discord server is one network."""

from __future__ import annotations

from bot.db import Database
from bot.i18n import DEFAULT_LANG, Lang, t
from bot.services.text import is_invisible

_LOCALE_OF: dict[Lang, str] = {"sv": "sv-SE", "en": "en"}
_LANG_OF: dict[str, Lang] = {"sv-SE": "sv", "en": "en"}


async def ensure(db: Database, guild_id: int, *, name: str, preferred_locale: Lang | None) -> Lang:
    """Create the network of a guild the first time the bot sees it; return its language."""
    locale = _LOCALE_OF[preferred_locale or DEFAULT_LANG]
    # A server's name may show nothing (only invisible characters): the network gets a default.
    if is_invisible(name):
        name = t(preferred_locale or DEFAULT_LANG, "security.network.default_name")
    await db.execute(
        "INSERT INTO networks (guild_id, name, locale) VALUES (?, ?, ?)"
        " ON CONFLICT (guild_id) DO UPDATE SET left_at = NULL",
        (guild_id, name[:100], locale),
    )
    stored = await db.fetchval("SELECT locale FROM networks WHERE guild_id = ?", (guild_id,))
    return _LANG_OF.get(str(stored), DEFAULT_LANG)


async def mark_left(db: Database, guild_id: int, when: str) -> None:
    """The bot was removed from the server; the network's data stays until removed on purpose."""
    await db.execute("UPDATE networks SET left_at = ? WHERE guild_id = ?", (when, guild_id))


async def languages(db: Database) -> dict[int, Lang]:
    rows = await db.fetchall("SELECT guild_id, locale FROM networks")
    return {int(r["guild_id"]): _LANG_OF.get(r["locale"], DEFAULT_LANG) for r in rows}
