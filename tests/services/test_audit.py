"""The audit log: admins' changes to other people's data, newest first, paginated."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.db import Database
from bot.services import audit, members, profiles
from tests.services.test_directory import (
    GUILD,
    NOW,
    OTHER_GUILD,
    add_org,
    make_network,
    person,
)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        await make_network(database)
        await make_network(database, OTHER_GUILD, "Fyrbodal")
        yield database


async def test_admin_changes_are_logged_own_changes_are_not(db: Database) -> None:
    await person(db, 1, "Anna")
    await profiles.set_visibility(db, GUILD, 1, "hidden", now=NOW)  # her own choice
    await profiles.set_visibility(db, GUILD, 1, "hidden", now=NOW, actor_id=1)
    assert (await audit.list_entries(db, GUILD)).total == 0
    await profiles.set_visibility(db, GUILD, 1, "members", now=NOW, actor_id=9)
    await profiles.save(db, GUILD, 1, profiles.ProfileFields("Anna A"), now=NOW, actor_id=9)
    page = await audit.list_entries(db, GUILD)
    assert [(e.action, e.actor_user_id, e.subject_user_id) for e in page.entries] == [
        ("profile.edit", 9, 1),
        ("profile.visibility", 9, 1),
    ]
    assert page.entries[1].detail == {"visibility": "members"}
    # An admin's edit does not confirm the entry on the person's behalf.
    assert (await profiles.get(db, GUILD, 1)).confirmed_at == NOW  # type: ignore[union-attr]


async def test_an_admins_change_of_someones_organisation_is_audited(db: Database) -> None:
    halmstad = await add_org(db, "Halmstad", code="1380")
    region = await add_org(db, "Region Halland", kind="region")
    await members.set_organisation(db, GUILD, 1, halmstad, NOW)  # picked at onboarding
    await person(db, 1, "Anna")
    await profiles.save(
        db, GUILD, 1, profiles.ProfileFields("Anna"), now=NOW, actor_id=9, organisation_id=region
    )
    member = await members.get_member(db, GUILD, 1)
    assert member is not None and member.organisation_id == region  # one value, the member's
    [entry] = (await audit.list_entries(db, GUILD)).entries
    assert (entry.action, entry.actor_user_id, entry.subject_user_id) == ("profile.edit", 9, 1)
    assert "Region" not in str(entry.detail)  # the log names fields, never values


async def test_pages_filters_and_networks(db: Database) -> None:
    for i in range(23):
        await audit.record(
            db,
            GUILD,
            actor_id=9,
            subject_id=i % 3,
            action="function.assign",
            now=NOW + timedelta(minutes=i),
        )
    await audit.record(db, OTHER_GUILD, actor_id=9, subject_id=1, action="function.assign", now=NOW)
    first = await audit.list_entries(db, GUILD)
    assert (first.total, first.pages, len(first.entries)) == (23, 3, 10)
    assert first.entries[0].at == NOW + timedelta(minutes=22)
    last = await audit.list_entries(db, GUILD, page=7)
    assert last.page == 2 and len(last.entries) == 3
    assert (await audit.list_entries(db, GUILD, user_id=1)).total == 8
    with pytest.raises(ValueError):
        await audit.record(db, GUILD, actor_id=9, subject_id=1, action="bogus", now=NOW)
