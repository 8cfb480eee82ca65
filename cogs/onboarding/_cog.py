"""Onboarding: greet newcomers in the welcome channel, and keep track of who left."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot import ui
from bot.bot import Krokarm
from bot.i18n import t
from bot.services import members, network, organisations
from cogs._common import give_member_role
from cogs.directory._views import EditProfileButton
from cogs.onboarding._views import (
    OrganisationSelect,
    PickButton,
    SearchButton,
)

log = logging.getLogger(__name__)


class Onboarding(commands.Cog):
    """The greeting and the organisation picker; joins are recorded here, departures by the
    privacy cog (they start the grace period before a leaver's data is removed)."""

    dynamic_items = (PickButton, OrganisationSelect, SearchButton)

    def __init__(self, bot: Krokarm) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        if member.bot:
            return
        guild = member.guild
        if guild.id not in self.bot.network_langs:
            # A member event can come before the guild's own is handled.
            await self.bot.ensure_network(guild)
        before = await members.get_member(self.bot.db, guild.id, member.id)
        await members.mark_joined(self.bot.db, guild.id, member.id, self.bot.clock.now())
        settings = await network.get(self.bot.db, guild.id)
        lang = settings.lang
        known = None
        outcome = None
        if before is not None and before.organisation_id is not None:
            org = await organisations.get(self.bot.db, guild.id, before.organisation_id)
            if org is not None and not org.archived:
                known = org
                outcome = await give_member_role(self.bot, guild, member)
        channel = self._greeting_channel(guild, settings)
        if channel is None:
            log.info("guild %s has no welcome channel (setup has not run): no greeting", guild.id)
            return
        if known is not None:
            text = t(
                lang, "onboarding.welcome_back", mention=member.mention, organisation=known.name
            )
        else:
            text = t(lang, "onboarding.greeting", mention=member.mention, network=settings.name)
        if outcome == "refused":
            text += "\n" + t(lang, "onboarding.role.refused")
        view = ui.View(timeout=None)
        view.add_item(PickButton(member.id, lang))
        view.add_item(EditProfileButton(lang, label_key="profile.button.create"))
        await channel.send(
            text, view=view, allowed_mentions=discord.AllowedMentions(users=[member])
        )

    def _greeting_channel(
        self, guild: discord.Guild, settings: network.NetworkSettings
    ) -> discord.TextChannel | None:
        """The welcome channel, if setup has built it and the bot may post there.

        Before setup there is none: the bot does not speak up in a server that has not been made
        a network yet (the first setup posts a standing picker for everyone already there).
        """
        welcome = settings.channels.get("welcome")
        channel = guild.get_channel(welcome) if welcome else None
        if not isinstance(channel, discord.TextChannel):
            return None
        if not channel.permissions_for(guild.me).send_messages:
            return None
        return channel
