"""Crashes and refusals a user could reach: over-long ids, embeds over Discord's total,
names that show nothing."""

from __future__ import annotations

import pytest

from bot.embeds import discord_len
from bot.services import functions, network, organisations, profiles
from bot.services.profiles import ProfileFields
from sandbox import Reply
from tests.e2e.conftest import World
from tests.e2e.test_network_setup import new_guild, run_setup

SKINNSKATTEBERG = "1904"
HUGE = "9" * 23  # more digits than any id: int() is fine, binding it to SQLite overflows


@pytest.mark.parametrize("value", [HUGE, "9223372036854775808", "²", "-1", "0", " 12 34 "])
async def test_an_impossible_organisation_id_is_no_such_organisation(
    world: World, value: str
) -> None:
    sb, guild = world.sandbox, world.guild
    await organisations.add(world.bot.db, guild.id, kind="authority", name="Arbetsförmedlingen")
    rename = await sb.invoke(
        "network organisations rename",
        {"organisation": value, "new_name": "Nytt namn"},
        user=world.admin,
        guild=guild,
    )
    assert "**Organisation**: ingen sådan organisation i nätverket" in rename.text
    remove = await sb.invoke(
        "network organisations remove",
        {"organisation": value},
        user=world.admin,
        guild=guild,
        locale="en-US",
    )
    assert "**Organisation**:" in remove.text and "no such organisation" in remove.text
    # The same parsing serves the directory's organisation and function options.
    preset = await sb.invoke("profile edit", {"organisation": value}, user=world.anna, guild=guild)
    assert "**Organisation**" in preset.text
    names = [o.name for o in await organisations.list_organisations(world.bot.db, guild.id)]
    assert names == ["Arbetsförmedlingen"]


def _embed_total(reply: Reply) -> int:
    total = 0
    for embed in reply.embeds:
        total += discord_len(embed.get("title")) + discord_len(embed.get("description"))
        for f in embed.get("fields") or []:
            total += discord_len(f.get("name")) + discord_len(f.get("value"))
        total += discord_len((embed.get("footer") or {}).get("text"))
        total += discord_len((embed.get("author") or {}).get("name"))
    return total


async def test_contact_find_fits_discords_embed_total_after_escaping(world: World) -> None:
    """Long profiles in Skinnskatteberg (five on the first page), long vacant functions, and
    search terms made of markdown characters (escaping doubles them): once refused by Discord
    with a 400."""
    db, gid, now = world.bot.db, world.guild.id, world.clock.now()
    await organisations.add_municipalities(db, gid, [SKINNSKATTEBERG])
    [org] = await organisations.list_organisations(db, gid)
    long_tags = [f"{'_*' * 9}ämne{i:02d}" for i in range(30)]
    for i in range(6):
        await profiles.save(
            db,
            gid,
            20_000 + i,
            ProfileFields(
                f"{'*_' * 39}_{i}",
                title="~" * 100,
                department="|" * 100,
                email=f"{'a' * 60}{i}@skinnskatteberg.se",
                phone="0701234567",
            ),
            now=now,
            organisation_id=org.id,
            expertise=long_tags,
        )
        held = await functions.add(db, gid, org.id, f"{'`' * 90}funktion{i}", now=now)
        await functions.assign(db, gid, held.id, 20_000 + i, actor_id=20_000 + i, now=now)
    for i in range(8):
        await functions.add(db, gid, org.id, f"{'_' * 90}vakant{i}", now=now)

    for options in (
        {"municipality": SKINNSKATTEBERG, "query": "*" * 200, "expertise": "_" * 100},
        {"municipality": SKINNSKATTEBERG},
        {"municipality": SKINNSKATTEBERG, "query": "*" * 200},
    ):
        reply = await world.as_anna.invoke("contact find", options)
        assert reply.embeds, reply.text
        assert _embed_total(reply) <= 6000
    # The last search found all six, cut to fit, with the vacancies.
    assert "6 kontakter" in reply.text and "Sida 1 av 2" in reply.text
    assert "vakant" in reply.text


INVISIBLE = ["\u200b\u200c", "\u200d\u200e\u200f", "\u061c", "\u2060", "\u3164", "\u2800 \u200b"]


@pytest.mark.parametrize("name", INVISIBLE)
async def test_invisible_network_and_display_names_are_refused(world: World, name: str) -> None:
    sb, guild = world.sandbox, world.guild
    reply = await sb.invoke("network settings", {"name": name}, user=world.admin, guild=guild)
    assert "**Nätverkets namn**: består bara av osynliga tecken" in reply.text
    assert (await network.get(world.bot.db, guild.id)).name == "Integration Halland"

    modal = await sb.invoke("profile edit", {}, user=world.erik, guild=guild, locale="en-US")
    refused = await world.as_erik.submit_modal(
        modal,
        {"profile:display_name": name, "profile:title": "Samordnare"},
        locale="en-US",
    )
    assert "**Name**: consists only of invisible characters" in refused.text
    assert await profiles.get(world.bot.db, guild.id, world.erik.id) is None


async def test_setup_never_creates_a_category_with_an_invisible_name(world: World) -> None:
    """A server whose name shows nothing: the network and its category get a default name."""
    sb = world.sandbox
    guild = await new_guild(world, "\u200b\u200c\u2060", "sv-SE", world.anna)
    assert (await network.get(world.bot.db, guild.id)).name == "Nätverket"
    await run_setup(sb, guild, world.anna)
    categories = [c.name for c in guild.channels if c.type == 4]
    assert categories == ["Nätverket"]
