"""The trivial baseline command, loaded only into the benchmark's bot process."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands


class Baseline(commands.Cog):
    @app_commands.command(name="bench-baseline", description="Answers at once (benchmark only)")
    async def baseline(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok", ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Baseline())
