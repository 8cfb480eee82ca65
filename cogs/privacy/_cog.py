"""`/privacy`: the notice, one's data as a file, forget-me; departures start the grace period.

The purge of leavers is a job declared in `bot.features` (the privacy feature)."""

from __future__ import annotations

import io
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.bot import Krokarm
from bot.context import Context
from bot.embeds import fit
from bot.i18n import t
from bot.services import privacy
from cogs._common import EMBED_COLOUR, privacy_notice, shorten
from cogs.privacy._views import ForgetCancel, ForgetConfirm, forget_view

log = logging.getLogger(__name__)


class Privacy(commands.Cog):
    """Personal data: what is stored, why, for how long, and the member's rights."""

    dynamic_items = (ForgetConfirm, ForgetCancel)

    privacy = app_commands.Group(
        name="privacy", description="Your personal data in the network", guild_only=True
    )

    def __init__(self, bot: Krokarm) -> None:
        self.bot = bot

    # --- leaving (arrivals, and departures while the bot was away, are the bot's: bot.bot) ---

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        # Raw, so that a departure counts even when the member was not in the cache.
        if payload.user.bot:
            return
        now = self.bot.clock.now()
        await privacy.member_left(
            self.bot.db, self.bot.features.privacy, payload.guild_id, payload.user.id, now=now
        )

    # --- commands ---------------------------------------------------------------------------

    @privacy.command(name="notice", description="How the network handles your personal data")
    async def notice(self, interaction: discord.Interaction[Krokarm]) -> None:
        ctx = Context.of(interaction)
        lang = ctx.lang
        assert interaction.guild is not None
        text = await privacy_notice(self.bot, ctx.network_id, interaction.guild.name, lang)
        embed = discord.Embed(
            title=t(lang, "privacy.notice.title", network=shorten(interaction.guild.name, 100)),
            description=shorten(text, 4096),
            colour=EMBED_COLOUR,
        )
        await interaction.response.send_message(embed=fit(embed), ephemeral=True)

    @privacy.command(
        name="mydata", description="Everything stored about you in this network, as a file"
    )
    async def mydata(self, interaction: discord.Interaction[Krokarm]) -> None:
        ctx = Context.of(interaction)
        lang, guild_id = ctx.lang, ctx.network_id
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await privacy.export(
            ctx.db, self.bot.features.privacy, guild_id, ctx.user_id, now=ctx.now
        )
        payload = privacy.export_json(data).encode("utf-8")
        file = discord.File(io.BytesIO(payload), filename=f"krokarm-mydata-{guild_id}.json")
        key = (
            "privacy.mydata.ready"
            if data["profile"] or data["tables"]
            else "privacy.mydata.nothing"
        )
        await interaction.followup.send(t(lang, key), file=file, ephemeral=True)

    @privacy.command(
        name="forget-me", description="Delete your profile and personal data in this network"
    )
    async def forget_me(self, interaction: discord.Interaction[Krokarm]) -> None:
        ctx = Context.of(interaction)
        await interaction.response.send_message(
            t(ctx.lang, "privacy.forget.ask"), view=forget_view(ctx), ephemeral=True
        )
