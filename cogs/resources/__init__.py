"""Resources: `/resource add`, `/resource find`, `/resource edit`, `/resource remove`."""

from __future__ import annotations

from bot.bot import Krokarm
from cogs.resources._cog import Resources


async def setup(bot: Krokarm) -> None:
    await bot.add_cog(Resources(bot))
