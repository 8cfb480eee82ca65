"""Fixtures: a started sandbox with discord.py pointed at it, and a world to act in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import discord
import pytest
import yarl

from sandbox import Actor, Guild, Member, Sandbox, User


@pytest.fixture
async def sb(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Sandbox]:
    sandbox = Sandbox()
    await sandbox.start()
    monkeypatch.setattr(discord.http.Route, "BASE", sandbox.api_base)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(sandbox.gateway_url)
    )
    yield sandbox
    await sandbox.stop()


@dataclass
class World:
    guild: Guild
    anna: User
    anna_member: Member
    bertil: User
    bertil_member: Member
    sandbox: Sandbox

    def as_user(self, user: User | Member, *, locale: str | None = None) -> Actor:
        """The driver bound to `user` in this server."""
        return self.sandbox.as_user(user, guild=self.guild, locale=locale)

    @property
    def as_anna(self) -> Actor:
        return self.as_user(self.anna)

    @property
    def as_bertil(self) -> Actor:
        return self.as_user(self.bertil)


@pytest.fixture
async def world(sb: Sandbox) -> World:
    anna = sb.create_user("anna", global_name="Anna Andersson", locale="sv-SE")
    guild = sb.create_guild("Integration Halland", preferred_locale="sv-SE", owner=anna)
    anna_member = guild.members_by_id[anna.id]
    bertil = sb.create_user("bertil", global_name="Bertil Berg")
    bertil_member = await sb.add_member(guild, bertil)
    return World(guild, anna, anna_member, bertil, bertil_member, sb)
