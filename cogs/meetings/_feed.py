"""The calendar subscription: each network's .ics served over HTTP at an unguessable URL.

Off unless `calendar_port` is set. The token (32 bytes of `secrets`, per network, made when an
admin first asks for the link and replaced on request) is the only key; a wrong one gets the same
404 as a missing path. Tokens are never logged.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

from aiohttp import web

from bot.bot import Krokarm
from bot.services import network
from bot.services.meetings import series as series_service
from bot.services.meetings.calendar import CalendarSeries, build_calendar
from bot.services.meetings.series import _iso

log = logging.getLogger(__name__)


async def calendar_bytes(bot: Krokarm, guild_id: int, now: datetime) -> tuple[bytes, int]:
    """The network's .ics and how many series it holds."""
    settings = await network.get(bot.db, guild_id)
    found = await series_service.list_series(bot.db, guild_id, include_cancelled=True)
    overrides = await series_service.overrides_of(bot.db, [s.id for s in found])
    guild = bot.get_guild(guild_id)
    voice_names = {c.id: c.name for c in (guild.voice_channels if guild else [])}

    def place(s: series_service.Series) -> str | None:
        if s.place.kind == "voice":
            return voice_names.get(s.place.voice_channel_id or 0, settings.name)
        return s.place.text

    data = build_calendar(
        settings.name, (CalendarSeries(s, overrides[s.id]) for s in found), now, place
    )
    return data, len(found)


async def feed_token(bot: Krokarm, guild_id: int, now: datetime, *, renew: bool = False) -> str:
    """The network's token, made on first use (or replaced when `renew`)."""
    current = await bot.db.fetchval(
        "SELECT token FROM meeting_calendar_feeds WHERE guild_id = ?", (guild_id,)
    )
    if current is not None and not renew:
        return str(current)
    token = secrets.token_urlsafe(32)
    await bot.db.execute(
        "INSERT INTO meeting_calendar_feeds (guild_id, token, created_at) VALUES (?, ?, ?)"
        " ON CONFLICT (guild_id) DO UPDATE SET token = excluded.token,"
        " created_at = excluded.created_at",
        (guild_id, token, _iso(now)),
    )
    return token


def feed_url(bot: Krokarm, token: str) -> str:
    base = bot.settings.calendar_base_url or (
        f"http://{bot.settings.calendar_host}:{bot.settings.calendar_port}"
    )
    return f"{base.rstrip('/')}/calendar/{token}.ics"


class CalendarFeed:
    """A small aiohttp server: GET /calendar/<token>.ics."""

    def __init__(self, bot: Krokarm, host: str, port: int) -> None:
        self.bot = bot
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> int:
        """Start serving; returns the port (the one the system chose for port 0)."""
        app = web.Application()
        app.router.add_get("/calendar/{name}", self._serve)
        self._runner = web.AppRunner(app, access_log=None)  # the path holds the token
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self.port = sockets[0].getsockname()[1]
        log.info("calendar subscriptions served on port %s", self.port)
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _serve(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        token = name.removesuffix(".ics")
        if not name.endswith(".ics") or not 32 <= len(token) <= 64:
            raise web.HTTPNotFound()
        guild_id = await self.bot.db.fetchval(
            "SELECT f.guild_id FROM meeting_calendar_feeds f JOIN networks n"
            " ON n.guild_id = f.guild_id WHERE f.token = ?",
            (token,),
        )
        if guild_id is None:
            raise web.HTTPNotFound()
        data, _ = await calendar_bytes(self.bot, int(guild_id), self.bot.clock.now())
        return web.Response(
            body=data,
            content_type="text/calendar",
            charset="utf-8",
            headers={"Cache-Control": "private, max-age=300"},
        )
