"""The foundation as a member meets it: /help, /about, errors, restarts."""

from __future__ import annotations

import asyncio
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import InvalidInput
from bot.services import municipalities, organisations
from tests.conftest import ErrorLog
from tests.e2e.conftest import World


async def test_help_in_swedish_lists_every_command_by_its_swedish_name(world: World) -> None:
    reply = await world.as_anna.invoke("help", {}, locale="sv-SE")
    assert reply.ephemeral
    assert "Krokarm – kommandon" in reply.text
    assert "/hjälp" in reply.text and "/om" in reply.text
    assert "Alla kommandon, en rad vardera" in reply.text
    assert "Every command" not in reply.text


async def test_help_in_english(world: World) -> None:
    reply = await world.as_erik.invoke("help", {}, locale="en-US")
    assert "Krokarm – commands" in reply.text
    assert "/help" in reply.text and "/about" in reply.text
    assert "Version, uptime and what the network holds" in reply.text


async def test_unknown_user_language_falls_back_to_the_server(world: World) -> None:
    reply = await world.as_erik.invoke("help", {}, locale="de")
    assert "Krokarm – kommandon" in reply.text


async def test_help_is_generated_from_the_tree(world: World) -> None:
    reply = await world.as_anna.invoke("help", {})
    # Nothing kept by hand: every leaf command of the tree has exactly one line.
    leaves = [c for c in world.bot.tree.walk_commands() if not isinstance(c, app_commands.Group)]
    assert reply.text.count("**/") == len(leaves)
    # The whole list fits (a field per feature): the context menus, listed last, are there.
    assert "**Kontaktkort**" in reply.text and "…" not in reply.text


async def test_commands_are_synced_with_swedish_localizations(world: World) -> None:
    reply = await world.as_anna.invoke("about", {})
    assert reply.ephemeral  # smoke: the synced command is invocable
    synced = {c["name"]: c for c in world.sandbox.global_commands()}
    assert synced["help"]["name_localizations"]["sv-SE"] == "hjälp"
    assert synced["about"]["description_localizations"]["sv-SE"].startswith("Version")


async def test_about_defers_then_follows_up_with_figures(world: World) -> None:
    reply = await world.as_anna.invoke("about", {})
    assert reply.ephemeral
    assert "Om Krokarm" in reply.text
    assert "Version" in reply.text and "0.1.0" in reply.text
    assert "4 medlemmar" in reply.text  # the bot, the admin, Anna and Erik
    assert "Databas" in reply.text and "MB" in reply.text
    assert [b.label for b in reply.buttons] == ["Uppdatera"]
    english = await world.as_erik.invoke("about", {}, locale="en-US")
    assert "About Krokarm" in english.text and "4 members" in english.text


async def test_refresh_button_survives_a_restart(world: World) -> None:
    reply = await world.as_anna.invoke("about", {})
    await world.restart()
    refreshed = await world.as_anna.click(reply, "Uppdatera")
    assert refreshed.kind == "update"
    assert "Om Krokarm" in refreshed.text and "Igång i" in refreshed.text


class Faulty(commands.Cog):
    """Commands that fail, loaded only by these tests."""

    @app_commands.command(name="boom", description="Fails unexpectedly")
    async def boom(self, interaction: discord.Interaction) -> None:
        raise RuntimeError("the database caught fire")

    @app_commands.command(name="late-boom", description="Defers, then fails")
    async def late_boom(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        raise RuntimeError("after the defer")

    @app_commands.command(name="bad-email", description="Rejects its input")
    async def bad_email(self, interaction: discord.Interaction) -> None:
        raise InvalidInput("email", "errors.bad_value", value="not-an-address")


async def _with_faulty(world: World) -> None:
    await world.bot.add_cog(Faulty())
    await world.bot.tree.sync()


async def test_unexpected_error_shows_an_id_and_is_logged(
    world: World, error_log: ErrorLog
) -> None:
    await _with_faulty(world)
    reply = await world.as_anna.invoke("boom", {})
    assert reply.ephemeral
    match = re.search(r"id `([0-9a-f]{8})`", reply.text)
    assert match, reply.text
    record = error_log.take(match.group(1))
    assert record.exc_info and "the database caught fire" in str(record.exc_info[1])
    assert "/boom" in record.getMessage()


async def test_error_after_defer_is_a_followup(world: World, error_log: ErrorLog) -> None:
    await _with_faulty(world)
    reply = await world.as_erik.invoke("late-boom", {}, locale="en-US")
    assert "Something went wrong" in reply.text and reply.ephemeral
    error_log.take("unexpected error")


async def test_user_error_names_the_field_in_the_users_language(world: World) -> None:
    await _with_faulty(world)
    await world.bot.tree.sync()
    reply = await world.as_anna.invoke("bad-email", {})
    assert reply.ephemeral
    assert reply.text.startswith("**E-post**")


async def test_networks_served_follows_the_servers_the_bot_is_in(world: World) -> None:
    other = world.sandbox.create_guild("Fyrbodal", preferred_locale="sv-SE", owner=world.admin)
    await world.sandbox.add_member(other, world.anna)
    reply = await world.as_anna.invoke("about", {})
    assert "Nätverk som använder boten\n2" in reply.text
    await world.sandbox.remove_bot(other)
    for _ in range(50):
        left = await world.bot.db.fetchval(
            "SELECT left_at FROM networks WHERE guild_id = ?", (other.id,)
        )
        if left:
            break
        await asyncio.sleep(0.02)
    assert left == world.clock.now().isoformat()
    reply = await world.as_anna.invoke("about", {})
    assert "Nätverk som använder boten\n1" in reply.text


async def test_about_counts_what_the_network_holds(world: World) -> None:
    db, gid = world.bot.db, world.guild.id
    halland = municipalities.preset("county-13")
    assert halland is not None
    await organisations.add_municipalities(db, gid, halland.codes)
    await organisations.add(db, gid, kind="authority", name="Arbetsförmedlingen", municipality=None)
    change = await organisations.add(
        db, gid, kind="other", name="Nedlagd förening", municipality=None
    )
    await organisations.archive(db, gid, change.changed[0].id, world.clock.now())
    swedish = await world.as_anna.invoke("about", {})
    assert "6 kommuner" in swedish.text and "1 annan organisation" in swedish.text
    assert "0 profiler" in swedish.text
    english = await world.as_erik.invoke("about", {}, locale="en-US")
    assert "6 municipalities" in english.text and "1 other organisation" in english.text
