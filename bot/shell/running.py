"""Start the real bot against a sandbox: used by the tests, the shell and the benchmark."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.app import open_bot
from bot.bot import Krokarm
from bot.clock import Clock
from bot.settings import Settings

if TYPE_CHECKING:
    from sandbox import Sandbox


def sandbox_settings(sandbox: Sandbox, database_path: Path, **overrides: Any) -> Settings:
    """Settings that point the bot at `sandbox`, as DISCORD_API_BASE/DISCORD_GATEWAY_URL would."""
    values: dict[str, Any] = {
        "discord_token": sandbox.token,
        "database_path": database_path,
        "discord_api_base": sandbox.api_base,
        "discord_gateway_url": sandbox.gateway_url,
        "dev_guild_id": None,
        "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def running_bot(
    sandbox: Sandbox,
    database_path: Path,
    *,
    clock: Clock | None = None,
    sync: bool = True,
    ready_timeout: float = 15.0,
    **options: Any,
) -> AsyncIterator[Krokarm]:
    """The bot, connected and ready, with its commands synced globally (as `bot sync` does).

    The bot and the sandbox run on one clock: without ``clock`` the bot takes the sandbox's
    (when it is a ``bot.clock.Clock``, e.g. a ``FixedClock``); a different clock is refused.
    """
    if clock is None:
        clock = sandbox.clock if isinstance(sandbox.clock, Clock) else None
    elif clock is not sandbox.clock:
        raise ValueError("the bot and the sandbox must share one clock: Sandbox(clock=...)")
    settings = sandbox_settings(sandbox, database_path)
    async with open_bot(settings, clock=clock, guild_ready_timeout=0.05, **options) as bot:
        task = asyncio.create_task(bot.start(sandbox.token), name="krokarm-bot")
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait(
            {task, ready}, timeout=ready_timeout, return_when="FIRST_COMPLETED"
        )
        if ready not in done:
            ready.cancel()
            if task in done:
                task.result()  # raises the reason the bot stopped
            raise TimeoutError(f"the bot was not ready within {ready_timeout} s")
        if sync:
            await bot.tree.sync()
        try:
            yield bot
        finally:
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, timeout=10)
