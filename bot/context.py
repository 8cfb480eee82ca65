"""One context per interaction: who asks, in which network, in which language, and when.

Built once when an interaction reaches a handler (`await Context.of(interaction)`) and handed to
the handler, and to the views and modals it opens, so that none of them works the language, the
network or the time out again (RoboDanny's `Context` is the model).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import discord

from bot.errors import UserError
from bot.funnel import lang_for
from bot.i18n import Lang
from bot.services import network

if TYPE_CHECKING:
    from bot.bot import Krokarm
    from bot.db import Database

DEFAULT_ZONE = "Europe/Stockholm"
_KEY = "krokarm.context"


def zone(name: str | None) -> ZoneInfo:
    """The time zone called `name`, or Sweden's when it is unset or unknown."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


@dataclass
class Context:
    """What every handler needs about one interaction, worked out once."""

    interaction: discord.Interaction[Any]
    bot: Krokarm
    lang: Lang
    now: datetime
    guild_id: int | None
    _settings: network.NetworkSettings | None = field(default=None, repr=False)

    @classmethod
    def of(cls, interaction: discord.Interaction[Any]) -> Context:
        """The context of `interaction`: its language (the user's, then the network's, then the
        server's, then Swedish), its network, and `now` from the bot's clock."""
        cached = interaction.extras.get(_KEY)
        if isinstance(cached, Context):
            return cached  # built once per interaction, whoever asks first
        bot: Krokarm = interaction.client
        ctx = cls(
            interaction=interaction,
            bot=bot,
            lang=lang_for(interaction),
            now=bot.clock.now(),
            guild_id=interaction.guild_id,
        )
        interaction.extras[_KEY] = ctx
        return ctx

    @property
    def db(self) -> Database:
        return self.bot.db

    @property
    def user(self) -> discord.User | discord.Member:
        return self.interaction.user

    @property
    def user_id(self) -> int:
        return self.interaction.user.id

    @property
    def network_id(self) -> int:
        """The network (server) the interaction came from; `UserError` in a direct message."""
        if self.guild_id is None:
            raise UserError("errors.guild_only")
        return self.guild_id

    async def settings(self, guild_id: int | None = None) -> network.NetworkSettings:
        """The network's settings, read from the database once per interaction.

        `guild_id` names the network when the interaction comes from a direct message (a
        freshness reminder carries its network in its buttons)."""
        wanted = guild_id if guild_id is not None else self.network_id
        if self._settings is None or self._settings.guild_id != wanted:
            self._settings = await network.get(self.db, wanted)
        return self._settings

    async def tz(self, guild_id: int | None = None) -> ZoneInfo:
        """The network's time zone (Sweden's when the network is unknown)."""
        try:
            return zone((await self.settings(guild_id)).timezone)
        except UserError:
            return zone(None)
