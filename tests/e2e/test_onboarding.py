"""A newcomer joins, is greeted in the welcome channel, picks their organisation and becomes a
member; leaving and coming back are recorded."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.services import members, network, organisations
from sandbox import Message
from tests.e2e.conftest import World
from tests.e2e.test_network_setup import new_guild, run_setup

OTHERS = [
    ("authority", "Arbetsförmedlingen"),
    ("authority", "Länsstyrelsen Halland"),
    ("civil_society", "Röda korset Halmstad"),
    ("region", "Region Halland"),
]


async def configured(
    world: World, guild: Any = None, admin: Any = None, locale: str = "sv-SE"
) -> None:
    """Setup, Halland's six municipalities and a few other organisations."""
    guild, admin = guild or world.guild, admin or world.admin
    sb = world.sandbox
    await run_setup(sb, guild, admin, locale)
    await sb.invoke(
        "network municipalities add",
        {"preset": "county-13"},
        user=admin,
        guild=guild,
        locale=locale,
    )
    for kind, name in OTHERS:
        await sb.invoke(
            "network organisations add",
            {"name": name, "kind": kind},
            user=admin,
            guild=guild,
            locale=locale,
        )


async def greeting_for(world: World, guild: Any, user: Any, channel_name: str) -> Message:
    channel = world.sandbox.find_channel(guild, channel_name)
    return await world.sandbox.wait_for_message(
        channel, lambda m: f"<@{user.id}>" in m.content, timeout=5, existing=True
    )


async def member_role_of(world: World, guild: Any) -> int:
    role_id = (await network.get(world.bot.db, guild.id)).member_role_id
    assert role_id is not None
    return role_id


async def wait_for_roles(guild: Any, user: Any, role_id: int) -> None:
    for _ in range(100):
        if role_id in guild.members_by_id[user.id].roles:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the member role was not given")


async def test_a_newcomer_is_greeted_picks_an_organisation_and_becomes_a_member(
    world: World,
) -> None:
    sb, guild = world.sandbox, world.guild
    await configured(world)
    fatima = sb.create_user("fatima", global_name="Fatima Hassan", locale="sv-SE")
    await sb.add_member(guild, fatima)
    greeting = await greeting_for(world, guild, fatima, "välkommen")
    assert "Välkommen till Integration Halland" in greeting.content
    # Only the newcomer is pinged: no one else, no roles, not @everyone.
    assert greeting.pinged_user_ids == {fatima.id}
    assert not greeting.pinged_role_ids and not greeting.pinged_everyone
    buttons = [c["label"] for row in greeting.components for c in row["components"]]
    assert buttons == ["Välj organisation", "Fyll i din profil"]

    picker = await sb.click(greeting, "Välj organisation", user=fatima)
    assert picker.ephemeral and "Vilken organisation kommer du från?" in picker.text
    [select] = picker.selects
    labels = [o.label for o in select.options]
    assert labels == [
        "Falkenberg",
        "Halmstad",
        "Hylte",
        "Kungsbacka",
        "Laholm",
        "Varberg",
        "Region Halland",
        "Arbetsförmedlingen",
        "Länsstyrelsen Halland",
        "Röda korset Halmstad",
    ]
    picked = await sb.select(picker, select.custom_id, ["Halmstad"], user=fatima)
    assert "Tack! Din organisation är nu Halmstad." in picked.text
    assert "Du har fått medlemsrollen" in picked.text
    role_id = await member_role_of(world, guild)
    await wait_for_roles(guild, fatima, role_id)
    member = await members.get_member(world.bot.db, guild.id, fatima.id)
    halmstad = next(
        o
        for o in await organisations.list_organisations(world.bot.db, guild.id)
        if o.name == "Halmstad"
    )
    assert member is not None and member.organisation_id == halmstad.id and member.present

    # The second button of the greeting opens the newcomer's own profile form.
    form = await sb.click(greeting, "Fyll i din profil", user=fatima)
    assert form.kind == "modal"


