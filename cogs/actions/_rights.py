"""Who may chair a meeting (start, end, decisions, actions) and close actions: checked in code."""

from __future__ import annotations

from typing import Any

import discord

from bot.checks import is_network_admin
from bot.context import Context
from bot.errors import NotAllowed, UserError
from bot.services.meetings import series as meetings


async def may_chair(ctx: Context, series_id: int) -> bool:
    """A network admin, or the organiser of the series."""
    if await is_network_admin(ctx.db, ctx.interaction):
        return True
    found = await meetings.get_series(ctx.db, ctx.network_id, series_id)
    return found.organiser_id == ctx.user_id


async def require_chair(ctx: Context, series_id: int) -> None:
    if not await may_chair(ctx, series_id):
        raise NotAllowed("meetings_minutes.errors.chair_only")


def require_member(interaction: discord.Interaction[Any]) -> None:
    """Someone on the server (not a bot): who may write notes and agenda items."""
    if not isinstance(interaction.user, discord.Member) or interaction.user.bot:
        raise UserError("errors.guild_only")
