"""The directory: `/contact`, `/profile`, `/function`, `/directory` and the contact card menu."""

from __future__ import annotations

from bot.bot import Krokarm
from cogs.directory._cog import Directory


async def setup(bot: Krokarm) -> None:
    await bot.add_cog(Directory(bot))
