"""The bench's floors, loaded only into the bench's bot process (never in production).

`/bench-baseline` answers at once: the floor for "ack". `/bench-deferred` defers, then follows
up, as every command that does real work does: the floor for "seen".
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands


class BenchTrivial(commands.Cog):
    @app_commands.command(name="bench-baseline", description="Answers at once (benchmark only)")
    async def baseline(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok", ephemeral=True)

    @app_commands.command(
        name="bench-deferred", description="Defers, then follows up (benchmark only)"
    )
    async def deferred(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send("ok", ephemeral=True)
