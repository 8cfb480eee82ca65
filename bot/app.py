"""The one place that builds everything: settings → database → scheduler → bot, and back."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import endpoints, logs
from bot.bot import Krokarm
from bot.clock import Clock
from bot.db import Database
from bot.features import Features, declared
from bot.services.ask import answer as ask_answer
from bot.settings import Settings


@asynccontextmanager
async def open_bot(
    settings: Settings,
    *,
    clock: Clock | None = None,
    features: Features | None = None,
    **options: Any,
) -> AsyncIterator[Krokarm]:
    """A bot with its database, scheduler and the features it is made of; closed in reverse
    order on the way out (the bot stops taking interactions and lets running ones finish
    before the database closes).

    The bot is built but not started: call `await bot.start(token)` (or `login`).
    """
    endpoints.apply(settings.discord_api_base, settings.discord_gateway_url)
    token = settings.discord_token
    logs.guard_library_loggers([token.get_secret_value()] if token is not None else [])
    db = Database(
        settings.database_path, processes=settings.search_process_count, warm=ask_answer.warm
    )
    await db.connect()
    try:
        # In-memory job store: the schedule lives in the `jobs` table (bot.jobs).
        scheduler = AsyncIOScheduler(timezone=settings.zone)
        bot = Krokarm(
            settings=settings,
            db=db,
            scheduler=scheduler,
            clock=clock,
            features=features if features is not None else declared(),
            **options,
        )
        try:
            yield bot
        finally:
            await bot.close()
    finally:
        await db.close()


def stop_on_signals(bot: Krokarm) -> None:
    """SIGTERM (systemd, docker stop) and SIGINT stop the bot the orderly way: no new
    interactions, running ones finish, then the database closes."""
    loop = asyncio.get_running_loop()
    closing: set[asyncio.Task[None]] = set()

    def stop() -> None:
        task = asyncio.ensure_future(bot.close())
        closing.add(task)
        task.add_done_callback(closing.discard)

    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows
            loop.add_signal_handler(sig, stop)
