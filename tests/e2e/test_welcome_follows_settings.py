"""The standing message in the welcome channel follows the network's name and language
(issue 9, item 5)."""

from __future__ import annotations

from typing import Any

from bot.services import network
from sandbox import Message
from tests.e2e.conftest import World
from tests.e2e.test_directory import eventually
from tests.e2e.test_network_setup import run_setup


def standing(world: World, channel: Any) -> Message:
    [message] = [
        m
        for m in world.sandbox.channel_messages(channel)
        if any(
            c.get("custom_id") == "krokarm:onb:pick:any"
            for row in m.components
            for c in row["components"]
        )
    ]
    return message


def labels(message: Message) -> list[str]:
    return [c["label"] for row in message.components for c in row["components"]]


async def change(
    world: World, options: dict[str, Any], locale: str = "sv-SE", *, starts: str | None = None
) -> None:
    """`/network settings` with `options`; then until the standing message starts with
    `starts` (the edit follows the reply)."""
    reply = await world.as_admin.invoke("network settings", options, locale=locale)
    assert "Sparat" in reply.text or "Saved" in reply.text, reply.text
    if starts is not None:
        welcome = world.sandbox.find_channel(world.guild, "välkommen")

        async def edited() -> bool:
            return standing(world, welcome).content.startswith(starts)

        await eventually(edited)


async def test_the_standing_message_follows_the_name_and_the_language(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    await run_setup(sb, guild, world.admin)
    welcome = sb.find_channel(guild, "välkommen")
    first = standing(world, welcome)
    assert first.content.startswith("Välkommen till Integration Halland!")
    assert labels(first) == ["Välj organisation", "Fyll i din profil"]

    await change(
        world,
        {"name": "Integration Halland–Kronoberg", "language": "en"},
        starts="Welcome to Integration Halland–Kronoberg!",
    )
    english = standing(world, welcome)
    assert english.id == first.id  # edited, not posted again
    assert english.content.startswith("Welcome to Integration Halland–Kronoberg!")
    assert labels(english) == ["Choose your organisation", "Fill in your profile"]
    # It still works: a member picks from it, in their own language.
    picker = await world.as_erik.click(english, "Choose your organisation", locale="en-US")
    assert "The network has no organisations yet" in picker.text

    await change(
        world, {"language": "sv-SE"}, locale="en-US", starts="Välkommen till Integration Halland–"
    )
    swedish = standing(world, welcome)
    assert swedish.content.startswith("Välkommen till Integration Halland–Kronoberg!")
    assert labels(swedish) == ["Välj organisation", "Fyll i din profil"]
    assert [m.id for m in sb.channel_messages(welcome)] == [first.id]


async def test_a_network_set_up_before_the_id_was_kept_finds_its_message(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    await run_setup(sb, guild, world.admin)
    await network.set_welcome_message(world.bot.db, guild.id, None)
    await change(world, {"name": "Nätverket i Halland"}, starts="Välkommen till Nätverket i")
    welcome = sb.find_channel(guild, "välkommen")
    assert standing(world, welcome).content.startswith("Välkommen till Nätverket i Halland!")
    assert await network.welcome_message(world.bot.db, guild.id) == standing(world, welcome).id


async def test_a_deleted_standing_message_is_not_posted_again_unasked(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    await run_setup(sb, guild, world.admin)
    welcome = sb.find_channel(guild, "välkommen")
    message = standing(world, welcome)
    sb.world.delete_message(message)
    await change(world, {"name": "Nätverket i Halland"})

    async def forgotten() -> bool:
        return await network.welcome_message(world.bot.db, guild.id) is None

    await eventually(forgotten)
    assert sb.channel_messages(welcome) == []
    assert await network.welcome_message(world.bot.db, guild.id) is None
    # The edit was refused as Discord refuses it: the message is gone.
    assert [e.status for e in sb.errors] == [404]
    sb.errors.clear()
