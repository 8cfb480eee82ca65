"""Personal data as members meet it: the notice, their data as a file, forget-me, leavers."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.db import Database
from bot.services import functions, organisations
from sandbox import Reply
from tests.e2e.conftest import World, result_of
from tests.e2e.test_directory import HALMSTAD, eventually, fill_in_profile


async def anna_with_everything(world: World) -> dict[str, Any]:
    """Anna's profile, a function she holds, and an admin change to her data in the log."""
    db, gid = world.bot.db, world.guild.id
    await organisations.add_municipalities(db, gid, [HALMSTAD])
    halmstad = (await organisations.list_organisations(db, gid))[0]
    await fill_in_profile(
        world,
        world.anna,
        fields={
            "profile:display_name": "Anna Zetterqvist",
            "profile:title": "Integrationssamordnare",
            "profile:email": "anna.zetterqvist@halmstad.se",
            "profile:phone": "035-13 70 00",
        },
        organisation=halmstad.id,
        expertise="TMO",
        languages="dari",
    )
    function = await functions.add(
        db, gid, halmstad.id, "Integrationssamordnare", now=world.clock.now()
    )
    await world.as_admin.invoke(
        "function assign",
        {"function": "Integrationssamordnare", "member": world.anna},
    )
    return {
        "user_id": world.anna.id,
        "function_id": function.id,
        "personal": [
            "Anna Zetterqvist",
            "anna zetterqvist",
            "anna.zetterqvist@halmstad.se",
            "035-13 70 00",
            "+4635137000",  # as the phone is stored (E.164)
        ],
    }


