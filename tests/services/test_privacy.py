"""Export, erasure through the registry, purge of leavers, freshness reminders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.db import Database
from bot.features import declared
from bot.services import directory, freshness, functions, members, privacy, profiles
from bot.services.privacy import AuthoredData, DataMap, PersonalData
from tests.services.test_directory import GUILD, NOW, OTHER_GUILD, add_org, make_network, person


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        await make_network(database)
        await make_network(database, OTHER_GUILD, "Fyrbodal")
        yield database


# What the bot's features declare, collected as the bot collects it.
DATA = declared().privacy


@pytest.fixture
def later_feature() -> DataMap:
    """Tables a later feature adds, declared the way such a feature would."""
    later = DataMap(
        personal=(PersonalData("reminders_optin", "user_id"),),
        authored=(AuthoredData("posts", "author_id", scrub_columns=("author_name",)),),
    )
    return DataMap.merge([DATA, later])


async def test_forgetting_uses_the_registry_and_keeps_what_others_need(
    db: Database, later_feature: DataMap
) -> None:
    await db.execute(
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, guild_id INTEGER, author_id INTEGER,"
        " author_name TEXT, body TEXT)"
    )
    await db.execute("CREATE TABLE reminders_optin (guild_id INTEGER, user_id INTEGER)")
    org = await add_org(db, "Lysekil", code="1484")
    await person(db, 1, "Anna", org=org, expertise="TMO", languages="svenska")
    await person(db, 1, "Anna elsewhere", guild_id=OTHER_GUILD)
    fn = await functions.add(db, GUILD, org, "Samordnare", now=NOW)
    await functions.assign(db, GUILD, fn.id, 1, actor_id=9, now=NOW)
    await db.execute(
        "INSERT INTO posts (guild_id, author_id, author_name, body) VALUES (?, 1, 'Anna', 'Tips!')",
        (GUILD,),
    )
    await db.execute("INSERT INTO reminders_optin VALUES (?, 1)", (GUILD,))

    exported = await privacy.export(db, later_feature, GUILD, 1, now=NOW)
    assert exported["profile"]["display_name"] == "Anna"
    assert set(exported["tables"]) == {
        "members",
        "profiles",
        "posts",
        "reminders_optin",
        "functions",
        "audit_log",
    }
    assert "Anna elsewhere" not in privacy.export_json(exported)

    erasure = await privacy.erase(db, later_feature, GUILD, 1, now=NOW)
    assert erasure.removed == {
        "profiles": 1,
        "reminders_optin": 1,
        "members": 1,
        "meeting_rsvps": 0,
        "meeting_reminder_dms": 0,
        "meeting_drafts": 0,
    }
    assert erasure.anonymised["posts.author_id"] == 1
    assert erasure.hooks == {"functions.vacate": 1, "meetings.organiser": 0}
    post = await db.fetchone("SELECT * FROM posts")
    assert post is not None and (post["author_id"], post["author_name"], post["body"]) == (
        None,
        None,
        "Tips!",
    )
    assert await db.fetchval("SELECT COUNT(*) FROM profile_expertise") == 0
    assert await db.fetchval("SELECT COUNT(*) FROM directory_index") == 1  # other network
    assert [
        p.display_name for p in (await directory.search(db, OTHER_GUILD, query="anna")).hits
    ] == ["Anna elsewhere"]
    assert (await functions.get(db, GUILD, fn.id)).vacant
    entry = await db.fetchone("SELECT * FROM audit_log")
    assert entry is not None and entry["subject_user_id"] is None and entry["actor_user_id"] == 9
    assert await profiles.get(db, OTHER_GUILD, 1) is not None  # the other network is untouched


async def test_the_organisation_is_exported_once_from_the_membership_and_forgotten(
    db: Database,
) -> None:
    halmstad = await add_org(db, "Halmstad", code="1380")
    region = await add_org(db, "Region Halland", kind="region")
    await members.set_organisation(db, GUILD, 1, halmstad, NOW)  # picked at onboarding
    await person(db, 1, "Anna", expertise="TMO")
    await profiles.set_organisation(db, GUILD, 1, region, now=NOW)  # changed in the profile

    exported = await privacy.export(db, DATA, GUILD, 1, now=NOW)
    [member] = exported["tables"]["members"]
    [profile_row] = exported["tables"]["profiles"]
    assert member["organisation_id"] == region
    assert "organisation_id" not in profile_row  # stored once, on the membership
    assert exported["profile"]["organisation_id"] == region  # the profile as the directory shows it
    assert exported["profile"]["organisation_name"] == "Region Halland"
    assert "Halmstad" not in privacy.export_json(exported)  # no stale second answer

    erasure = await privacy.erase(db, DATA, GUILD, 1, now=NOW)
    assert erasure.removed == {
        "profiles": 1,
        "members": 1,
        "meeting_rsvps": 0,
        "meeting_reminder_dms": 0,
        "meeting_drafts": 0,
    }
    for table in ("members", "profiles", "profile_expertise", "directory_index"):
        assert await db.fetchval(f"SELECT COUNT(*) FROM {table}") == 0, table
    assert await privacy.export(db, DATA, GUILD, 1, now=NOW) == {
        "exported_at": directory.iso(NOW),
        "network": {"guild_id": GUILD, "name": "Integration Halland"},
        "user_id": 1,
        "profile": None,
        "meetings": None,
        "tables": {},
    }


async def test_a_leaver_with_an_organisation_is_purged_completely(db: Database) -> None:
    org = await add_org(db, "Halmstad", code="1380")
    await members.set_organisation(db, GUILD, 1, org, NOW)
    await person(db, 1, "Anna")
    await privacy.member_left(db, DATA, GUILD, 1, now=NOW)
    [purged] = await privacy.purge_leavers(db, DATA, now=NOW + timedelta(days=31))
    assert purged.erasure.removed["members"] == 1 and purged.erasure.removed["profiles"] == 1
    for table in ("members", "profiles", "directory_index"):
        assert await db.fetchval(f"SELECT COUNT(*) FROM {table}") == 0, table
    assert await db.fetchval("SELECT COUNT(*) FROM organisations") == 1  # the network's, kept


def test_the_registry_refuses_anything_but_plain_identifiers() -> None:
    with pytest.raises(ValueError):
        PersonalData("profiles; DROP TABLE members")
    with pytest.raises(ValueError):
        AuthoredData("posts", "author_id", scrub_columns=("x = 1, y",))


async def test_purge_respects_each_networks_grace_period_and_returns(db: Database) -> None:
    await db.execute("UPDATE networks SET leaver_grace_days = 7 WHERE guild_id = ?", (OTHER_GUILD,))
    await person(db, 1, "Anna")
    await person(db, 2, "Bo", guild_id=OTHER_GUILD)
    await person(db, 3, "Cecilia")
    for guild, user in ((GUILD, 1), (OTHER_GUILD, 2), (GUILD, 3)):
        await privacy.member_left(db, DATA, guild, user, now=NOW)
    await members.mark_joined(db, GUILD, 3, NOW + timedelta(days=1))
    assert await privacy.purge_leavers(db, DATA, now=NOW + timedelta(days=6)) == []
    week = await privacy.purge_leavers(db, DATA, now=NOW + timedelta(days=8))
    assert [(p.guild_id, p.user_id) for p in week] == [(OTHER_GUILD, 2)]
    month = await privacy.purge_leavers(db, DATA, now=NOW + timedelta(days=31))
    assert [(p.guild_id, p.user_id) for p in month] == [(GUILD, 1)]
    assert await profiles.get(db, GUILD, 3) is not None


async def test_freshness_reminders_once_per_period(db: Database) -> None:
    await person(db, 1, "Anna")
    await person(db, 2, "Bo", now=NOW + timedelta(days=100))
    assert await freshness.due_reminders(db, now=NOW + timedelta(days=182)) == []
    due = await freshness.due_reminders(db, now=NOW + timedelta(days=184))
    assert [d.user_id for d in due] == [1]
    await freshness.mark_reminded(db, GUILD, 1, now=NOW + timedelta(days=184))
    assert await freshness.due_reminders(db, now=NOW + timedelta(days=190)) == []
    await profiles.confirm(db, GUILD, 1, now=NOW + timedelta(days=200))
    assert [
        d.user_id for d in await freshness.due_reminders(db, now=NOW + timedelta(days=290))
    ] == [2]
    await privacy.member_left(db, DATA, GUILD, 2, now=NOW + timedelta(days=290))
    assert 2 not in [
        d.user_id for d in await freshness.due_reminders(db, now=NOW + timedelta(days=300))
    ]


async def test_an_unanswered_reminder_is_repeated_a_period_later(db: Database) -> None:
    await person(db, 1, "Anna")
    await freshness.mark_reminded(db, GUILD, 1, now=NOW + timedelta(days=184))
    assert await freshness.due_reminders(db, now=NOW + timedelta(days=300)) == []
    again = await freshness.due_reminders(db, now=NOW + timedelta(days=184 + 183))
    assert [d.user_id for d in again] == [1]
