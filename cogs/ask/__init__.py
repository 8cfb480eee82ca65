"""`/ask`: one question answered from every source; the questions forum and the hand-off."""

from __future__ import annotations

from bot.bot import Krokarm
from cogs.ask._cog import Ask


async def setup(bot: Krokarm) -> None:
    await bot.add_cog(Ask(bot))
