"""The driver bound to a user: ``sb.as_user(anna, guild=g, locale=...)``."""

from __future__ import annotations

import pytest

from sandbox import Sandbox

from .conftest import World
from .testbot import running


async def test_a_bound_user_acts_with_her_server_and_language(sb: Sandbox, world: World) -> None:
    anna = sb.as_user(world.anna_member, guild=world.guild, locale="sv-SE")
    bertil = sb.as_user(world.bertil, guild=world.guild)
    assert anna.user is world.anna and anna.member is world.anna_member
    async with running(sb):
        added = await anna.invoke("network municipalities add", {"name": "Lysekil"})
        assert added.content == "Kommunen Lysekil har lagts till"
        assert added.message is not None and added.message.guild_id == world.guild.id
        # A call's own locale wins over the bound one.
        english = await anna.invoke(
            "network municipalities add", {"name": "Lysekil"}, locale="en-US"
        )
        assert english.content == "Municipality Lysekil added"

        choices = await anna.autocomplete("contact find", {}, focused="municipality")
        assert choices
        panel = await bertil.invoke("panel")
        refreshed = await bertil.click(panel, "Refresh")
        assert refreshed.content == "Refreshed"
        chosen = await bertil.select(panel, "panel:who", [world.anna])
        assert chosen.content == "Chosen: Anna Andersson"
        opened = await bertil.click(panel, "Register")
        thanks = await bertil.submit_modal(opened, {"name": "Bertil", "email": "b@example.org"})
        assert thanks.content == "Thanks Bertil <b@example.org>"
        card = await anna.invoke_user_command("Contact card", target=world.bertil)
        assert card.content == "Card for Bertil Berg"

        # Bound to DMs: the same user without a server.
        in_dm = anna.in_guild(None)
        sent = await in_dm.invoke("dmme")
        assert sent.content == "Sent"
        dm = await in_dm.wait_for_dm(lambda m: m.content == "Hej i DM", existing=True)
        assert dm in anna.dm_messages()


def test_binding_a_user_to_a_server_she_is_not_in_is_refused(sb: Sandbox, world: World) -> None:
    stranger = sb.create_user("stranger")
    with pytest.raises(ValueError, match="not a member"):
        sb.as_user(stranger, guild=world.guild)
    assert "in DMs" in repr(sb.as_user(stranger))
