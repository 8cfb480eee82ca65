"""`/action list` and `/action done`: the actions agreed at the network's meetings."""

from __future__ import annotations

from bot.bot import Krokarm
from cogs.actions._cog import Actions


async def setup(bot: Krokarm) -> None:
    await bot.add_cog(Actions(bot))