async def traces_of(db: Database, user_id: int, personal: list[str]) -> list[str]:
    """Every table and column of the database that still holds the person's id or data.

    Generic on purpose: tables later features add are scanned too.
    """
    found: list[str] = []
    tables = [
        r["name"]
        for r in await db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    needles = [n.casefold() for n in [*personal, str(user_id)]]
    for table in tables:
        columns = [r["name"] for r in await db.fetchall(f"PRAGMA table_info('{table}')")]
        for row in await db.fetchall(f'SELECT * FROM "{table}"'):
            for column, value in zip(columns, tuple(row), strict=True):
                if value == user_id:
                    found.append(f"{table}.{column} = {user_id}")
                elif isinstance(value, str | bytes):
                    text = value.decode("utf-8", "ignore") if isinstance(value, bytes) else value
                    hits = [n for n in needles if n in text.casefold()]
                    if hits:
                        found.append(f"{table}.{column} contains {hits}")
    return found


async def test_the_privacy_notice_in_both_languages(world: World) -> None:
    swedish = await world.as_anna.invoke("privacy notice", {})
    assert swedish.ephemeral
    for words in (
        "Personuppgiftsansvarig",
        "Ändamål",
        "allmänt intresse",
        "30 dagar",
        "Discord Inc. i USA",
        "IMY",
        "glöm-mig",
    ):
        assert words in swedish.text, words
    english = await world.as_erik.invoke("privacy notice", {}, locale="en-US")
    for words in (
        "Controller",
        "public interest",
        "30 days",
        "the USA",
        "IMY",
        "/privacy forget-me",
    ):
        assert words in english.text, words
    await world.bot.db.execute(
        "UPDATE networks SET privacy_notice = 'Vår egen text.', leaver_grace_days = 14"
        " WHERE guild_id = ?",
        (world.guild.id,),
    )
    custom = await world.as_erik.invoke("privacy notice", {}, locale="en-US")
    assert "Vår egen text." in custom.text


def _export(reply: Reply) -> dict[str, Any]:
    assert reply.ephemeral and len(reply.attachments) == 1
    attachment = reply.attachments[0]
    assert attachment.filename.endswith(".json")
    return json.loads(attachment.data)  # type: ignore[no-any-return]


async def test_mydata_contains_the_profile(world: World) -> None:
    facts = await anna_with_everything(world)
    reply = await world.as_anna.invoke("privacy mydata", {})
    assert "Här är allt som finns sparat om dig" in reply.text
    data = _export(reply)
    assert data["user_id"] == world.anna.id
    assert data["profile"]["display_name"] == "Anna Zetterqvist"
    assert data["profile"]["email"] == "anna.zetterqvist@halmstad.se"
    assert data["profile"]["expertise"] == ["TMO"] and data["profile"]["languages"] == ["prs"]
    assert [f["id"] for f in data["tables"]["functions"]] == [facts["function_id"]]
    assert data["tables"]["members"][0]["user_id"] == world.anna.id
    assert data["tables"]["audit_log"][0]["action"] == "function.assign"
    english = await world.as_erik.invoke("privacy mydata", {}, locale="en-US")
    assert "stores nothing about you" in english.text
    assert _export(english)["profile"] is None


async def test_forget_me_leaves_no_personal_data_in_any_table(world: World) -> None:
    facts = await anna_with_everything(world)
    db = world.bot.db
    assert await traces_of(db, facts["user_id"], facts["personal"])  # the scan does find things
    asked = await world.as_anna.invoke("privacy forget-me", {})
    assert "Vill du att nätverket glömmer dig?" in asked.text
    cancelled = await world.as_anna.click(asked, "Avbryt")
    assert "inget är raderat" in cancelled.text
    asked = await world.as_anna.invoke("privacy forget-me", {})
    done = await world.as_anna.click(asked, "Ja, glöm mig")
    assert "Dina personuppgifter i nätverket är raderade" in done.text

    assert await traces_of(db, facts["user_id"], facts["personal"]) == []
    # What stays: the function (now vacant) and the audit entry, without her.
    vacant = await functions.get(db, world.guild.id, facts["function_id"])
    assert vacant.vacant
    log = await world.as_admin.invoke("directory audit", {})
    assert "gav *tidigare medlem* funktionen Integrationssamordnare" in log.text
    gone = await world.as_erik.invoke("contact find", {"query": "zetterqvist"}, locale="en-US")
    assert "0 contacts" in gone.text


async def test_leavers_are_forgotten_after_the_grace_period(world: World) -> None:
    facts = await anna_with_everything(world)
    db = world.bot.db
    await world.sandbox.remove_member(world.guild, world.anna)

    async def left() -> bool:
        return (
            await db.fetchval("SELECT left_at FROM members WHERE user_id = ?", (world.anna.id,))
            is not None
        )

    await eventually(left)
    assert result_of(await world.advance(timedelta(days=29)), "leavers:purge") == []
    assert await db.fetchval("SELECT COUNT(*) FROM profiles") == 1  # still within the grace period
    purged = result_of(await world.advance(timedelta(days=2)), "leavers:purge")
    assert [(p.user_id, p.erasure.removed["profiles"]) for p in purged] == [(world.anna.id, 1)]
    assert await traces_of(db, facts["user_id"], facts["personal"]) == []


async def test_a_leaver_who_comes_back_in_time_keeps_their_data(world: World) -> None:
    await anna_with_everything(world)
    db = world.bot.db
    await world.sandbox.remove_member(world.guild, world.anna)

    async def left() -> bool:
        return (
            await db.fetchval("SELECT left_at FROM members WHERE user_id = ?", (world.anna.id,))
            is not None
        )

    await eventually(left)
    world.clock.advance(timedelta(days=20))
    await world.sandbox.add_member(world.guild, world.anna)

    async def back() -> bool:
        return (
            await db.fetchval("SELECT left_at FROM members WHERE user_id = ?", (world.anna.id,))
            is None
        )

    await eventually(back)
    assert result_of(await world.advance(timedelta(days=40)), "leavers:purge") == []
    card = await world.as_erik.invoke("contact card", {"member": world.anna}, locale="en-US")
    assert "Anna Zetterqvist" in card.text


async def test_the_grace_period_is_per_network(world: World) -> None:
    await anna_with_everything(world)
    db = world.bot.db
    await db.execute(
        "UPDATE networks SET leaver_grace_days = 7 WHERE guild_id = ?", (world.guild.id,)
    )
    await world.sandbox.remove_member(world.guild, world.anna)

    async def left() -> bool:
        return (
            await db.fetchval("SELECT left_at FROM members WHERE user_id = ?", (world.anna.id,))
            is not None
        )

    await eventually(left)
    purged = result_of(await world.advance(timedelta(days=8)), "leavers:purge")
    assert [p.user_id for p in purged] == [world.anna.id]
