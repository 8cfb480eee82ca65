"""The good-practice inventory end to end, in Swedish and English: add (modal, step, the
duplicate warning), find (each kind of query and filter), the forum mirror (tags, kept in step,
re-created after a hand deletion, a hand-made post registered), interest and adoption (the
contact's DM, the thread message), edit rights, removal, freshness, and another network never
visible."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.services import members, network
from bot.services.practices import model
from bot.shell.demo_practices import PRACTICES
from sandbox import Sandbox
from tests.e2e.conftest import World, result_of
from tests.e2e.test_network_setup import run_setup

SV = "sv-SE"
EN = "en-US"


async def setup_network(world: World) -> None:
    await run_setup(world.sandbox, world.guild, world.admin)


async def give_org(world: World, user: Any, name: str, code: str | None = None) -> None:
    db = world.bot.db
    org_id = await db.fetchval(
        "SELECT id FROM organisations WHERE guild_id = ? AND name = ?", (world.guild.id, name)
    )
    if org_id is None:
        org_id = await db.execute(
            "INSERT INTO organisations (guild_id, kind, name, municipality_code)"
            " VALUES (?, ?, ?, ?)",
            (world.guild.id, "municipality" if code else "other", name, code),
        )
    await members.set_organisation(db, world.guild.id, user.id, int(org_id), world.clock.now())


async def seed(world: World, count: int = 10, guild_id: int | None = None) -> list[model.Practice]:
    out = []
    for fields in PRACTICES[:count]:
        out.append(
            await model.create(
                world.bot.db, guild_id or world.guild.id, fields, user_id=world.admin.id,
                now=world.clock.now(),
            )
        )
    return out


def forum(world: World) -> Any:
    return next(c for c in world.guild.channels if c.type == 15)


def posts(world: World) -> list[Any]:
    f = forum(world)
    return [c for c in world.guild.channels_by_id.values() if c.parent_id == f.id]


async def add_practice(
    sb: Sandbox, world: World, user: Any, locale: str, values: dict[str, str],
    themes: list[str] = (), status: str | None = None,
) -> Any:
    sv = locale.startswith("sv")
    modal = await sb.invoke("practice add", {}, user=user, guild=world.guild, locale=locale)
    assert modal.kind == "modal"
    step = await sb.submit_modal(modal, values, user=user, locale=locale)
    assert step.ephemeral, step.text
    if themes:
        await sb.select(step, "Teman" if sv else "Themes", list(themes), user=user, locale=locale)
    if status:
        await sb.select(step, "Status", [status], user=user, locale=locale)
    return await sb.click(step, "Spara" if sv else "Save", user=user, locale=locale)


async def test_add_through_the_modal_and_step_posts_in_the_forum_with_tags(world: World) -> None:
    sb = world.sandbox
    await setup_network(world)
    saved = await add_practice(
        sb, world, world.anna, SV,
        {
            "practice:title": "Samhällsguider i Lysekil",
            "practice:summary": "Nyanlända guidar nyanlända i vardagen.",
            "practice:description": "Guiderna talar arabiska och dari.",
            "practice:municipalities": "Lysekil, Munkedal",
            "practice:organisations": "Lysekils kommun",
        },
        themes=["civic", "language"],
    )
    assert "Sparat" in saved.text, saved.text
    [post] = posts(world)
    assert post.name == "Samhällsguider i Lysekil"
    settings = await network.get(world.bot.db, world.guild.id)
    assert set(post.applied_tags) == {
        settings.forum_tags[("practices", "civic")], settings.forum_tags[("practices", "language")]
    }
    starter = sb.channel_messages(post)[0]
    assert "Nyanlända guidar nyanlända" in starter.content and "Lysekil" in starter.content
    assert len(starter.content) <= 2000
    labels = [c.get("label") for row in starter.components for c in row.get("components", [])]
    assert "Vi är intresserade" in labels and "Vi har infört detta" in labels
    [stored] = (await world.bot.db.fetchall("SELECT themes, municipalities FROM practices"))
    assert stored["themes"] == '["civic", "language"]'
    assert stored["municipalities"] == '["1484", "1430"]'
