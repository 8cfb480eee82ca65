"""`/network …`: setup, settings, member municipalities and organisations (admins only)."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import pick
from bot.bot import Krokarm
from bot.checks import network_admin
from bot.context import Context
from bot.errors import UserError
from bot.funnel import lang_for
from bot.i18n import Lang, t, tn
from bot.services import municipalities, network, organisations
from bot.services.textnorm import fold
from cogs._common import (
    MAX_CHOICES,
    municipality_autocomplete,
    municipality_label,
    organisation_kind,
    shorten,
    usable_role,
)
from cogs.network import _setup
from cogs.network._views import (
    NetworkListPager,
    PrivacyButton,
    SettingsView,
    SetupCancel,
    SetupConfirm,
    list_page,
    refresh_welcome,
    settings_embed,
    setup_view,
)

log = logging.getLogger(__name__)

KIND_CHOICES = [
    app_commands.Choice(name="Region", value="region"),
    app_commands.Choice(name="Authority", value="authority"),
    app_commands.Choice(name="Civil society", value="civil_society"),
    app_commands.Choice(name="Company", value="company"),
    app_commands.Choice(name="Other organisation", value="other"),
]
LIST_KIND_CHOICES = [app_commands.Choice(name="Municipality", value="municipality"), *KIND_CHOICES]
LANGUAGE_CHOICES = [
    app_commands.Choice(name="Swedish (sv-SE)", value="sv-SE"),
    app_commands.Choice(name="English (en)", value="en"),
]


def _guild(interaction: discord.Interaction[Any]) -> discord.Guild:
    if interaction.guild is None:
        raise UserError("errors.guild_only")
    return interaction.guild


def _names(items: list[str], lang: Lang) -> str:
    return shorten(", ".join(items), 900) if items else t(lang, "network.settings.none")


def preset_label(preset: municipalities.Preset, lang: Lang) -> str:
    name = preset.name_sv if lang == "sv" else preset.name_en
    return tn(lang, "network.municipalities.preset_label", len(preset.codes), name=name)


async def preset_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Presets whose Swedish or English name (or key) contains what was typed."""
    lang = Context.of(interaction).lang
    key = fold(current).strip()
    found = [
        p
        for p in municipalities.PRESETS.values()
        if not key or any(key in fold(n) for n in (p.key, p.name_sv, p.name_en))
    ]
    return [
        app_commands.Choice(name=shorten(preset_label(p, lang), 100), value=p.key)
        for p in found[:MAX_CHOICES]
    ]


async def member_municipality_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Like `municipality_autocomplete`, among the network's own municipalities."""
    if interaction.guild_id is None:
        return []
    lang = Context.of(interaction).lang
    codes = await organisations.municipality_codes(interaction.client.db, interaction.guild_id)
    return [
        app_commands.Choice(name=shorten(municipality_label(m, lang), 100), value=m.code)
        for m in municipalities.search(current, limit=MAX_CHOICES, among=codes)
    ]


ORGANISATION = organisation_kind("network_organisation", "network.error.unknown_organisation")


async def organisation_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """The network's organisations; the value is a signed token (`bot.pick`)."""
    return await pick.suggest(interaction, ORGANISATION, current)


async def time_zone_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    key = current.strip().replace(" ", "_").casefold()
    zones = [z for z in network.time_zones() if key in z.casefold()]
    zones.sort(key=lambda z: (not z.casefold().startswith(key), not z.startswith("Europe/"), z))
    return [app_commands.Choice(name=z, value=z) for z in zones[:MAX_CHOICES]]


def _change_text(lang: Lang, action: str, change: organisations.Change) -> str:
    """ "Added: … / Already there: …" after adding or removing municipalities."""
    lines: list[str] = []
    if change.changed:
        lines.append(
            t(
                lang,
                f"network.municipalities.{action}.changed",
                count=len(change.changed),
                names=_names([o.name for o in change.changed], lang),
            )
        )
    else:
        # Nothing changed: say so, rather than "Added (0): –".
        lines.append(t(lang, f"network.municipalities.{action}.nothing"))
    if change.unchanged:
        lines.append(
            t(
                lang,
                f"network.municipalities.{action}.unchanged",
                count=len(change.unchanged),
                names=_names([o.name for o in change.unchanged], lang),
            )
        )
    if change.not_members:
        lines.append(
            t(
                lang,
                "network.municipalities.remove.not_members",
                count=len(change.not_members),
                names=_names([m.name for m in change.not_members], lang),
            )
        )
    return "\n".join(lines)


def _codes(municipality: str | None, preset: str | None) -> list[str]:
    """The codes one command names: one municipality or a preset, not both, not neither."""
    given = [x for x in (municipality, preset) if x is not None and x.strip()]
    if len(given) != 1:
        raise UserError("network.municipalities.one_of")
    if municipality is not None and municipality.strip():
        return [organisations.resolve_municipality(municipality).code]
    assert preset is not None
    return list(organisations.resolve_preset(preset).codes)


