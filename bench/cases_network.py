"""Benchmark cases of the network feature: listing municipalities and the autocomplete."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from bench.registry import Case, contains
from sandbox import Sandbox


def as_admin(path: str, check: Any) -> Case:
    """An admin command, run by the server's owner whichever member the load picks."""

    async def run(sb: Sandbox, guild: Any, user: Any) -> Any:
        owner = sb.world.users[guild.owner_id]
        return await sb.invoke(path, {}, user=owner, guild=guild)

    return Case(f"/{path}", run, check)


def municipality_autocomplete(typed: str, expected: str) -> Case:
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

    def check(reply: Any) -> str | None:
        names = [c.name for c in reply.choices]
        return None if any(expected in n for n in names) else f"{expected} not in {names}"

    return Case(f"autocomplete municipality {typed!r}", run, check)


CASES = [
    as_admin("network municipalities list", contains("114 medlemskommuner", "Botkyrka")),
    as_admin("network settings", contains("Bench network", "114 kommuner, 8 andra organisationer")),
    municipality_autocomplete("Soderhamn", "Söderhamn"),
    municipality_autocomplete("Uddevala", "Uddevalla"),
]
