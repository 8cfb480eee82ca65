"""`/action list [mine|open|all]` and `/action done id`."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.bot import Krokarm
from bot.context import Context
from bot.embeds import fit
from bot.errors import NotAllowed
from bot.i18n import t, tn
from bot.services.meetings import actions
from cogs._common import EMBED_COLOUR, MAX_CHOICES, PageButton, shorten
from cogs.actions._render import action_line, mention
from cogs.actions._rights import may_chair

PAGE = 10

Which = Literal["mine", "open", "all"]


async def actions_page(ctx: Context, which: str, page: int) -> tuple[discord.Embed, int, int]:
    total = await actions.count_actions(ctx.db, ctx.network_id, which=which, user_id=ctx.user_id)
    pages = max(1, -(-total // PAGE))
    page = min(max(page, 0), pages - 1)
    found = await actions.list_actions(
        ctx.db, ctx.network_id, which=which, user_id=ctx.user_id, offset=page * PAGE, limit=PAGE
    )
    zone = await ctx.tz()
    lines = [action_line(ctx.lang, a, mention(ctx.lang), zone) for a in found]
    embed = discord.Embed(
        title=tn(ctx.lang, f"meetings_minutes.actions.title.{which}", total),
        description="\n".join(lines) or t(ctx.lang, "meetings_minutes.actions.none"),
        colour=EMBED_COLOUR,
    )
    if pages > 1:
        embed.set_footer(text=t(ctx.lang, "meetings_minutes.page", page=page + 1, pages=pages))
    return fit(embed), page, pages


class ActionPager(PageButton, template=PageButton.pattern("act")):
    kind: ClassVar[str] = "act"
    rerun: ClassVar[str] = "action list"

    async def render(self, ctx: Context, state: str, page: int) -> tuple[discord.Embed, int, int]:
        which = state if state in actions.WHICH else "open"
        return await actions_page(ctx, which, page)


async def open_action_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Open actions whose text holds the typed words; the value is the action's number."""
    if interaction.guild_id is None:
        return []
    found = await actions.match_open(
        interaction.client.db, interaction.guild_id, current[:200], limit=MAX_CHOICES
    )
    return [app_commands.Choice(name=shorten(a.text, 100), value=str(a.id)) for a in found]


class Actions(commands.Cog):
    """The actions agreed at the network's meetings."""

    action = app_commands.Group(
        name="action", description="Actions agreed at the meetings", guild_only=True
    )

    def __init__(self, bot: Krokarm) -> None:
        self.bot = bot
        self.dynamic_items = (ActionPager,)

    @action.command(name="list", description="Actions: yours, the open ones or all")
    @app_commands.describe(which="Whose actions to list")
    @app_commands.choices(
        which=[
            app_commands.Choice(name="Mine", value="mine"),
            app_commands.Choice(name="Open", value="open"),
            app_commands.Choice(name="All", value="all"),
        ]
    )
    async def list_(self, interaction: discord.Interaction[Krokarm], which: str = "open") -> None:
        ctx = Context.of(interaction)
        embed, page, pages = await actions_page(ctx, which, 0)
        view = (
            ActionPager.buttons(ctx.lang, ctx.user_id, page, pages, which, ctx.bot)
            if pages > 1
            else discord.utils.MISSING
        )
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    @action.command(name="done", description="Mark an action as done")
    @app_commands.describe(id="The action: type words of it and pick one")
    @app_commands.autocomplete(id=open_action_autocomplete)
    async def done(self, interaction: discord.Interaction[Krokarm], id: str) -> None:
        ctx = Context.of(interaction)
        found = await actions.resolve_open(ctx.db, ctx.network_id, id)
        if found.owner_id != ctx.user_id and not await may_chair(ctx, found.series_id):
            raise NotAllowed("meetings_minutes.errors.owner_only")
        done = await actions.mark_done(ctx.db, found, by=ctx.user_id, now=ctx.now)
        await ctx.bot.jobs.cancel(f"action-due:{done.id}")
        zone = await ctx.tz()
        await interaction.response.send_message(
            t(ctx.lang, "meetings_minutes.actions.done")
            + "\n"
            + action_line(ctx.lang, done, mention(ctx.lang), zone),
            ephemeral=True,
        )
