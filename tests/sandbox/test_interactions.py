"""Slash commands, components, modals, autocomplete and context menus through the sandbox."""

from __future__ import annotations

import asyncio
import io

import aiohttp
import discord
import pytest

from sandbox import CommandNotFound, InteractionFailed, MessageFlag, Sandbox, Upload

from .conftest import World
from .testbot import running


async def test_login_ready_and_guild_create(sb: Sandbox, world: World) -> None:
    async with running(sb, sync=False) as bot:
        assert bot.user is not None and bot.user.id == sb.bot_user.id
        assert bot.application_id == sb.application_id
        assert bot.application_flags.gateway_guild_members_limited
        guild = bot.get_guild(world.guild.id)
        assert guild is not None
        assert guild.preferred_locale is discord.Locale.swedish
        assert guild.owner_id == world.anna.id
        assert {m.id for m in guild.members} == {world.anna.id, world.bertil.id, sb.bot_user.id}
        assert [c.name for c in guild.text_channels] == ["general"]
        assert guild.me.guild_permissions.manage_channels
        assert not guild.me.guild_permissions.administrator


async def test_requests_without_the_token_are_unauthorized(sb: Sandbox) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(sb.api_base + "/users/@me") as resp:
            assert resp.status == 401
            assert resp.headers["Content-Type"] == "application/json"
            assert await resp.json() == {"message": "401: Unauthorized", "code": 0}
        headers = {"Authorization": f"Bot {sb.token}"}
        async with http.get(sb.api_base + "/users/@me", headers=headers) as resp:
            assert resp.status == 200
            assert (await resp.json())["id"] == str(sb.bot_user.id)
    assert sb.errors[0].status == 401


