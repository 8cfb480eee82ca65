"""The network meeting: `/meeting …` (series, events, reminders, RSVP; agenda and minutes)."""

from __future__ import annotations

from bot.bot import Krokarm
from cogs.meetings._cog import Meetings


async def setup(bot: Krokarm) -> None:
    await bot.add_cog(Meetings(bot))
