"""Onboarding: the greeting, the organisation picker and the member role."""

from __future__ import annotations

from bot.bot import Krokarm
from cogs.onboarding._cog import Onboarding


async def setup(bot: Krokarm) -> None:
    await bot.add_cog(Onboarding(bot))
