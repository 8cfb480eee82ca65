"""The one place that builds everything: settings → database → scheduler → bot, and back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import endpoints, logs
from bot.bot import Krokarm
from bot.clock import Clock
from bot.db import Database
from bot.settings import Settings


@asynccontextmanager
async def open_bot(
    settings: Settings, *, clock: Clock | None = None, **options: Any
) -> AsyncIterator[Krokarm]:
    """A bot with its database and scheduler; closed in reverse order on the way out.

    The bot is built but not started: call `await bot.start(token)` (or `login`).
    """
    endpoints.apply(settings.discord_api_base, settings.discord_gateway_url)
    token = settings.discord_token
    logs.guard_library_loggers([token.get_secret_value()] if token is not None else [])
    db = Database(settings.database_path)
    await db.connect()
    try:
        scheduler = AsyncIOScheduler(timezone=settings.zone)
        bot = Krokarm(settings=settings, db=db, scheduler=scheduler, clock=clock, **options)
        try:
            yield bot
        finally:
            await bot.close()
    finally:
        await db.close()
