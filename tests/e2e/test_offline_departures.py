"""People who leave or come back while the bot is offline are noticed when it starts again."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.services import members
from bot.services.network import timestamp
from tests.e2e.conftest import World, result_of


async def recorded(world: World, user_id: int) -> members.Member | None:
    return await members.get_member(world.bot.db, world.guild.id, user_id)


async def until_left_is(world: World, user_id: int, expected: str | None) -> None:
    for _ in range(200):
        member = await recorded(world, user_id)
        if member is not None and member.left_at == expected:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"left_at never became {expected!r}: {await recorded(world, user_id)}")


async def test_someone_who_left_while_the_bot_was_down_is_purged_after_the_grace_period(
    world: World,
) -> None:
    db, gid = world.bot.db, world.guild.id
    await members.mark_joined(db, gid, world.anna.id, world.clock.now())
    await members.mark_joined(db, gid, world.erik.id, world.clock.now())
    await world.stop()
    await world.sandbox.remove_member(world.guild, world.anna)  # nobody is listening
    world.clock.advance(timedelta(hours=5))
    await world.start()
    # The grace period starts when the bot notices, not never.
    await until_left_is(world, world.anna.id, timestamp(world.clock.now()))
    assert (await recorded(world, world.erik.id)).present  # type: ignore[union-attr]
    assert result_of(await world.advance(timedelta(days=29)), "leavers:purge") == []
    purged = result_of(await world.advance(timedelta(days=2)), "leavers:purge")
    assert [p.user_id for p in purged] == [world.anna.id]
    assert await recorded(world, world.anna.id) is None
    assert await recorded(world, world.erik.id) is not None


async def test_someone_who_came_back_while_the_bot_was_down_is_kept(world: World) -> None:
    db, gid = world.bot.db, world.guild.id
    await members.mark_joined(db, gid, world.anna.id, world.clock.now())
    await world.sandbox.remove_member(world.guild, world.anna)
    await until_left_is(world, world.anna.id, timestamp(world.clock.now()))
    await world.stop()
    await world.sandbox.add_member(world.guild, world.anna)  # back, unseen
    world.clock.advance(timedelta(days=3))
    await world.start()
    await until_left_is(world, world.anna.id, None)
    assert result_of(await world.advance(timedelta(days=60)), "leavers:purge") == []
    assert await recorded(world, world.anna.id) is not None


async def test_the_comparison_needs_the_whole_member_list(world: World) -> None:
    db, gid = world.bot.db, world.guild.id
    for user in (world.anna, world.erik):
        await members.mark_joined(db, gid, user.id, world.clock.now())
    await members.mark_left(db, gid, world.erik.id, world.clock.now())
    differences = await members.compare_with_server(db, gid, [world.erik.id])
    assert differences.departed == [world.anna.id]
    assert differences.returned == [world.erik.id]
    assert await members.compare_with_server(db, gid, [world.anna.id]) == members.Differences(
        [], []
    )
