"""Good practice: `/practice` and the good-practice forum's posts."""

from __future__ import annotations

from bot.bot import Krokarm
from cogs.practices._cog import Practices


async def setup(bot: Krokarm) -> None:
    await bot.add_cog(Practices(bot))
