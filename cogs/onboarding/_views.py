"""The organisation picker: a button on the greeting, a select (with a search step when the
network has more than 25 organisations), and the member role once someone has picked.

The button and the select carry the newcomer's user id in their custom ids, so they keep
working after a restart and nobody else can pick for them.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot import ui
from bot.context import Context
from bot.errors import UserError
from bot.i18n import Lang, t
from bot.services import members, municipalities, organisations
from cogs._common import MAX_CHOICES, give_member_role, shorten

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


def _owner(match: re.Match[str]) -> int | None:
    return None if match["user"] == "any" else int(match["user"])


def _option(org: organisations.Organisation, lang: Lang) -> discord.SelectOption:
    description = t(lang, f"network.kind.{org.kind}")
    where = municipalities.by_code(org.municipality_code) if org.municipality_code else None
    if where is not None and org.kind != "municipality":
        description = f"{description} · {where.name}"
    return discord.SelectOption(
        label=shorten(org.name, 100), value=str(org.id), description=shorten(description, 100)
    )


class PickButton(
    ui.Owned,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"krokarm:onb:pick:(?P<user>\d+|any)",
):
    """ "Choose your organisation": on a greeting (for that newcomer) or the standing message
    in the welcome channel (for whoever presses it)."""

    def __init__(self, user_id: int | None, lang: Lang = "sv") -> None:
        self.owner_id = user_id
        super().__init__(
            discord.ui.Button(
                label=t(lang, "onboarding.pick"),
                style=discord.ButtonStyle.primary,
                custom_id=f"krokarm:onb:pick:{user_id if user_id is not None else 'any'}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PickButton:
        return cls(_owner(match), Context.of(interaction).lang)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        user_id, lang = ctx.user_id, ctx.lang
        orgs = await organisations.list_organisations(ctx.db, ctx.network_id)
        if not orgs:
            raise UserError("onboarding.no_organisations")
        if len(orgs) > MAX_CHOICES:
            await interaction.response.send_modal(SearchModal(ctx))
            return
        await interaction.response.send_message(
            t(lang, "onboarding.choose"), view=picker_view(user_id, orgs, lang), ephemeral=True
        )


class SearchButton(
    ui.Owned,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"krokarm:onb:search:(?P<user>\d+)",
):
    """Search again (when the network has more organisations than a select can show)."""

    def __init__(self, user_id: int, lang: Lang = "sv") -> None:
        self.owner_id = user_id
        super().__init__(
            discord.ui.Button(
                label=t(lang, "onboarding.search_again"),
                style=discord.ButtonStyle.secondary,
                custom_id=f"krokarm:onb:search:{user_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> SearchButton:
        return cls(int(match["user"]), Context.of(interaction).lang)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_modal(SearchModal(Context.of(interaction)))


class SearchModal(ui.OwnedModal):
    """Step one of picking among many organisations: what to look for."""

    kind = "onbsearch"

    def __init__(self, ctx: Context) -> None:
        lang = ctx.lang
        super().__init__(ctx, title=t(lang, "onboarding.search_title"))
        self.user_id = ctx.user_id
        self.query: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=t(lang, "onboarding.search_label"),
            placeholder=t(lang, "onboarding.search_placeholder"),
            max_length=100,
        )
        self.add_item(self.query)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        lang = ctx.lang
        found = await organisations.search(ctx.db, ctx.network_id, self.query.value)
        if not found:
            view = ui.View(timeout=None)
            view.add_item(SearchButton(self.user_id, lang))
            await interaction.response.send_message(
                t(lang, "onboarding.no_match", query=shorten(self.query.value, 100)),
                view=view,
                ephemeral=True,
            )
            return
        await interaction.response.send_message(
            t(lang, "onboarding.choose"),
            view=picker_view(self.user_id, found, lang, searchable=True),
            ephemeral=True,
        )


class OrganisationSelect(
    ui.Owned,
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=r"krokarm:onb:org:(?P<user>\d+)",
):
    """The select of organisations; picking one records it and gives the member role."""

    def __init__(
        self,
        user_id: int,
        orgs: list[organisations.Organisation] | None = None,
        lang: Lang = "sv",
    ) -> None:
        self.owner_id = user_id
        super().__init__(
            discord.ui.Select(
                custom_id=f"krokarm:onb:org:{user_id}",
                placeholder=t(lang, "onboarding.placeholder"),
                options=[_option(o, lang) for o in (orgs or [])[:MAX_CHOICES]],
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> OrganisationSelect:
        return cls(int(match["user"]), None, Context.of(interaction).lang)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        bot, user_id, lang = ctx.bot, ctx.user_id, ctx.lang
        guild = interaction.guild
        assert guild is not None
        data = cast("dict[str, Any]", interaction.data or {})
        values = data.get("values") or []
        org_id = organisations.parse_id(str(values[0]) if values else "")
        await members.set_organisation(bot.db, guild.id, user_id, org_id, ctx.now)
        org = await organisations.get(bot.db, guild.id, org_id)
        assert org is not None
        member = interaction.user if isinstance(interaction.user, discord.Member) else None
        outcome = await give_member_role(bot, guild, member)
        text = t(lang, "onboarding.picked", organisation=org.name)
        text += "\n" + t(lang, f"onboarding.role.{outcome}")
        await interaction.response.edit_message(content=text, view=None)


def picker_view(
    user_id: int, orgs: list[organisations.Organisation], lang: Lang, *, searchable: bool = False
) -> ui.View:
    view = ui.View(timeout=None)
    view.add_item(OrganisationSelect(user_id, orgs, lang))
    if searchable:
        view.add_item(SearchButton(user_id, lang))
    return view
