"""One error funnel for commands, views, modals and dynamic items.

User errors become an ephemeral reply in the user's language; anything unexpected is logged
with its traceback and a short error id that the user is shown.
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.errors import InvalidInput, UserError
from bot.i18n import Lang, format_number, has, pick_lang, t

if TYPE_CHECKING:
    from bot.bot import Krokarm

log = logging.getLogger("bot.errors")


def lang_for(interaction: discord.Interaction[Any]) -> Lang:
    """The user's language, then the network's, then the server's, then Swedish."""
    client = interaction.client
    network_lang = None
    if interaction.guild_id is not None and hasattr(client, "network_langs"):
        network_lang = client.network_langs.get(interaction.guild_id)
    return pick_lang(interaction.locale, network_lang, interaction.guild_locale)


def new_error_id() -> str:
    return secrets.token_hex(4)


def describe(lang: Lang, error: BaseException) -> str | None:
    """The user-facing text for an expected error, or None if it is unexpected."""
    if isinstance(error, InvalidInput):
        return t(
            lang,
            "errors.invalid_input",
            field=t(lang, f"field.{error.field}"),
            reason=t(lang, error.key, **error.params),
        )
    if isinstance(error, UserError):
        return t(lang, error.key, **error.params)
    if isinstance(error, app_commands.MissingPermissions | app_commands.BotMissingPermissions):
        names = ", ".join(
            t(lang, f"permission.{p}") if has(lang, f"permission.{p}") else p
            for p in error.missing_permissions
        )
        key = (
            "errors.missing_permissions"
            if isinstance(error, app_commands.MissingPermissions)
            else "errors.bot_missing_permissions"
        )
        return t(lang, key, permissions=names)
    if isinstance(error, app_commands.NoPrivateMessage):
        return t(lang, "errors.guild_only")
    if isinstance(error, app_commands.CommandOnCooldown):
        return t(lang, "errors.cooldown", seconds=format_number(lang, round(error.retry_after, 1)))
    if isinstance(error, app_commands.TransformerError):
        return t(lang, "errors.bad_value", value=str(error.value)[:100])
    if isinstance(error, app_commands.CheckFailure):
        return t(lang, "errors.not_allowed")
    return None


async def send_ephemeral(interaction: discord.Interaction[Any], content: str) -> None:
    """Answer or follow up, whichever the interaction still allows."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(content, ephemeral=True)
        else:
            await interaction.response.send_message(content, ephemeral=True)
    except discord.HTTPException as exc:
        # The interaction may have expired (over 15 minutes, or 3 s without an answer).
        log.warning("could not tell the user about an error: %s", exc)


async def handle(interaction: discord.Interaction[Any], error: BaseException, where: str) -> None:
    """Route one error: explain it to the user, and log it if nobody expected it."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    lang = lang_for(interaction)
    text = describe(lang, error)
    if text is not None:
        # The key, not the error: its parameters can hold what the user typed.
        log.debug("user error in %s: %s", where, getattr(error, "key", type(error).__name__))
    else:
        error_id = new_error_id()
        log.error("unexpected error %s in %s", error_id, where, exc_info=error)
        text = t(lang, "errors.unexpected", id=error_id)
    await send_ephemeral(interaction, text)


class KrokarmTree(app_commands.CommandTree["Krokarm"]):
    """The command tree whose `on_error` is the funnel."""

    async def on_error(
        self, interaction: discord.Interaction[Krokarm], error: app_commands.AppCommandError
    ) -> None:
        command = interaction.command
        where = f"/{command.qualified_name}" if command is not None else "a command"
        await handle(interaction, error, where)