async def test_disallowed_privileged_intent_closes_4014(
    sb: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    sb.world.privileged_intents = frozenset()
    sb.create_guild("Tom")
    from .testbot import ProbeBot

    bot = ProbeBot()
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with asyncio.timeout(10):
            await bot.start(sb.token)
    await bot.close()


async def test_global_and_guild_sync_and_invalid_command(sb: Sandbox, world: World) -> None:
    async with running(sb) as bot:
        names = {c["name"] for c in sb.commands()}
        assert {"about", "network", "contact", "Contact card"} <= names
        guild_obj = discord.Object(world.guild.id)

        @discord.app_commands.command(name="lokal", description="Guild only")
        async def lokal(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("lokal")

        bot.tree.add_command(lokal, guild=guild_obj)
        synced = await bot.tree.sync(guild=guild_obj)
        assert [c.name for c in synced] == ["lokal"]
        assert [c["name"] for c in sb.commands(world.guild)] == ["lokal"]
        r = await world.as_bertil.invoke("lokal")
        assert r.content == "lokal"
        # Ids are stable across re-syncs of the same command.
        before = {c["name"]: c["id"] for c in sb.commands()}
        await bot.tree.sync()
        assert {c["name"]: c["id"] for c in sb.commands()} == before

        assert bot.application_id is not None
        bad = [
            {"name": "Bad Name", "description": "x", "type": 1},
            {"name": "ok", "description": "d" * 101, "type": 1},
            {"name": "loc", "description": "x", "name_localizations": {"sv": "nej"}},
            {"name": "ctx", "description": "no", "type": 2},
        ]
        with pytest.raises(discord.HTTPException) as info:
            await bot.http.bulk_upsert_global_commands(bot.application_id, payload=bad)  # type: ignore[arg-type]
        assert info.value.status == 400 and info.value.code == 50035
        errors = sb.errors[-1].body["errors"]
        assert errors["0"]["name"]["_errors"][0]["code"] == "APPLICATION_COMMAND_INVALID_NAME"
        assert errors["1"]["description"]["_errors"][0]["code"] == "BASE_TYPE_BAD_LENGTH"
        assert "sv" in errors["2"]["name_localizations"]
        assert "description" in errors["3"]
        # The failed sync left the synced commands alone.
        assert {c["name"] for c in sb.commands()} == names

        too_many = [{"name": f"c{i}", "description": "x"} for i in range(101)]
        with pytest.raises(discord.HTTPException):
            await bot.http.bulk_upsert_global_commands(bot.application_id, payload=too_many)  # type: ignore[arg-type]

        with pytest.raises(CommandNotFound):
            await world.as_anna.invoke("nonexistent")


async def test_subcommand_group_in_swedish(sb: Sandbox, world: World) -> None:
    async with running(sb):
        r = await world.as_anna.invoke(
            "network municipalities add",
            {"name": "Lysekil"},
            locale="sv-SE",
        )
        assert r.kind == "message" and not r.ephemeral
        assert r.content == "Kommunen Lysekil har lagts till"
        assert r.message is not None and r.message.type == 20
        assert r.message in sb.channel_messages(sb.find_channel(world.guild, "general"))
        r = await world.as_bertil.invoke("network municipalities add", {"name": "Lysekil"})
        assert r.content == "Municipality Lysekil added"
        r = await world.as_anna.invoke("network info", {"verbose": True})
        assert r.content == "verbose=True"
        with pytest.raises(ValueError):
            await world.as_anna.invoke("network municipalities add", {})
        with pytest.raises(ValueError):
            await world.as_anna.invoke("network", {})


async def test_deferred_command_with_followups(sb: Sandbox, world: World) -> None:
    async with running(sb):
        r = await world.as_anna.invoke("slow")
        assert r.kind == "message"
        assert r.content == "Klart!"
        assert r.message is not None
        assert not r.message.flags & MessageFlag.LOADING
        second = await sb.wait_for_followup(r)
        assert second.content == "Second message"
        contents = [m.content for m in sb.channel_messages(sb.find_channel(world.guild, "general"))]
        assert contents == ["Klart!", "Second message"]


async def test_buttons_selects_and_modal(sb: Sandbox, world: World) -> None:
    async with running(sb):
        r = await world.as_anna.invoke("panel")
        assert [b.label for b in r.buttons] == ["Refresh", "Register", "Later"]
        assert [s.custom_id for s in r.selects] == ["panel:pick", "panel:who"]

        r2 = await world.as_anna.click(r, "Refresh")
        assert r2.kind == "update" and r2.content == "Refreshed"
        assert r.message is r2.message

        r3 = await world.as_bertil.select(r2, "panel:pick", ["lysekil", "Stockholm"])
        assert r3.kind == "update" and r3.content == "Picked lysekil, stockholm"
        with pytest.raises(ValueError):
            await world.as_anna.select(r3, "panel:pick", ["a", "b", "c"])

        r4 = await world.as_anna.select(r3, "panel:who", [world.bertil_member])
        assert r4.kind == "message" and r4.ephemeral
        assert r4.content == "Chosen: Bertil Berg"
        assert r4.message not in sb.channel_messages(sb.find_channel(world.guild, "general"))

        modal = await world.as_anna.click(r3, "Register")
        assert modal.kind == "modal" and modal.modal is not None
        assert modal.modal.title == "Registrera"
        assert [(f.custom_id, f.label) for f in modal.modal.fields] == [
            ("name", "Name"),
            ("email", "Email"),
        ]
        assert modal.modal.field("Email").placeholder == "you@example.org"
        with pytest.raises(ValueError):
            await world.as_anna.submit_modal(modal, {"name": "Anna"})
        done = await world.as_anna.submit_modal(
            modal, {"Name": "Anna", "email": "anna@example.org"}
        )
        assert done.kind == "message" and done.ephemeral
        assert done.content == "Thanks Anna <anna@example.org>"

        # Deferred update, then an edit of the original (the panel message).
        later = await world.as_anna.click(r, "Later")
        assert later.kind == "update" and later.content == "Updated later"
        assert later.components == []


async def test_modal_from_command_and_invalid_modal_answer(sb: Sandbox, world: World) -> None:
    async with running(sb):
        modal = await world.as_anna.invoke("modalcmd")
        assert modal.kind == "modal"
        done = await world.as_anna.submit_modal(modal, {"name": "B", "email": "b@x"})
        assert done.content == "Thanks B <b@x>"


async def test_autocomplete(sb: Sandbox, world: World) -> None:
    async with running(sb):
        choices = await world.as_anna.autocomplete(
            "contact find",
            {"municipality": "S"},
            focused="municipality",
            locale="sv-SE",
        )
        assert [c.name for c in choices] == ["Sotenäs", "Södertälje", "Stockholm", "Strömstad"]
        choices = await world.as_anna.autocomplete(
            "contact find",
            {"municipality": "Sö"},
            focused="municipality",
        )
        assert [c.value for c in choices] == ["Södertälje"]
        r = await world.as_anna.invoke(
            "contact find",
            {"municipality": "Lysekil", "limit": 3},
        )
        assert r.content == "Contacts in Lysekil (max 3)"


async def test_user_context_menu(sb: Sandbox, world: World) -> None:
    async with running(sb):
        r = await world.as_anna.invoke_user_command("Contact card", target=world.bertil_member)
        assert r.ephemeral and r.content == "Card for Bertil Berg"
        assert r.message is not None and r.message.type == 23


async def test_attachments_in_responses_and_options(sb: Sandbox, world: World) -> None:
    async with running(sb) as bot:
        r = await world.as_anna.invoke("upload")
        assert r.content == "Here you go"
        assert [(a.filename, a.data) for a in r.attachments] == [("hello.txt", b"hello file")]

        r = await world.as_anna.invoke(
            "echofile",
            {"file": Upload("note.txt", b"from anna", "text/plain")},
        )
        assert r.content == "Got note.txt: from anna"

        channel = bot.get_channel(sb.find_channel(world.guild, "general").id)
        assert isinstance(channel, discord.TextChannel)
        sent = await channel.send("report", file=discord.File(io.BytesIO(b"a,b\n1,2\n"), "r.csv"))
        stored = sb.channel_messages(sb.find_channel(world.guild, "general"))[-1]
        assert stored.id == sent.id
        assert stored.attachments[0].filename == "r.csv"
        assert stored.attachments[0].data == b"a,b\n1,2\n"
        assert await sent.attachments[0].read() == b"a,b\n1,2\n"


async def test_dm(sb: Sandbox, world: World) -> None:
    async with running(sb):
        r = await world.as_bertil.invoke("dmme")
        assert r.ephemeral and r.content == "Sent"
        assert [m.content for m in sb.dm_messages(world.bertil)] == ["Hej i DM"]
        # A global command in the bot's DM.
        r = await sb.invoke("about", user=world.bertil, guild=None)
        assert r.message is not None
        assert r.message.channel_id == sb.dm_channel(world.bertil).id


async def test_three_second_rule_and_double_ack(sb: Sandbox, world: World) -> None:
    async with running(sb) as bot:
        with pytest.raises(InteractionFailed):
            await world.as_anna.invoke("sleepy")
        late = await bot.wait_seen("late")
        assert isinstance(late, discord.NotFound) and late.code == 10062
        assert any(e.body.get("code") == 10062 for e in sb.errors)

        r = await world.as_anna.invoke("about")
        rec = sb.world.interactions[r.interaction_id]
        url = f"{sb.api_base}/interactions/{rec.id}/{rec.token}/callback"
        async with (
            aiohttp.ClientSession() as http,
            http.post(url, json={"type": 4, "data": {"content": "again"}}) as resp,
        ):
            assert resp.status == 400
            assert (await resp.json())["code"] == 40060


async def test_user_text_never_pings(sb: Sandbox, world: World) -> None:
    async with running(sb):
        text = f"hej <@{world.bertil.id}> @everyone"
        r = await world.as_anna.invoke("say", {"text": text})
        assert r.message is not None
        assert r.content == text
        assert r.message.pinged_user_ids == set()
        assert not r.message.pinged_everyone


async def test_persistent_button_survives_restart(sb: Sandbox, world: World) -> None:
    from .testbot import ProbeBot

    async with running(sb, ProbeBot(generation=1)):
        await world.as_anna.invoke("persist")
        posted = sb.channel_messages(sb.find_channel(world.guild, "general"))[-1]
        assert posted.content == "Persistent"
        r = await world.as_anna.click(posted, "Ping")
        assert r.content == "pong from generation 1"
    assert not sb.connected
    async with running(sb, ProbeBot(generation=2)):
        r = await world.as_bertil.click(posted, "persist:ping")
        assert r.content == "pong from generation 2"


async def test_interaction_token_expires_after_15_minutes(sb: Sandbox, world: World) -> None:
    async with running(sb) as bot:
        r = await world.as_anna.invoke("about")
        rec = sb.world.interactions[r.interaction_id]
        rec.created -= 15 * 60 + 1
        webhook = discord.Webhook.partial(sb.application_id, rec.token, client=bot)
        with pytest.raises(discord.HTTPException) as info:
            await webhook.send("late followup", wait=True)
        assert info.value.status == 401 and info.value.code == 50027


async def test_callback_type_must_fit_the_interaction(sb: Sandbox, world: World) -> None:
    async with running(sb) as bot:
        statuses: list[int] = []

        @bot.tree.command(name="wrong", description="Answers with an autocomplete result")
        async def wrong(interaction: discord.Interaction) -> None:
            # discord.py refuses this client-side, so post the raw callback.
            url = f"{sb.api_base}/interactions/{interaction.id}/{interaction.token}/callback"
            body = {"type": 8, "data": {"choices": []}}
            async with aiohttp.ClientSession() as http, http.post(url, json=body) as resp:
                statuses.append(resp.status)

        await bot.tree.sync()
        with pytest.raises(InteractionFailed):
            await world.as_anna.invoke("wrong")
        assert statuses == [400]
        assert sb.errors[-1].status == 400
        assert "type" in sb.errors[-1].body["errors"]
