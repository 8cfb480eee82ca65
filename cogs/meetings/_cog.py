"""The meetings cog: composed of mixins that each add subcommands to the one `/meeting` group.

To add a part: write a `MeetingMixin` subclass in its own module (see `_group.py`) and list
it in the bases of `Meetings` below (before `commands.Cog`).
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord.ext import commands

from bot.bot import Krokarm
from bot.services.meetings import rsvp
from cogs.meetings import _jobs
from cogs.meetings._feed import CalendarFeed
from cogs.meetings._group import collect_items, meeting
from cogs.meetings._minutes import MinutesCommands
from cogs.meetings._series import SeriesCommands

log = logging.getLogger(__name__)


class Meetings(SeriesCommands, MinutesCommands, commands.Cog):
    """The network meeting: series, scheduled events, reminders, RSVP, agenda and minutes."""

    meeting = meeting

    def __init__(self, bot: Krokarm) -> None:
        self.bot = bot
        self.feed: CalendarFeed | None = None

    async def cog_load(self) -> None:
        port = self.bot.settings.calendar_port
        if port is not None:
            self.feed = CalendarFeed(self.bot, self.bot.settings.calendar_host, port)
            await self.feed.start()

    async def cog_unload(self) -> None:
        if self.feed is not None:
            await self.feed.stop()
            self.feed = None

    @property
    def dynamic_items(self) -> tuple[Any, ...]:
        return collect_items(type(self))

    @commands.Cog.listener()
    async def on_scheduled_event_user_add(
        self, event: discord.ScheduledEvent, user: discord.User
    ) -> None:
        """ "Interested" on a meeting's event counts as maybe (unless they answered already)."""
        found = await _jobs.occurrence_of_event(self.bot, event.id)
        if found is None or user.bot:
            return
        guild_id, key = found
        await rsvp.answer(
            self.bot.db, guild_id, key, user.id, "maybe", self.bot.clock.now(), via="event"
        )

    @commands.Cog.listener()
    async def on_scheduled_event_user_remove(
        self, event: discord.ScheduledEvent, user: discord.User
    ) -> None:
        found = await _jobs.occurrence_of_event(self.bot, event.id)
        if found is None:
            return
        guild_id, key = found
        await rsvp.withdraw_event_interest(self.bot.db, guild_id, key, user.id)
