"""The `/meeting` command group, shared by the mixins that make up the meetings cog.

How to add subcommands in another file (the agenda and minutes do):

    # cogs/meetings/_minutes.py
    from cogs.meetings._group import MeetingMixin, meeting

    agenda = app_commands.Group(name="agenda", description="…", parent=meeting)

    class MinutesCommands(MeetingMixin):
        mixin_items = (SomeDynamicItem,)  # restart-safe components this mixin answers

        @meeting.command(name="start", description="…")
        async def start(self, interaction: discord.Interaction[Krokarm]) -> None:
            ctx = Context.of(interaction)  # self.bot is the bot
            …

        @agenda.command(name="add", description="…")
        async def agenda_add(self, interaction, text: str) -> None: …

and list `MinutesCommands` in the bases of `cogs.meetings._cog.Meetings`. discord.py's CogMeta
collects only top-level groups (those without a parent) along the MRO; subcommands are children
of the one `meeting` group object below, and `Cog.__new__` copies the group with every child
bound to the cog instance, so `self` in a mixin's command is the cog. The catalogue keys are
the usual `cmd.meeting.<sub>.name|description` (and `cmd.meeting.agenda.<sub>…`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from discord import app_commands

if TYPE_CHECKING:
    from discord.ext.commands import Cog as _Base

    from bot.bot import Krokarm
else:
    # At run time a mixin is a plain class (only the composed cog is a Cog, so that CogMeta
    # runs once); for the type checker it is a Cog, which `Group.command` expects.
    _Base = object

meeting = app_commands.Group(name="meeting", description="The network's meetings", guild_only=True)


class MeetingMixin(_Base):
    """A part of the meetings cog: commands on `meeting` and the dynamic items it answers."""

    bot: Krokarm
    # Dynamic items (restart-safe buttons, selects) this part answers; the cog collects them.
    mixin_items: ClassVar[tuple[Any, ...]] = ()


def collect_items(cls: type) -> tuple[Any, ...]:
    """The dynamic items of every mixin in `cls`'s MRO, each once."""
    found: list[Any] = []
    for base in reversed(cls.__mro__):
        for item in base.__dict__.get("mixin_items", ()):
            if item not in found:
                found.append(item)
    return tuple(found)
