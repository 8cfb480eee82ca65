"""Base classes for views, modals and dynamic items that report errors through the funnel."""

from __future__ import annotations

from typing import Any

import discord

from bot import funnel


class View(discord.ui.View):
    """A view whose errors reach the funnel."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await funnel.handle(interaction, error, f"view {type(self).__name__}")


class Modal(discord.ui.Modal):
    """A modal whose errors reach the funnel."""

    async def on_error(  # type: ignore[override]  # Modal's own signature has no item
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        await funnel.handle(interaction, error, f"modal {type(self).__name__}")


class Funnelled:
    """Mix into a `discord.ui.DynamicItem` (first in the bases) and implement `run`.

    discord.py only logs exceptions raised by a dynamic item's callback, so the user would see
    "interaction failed"; with this they go through the funnel like every other error.
    """

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await self.run(interaction)
        except Exception as error:
            await funnel.handle(interaction, error, f"button {type(self).__name__}")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError
