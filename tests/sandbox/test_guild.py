"""Guild structure, permissions, events and message limits through the sandbox."""

from __future__ import annotations

import datetime as dt

import discord
import pytest

from sandbox import ChannelType, Overwrite, Perm, Sandbox

from .conftest import World
from .testbot import ProbeBot, running


def _guild(bot: ProbeBot, world: World) -> discord.Guild:
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    return guild


async def test_channels_roles_forum_and_threads(sb: Sandbox, world: World) -> None:
    async with running(sb, sync=False) as bot:
        guild = _guild(bot, world)
        category = await guild.create_category("Nätverk")
        news = await guild.create_text_channel("nyheter", category=category, topic="Nytt")
        assert sb.find_channel(world.guild, "nyheter").parent_id == category.id
        created = await bot.wait_seen("channel_create")
        assert created.name == "Nätverk"

        role = await guild.create_role(name="Nätverksadmin", mentionable=True)
        assert sb.find_role(world.guild, "Nätverksadmin").position == 1
        bot_role = sb.find_role(world.guild, sb.bot_user.username)
        assert bot_role.position == 2
        member = guild.get_member(world.bertil.id)
        assert member is not None
        await member.add_roles(role)
        assert role.id in world.guild.members_by_id[world.bertil.id].roles

        await news.set_permissions(role, send_messages=True, view_channel=True)
        stored = sb.find_channel(world.guild, "nyheter")
        assert stored.overwrites[role.id].allow == Perm.SEND_MESSAGES | Perm.VIEW_CHANNEL

        forum = await guild.create_forum(
            "forum",
            topic="x" * 4096,
            available_tags=[discord.ForumTag(name="Fråga"), discord.ForumTag(name="Tips")],
        )
        assert [t.name for t in forum.available_tags] == ["Fråga", "Tips"]
        tag = forum.available_tags[0]
        post = await forum.create_thread(
            name="Hur gör man?", content="Första inlägget", applied_tags=[tag]
        )
        thread = post.thread
        assert thread.applied_tags == [tag]
        stored_thread = sb.find_channel(world.guild, "Hur gör man?")
        assert stored_thread.type == ChannelType.PUBLIC_THREAD
        starter = sb.channel_messages(stored_thread)[0]
        assert starter.id == stored_thread.id and starter.content == "Första inlägget"
        await bot.wait_seen("thread_create")

        await thread.edit(name="Löst: hur gör man?", archived=True)
        assert stored_thread.archived and stored_thread.name == "Löst: hur gör man?"
        # Posting in an archived (unlocked) thread unarchives it.
        await thread.send("Uppföljning")
        assert not stored_thread.archived

        with pytest.raises(discord.HTTPException) as info:
            await forum.create_thread(
                name="För många",
                content="x",
                applied_tags=[discord.Object(123)],  # type: ignore[list-item]
            )
        assert info.value.code == 50035

        msg = await news.send("Trådstart")
        t2 = await msg.create_thread(name="Diskussion")
        assert t2.id == msg.id
        await t2.send("svar")
        assert [
            m.content for m in sb.channel_messages(sb.find_channel(world.guild, "Diskussion"))
        ] == ["svar"]

        with pytest.raises(discord.HTTPException) as info:
            await guild.create_text_channel("x" * 101)
        assert info.value.code == 50035
        with pytest.raises(discord.HTTPException):
            await news.edit(topic="y" * 1025)


