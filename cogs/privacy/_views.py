"""The confirm step of `/privacy forget-me`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot import ui
from bot.errors import UserError
from bot.funnel import lang_for
from bot.i18n import Lang, t
from bot.services.privacy import Erasure


class ForgetView(ui.View):
    """ "Yes, forget me" and "Cancel", for the person who asked only."""

    def __init__(
        self,
        lang: Lang,
        user_id: int,
        guild_id: int,
        forget: Callable[[int, int], Awaitable[Erasure]],
    ) -> None:
        super().__init__(timeout=300)
        self.user_id = user_id
        self.guild_id = guild_id
        self._forget = forget
        self.confirm.label = t(lang, "privacy.forget.confirm")
        self.cancel.label = t(lang, "privacy.forget.cancel")

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id != self.user_id:
            raise UserError("errors.not_yours")
        return True

    @discord.ui.button(
        label="Forget me", style=discord.ButtonStyle.danger, custom_id="krokarm:privacy:forget"
    )
    async def confirm(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        lang = lang_for(interaction)
        erasure = await self._forget(self.guild_id, self.user_id)
        key = "privacy.forget.done" if erasure.anything else "privacy.forget.nothing"
        await interaction.response.edit_message(content=t(lang, key), view=None)
        self.stop()

    @discord.ui.button(
        label="Cancel", style=discord.ButtonStyle.secondary, custom_id="krokarm:privacy:cancel"
    )
    async def cancel(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        lang = lang_for(interaction)
        await interaction.response.edit_message(
            content=t(lang, "privacy.forget.cancelled"), view=None
        )
        self.stop()
