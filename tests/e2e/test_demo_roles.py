"""The demo network as `make try` seeds it: everyone who has an organisation is a member, with
the member role the bot gives when an organisation is picked (issue 9, item 6)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.services import members, network
from bot.shell import demo
from bot.shell.running import running_bot
from sandbox import Sandbox


async def test_demo_members_with_an_organisation_have_the_member_role(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    world = await demo.build_world(sandbox)
    async with running_bot(sandbox, tmp_path / "demo.db") as bot:
        await demo.seed(bot, sandbox, world)
        settings = await network.get(bot.db, world.guild.id)
        assert settings.member_role_id is not None
        with_org = [
            user
            for user in world.users.values()
            if (m := await members.get_member(bot.db, world.guild.id, int(user.id))) is not None
            and m.organisation_id is not None
        ]
        assert len(with_org) >= 3
        for _ in range(100):
            lacking = [
                u.username
                for u in with_org
                if settings.member_role_id not in world.guild.members_by_id[u.id].roles
            ]
            if not lacking:
                break
            await asyncio.sleep(0.02)
        assert lacking == []
