"""`/privacy` and the jobs that look after personal data."""

from __future__ import annotations

from bot.bot import Krokarm
from cogs.privacy._cog import Privacy


async def setup(bot: Krokarm) -> None:
    await bot.add_cog(Privacy(bot))
