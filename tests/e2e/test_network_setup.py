"""An admin builds the network's server with /network setup, in Swedish and in English."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import pytest

from bot.i18n import Lang
from bot.services import network
from bot.services.setup_plan import Structure, desired_structure
from sandbox import DEFAULT_BOT_PERMISSIONS, ChannelType, Perm, Reply, Sandbox, payloads
from tests.e2e.conftest import World

_TYPES = {
    "category": ChannelType.GUILD_CATEGORY,
    "text": ChannelType.GUILD_TEXT,
    "forum": ChannelType.GUILD_FORUM,
    "voice": ChannelType.GUILD_VOICE,
}


async def new_guild(world: World, name: str, locale: str, owner: Any, *others: Any) -> Any:
    """Another server with the bot in it, once the bot has made it a network."""
    guild = world.sandbox.create_guild(name, preferred_locale=locale, owner=owner)
    for user in others:
        await world.sandbox.add_member(guild, user)
    for _ in range(200):
        if guild.id in world.bot.network_langs:
            return guild
        await asyncio.sleep(0.01)
    raise AssertionError("the bot never saw the new server")


async def run_setup(sb: Sandbox, guild: Any, user: Any, locale: str = "sv-SE") -> Reply:
    """/network setup, then Confirm; returns the report."""
    plan = await sb.invoke("network setup", {}, user=user, guild=guild, locale=locale)
    confirm = "Bekräfta" if locale.startswith("sv") else "Confirm"
    applying = await sb.click(plan, confirm, user=user, locale=locale)
    await sb.wait_for_followup(applying)
    return Reply.from_message("message", 0, applying.followups[-1], [], 0)


def _bits(names: frozenset[str]) -> int:
    return discord.Permissions(**dict.fromkeys(names, True)).value


async def assert_built_as_planned(world: World, guild: Any, lang: Lang, name: str) -> None:
    """Every planned channel, tag, role and overwrite exists exactly, and nothing else was made."""
    settings = await network.get(world.bot.db, guild.id)
    structure: Structure = desired_structure(lang, name)
    roles = {r.id: r for r in guild.roles}
    admin, member = roles[settings.admin_role_id], roles[settings.member_role_id]
    assert (admin.name, member.name) == (
        ("Nätverksadmin", "Nätverksmedlem") if lang == "sv" else ("Network admin", "Network member")
    )
    assert admin.permissions == 0 and member.permissions == 0  # access comes from overwrites
    assert len(guild.roles) == 4  # @everyone, the bot's role and the two network roles
    target = {
        "everyone": guild.id,
        "bot": world.sandbox.bot_user.id,
        "admin": admin.id,
        "member": member.id,
    }
    by_id = {c.id: c for c in guild.channels}
    category = by_id[settings.channels["category"]]
    for desired in structure.channels:
        channel = by_id[settings.channels[desired.purpose]]
        assert channel.type == _TYPES[desired.kind], desired.purpose
        if not (desired.purpose == "general" and channel.name == "general"):
            assert channel.name == desired.name
            if desired.kind != "category":
                assert channel.parent_id == category.id
        if desired.topic:
            assert channel.topic == desired.topic or channel.name == "general"
        assert [tag["name"] for tag in channel.available_tags] == [t.name for t in desired.tags]
        for tag, desired_tag in zip(channel.available_tags, desired.tags, strict=True):
            assert settings.forum_tags[(desired.purpose, desired_tag.key)] == int(tag["id"])
        actual = {o.id: (o.type, o.allow, o.deny) for o in channel.overwrites.values()}
        expected = {
            target[o.target]: (1 if o.target == "bot" else 0, _bits(o.allow), _bits(o.deny))
            for o in desired.overwrites
        }
        assert actual == expected, desired.purpose
    # The server's own #general was adopted; the eight purposes are the only channels.
    assert len(guild.channels) == 8


@pytest.mark.parametrize(
    ("locale", "lang", "title", "done"),
    [
        ("sv-SE", "sv", "Plan för nätverkets server", "Klart – servern är uppbyggd"),
        ("en-US", "en", "Plan for the network's server", "Done – the server is built"),
    ],
)
async def test_setup_builds_exactly_the_plan_then_a_second_run_creates_nothing(
    world: World, locale: str, lang: Lang, title: str, done: str
) -> None:
    sb = world.sandbox
    if lang == "sv":
        guild, admin = world.guild, world.admin
    else:
        admin = world.erik
        guild = await new_guild(world, "Fyrbodal", "en-US", admin)
    plan = await sb.invoke("network setup", {}, user=admin, guild=guild, locale=locale)
    assert plan.ephemeral and title in plan.text
    assert (
        "Skapas: 9 · tas över: 1" if lang == "sv" else "To create: 9 · to adopt: 1"
    ) in plan.text
    # Nothing happens before Confirm.
    assert [c.name for c in guild.channels] == ["general"]
    report = await run_setup(sb, guild, admin, locale)
    assert done in report.text
    await assert_built_as_planned(world, guild, lang, guild.name)

    again = await sb.invoke("network setup", {}, user=admin, guild=guild, locale=locale)
    assert ("Allt finns redan" if lang == "sv" else "Everything is in place") in again.text
    assert again.buttons == []  # nothing to confirm
    assert len(guild.channels) == 8 and len(guild.roles) == 4


async def test_a_renamed_channel_and_a_hand_made_one_are_adopted(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    await run_setup(sb, guild, world.admin)
    settings = await network.get(world.bot.db, guild.id)
    general = next(c for c in guild.channels if c.id == settings.channels["general"])
    general.name = "snacket"  # an admin renamed it
    sb.world.dispatch("CHANNEL_UPDATE", payloads.channel(general))
    tips = next(c for c in guild.channels if c.id == settings.channels["tips"])
    # An admin deleted the tips channel and made their own, with other permissions.
    del guild.channels_by_id[tips.id]
    del sb.world.channels[tips.id]
    sb.world.dispatch("CHANNEL_DELETE", payloads.channel(tips))
    own = sb.create_channel(guild, "Omvärldsbevakning")
    plan = await sb.invoke("network setup", {}, user=world.admin, guild=guild)
    assert "Behålls: textkanal #snacket" in plan.text
    assert "Tas över: textkanal #Omvärldsbevakning" in plan.text
    assert "Skapas:" not in plan.text.replace("Skapas: 0", "")
    await sb.click(plan, "Bekräfta", user=world.admin)
    for _ in range(100):
        if (await network.get(world.bot.db, guild.id)).channels["tips"] == own.id:
            break
        await asyncio.sleep(0.02)
    assert (await network.get(world.bot.db, guild.id)).channels["tips"] == own.id
    assert general.name == "snacket" and len(guild.channels) == 8
    assert own.overwrites[guild.id].deny & Perm.SEND_MESSAGES  # its missing overwrites added


async def test_missing_bot_permissions_are_listed_in_the_users_language(world: World) -> None:
    sb = world.sandbox
    owner = sb.create_user("lisa", global_name="Lisa", locale="sv-SE")
    weak = DEFAULT_BOT_PERMISSIONS & ~Perm.MANAGE_ROLES & ~Perm.MANAGE_THREADS
    guild = sb.create_guild(
        "Söderhamn", preferred_locale="sv-SE", owner=owner, bot_permissions=weak
    )
    for _ in range(200):
        if guild.id in world.bot.network_langs:
            break
        await asyncio.sleep(0.01)
    sv = await sb.invoke("network setup", {}, user=owner, guild=guild, locale="sv-SE")
    assert sv.ephemeral
    assert "Hantera roller" in sv.text and "Hantera trådar" in sv.text
    assert "Hantera kanaler" not in sv.text
    en = await sb.invoke("network setup", {}, user=owner, guild=guild, locale="en-GB")
    assert "the bot lacks the permissions Manage Roles, Manage Threads." in en.text
    assert [c.name for c in guild.channels] == ["general"]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("sv-SE", "Det här får bara nätverkets administratörer göra"),
        ("en-US", "Only the network's admins"),
    ],
)
async def test_a_member_cannot_run_admin_commands(world: World, locale: str, expected: str) -> None:
    sb, guild = world.sandbox, world.guild
    for command, options in [
        ("network setup", {}),
        ("network settings", {"name": "Kapat"}),
        ("network municipalities add", {"municipality": "1380"}),
        ("network municipalities remove", {"municipality": "1380"}),
        ("network municipalities list", {}),
        ("network organisations add", {"name": "X", "kind": "other"}),
        ("network organisations list", {}),
    ]:
        reply = await sb.invoke(command, options, user=world.anna, guild=guild, locale=locale)
        assert reply.ephemeral and expected in reply.text, command
    settings = await network.get(world.bot.db, guild.id)
    assert settings.name == "Integration Halland" and settings.set_up_at is None


async def test_only_the_admin_who_ran_setup_may_confirm(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    # Anna is made a network admin through the admin role, but the plan is Maria's.
    plan = await sb.invoke("network setup", {}, user=world.admin, guild=guild)
    other = await sb.click(plan, "Bekräfta", user=world.anna)
    assert other.ephemeral and "Det här är någon annans" in other.text
    english = await sb.click(plan, "Bekräfta", user=world.erik, locale="en-US")
    assert "This belongs to someone else" in english.text
    assert [c.name for c in guild.channels] == ["general"]
    cancelled = await sb.click(plan, "Avbryt", user=world.admin)
    assert "Installationen avbröts" in cancelled.text and cancelled.buttons == []
    assert [c.name for c in guild.channels] == ["general"]


async def test_two_confirms_at_once_build_once(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    first = await sb.invoke("network setup", {}, user=world.admin, guild=guild)
    second = await sb.invoke("network setup", {}, user=world.admin, guild=guild)
    a, b = await asyncio.gather(
        sb.click(first, "Bekräfta", user=world.admin),
        sb.click(second, "Bekräfta", user=world.admin),
    )
    await sb.wait_for_followup(a)
    await sb.wait_for_followup(b)
    reports = sorted(x.followups[-1].embeds[0]["title"] for x in (a, b))
    assert reports == ["Klart – inget behövde göras", "Klart – servern är uppbyggd"]
    await assert_built_as_planned(world, guild, "sv", guild.name)


async def test_confirm_still_works_after_a_restart(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    plan = await sb.invoke("network setup", {}, user=world.admin, guild=guild)
    await world.restart()
    applying = await sb.click(plan, "Bekräfta", user=world.admin)
    await sb.wait_for_followup(applying)
    await assert_built_as_planned(world, guild, "sv", guild.name)


async def test_first_setup_posts_the_organisation_picker_in_the_welcome_channel(
    world: World,
) -> None:
    sb, guild = world.sandbox, world.guild
    await run_setup(sb, guild, world.admin)
    welcome = sb.find_channel(guild, "välkommen")
    message = await sb.wait_for_message(welcome, existing=True)
    assert "Välkommen till Integration Halland!" in message.content
    assert not message.pinged_everyone and not message.pinged_user_ids
    again = await sb.invoke("network setup", {}, user=world.admin, guild=guild)
    assert again.buttons == []
    assert len(sb.channel_messages(welcome)) == 1
