"""`/privacy`: the notice, one's data as a file, forget-me; the purge and reminder jobs."""

from __future__ import annotations

import io
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.bot import Krokarm
from bot.context import Context
from bot.i18n import pick_lang, t
from bot.services import freshness, members, privacy, profiles
from bot.services.privacy import PurgedMember
from cogs._common import EMBED_COLOUR, privacy_notice, shorten
from cogs.directory._render import card_embed
from cogs.directory._views import reminder_view
from cogs.privacy._views import ForgetCancel, ForgetConfirm, forget_view

log = logging.getLogger(__name__)

PURGE_JOB = "purge:leavers"
FRESHNESS_JOB = "freshness:remind"
JOB_INTERVAL_HOURS = 6


class Privacy(commands.Cog):
    """Personal data: what is stored, why, for how long, and the member's rights."""

    dynamic_items = (ForgetConfirm, ForgetCancel)

    privacy = app_commands.Group(
        name="privacy", description="Your personal data in the network", guild_only=True
    )

    def __init__(self, bot: Krokarm) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        for job_id, fn in ((PURGE_JOB, self.run_purge), (FRESHNESS_JOB, self.run_freshness)):
            self.bot.scheduler.add_job(
                fn, "interval", hours=JOB_INTERVAL_HOURS, id=job_id, replace_existing=True
            )

    async def cog_unload(self) -> None:
        for job_id in (PURGE_JOB, FRESHNESS_JOB):
            if self.bot.scheduler.get_job(job_id) is not None:
                self.bot.scheduler.remove_job(job_id)

    # --- jobs (tests call them directly after moving the clock) -----------------------------

    async def run_purge(self) -> list[PurgedMember]:
        """Remove the personal data of people whose grace period after leaving has passed."""
        purged = await privacy.purge_leavers(self.bot.db, now=self.bot.clock.now())
        if purged:
            # Counts only: who was purged is exactly what must not outlive the purge.
            log.info("purged the personal data of %d people whose grace period ended", len(purged))
        return purged

    async def run_freshness(self) -> int:
        """DM everyone whose entry is unconfirmed and who was not asked this period."""
        now = self.bot.clock.now()
        sent = 0
        for due in await freshness.due_reminders(self.bot.db, now=now):
            try:
                await self._remind(due)
                sent += 1
            except discord.HTTPException as exc:  # DMs closed, user gone: ask again next period
                log.info("could not send a freshness reminder in network %s: %s", due.guild_id, exc)
            await freshness.mark_reminded(self.bot.db, due.guild_id, due.user_id, now=now)
        return sent

    async def _remind(self, due: freshness.Due) -> None:
        user = self.bot.get_user(due.user_id) or await self.bot.fetch_user(due.user_id)
        guild = self.bot.get_guild(due.guild_id)
        member = guild.get_member(due.user_id) if guild else None
        lang = pick_lang(getattr(member, "locale", None), self.bot.network_langs.get(due.guild_id))
        profile = await profiles.get(self.bot.db, due.guild_id, due.user_id)
        if profile is None:
            return
        _, days = await privacy.network_periods(self.bot.db, due.guild_id)
        await user.send(
            t(lang, "freshness.dm", network=due.network_name),
            embed=card_embed(lang, profile, self.bot.clock.now(), days, own=True),
            view=reminder_view(lang, due.guild_id),
        )

    # --- joining and leaving ----------------------------------------------------------------

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        """Departures and returns that happened while the bot was offline count from now, so
        that nobody's grace period is skipped and nobody who came back is forgotten."""
        if not guild.chunked:
            # A partial member list would make people who are still here look departed.
            log.warning("network %s: member list incomplete, departures not checked", guild.id)
            return
        differences = await members.compare_with_server(
            self.bot.db, guild.id, [m.id for m in guild.members]
        )
        now = self.bot.clock.now()
        for user_id in differences.departed:
            await privacy.member_left(self.bot.db, guild.id, user_id, now=now)
        for user_id in differences.returned:
            await members.mark_joined(self.bot.db, guild.id, user_id, now)
        if differences.departed or differences.returned:
            log.info(
                "network %s: %d departed and %d returned while the bot was offline",
                guild.id,
                len(differences.departed),
                len(differences.returned),
            )

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        # Raw, so that a departure counts even when the member was not in the cache.
        if payload.user.bot:
            return
        now = self.bot.clock.now()
        await privacy.member_left(self.bot.db, payload.guild_id, payload.user.id, now=now)

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
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @privacy.command(
        name="mydata", description="Everything stored about you in this network, as a file"
    )
    async def mydata(self, interaction: discord.Interaction[Krokarm]) -> None:
        ctx = Context.of(interaction)
        lang, guild_id = ctx.lang, ctx.network_id
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await privacy.export(ctx.db, guild_id, ctx.user_id, now=ctx.now)
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
