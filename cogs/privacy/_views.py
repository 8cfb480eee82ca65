"""The confirm step of `/privacy forget-me`."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from bot import ui
from bot.context import Context
from bot.i18n import Lang, t
from bot.services import members, network, privacy

log = logging.getLogger(__name__)


class _ForgetItem(ui.Owned, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"$^"):
    """A button of the forget-me question: `krokarm:privacy:<step>:<user>:<guild>`, for the
    person who asked, in the network they asked in; it works after a restart."""

    step = ""
    style = discord.ButtonStyle.secondary

    def __init__(self, user_id: int, guild_id: int, lang: Lang = "sv") -> None:
        self.owner_id = user_id
        self.guild_id = guild_id
        super().__init__(
            discord.ui.Button(
                label=t(lang, f"privacy.forget.{self.step}"),
                style=self.style,
                custom_id=f"krokarm:privacy:{self.step}:{user_id}:{guild_id}",
            )
        )

    @staticmethod
    def template_for(step: str) -> str:
        return rf"krokarm:privacy:{step}:(?P<user>\d+):(?P<guild>\d+)"

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> _ForgetItem:
        return cls(int(match["user"]), int(match["guild"]))


async def take_member_role(bot: Any, guild_id: int, user_id: int) -> str | None:
    """Take the network's member role from someone whose organisation was erased; how it went
    ("removed", "failed"), or None when they did not have it."""
    guild = bot.get_guild(guild_id)
    settings = await network.get(bot.db, guild_id)
    member = guild.get_member(user_id) if guild is not None else None
    if member is None or settings.member_role_id is None:
        return None
    if not any(r.id == settings.member_role_id for r in member.roles):
        return None
    try:
        await member.remove_roles(
            discord.Object(settings.member_role_id), reason="Krokarm: forget-me"
        )
    except discord.HTTPException:
        log.warning("guild %s: the member role could not be taken at forget-me", guild_id)
        return "failed"
    return "removed"


class ForgetConfirm(_ForgetItem, template=_ForgetItem.template_for("confirm")):
    step = "confirm"
    style = discord.ButtonStyle.danger

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        assert self.owner_id is not None and self.guild_id is not None
        # Erasure merges the search index and takes a role back: on a large network that can
        # take longer than the 3 seconds Discord gives for the first answer.
        await interaction.response.defer()
        before = await members.get_member(ctx.db, self.guild_id, self.owner_id)
        erasure = await privacy.erase(
            ctx.db, interaction.client.features.privacy, self.guild_id, self.owner_id, now=ctx.now
        )
        key = "privacy.forget.done" if erasure.anything else "privacy.forget.nothing"
        text = t(ctx.lang, key)
        if before is not None and before.organisation_id is not None:
            # The member role came with the organisation that was just erased: it goes with it.
            outcome = await take_member_role(ctx.bot, self.guild_id, self.owner_id)
            if outcome is not None:
                # The button as it reads in the welcome channel: in the network's language.
                settings = await network.get(ctx.db, self.guild_id)
                button = t(settings.lang, "onboarding.pick")
                text += "\n" + t(ctx.lang, f"privacy.forget.role.{outcome}", button=button)
        await interaction.edit_original_response(content=text, view=None)


class ForgetCancel(_ForgetItem, template=_ForgetItem.template_for("cancel")):
    step = "cancel"

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        await interaction.response.edit_message(
            content=t(ctx.lang, "privacy.forget.cancelled"), view=None
        )


def forget_view(ctx: Context) -> discord.ui.View:
    """ "Yes, forget me" and "Cancel", for the person who asked only."""
    view = discord.ui.View(timeout=None)
    view.add_item(ForgetConfirm(ctx.user_id, ctx.network_id, ctx.lang))
    view.add_item(ForgetCancel(ctx.user_id, ctx.network_id, ctx.lang))
    return view
