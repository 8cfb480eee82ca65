"""What no feature handles any more: expired buttons, selects and modals are answered.

Not a feature of its own: the catch-all of `bot.ui` (`Expired` for components, and modal submits
nobody takes), so that nothing the bot has shown goes unanswered after a restart.
"""

from __future__ import annotations

from typing import Any

import discord
from discord.ext import commands

from bot import ui
from bot.bot import Krokarm


class Forms(commands.Cog):
    """Answers `krokarm:` components and modals that have expired."""

    dynamic_items = (ui.Expired,)

    def __init__(self, bot: Krokarm) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        await ui.answer_expired_modal(interaction)


async def setup(bot: Krokarm) -> None:
    await bot.add_cog(Forms(bot))