async def test_missing_permissions_are_403(sb: Sandbox) -> None:
    owner = sb.create_user("owner")
    weak = sb.create_guild(
        "Svag",
        owner=owner,
        bot_permissions=Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES,
    )
    admin = sb.create_role(weak, "Admin", permissions=Perm.ADMINISTRATOR)
    async with running(sb, sync=False) as bot:
        guild = bot.get_guild(weak.id)
        assert guild is not None
        with pytest.raises(discord.Forbidden) as info:
            await guild.create_text_channel("nope")
        assert info.value.code == 50013
        assert sb.errors[-1].status == 403
        assert sb.errors[-1].body == {"code": 50013, "message": "Missing Permissions"}
        with pytest.raises(discord.Forbidden):
            await guild.create_role(name="nope")

        # Channel overwrites deny the bot sending in one channel.
        general = sb.find_channel(weak, "general")
        hidden = sb.create_channel(
            weak, "hemlig", overwrites=[Overwrite(id=weak.id, type=0, deny=Perm.SEND_MESSAGES)]
        )
        await bot.wait_seen("channel_create")
        channel = bot.get_channel(hidden.id)
        assert isinstance(channel, discord.TextChannel)
        with pytest.raises(discord.Forbidden):
            await channel.send("hej")
        ok = bot.get_channel(general.id)
        assert isinstance(ok, discord.TextChannel)
        await ok.send("hej")

    # Role hierarchy: a role above the bot's cannot be assigned even with Manage Roles.
    strong = sb.create_guild("Stark", owner=owner)
    high = sb.create_role(strong, "Hög")
    high.position = 5
    async with running(sb, sync=False) as bot:
        guild = bot.get_guild(strong.id)
        assert guild is not None
        member = guild.get_member(owner.id)
        assert member is not None
        role = guild.get_role(high.id)
        assert role is not None
        with pytest.raises(discord.Forbidden):
            await role.edit(name="Högre")
    _ = admin


async def test_scheduled_event(sb: Sandbox, world: World) -> None:
    async with running(sb, sync=False) as bot:
        guild = _guild(bot, world)
        start = discord.utils.utcnow() + dt.timedelta(days=3)
        event = await guild.create_scheduled_event(
            name="Nätverksträff",
            start_time=start,
            end_time=start + dt.timedelta(hours=2),
            entity_type=discord.EntityType.external,
            location="Halmstad stadsbibliotek",
            privacy_level=discord.PrivacyLevel.guild_only,
            description="Fika och erfarenhetsutbyte",
        )
        assert event.location == "Halmstad stadsbibliotek"
        seen = await bot.wait_seen("event_create")
        assert seen.id == event.id
        assert [e.name for e in world.guild.scheduled_events] == ["Nätverksträff"]

        with pytest.raises(discord.HTTPException) as info:
            await guild.create_scheduled_event(
                name="Förr",
                start_time=discord.utils.utcnow() - dt.timedelta(days=1),
                end_time=discord.utils.utcnow(),
                entity_type=discord.EntityType.external,
                location="Där",
                privacy_level=discord.PrivacyLevel.guild_only,
            )
        assert info.value.code == 50035
        await event.edit(name="Nätverksträff (flyttad)")
        assert world.guild.scheduled_events[0].name == "Nätverksträff (flyttad)"
        await event.delete()
        assert world.guild.scheduled_events == []


async def test_member_join_and_leave_reach_the_bot(sb: Sandbox, world: World) -> None:
    async with running(sb, sync=False) as bot:
        cecilia = sb.create_user("cecilia", global_name="Cecilia")
        await sb.add_member(world.guild, cecilia)
        joined = await bot.wait_seen("join")
        assert joined.id == cecilia.id and joined.guild.id == world.guild.id
        await sb.remove_member(world.guild, cecilia)
        left = await bot.wait_seen("remove")
        assert left.id == cecilia.id


async def test_enforce_nonce_deduplicates(sb: Sandbox, world: World) -> None:
    async with running(sb, sync=False) as bot:
        channel = bot.get_channel(sb.find_channel(world.guild, "general").id)
        assert isinstance(channel, discord.TextChannel)
        first = await channel.send("once", nonce="abc123")
        second = await channel.send("once", nonce="abc123")
        assert first.id == second.id
        assert len(sb.channel_messages(sb.find_channel(world.guild, "general"))) == 1
        third = await channel.send("other", nonce="zzz")
        assert third.id != first.id


