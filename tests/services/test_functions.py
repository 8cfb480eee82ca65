"""Functions in organisations: held, given up, vacated, never lost."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.db import Database
from bot.errors import InvalidInput, UserError
from bot.features import declared
from bot.services import audit, directory, functions, members, privacy
from tests.services.test_directory import GUILD, NOW, OTHER_GUILD, add_org, make_network, person


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        await make_network(database)
        await make_network(database, OTHER_GUILD, "Fyrbodal")
        yield database


async def test_add_assign_vacate(db: Database) -> None:
    lysekil = await add_org(db, "Lysekil", code="1484")
    await person(db, 1, "Anna")
    fn = await functions.add(db, GUILD, lysekil, "  Integrationssamordnare ", now=NOW)
    assert fn.vacant and fn.name == "Integrationssamordnare"
    held = await functions.assign(db, GUILD, fn.id, 1, actor_id=99, now=NOW)
    assert held.holder_user_id == 1 and held.holder_since == NOW
    later = NOW + timedelta(days=3)
    freed = await functions.vacate(db, GUILD, fn.id, actor_id=99, now=later)
    assert freed.vacant and freed.vacated_at == later
    with pytest.raises(UserError):
        await functions.vacate(db, GUILD, fn.id, actor_id=99, now=later)
    actions = [e.action for e in (await audit.list_entries(db, GUILD)).entries]
    assert actions == ["function.vacate", "function.assign"]


async def test_names_are_checked(db: Database) -> None:
    lysekil = await add_org(db, "Lysekil", code="1484")
    await functions.add(db, GUILD, lysekil, "Rektor", now=NOW)
    for name, reason in (
        ("", "errors.text.empty"),
        ("x" * 5000, "errors.text.too_long"),
        ("@everyone", "errors.text.mention"),
        ("Kontakt 19850709-9805", "errors.id_number"),
        ("REKTOR", "function.error.exists"),
    ):
        with pytest.raises(InvalidInput) as caught:
            await functions.add(db, GUILD, lysekil, name, now=NOW)
        assert (caught.value.field, caught.value.key) == ("function.name", reason)
    other = await add_org(db, "Uddevalla", guild_id=OTHER_GUILD, code="1485")
    with pytest.raises(InvalidInput):
        await functions.add(db, GUILD, other, "Rektor", now=NOW)  # another network's organisation


async def test_other_networks_functions_are_out_of_reach(db: Database) -> None:
    other = await add_org(db, "Uddevalla", guild_id=OTHER_GUILD, code="1485")
    theirs = await functions.add(db, OTHER_GUILD, other, "Rektor", now=NOW)
    with pytest.raises(InvalidInput):
        await functions.assign(db, GUILD, theirs.id, 1, actor_id=1, now=NOW)
    assert await functions.matching(db, GUILD, "rektor") == []


async def test_members_take_and_give_up_their_organisations_functions(db: Database) -> None:
    lysekil = await add_org(db, "Lysekil", code="1484")
    await person(db, 1, "Anna", org=lysekil)
    await person(db, 2, "Bo", org=lysekil)
    a = await functions.add(db, GUILD, lysekil, "Integrationssamordnare", now=NOW)
    b = await functions.add(db, GUILD, lysekil, "Projektledare", now=NOW)
    assert [f.id for f in await functions.set_own(db, GUILD, 1, lysekil, [a.id], now=NOW)] == [a.id]
    with pytest.raises(UserError):
        await functions.set_own(db, GUILD, 2, lysekil, [a.id], now=NOW)  # Anna holds it
    await functions.set_own(db, GUILD, 1, lysekil, [b.id], now=NOW)
    assert (await functions.get(db, GUILD, a.id)).vacant
    assert (await functions.get(db, GUILD, b.id)).holder_user_id == 1
    assert (await audit.list_entries(db, GUILD)).total == 0  # one's own changes are not audited


async def test_the_functions_offered_are_those_of_the_organisation_picked_at_onboarding(
    db: Database,
) -> None:
    lysekil = await add_org(db, "Lysekil", code="1484")
    await members.set_organisation(db, GUILD, 1, lysekil, NOW)
    profile = await person(db, 1, "Anna")  # no organisation chosen in the profile
    assert profile.organisation_id == lysekil
    fn = await functions.add(db, GUILD, lysekil, "Integrationssamordnare", now=NOW)
    await functions.set_own(db, GUILD, 1, profile.organisation_id, [fn.id], now=NOW)
    [hit] = (await directory.search(db, GUILD, query="samordnare", municipality_code="1484")).hits
    assert [(f.name, f.organisation_name) for f in hit.functions] == [
        ("Integrationssamordnare", "Lysekil")
    ]


async def test_leaving_vacates_and_the_function_stays(db: Database) -> None:
    lysekil = await add_org(db, "Lysekil", code="1484")
    await person(db, 1, "Anna", org=lysekil)
    fn = await functions.add(db, GUILD, lysekil, "Integrationssamordnare", now=NOW)
    await functions.assign(db, GUILD, fn.id, 1, actor_id=1, now=NOW)
    assert await privacy.member_left(db, declared().privacy, GUILD, 1, now=NOW) == {
        "functions.vacate": 1
    }
    assert (await functions.get(db, GUILD, fn.id)).vacant
    with pytest.raises(UserError):
        await functions.assign(db, GUILD, fn.id, 1, actor_id=9, now=NOW)  # she is gone
    removed = await functions.archive(db, GUILD, fn.id, now=NOW)
    assert removed.name == "Integrationssamordnare"
    with pytest.raises(InvalidInput):
        await functions.get(db, GUILD, fn.id)
