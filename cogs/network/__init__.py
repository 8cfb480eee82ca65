"""`/network`: setup, settings, member municipalities and organisations."""

from __future__ import annotations

from bot.bot import Krokarm
from cogs.network._cog import Network


async def setup(bot: Krokarm) -> None:
    await bot.add_cog(Network(bot))
