"""Benchmark cases of the network feature: listing municipalities and the autocomplete."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.registry import CASES, SEEDS, Case
from bot.db import Database
from bot.services import municipalities, organisations
from sandbox import Sandbox


def as_admin(path: str, options: dict[str, Any] | None = None) -> Case:
    """An admin command, run by the server's owner whichever member the load picks."""

    async def run(sb: Sandbox, guild: Any, user: Any) -> Any:
        owner = sb.world.users[guild.owner_id]
        return await sb.invoke(path, dict(options or {}), user=owner, guild=guild)

    return Case(f"/{path}", run)


def municipality_autocomplete(typed: str) -> Case:
    async def run(sb: Sandbox, guild: Any, user: Any) -> Any:
        owner = sb.world.users[guild.owner_id]
        choices = await sb.autocomplete(
            "network municipalities add",
            {"municipality": typed},
            focused="municipality",
            user=owner,
            guild=guild,
        )
        # An autocomplete answer is its acknowledgement: settled and acknowledged are one time.
        return SimpleNamespace(choices=choices, acked_after=None)

    return Case(f"autocomplete municipality {typed!r}", run)


async def seed_network(sb: Sandbox, guild: Any, users: list[Any], db_path: Path) -> None:
    """A network with three counties' municipalities (108): a long, paginated list."""
    async with Database(db_path) as db:
        await db.migrate()
        await db.execute(
            "INSERT OR IGNORE INTO networks (guild_id, name) VALUES (?, ?)", (guild.id, guild.name)
        )
        for key in ("county-01", "county-12", "county-14"):
            preset = municipalities.preset(key)
            assert preset is not None
            await organisations.add_municipalities(db, guild.id, preset.codes)


SEEDS.append(seed_network)
CASES.extend(
    [
        as_admin("network municipalities list"),
        as_admin("network settings"),
        municipality_autocomplete("Soderhamn"),
        municipality_autocomplete("Uddevala"),
    ]
)
