"""The bot as the benchmark runs it: its own process, settings from the environment.

The same as `python -m bot`, plus the baseline extension; commands are synced to DEV_GUILD_ID.
"""

from __future__ import annotations

import asyncio
import sys

from bot.app import open_bot
from bot.bot import extension_names
from bot.logs import setup_logging
from bot.settings import SettingsError, load_settings


async def run() -> None:
    settings = load_settings()
    setup_logging(settings.log_level, secrets=[settings.require_token()])
    extensions = [*extension_names(), "bench.baseline"]
    async with open_bot(settings, extensions=extensions, guild_ready_timeout=0.05) as bot:
        await bot.start(settings.require_token())


if __name__ == "__main__":
    try:
        asyncio.run(run())
    except SettingsError as exc:
        print(f"bench bot: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        pass