async def test_an_english_network_greets_in_english(world: World) -> None:
    sb = world.sandbox
    guild = await new_guild(world, "Fyrbodal", "en-US", world.erik)
    await configured(world, guild, world.erik, "en-US")
    john = sb.create_user("john", global_name="John Smith", locale="en-GB")
    await sb.add_member(guild, john)
    greeting = await greeting_for(world, guild, john, "welcome")
    assert "Welcome to Fyrbodal" in greeting.content
    picker = await sb.click(greeting, "Choose your organisation", user=john, locale="en-GB")
    assert "Which organisation do you come from?" in picker.text
    picked = await sb.select(
        picker, picker.selects[0].custom_id, ["Region Halland"], user=john, locale="en-GB"
    )
    assert "Thank you! Your organisation is now Region Halland." in picked.text
    assert "You have the member role" in picked.text
    await wait_for_roles(guild, john, await member_role_of(world, guild))


async def test_only_the_newcomer_can_use_their_greeting(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    await configured(world)
    fatima = sb.create_user("fatima", global_name="Fatima Hassan", locale="sv-SE")
    await sb.add_member(guild, fatima)
    greeting = await greeting_for(world, guild, fatima, "välkommen")
    other = await sb.click(greeting, "Välj organisation", user=world.anna)
    assert other.ephemeral and "Det här är någon annans" in other.text
    english = await sb.click(greeting, "Välj organisation", user=world.erik, locale="en-US")
    assert "This belongs to someone else" in english.text
    picker = await sb.click(greeting, "Välj organisation", user=fatima)
    stolen = await sb.select(picker, picker.selects[0].custom_id, ["Hylte"], user=world.anna)
    assert "Det här är någon annans" in stolen.text
    assert (await members.get_member(world.bot.db, guild.id, world.anna.id)) is None


async def test_the_picker_keeps_working_after_a_restart(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    await configured(world)
    johan = sb.create_user("johan", global_name="Johan Berg", locale="sv-SE")
    await sb.add_member(guild, johan)
    greeting = await greeting_for(world, guild, johan, "välkommen")
    picker = await sb.click(greeting, "Välj organisation", user=johan)
    await world.restart()
    picked = await sb.select(picker, picker.selects[0].custom_id, ["Varberg"], user=johan)
    assert "Din organisation är nu Varberg" in picked.text
    await world.restart()
    again = await sb.click(greeting, "Välj organisation", user=johan)
    changed = await sb.select(again, again.selects[0].custom_id, ["Arbetsförmedlingen"], user=johan)
    assert (
        "Din organisation är nu Arbetsförmedlingen" in changed.text
        and "redan medlemsrollen" in changed.text
    )


async def test_with_more_than_25_organisations_there_is_a_search_step(world: World) -> None:
    sb, guild, admin = world.sandbox, world.guild, world.admin
    await configured(world)
    await sb.invoke("network municipalities add", {"preset": "county-14"}, user=admin, guild=guild)
    newcomer = sb.create_user("amina", global_name="Amina", locale="sv-SE")
    await sb.add_member(guild, newcomer)
    greeting = await greeting_for(world, guild, newcomer, "välkommen")
    modal = await sb.click(greeting, "Välj organisation", user=newcomer)
    assert modal.kind == "modal" and modal.modal is not None
    assert modal.modal.title == "Sök organisation"
    nothing = await sb.submit_modal(
        modal, {"Organisationens namn eller en del av det": "Atlantis"}, user=newcomer
    )
    assert "Ingen organisation i nätverket matchar ”Atlantis”" in nothing.text
    retry = await sb.click(nothing, "Sök igen", user=newcomer)
    found = await sb.submit_modal(
        retry, {"Organisationens namn eller en del av det": "trollhatan"}, user=newcomer
    )
    assert [o.label for o in found.selects[0].options] == ["Trollhättan"]
    picked = await sb.select(found, found.selects[0].custom_id, ["Trollhättan"], user=newcomer)
    assert "Din organisation är nu Trollhättan" in picked.text
    broad = await sb.submit_modal(
        await sb.click(greeting, "Välj organisation", user=newcomer),
        {"Organisationens namn eller en del av det": "halland"},
        user=newcomer,
    )
    assert {o.label for o in broad.selects[0].options} == {
        "Länsstyrelsen Halland",
        "Region Halland",
    }
    assert [b.label for b in broad.buttons] == ["Sök igen"]


async def test_leaving_and_coming_back(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    await configured(world)
    fatima = sb.create_user("fatima", global_name="Fatima Hassan", locale="sv-SE")
    await sb.add_member(guild, fatima)
    greeting = await greeting_for(world, guild, fatima, "välkommen")
    picker = await sb.click(greeting, "Välj organisation", user=fatima)
    await sb.select(picker, picker.selects[0].custom_id, ["Laholm"], user=fatima)
    await sb.remove_member(guild, fatima)
    for _ in range(100):
        gone = await members.get_member(world.bot.db, guild.id, fatima.id)
        if gone is not None and not gone.present:
            break
        await asyncio.sleep(0.01)
    assert gone is not None and gone.left_at == "2026-11-23T09:00:00Z"
    await sb.add_member(guild, fatima)
    back = await sb.wait_for_message(
        sb.find_channel(guild, "välkommen"),
        lambda m: "Välkommen tillbaka" in m.content,
        existing=True,
    )
    assert "Din organisation är Laholm" in back.content and back.pinged_user_ids == {fatima.id}
    await wait_for_roles(guild, fatima, await member_role_of(world, guild))
    member = await members.get_member(world.bot.db, guild.id, fatima.id)
    assert member is not None and member.present and member.organisation_id is not None


async def test_before_setup_nobody_is_greeted_but_joins_are_recorded(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    fatima = sb.create_user("fatima", global_name="Fatima Hassan", locale="sv-SE")
    await sb.add_member(guild, fatima)
    for _ in range(100):
        if await members.get_member(world.bot.db, guild.id, fatima.id):
            break
        await asyncio.sleep(0.01)
    assert await members.get_member(world.bot.db, guild.id, fatima.id) is not None
    assert all(not sb.channel_messages(c) for c in guild.channels)
    # Once setup has run, the standing message lets her pick; without a member role yet
    # (e.g. deleted), she is told so.
    await sb.invoke(
        "network municipalities add", {"municipality": "Hylte"}, user=world.admin, guild=guild
    )
    await run_setup(sb, guild, world.admin)
    await network.update(world.bot.db, guild.id, member_role_id=None)
    standing = await sb.wait_for_message(sb.find_channel(guild, "välkommen"), existing=True)
    labels = [c["label"] for row in standing.components for c in row["components"]]
    assert labels == ["Välj organisation", "Fyll i din profil"]
    picker = await sb.click(standing, "Välj organisation", user=fatima)
    picked = await sb.select(picker, picker.selects[0].custom_id, ["Hylte"], user=fatima)
    assert "Din organisation är nu Hylte" in picked.text
    assert "ingen medlemsroll än" in picked.text


async def test_people_already_on_the_server_pick_with_the_standing_message(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    await configured(world)
    standing = await sb.wait_for_message(sb.find_channel(guild, "välkommen"), existing=True)
    picker = await sb.click(standing, "Välj organisation", user=world.anna)
    picked = await sb.select(
        picker, picker.selects[0].custom_id, ["Region Halland"], user=world.anna
    )
    assert "Din organisation är nu Region Halland" in picked.text
    await wait_for_roles(guild, world.anna, await member_role_of(world, guild))
    # Erik's picker from the same message is his own.
    erik = await sb.click(standing, "Välj organisation", user=world.erik, locale="en-US")
    assert "Which organisation do you come from?" in erik.text


async def test_no_organisations_yet(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    await run_setup(sb, guild, world.admin)
    fatima = sb.create_user("fatima", global_name="Fatima Hassan", locale="sv-SE")
    await sb.add_member(guild, fatima)
    greeting = await greeting_for(world, guild, fatima, "välkommen")
    reply = await sb.click(greeting, "Välj organisation", user=fatima)
    assert reply.ephemeral and "Nätverket har inga organisationer än" in reply.text
