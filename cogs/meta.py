"""/help and /about."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import discord
from babel.dates import format_timedelta
from discord import app_commands
from discord.ext import commands

from bot import __version__, ui
from bot.bot import Krokarm
from bot.checks import is_admin_command
from bot.context import Context
from bot.embeds import fit
from bot.i18n import Lang, format_number, has, t, tn
from bot.i18n.commands import localized_description, localized_name
from bot.services import stats
from cogs._common import EMBED_COLOUR, shorten

ABOUT_REFRESH_ID = "krokarm:about:refresh"
_FIELD_LIMIT = 1024


# Sections of /help, in the order a member meets them; a cog not listed comes after these.
# The order a member meets the features in; admin-only sections last.
HELP_ORDER = (
    "meta",
    "ask",
    "directory",
    "practices",
    "resources",
    "meetings",
    "actions",
    "privacy",
    "network",
)


def help_sections(tree: app_commands.CommandTree[Any], lang: Lang) -> list[tuple[str, list[str]]]:
    """One line per slash command (leaves of the tree), grouped under its feature's heading,
    then the context menus; everything in `lang`."""
    grouped: dict[str, list[str]] = {}
    for command in tree.walk_commands():
        if isinstance(command, app_commands.Group):
            continue
        name = localized_name(command, lang)
        admin = " " + t(lang, "help.admin_marker") if is_admin_command(command) else ""
        line = f"**/{name}**{admin} — {localized_description(command, lang)}"
        section = command.binding.qualified_name.lower() if command.binding else "meta"
        grouped.setdefault(section, []).append(line)
    order = sorted(grouped, key=lambda s: (HELP_ORDER.index(s) if s in HELP_ORDER else 99, s))
    # A feature without a heading (a test's or benchmark's extra cog) still gets listed.
    sections = [
        (t(lang, f"help.section.{s}") if has(lang, f"help.section.{s}") else s, grouped[s])
        for s in order
    ]
    menus = [
        f"**{localized_name(menu, lang)}** — {localized_description(menu, lang)}"
        for menu in tree.get_commands(type=discord.AppCommandType.user)
    ]
    if menus:
        sections.append((t(lang, "help.context_menus"), menus))
    return sections


def help_embed(tree: app_commands.CommandTree[Any], lang: Lang) -> discord.Embed:
    """Every command, a field per feature (a feature longer than a field's 1,024 characters
    goes on in a field of its own): the whole list fits, where one description would be cut."""
    embed = discord.Embed(
        title=t(lang, "help.title"), description=t(lang, "help.intro"), colour=EMBED_COLOUR
    )
    for heading, lines in help_sections(tree, lang):
        chunk: list[str] = []
        name = heading
        for line in (shorten(line, _FIELD_LIMIT) for line in lines):
            if chunk and len("\n".join([*chunk, line])) > _FIELD_LIMIT:
                embed.add_field(name=name, value="\n".join(chunk), inline=False)
                chunk, name = [], f"{heading} …"
            chunk.append(line)
        if chunk:
            embed.add_field(name=name, value="\n".join(chunk), inline=False)
    embed.set_footer(text=t(lang, "help.footer"))
    return fit(embed)


async def about_embed(bot: Krokarm, guild: discord.Guild | None, lang: Lang) -> discord.Embed:
    embed = discord.Embed(
        title=t(lang, "about.title"), description=t(lang, "about.description"), colour=EMBED_COLOUR
    )
    uptime = format_timedelta(
        timedelta(seconds=bot.uptime_seconds), threshold=1.0, locale=_babel(lang)
    )
    latency = bot.latency
    latency_text = (
        t(lang, "about.latency_ms", ms=round(latency * 1000))
        if math.isfinite(latency)
        else t(lang, "about.latency_unknown")
    )
    size_mb = round(await bot.db.size_bytes() / 1_000_000, 1)
    embed.add_field(name=t(lang, "about.version"), value=__version__)
    embed.add_field(name=t(lang, "about.uptime"), value=uptime)
    embed.add_field(name=t(lang, "about.latency"), value=latency_text)
    embed.add_field(name=t(lang, "about.database"), value=t(lang, "about.megabytes", mb=size_mb))
    embed.add_field(
        name=t(lang, "about.networks"),
        value=format_number(lang, await stats.networks_served(bot.db)),
    )
    if guild is not None:
        lines = [
            tn(lang, "about.count.members", guild.member_count or len(guild.members)),
            tn(lang, "about.count.channels", len(guild.channels)),
        ]
        counts = await stats.network_counts(bot.db, guild.id, bot.features.counters)
        for key, count in counts.items():
            lines.append(tn(lang, f"about.count.{key}", count))
        embed.add_field(
            name=t(lang, "about.network", name=guild.name), value="\n".join(lines), inline=False
        )
    return fit(embed)


def _babel(lang: Lang) -> str:
    return "sv_SE" if lang == "sv" else "en_GB"


class AboutView(ui.View):
    """The Refresh button under /about; persistent, so it works after a restart."""

    def __init__(self, bot: Krokarm, lang: Lang = "sv") -> None:
        super().__init__(timeout=None)
        self.bot = bot
        self.refresh.label = t(lang, "about.refresh")

    @discord.ui.button(
        label="Refresh", style=discord.ButtonStyle.secondary, custom_id=ABOUT_REFRESH_ID
    )
    async def refresh(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        lang = Context.of(interaction).lang
        embed = await about_embed(self.bot, interaction.guild, lang)
        await interaction.response.edit_message(embed=embed, view=AboutView(self.bot, lang))


class Meta(commands.Cog):
    """What the bot can do, and how it is doing."""

    def __init__(self, bot: Krokarm) -> None:
        self.bot = bot
        # The tree does not change while the bot runs: /help is built once per language.
        self._help: dict[Lang, discord.Embed] = {}

    def persistent_views(self) -> list[discord.ui.View]:
        return [AboutView(self.bot)]

    @app_commands.command(name="help", description="Every command, one line each")
    async def help(self, interaction: discord.Interaction[Krokarm]) -> None:
        lang = Context.of(interaction).lang
        if lang not in self._help:
            self._help[lang] = help_embed(self.bot.tree, lang)
        await interaction.response.send_message(embed=self._help[lang], ephemeral=True)

    @app_commands.command(name="about", description="Version, uptime and what the network holds")
    async def about(self, interaction: discord.Interaction[Krokarm]) -> None:
        lang = Context.of(interaction).lang
        await interaction.response.defer(ephemeral=True, thinking=True)
        embed = await about_embed(self.bot, interaction.guild, lang)
        await interaction.followup.send(embed=embed, view=AboutView(self.bot, lang), ephemeral=True)


async def setup(bot: Krokarm) -> None:
    await bot.add_cog(Meta(bot))
