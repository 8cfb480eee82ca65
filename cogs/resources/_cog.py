"""`/resource add|find|edit|remove`: the network's links, on the one search."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.bot import Krokarm
from bot.checks import is_network_admin
from bot.context import Context
from bot.errors import InvalidInput
from bot.i18n import t
from bot.services import organisations, resources
from bot.services.text import parse_id
from cogs._common import MAX_CHOICES, PageButton, pack_fields, shorten, unpack_fields
from cogs.resources._render import esc, found_embed, link, one_embed

log = logging.getLogger(__name__)

KIND_CHOICES = [
    app_commands.Choice(name="Guide", value="guide"),
    app_commands.Choice(name="Contact at an authority", value="authority_contact"),
    app_commands.Choice(name="Funding call", value="funding"),
    app_commands.Choice(name="Training", value="training"),
    app_commands.Choice(name="Tip from elsewhere", value="tip"),
]


async def organisation_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    if interaction.guild_id is None:
        return []
    found = await organisations.search(interaction.client.db, interaction.guild_id, current)
    return [app_commands.Choice(name=shorten(o.name, 100), value=str(o.id)) for o in found][
        :MAX_CHOICES
    ]


async def resolve_organisation(ctx: Context, text: str | None) -> int | None:
    """An autocomplete value (an id) or a typed name, resolved to one of the network's
    organisations; InvalidInput naming the field when it is none of them."""
    if not text or not text.strip():
        return None
    value = text.strip()
    found_id = parse_id(value)
    if found_id is not None:
        org = await organisations.get(ctx.db, ctx.network_id, found_id)
        if org is not None and not org.archived:
            return org.id
    matches = await organisations.search(ctx.db, ctx.network_id, value, limit=5)
    folded = value.casefold()
    exact = [o for o in matches if o.name.casefold() == folded]
    chosen = exact[0] if exact else (matches[0] if len(matches) == 1 else None)
    if chosen is None:
        raise InvalidInput(
            "resource.organisation", "resource.error.organisation_named", value=shorten(value, 60)
        )
    return chosen.id


async def _resource_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    if interaction.guild_id is None:
        return []
    db = interaction.client.db
    admin = await is_network_admin(db, interaction)
    found = await resources.mine_or_all(
        db, interaction.guild_id, interaction.user.id, current, is_admin=admin
    )
    return [app_commands.Choice(name=shorten(r.title, 100), value=str(r.id)) for r in found]


def _resource_id(text: str) -> int:
    found = parse_id(text)
    if found is None:
        raise InvalidInput("resource.resource", "resource.error.unknown_pick")
    return found


class FindPager(PageButton, template=PageButton.pattern("res")):
    """Pages of `/resource find`; the criteria are in the custom_id."""

    kind = "res"
    rerun = "resource find"

    async def render(self, ctx: Context, state: str, page: int) -> tuple[discord.Embed, int, int]:
        query, tag, kind = unpack_fields(state, 3)
        return await find_page(ctx, resources.Criteria(query, tag, kind), page)


async def find_page(
    ctx: Context, criteria: resources.Criteria, page: int = 0
) -> tuple[discord.Embed, int, int]:
    found = await resources.find(ctx.db, ctx.network_id, criteria, page=page)
    zone = (await ctx.tz()).key
    return found_embed(ctx.lang, found, zone), found.page, found.pages


class Resources(commands.Cog):
    """Links, guides, contacts at authorities, funding calls, training and tips."""

    dynamic_items = (FindPager,)

    resource = app_commands.Group(
        name="resource", description="Links and documents the network keeps", guild_only=True
    )

    def __init__(self, bot: Krokarm) -> None:
        self.bot = bot

    @resource.command(name="add", description="Add a link, guide, contact, funding call or tip")
    @app_commands.describe(
        title="What it is",
        link="The web address (http or https)",
        kind="What kind of resource",
        description="A few words on what it is good for",
        tags="Tags, comma-separated",
        organisation="The organisation it is from or about",
    )
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.autocomplete(organisation=organisation_autocomplete)
    async def add(
        self,
        interaction: discord.Interaction[Krokarm],
        title: str,
        link: str,
        kind: str,
        description: str | None = None,
        tags: str | None = None,
        organisation: str | None = None,
    ) -> None:
        ctx = Context.of(interaction)
        draft = resources.draft(
            title=title,
            url=link,
            description=description,
            tags=tags,
            kind=kind,
            organisation_id=None,
        )
        org_id = await resolve_organisation(ctx, organisation)
        draft = resources.Draft(
            draft.title, draft.url, draft.description, draft.tags, draft.kind, org_id
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        added = await resources.add(ctx.db, ctx.network_id, ctx.user_id, draft, now=ctx.now)
        zone = (await ctx.tz()).key
        note = ""
        if added.kind == "tip":
            note = await self._post_tip(ctx, added, zone)
        await interaction.followup.send(
            note, embed=one_embed(ctx.lang, added, zone, "resource.added"), ephemeral=True
        )

    async def _post_tip(self, ctx: Context, r: resources.Resource, zone: str) -> str:
        """A tip is also shared in the tips channel (omvärldsbevakning), in the network's
        language; returns a line for the author when it could not be."""
        settings = await ctx.settings()
        channel_id = settings.channels.get("tips")
        channel = self.bot.get_channel(channel_id) if channel_id else None
        if not isinstance(channel, discord.TextChannel):
            return t(ctx.lang, "resource.tip.no_channel")
        lang = settings.lang
        embed = one_embed(lang, r, zone, "resource.tip.title")
        try:
            sent = await channel.send(embed=embed, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException:
            log.warning("guild %s: the tip %s could not be posted", ctx.network_id, r.id)
            return t(ctx.lang, "resource.tip.not_posted")
        await resources.set_tip_message(ctx.db, ctx.network_id, r.id, channel.id, sent.id)
        return t(ctx.lang, "resource.tip.posted", channel=channel.mention)

    @resource.command(name="find", description="Search the network's resources")
    @app_commands.describe(
        query="Words to look for", tag="Only resources with this tag", kind="Only this kind"
    )
    @app_commands.choices(kind=KIND_CHOICES)
    async def find(
        self,
        interaction: discord.Interaction[Krokarm],
        query: app_commands.Range[str, 0, 200] | None = None,
        tag: app_commands.Range[str, 0, 40] | None = None,
        kind: str | None = None,
    ) -> None:
        ctx = Context.of(interaction)
        criteria = resources.Criteria(query or None, tag or None, kind or None)
        await interaction.response.defer(ephemeral=True, thinking=True)
        embed, page, pages = await find_page(ctx, criteria)
        if pages > 1:
            state = pack_fields(criteria.query, criteria.tag, criteria.kind)
            view = FindPager.buttons(ctx.lang, ctx.user_id, page, pages, state, self.bot)
            await interaction.followup.send(embed=embed, view=view, ephemeral=True)
        else:
            await interaction.followup.send(embed=embed, ephemeral=True)

    @resource.command(name="edit", description="Change a resource you added")
    @app_commands.describe(
        resource="Which resource",
        title="What it is",
        link="The web address (http or https)",
        kind="What kind of resource",
        description="A few words on what it is good for",
        tags="Tags, comma-separated",
        organisation="The organisation it is from or about",
    )
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.autocomplete(
        resource=_resource_autocomplete, organisation=organisation_autocomplete
    )
    async def edit(
        self,
        interaction: discord.Interaction[Krokarm],
        resource: str,
        title: str | None = None,
        link: str | None = None,
        kind: str | None = None,
        description: str | None = None,
        tags: str | None = None,
        organisation: str | None = None,
    ) -> None:
        ctx = Context.of(interaction)
        rid = _resource_id(resource)
        current = await resources.get(ctx.db, ctx.network_id, rid)
        if current is None:
            raise InvalidInput("resource.resource", "resource.error.unknown_pick")
        draft = resources.draft(
            title=title if title is not None else current.title,
            url=link if link is not None else current.url,
            description=description if description is not None else current.description,
            tags=tags if tags is not None else ", ".join(current.tags),
            kind=kind or current.kind,
            organisation_id=None,
        )
        org_id = (
            await resolve_organisation(ctx, organisation)
            if organisation is not None
            else current.organisation_id
        )
        draft = resources.Draft(
            draft.title, draft.url, draft.description, draft.tags, draft.kind, org_id
        )
        admin = await is_network_admin(ctx.db, interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        changed = await resources.edit(
            ctx.db, ctx.network_id, rid, draft, actor_id=ctx.user_id, is_admin=admin, now=ctx.now
        )
        zone = (await ctx.tz()).key
        await interaction.followup.send(
            embed=one_embed(ctx.lang, changed, zone, "resource.edited"), ephemeral=True
        )

    @resource.command(name="remove", description="Remove a resource you added")
    @app_commands.describe(resource="Which resource")
    @app_commands.autocomplete(resource=_resource_autocomplete)
    async def remove(self, interaction: discord.Interaction[Krokarm], resource: str) -> None:
        ctx = Context.of(interaction)
        rid = _resource_id(resource)
        admin = await is_network_admin(ctx.db, interaction)
        gone = await resources.remove(
            ctx.db, ctx.network_id, rid, actor_id=ctx.user_id, is_admin=admin
        )
        await interaction.response.send_message(
            t(ctx.lang, "resource.removed", title=link(gone.title, gone.url)), ephemeral=True
        )


__all__ = ["Resources", "esc"]