class Network(commands.Cog):
    """The network's server: setup, settings, municipalities and organisations."""

    dynamic_items = (SetupConfirm, SetupCancel, PrivacyButton, NetworkListPager)

    network = app_commands.Group(
        name="network", description="Set up and configure the network", guild_only=True
    )
    municipalities_group = app_commands.Group(
        name="municipalities", description="The network's member municipalities", parent=network
    )
    organisations_group = app_commands.Group(
        name="organisations", description="The network's other organisations", parent=network
    )

    def __init__(self, bot: Krokarm) -> None:
        self.bot = bot

    # --- setup ----------------------------------------------------------------------------------

    @network.command(name="setup", description="Build the network's channels and roles")
    @network_admin()
    async def setup_command(self, interaction: discord.Interaction[Krokarm]) -> None:
        guild = _guild(interaction)
        lang = Context.of(interaction).lang
        settings = await network.get(self.bot.db, guild.id)
        _setup.require_permissions(guild, lang)
        await interaction.response.defer(ephemeral=True, thinking=True)
        plan = await _setup.current_plan(guild, settings)
        embed = _setup.plan_embed(lang, plan, guild=guild)
        if not plan.changes_anything:
            await interaction.followup.send(embed=embed, ephemeral=True)
            return
        await interaction.followup.send(
            embed=embed, view=setup_view(interaction.user.id, lang), ephemeral=True
        )

    # --- settings -------------------------------------------------------------------------------

    @network.command(name="settings", description="Show or change the network's settings")
    @app_commands.describe(
        name="The network's name",
        language="The network's language (channel names, greetings)",
        time_zone="Time zone for meetings (IANA name, e.g. Europe/Stockholm)",
        admin_role="The role of network admins",
        member_role="The role members get when they pick their organisation",
        leaver_grace_days="Days before a leaver's personal data is removed (1–365)",
        confirm_after_days="Days before directory entries must be confirmed again (7–1095)",
        reset_privacy_notice="Go back to the built-in privacy notice",
    )
    @app_commands.choices(language=LANGUAGE_CHOICES)
    @app_commands.autocomplete(time_zone=time_zone_autocomplete)
    @network_admin()
    async def settings(
        self,
        interaction: discord.Interaction[Krokarm],
        name: str | None = None,
        language: app_commands.Choice[str] | None = None,
        time_zone: str | None = None,
        admin_role: discord.Role | None = None,
        member_role: discord.Role | None = None,
        leaver_grace_days: int | None = None,
        confirm_after_days: int | None = None,
        reset_privacy_notice: bool | None = None,
    ) -> None:
        guild = _guild(interaction)
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = name
        if language is not None:
            changes["locale"] = language.value
        if time_zone is not None:
            changes["timezone"] = time_zone
        if admin_role is not None:
            changes["admin_role_id"] = usable_role(interaction, "network_admin_role", admin_role)
        if member_role is not None:
            changes["member_role_id"] = usable_role(interaction, "network_member_role", member_role)
        if leaver_grace_days is not None:
            changes["leaver_grace_days"] = leaver_grace_days
        if confirm_after_days is not None:
            changes["confirm_after_days"] = confirm_after_days
        if reset_privacy_notice:
            changes["privacy_notice"] = None
        settings, changed = await network.update(self.bot.db, guild.id, **changes)
        if "locale" in changed:
            self.bot.network_langs[guild.id] = settings.lang
        lang = lang_for(interaction)
        content: str | None = None
        if changed:
            fields = ", ".join(t(lang, f"network.settings.changed.{f}") for f in changed)
            content = t(lang, "network.settings.saved", fields=fields)
        elif changes:
            content = t(lang, "network.settings.unchanged")
        await interaction.response.send_message(
            content,
            embed=await settings_embed(self.bot, settings, lang),
            view=SettingsView(lang),
            ephemeral=True,
        )
        if {"name", "locale"} & set(changed):
            # The standing message in the welcome channel speaks the network's language and
            # carries its name: it follows them (after the reply, which must come first).
            await refresh_welcome(self.bot, guild)

    # --- municipalities -------------------------------------------------------------------------

    @municipalities_group.command(name="add", description="Add a municipality or a preset")
    @app_commands.describe(
        municipality="A municipality (typos and ASCII spellings are fine)",
        preset="A county or region: all its municipalities at once",
    )
    @app_commands.autocomplete(municipality=municipality_autocomplete, preset=preset_autocomplete)
    @network_admin()
    async def municipalities_add(
        self,
        interaction: discord.Interaction[Krokarm],
        municipality: str | None = None,
        preset: str | None = None,
    ) -> None:
        ctx = Context.of(interaction)
        codes = _codes(municipality, preset)
        change = await organisations.add_municipalities(ctx.db, ctx.network_id, codes)
        await interaction.response.send_message(
            _change_text(ctx.lang, "add", change), ephemeral=True
        )

    @municipalities_group.command(name="remove", description="Remove a municipality or a preset")
    @app_commands.describe(
        municipality="One of the network's municipalities",
        preset="A county or region: all its municipalities at once",
    )
    @app_commands.autocomplete(
        municipality=member_municipality_autocomplete, preset=preset_autocomplete
    )
    @network_admin()
    async def municipalities_remove(
        self,
        interaction: discord.Interaction[Krokarm],
        municipality: str | None = None,
        preset: str | None = None,
    ) -> None:
        ctx = Context.of(interaction)
        codes = _codes(municipality, preset)
        change = await organisations.remove_municipalities(ctx.db, ctx.network_id, codes, ctx.now)
        await interaction.response.send_message(
            _change_text(ctx.lang, "remove", change), ephemeral=True
        )

    @municipalities_group.command(name="list", description="The network's member municipalities")
    @network_admin()
    async def municipalities_list(self, interaction: discord.Interaction[Krokarm]) -> None:
        await self._send_pages(Context.of(interaction), "m")

    # --- organisations --------------------------------------------------------------------------

    @organisations_group.command(name="add", description="Add an organisation to the network")
    @app_commands.describe(
        name="The organisation's name, e.g. Röda korset Halmstad",
        kind="What kind of organisation it is",
        municipality="The municipality it is in (optional)",
    )
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.autocomplete(municipality=municipality_autocomplete)
    @network_admin()
    async def organisations_add(
        self,
        interaction: discord.Interaction[Krokarm],
        name: str,
        kind: app_commands.Choice[str],
        municipality: str | None = None,
    ) -> None:
        ctx = Context.of(interaction)
        lang = ctx.lang
        change = await organisations.add(
            ctx.db, ctx.network_id, kind=kind.value, name=name, municipality=municipality
        )
        if change.changed:
            org = change.changed[0]
            text = t(
                lang,
                "network.organisations.added",
                name=org.name,
                kind=t(lang, f"network.kind.{org.kind}"),
            )
        else:
            text = t(lang, "network.organisations.already", name=change.unchanged[0].name)
        await interaction.response.send_message(text, ephemeral=True)

    @organisations_group.command(name="rename", description="Rename an organisation")
    @app_commands.describe(organisation="The organisation", new_name="Its new name")
    @app_commands.autocomplete(organisation=organisation_autocomplete)
    @network_admin()
    async def organisations_rename(
        self, interaction: discord.Interaction[Krokarm], organisation: str, new_name: str
    ) -> None:
        ctx = Context.of(interaction)

        async def rename(ctx: Context, before: organisations.Organisation) -> None:
            renamed = await organisations.rename(ctx.db, ctx.network_id, before.id, new_name)
            await pick.answer(
                ctx,
                t(ctx.lang, "network.organisations.renamed", old=before.name, new=renamed.name),
            )

        await pick.choose(ctx, ORGANISATION, organisation, rename)

    @organisations_group.command(
        name="remove", description="Archive an organisation (people who picked it keep it)"
    )
    @app_commands.describe(organisation="The organisation")
    @app_commands.autocomplete(organisation=organisation_autocomplete)
    @network_admin()
    async def organisations_remove(
        self, interaction: discord.Interaction[Krokarm], organisation: str
    ) -> None:
        async def archive(ctx: Context, org: organisations.Organisation) -> None:
            lang = ctx.lang
            change = await organisations.archive(ctx.db, ctx.network_id, org.id, ctx.now)
            if change.changed:
                text = t(lang, "network.organisations.archived", name=change.changed[0].name)
            else:
                text = t(
                    lang, "network.organisations.already_archived", name=change.unchanged[0].name
                )
            await pick.answer(ctx, text)

        await pick.choose(Context.of(interaction), ORGANISATION, organisation, archive)

    @organisations_group.command(name="list", description="The network's organisations")
    @app_commands.describe(kind="Only organisations of this kind")
    @app_commands.choices(kind=LIST_KIND_CHOICES)
    @network_admin()
    async def organisations_list(
        self,
        interaction: discord.Interaction[Krokarm],
        kind: app_commands.Choice[str] | None = None,
    ) -> None:
        await self._send_pages(Context.of(interaction), "o" + (kind.value if kind else ""))

    async def _send_pages(self, ctx: Context, what: str) -> None:
        """The first page of a list; the pager re-reads the list for every page after it."""
        embed, page, pages = await list_page(ctx, what, 0)
        if pages == 1:
            await ctx.interaction.response.send_message(embed=embed, ephemeral=True)
            return
        view = NetworkListPager.buttons(ctx.lang, ctx.user_id, page, pages, what, self.bot)
        await ctx.interaction.response.send_message(embed=embed, view=view, ephemeral=True)