async def test_limits_reject_with_50035(sb: Sandbox, world: World) -> None:
    async with running(sb, sync=False) as bot:
        channel = bot.get_channel(sb.find_channel(world.guild, "general").id)
        assert isinstance(channel, discord.TextChannel)
        with pytest.raises(discord.HTTPException) as info:
            await channel.send("x" * 2001)
        assert info.value.status == 400 and info.value.code == 50035
        err = sb.errors[-1]
        assert err.status == 400 and err.method == "POST"
        assert err.body["errors"]["content"]["_errors"][0] == {
            "code": "BASE_TYPE_MAX_LENGTH",
            "message": "Must be 2000 or fewer in length.",
        }
        embed = discord.Embed(title="t" * 257)
        with pytest.raises(discord.HTTPException):
            await channel.send(embed=embed)
        assert "title" in sb.errors[-1].body["errors"]["embeds"]["0"]
        big = [discord.Embed(description="d" * 4000) for _ in range(2)]
        with pytest.raises(discord.HTTPException):
            await channel.send(embeds=big)
        assert sb.errors[-1].body["errors"]["embeds"]["_errors"][0]["code"] == (
            "MAX_EMBED_SIZE_EXCEEDED"
        )
        with pytest.raises(discord.HTTPException) as info:
            await channel.send("   ")
        assert info.value.code == 50006
        view = discord.ui.View()
        for i in range(6):
            view.add_item(discord.ui.Button(label="b" * 81, custom_id=f"c{i}", row=i % 5))
        with pytest.raises(discord.HTTPException):
            await channel.send("knappar", view=view)
        assert "components" in sb.errors[-1].body["errors"]
        assert sb.channel_messages(sb.find_channel(world.guild, "general")) == []


async def test_channel_pings_follow_allowed_mentions(sb: Sandbox, world: World) -> None:
    async with running(sb, sync=False) as bot:
        channel = bot.get_channel(sb.find_channel(world.guild, "general").id)
        assert isinstance(channel, discord.TextChannel)
        text = f"<@{world.bertil.id}> @everyone"
        await channel.send(text)
        pinged = sb.channel_messages(sb.find_channel(world.guild, "general"))[-1]
        assert pinged.pinged_user_ids == {world.bertil.id}
        # The bot lacks Mention Everyone, so @everyone never notifies.
        assert not pinged.pinged_everyone
        await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
        quiet = sb.channel_messages(sb.find_channel(world.guild, "general"))[-1]
        assert quiet.pinged_user_ids == set() and not quiet.pinged_everyone


async def test_user_messages_and_history(sb: Sandbox, world: World) -> None:
    async with running(sb, sync=False) as bot:
        general = sb.find_channel(world.guild, "general")
        await sb.send_message(general, world.anna, "Hej alla")
        msg = await bot.wait_seen("message")
        assert msg.author.id == world.anna.id
        # No MESSAGE_CONTENT intent: content is withheld from the bot.
        assert msg.content == ""
        channel = bot.get_channel(general.id)
        assert isinstance(channel, discord.TextChannel)
        reply = await channel.send("Välkommen")
        history = [m async for m in channel.history(limit=10)]
        assert [m.id for m in history] == [reply.id, sb.channel_messages(general)[0].id]
        await reply.edit(content="Välkommen!")
        assert sb.channel_messages(general)[-1].content == "Välkommen!"
        await reply.delete()
        assert len(sb.channel_messages(general)) == 1


async def test_guild_created_while_connected_and_member_chunks(sb: Sandbox, world: World) -> None:
    async with running(sb, sync=False) as bot:
        owner = sb.create_user("ny_ägare")
        fresh = sb.create_guild("Nätverk Skåne", owner=owner)
        joined = await bot.wait_seen("guild_join")
        assert joined.id == fresh.id and joined.name == "Nätverk Skåne"
        guild = _guild(bot, world)
        found = await guild.query_members(user_ids=[world.bertil.id])
        assert [m.id for m in found] == [world.bertil.id]
        members = [m async for m in guild.fetch_members(limit=10)]
        assert {m.id for m in members} == {world.anna.id, world.bertil.id, sb.bot_user.id}


async def test_member_list_needs_the_members_intent(sb: Sandbox, world: World) -> None:
    sb.world.privileged_intents = frozenset()
    bot = ProbeBot(members=False)
    async with running(sb, bot, sync=False):
        guild = _guild(bot, world)
        with pytest.raises(discord.Forbidden):
            await bot.http.get_members(guild.id, limit=10, after=None)
        assert not bot.application_flags.gateway_guild_members_limited
