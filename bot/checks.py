"""Checks in code for commands, buttons and modals (not only `default_permissions`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.db import Database
from bot.errors import NotAllowed

T = TypeVar("T")


class NetworkAdminRequired(app_commands.CheckFailure, NotAllowed):
    """A failed admin check: a CheckFailure so that discord.py hands it to the tree's on_error
    (anything else raised in a check escapes it), and a NotAllowed so that the funnel explains
    it in the user's language."""

    def __init__(self, key: str) -> None:
        NotAllowed.__init__(self, key)


async def is_network_admin(db: Database, interaction: discord.Interaction[Any]) -> bool:
    """Manage Server (or Administrator) on the server, or the network's admin role."""
    if interaction.guild is None or not isinstance(interaction.user, discord.Member):
        return False
    if interaction.permissions.manage_guild or interaction.permissions.administrator:
        return True
    role_id = await db.fetchval(
        "SELECT admin_role_id FROM networks WHERE guild_id = ?", (interaction.guild.id,)
    )
    return role_id is not None and any(r.id == role_id for r in interaction.user.roles)


async def require_network_admin(db: Database, interaction: discord.Interaction[Any]) -> None:
    """Raise NotAllowed (shown in the user's language) unless the user is a network admin."""
    if interaction.guild is None:
        raise NetworkAdminRequired("errors.guild_only")
    if not await is_network_admin(db, interaction):
        raise NetworkAdminRequired("errors.admin_only")


def network_admin() -> Callable[[T], T]:
    """Decorator for app commands: network admins only (shown as `(admin)` in /help).

    The check runs in code at every invocation, whatever Discord's permission settings say.
    """

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        await require_network_admin(interaction.client.db, interaction)
        return True

    predicate.__krokarm_admin__ = True  # type: ignore[attr-defined]
    return app_commands.check(predicate)


def is_admin_command(command: Any) -> bool:
    """Whether a command carries the `network_admin` check."""
    return any(getattr(c, "__krokarm_admin__", False) for c in getattr(command, "checks", ()))
