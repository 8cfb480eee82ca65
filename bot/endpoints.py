"""Pointing discord.py at a Discord-compatible endpoint (a REST proxy, or the sandbox)."""

from __future__ import annotations

import discord
import discord.gateway
import discord.http
import yarl

DISCORD_API_BASE = "https://discord.com/api/v10"
DISCORD_GATEWAY = "wss://gateway.discord.gg/"


def apply(api_base: str | None, gateway_url: str | None) -> None:
    """Set discord.py's REST base and gateway; None restores Discord's own.

    These are class attributes in discord.py 2.7, so they hold for the whole process.
    """
    discord.http.Route.BASE = api_base or DISCORD_API_BASE
    gateway = gateway_url or DISCORD_GATEWAY
    if not gateway.endswith("/"):
        gateway += "/"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
