"""The meetings cog: composed of mixins that each add subcommands to the one `/meeting` group.

To add a part: write a `MeetingMixin` subclass in its own module (see `_group.py`) and list
it in the bases of `Meetings` below (before `commands.Cog`).
"""

from __future__ import annotations

from typing import Any

from discord.ext import commands

from bot.bot import Krokarm
from cogs.meetings._group import collect_items, meeting
from cogs.meetings._minutes import MinutesCommands
from cogs.meetings._series import SeriesCommands


class Meetings(SeriesCommands, MinutesCommands, commands.Cog):
    """The network meeting: series, scheduled events, reminders, RSVP, agenda and minutes."""

    meeting = meeting

    def __init__(self, bot: Krokarm) -> None:
        self.bot = bot

    @property
    def dynamic_items(self) -> tuple[Any, ...]:
        return collect_items(type(self))
