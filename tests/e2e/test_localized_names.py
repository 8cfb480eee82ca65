"""The driver resolves commands, options and choices by their Swedish and English names."""

from __future__ import annotations

import pytest

from bot.services import organisations
from sandbox import CommandNotFound
from tests.e2e.conftest import World


async def test_a_swedish_command_path_option_and_choice(world: World) -> None:
    sb, guild, admin = world.sandbox, world.guild, world.admin
    await organisations.add_municipalities(world.bot.db, guild.id, ["1380"])
    await organisations.add(world.bot.db, guild.id, kind="authority", name="Arbetsförmedlingen")
    listed = await sb.invoke("nätverk kommuner lista", {}, user=admin, guild=guild)
    assert "1 medlemskommun" in listed.text and "Halmstad" in listed.text
    # `typ:kommun` as a Swedish client sends it: the choice's value, under the base name.
    only = await sb.invoke(
        "nätverk organisationer lista", {"typ": "kommun"}, user=admin, guild=guild
    )
    assert "Halmstad" in only.text and "Arbetsförmedlingen" not in only.text
    english = await sb.invoke(
        "network organisations list",
        {"kind": "Authority"},
        user=admin,
        guild=guild,
        locale="en-US",
    )
    assert "Arbetsförmedlingen" in english.text and "Halmstad" not in english.text
    sent = [r for r in sb.world.interactions.values() if r.type == 2][-2:]
    options = [r.payload["data"]["options"][0]["options"][0]["options"] for r in sent]
    assert options == [
        [{"type": 3, "name": "kind", "value": "municipality"}],
        [{"type": 3, "name": "kind", "value": "authority"}],
    ]


async def test_unknown_names_are_still_refused(world: World) -> None:
    sb, guild, admin = world.sandbox, world.guild, world.admin
    with pytest.raises(CommandNotFound):
        await sb.invoke("nätverk inget", {}, user=admin, guild=guild)
    with pytest.raises(ValueError, match="is not one of"):
        await sb.invoke("nätverk organisationer lista", {"typ": "by"}, user=admin, guild=guild)
