"""The `/meeting` group is made of mixins: its subcommands are localized, listed in /help, and
answer in the user's language."""

from __future__ import annotations

from bot.i18n import catalogue
from cogs.meetings._cog import Meetings
from cogs.meetings._series import SeriesCommands
from tests.e2e.conftest import World


async def test_the_group_collects_the_mixins_commands(world: World) -> None:
    cog = world.bot.get_cog("Meetings")
    # By name: unloading an extension drops its modules, so classes imported here may be older.
    bases = [c.__name__ for c in type(cog).__mro__]
    assert bases[0] == Meetings.__name__ and SeriesCommands.__name__ in bases, bases
    group = world.bot.tree.get_command("meeting")
    assert group is not None
    names = {c.name for c in group.walk_commands()}  # type: ignore[union-attr]
    assert "calendar" in names
    # Each subcommand is bound to the cog instance, not to the mixin class.
    assert group.get_command("calendar").binding is cog  # type: ignore[union-attr]
    assert catalogue("sv")["cmd.meeting.name"] == "möte"


async def test_calendar_in_both_languages_and_help(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    sv = await sb.invoke("möte kalender", {}, user=world.anna, guild=guild, locale="sv-SE")
    assert "kalenderfilen" in sv.text and sv.ephemeral
    assert sv.attachments and sv.attachments[0].filename.endswith(".ics")
    en = await sb.invoke("meeting calendar", {}, user=world.erik, guild=guild, locale="en-US")
    assert "calendar file" in en.text
    help_sv = await sb.invoke("help", {}, user=world.anna, guild=guild, locale="sv-SE")
    assert "/möte kalender" in help_sv.text
