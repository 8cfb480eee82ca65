"""The directory's search, and the set-up the other directory service tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db import Database
from bot.services import directory, functions, members, organisations, profiles
from bot.services.profiles import ProfileFields

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
GUILD = 100
OTHER_GUILD = 200


async def make_network(
    db: Database, guild_id: int = GUILD, name: str = "Integration Halland"
) -> None:
    await db.execute("INSERT INTO networks (guild_id, name) VALUES (?, ?)", (guild_id, name))


async def add_org(
    db: Database,
    name: str,
    *,
    guild_id: int = GUILD,
    kind: str = "municipality",
    code: str | None = None,
) -> int:
    return await db.execute(
        "INSERT INTO organisations (guild_id, kind, name, municipality_code) VALUES (?, ?, ?, ?)",
        (guild_id, kind, name, code),
    )


async def person(
    db: Database,
    user_id: int,
    name: str,
    *,
    guild_id: int = GUILD,
    title: str = "",
    org: int | None = None,
    expertise: str | None = None,
    languages: str | None = None,
    email: str = "",
    phone: str = "",
    now: datetime = NOW,
) -> profiles.Profile:
    await profiles.save(
        db,
        guild_id,
        user_id,
        ProfileFields(name, title=title, email=email, phone=phone),
        now=now,
        organisation_id=org,
    )
    if expertise is not None or languages is not None:
        await profiles.set_details(
            db, guild_id, user_id, now=now, expertise=expertise, languages=languages
        )
    found = await profiles.get(db, guild_id, user_id)
    assert found is not None
    return found


# --- tests of bot.services.directory ------------------------------------------------------------


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        await make_network(database)
        await make_network(database, OTHER_GUILD, "Fyrbodal")
        yield database


async def names(db: Database, guild_id: int = GUILD, **criteria: object) -> list[str]:
    result = await directory.search(db, guild_id, **criteria)  # type: ignore[arg-type]
    return [p.display_name for p in result.hits]


async def test_compound_words_and_ascii_spellings_are_found(db: Database) -> None:
    soderhamn = await add_org(db, "Söderhamns kommun", code="2182")
    await person(db, 1, "Anna Andersson", title="Integrationssamordnare", org=soderhamn)
    await person(db, 2, "Bo Ek", title="Rektor")
    assert await names(db, query="samordnare") == ["Anna Andersson"]
    assert await names(db, query="Soderhamn") == ["Anna Andersson"]
    assert await names(db, query="söderhamn samordnare") == ["Anna Andersson"]
    assert await names(db, query="Soderhamm") == ["Anna Andersson"]  # misspelt municipality
    assert await names(db, municipality_code="2182") == ["Anna Andersson"]
    assert await names(db, query="rektor") == ["Bo Ek"]
    assert await names(db, query="bo") == ["Bo Ek"]  # short term: name only


async def test_expertise_functions_and_languages_are_searchable(db: Database) -> None:
    lysekil = await add_org(db, "Lysekils kommun", code="1484")
    await person(
        db, 1, "Fatima Hassan", expertise="TMO, traumamedveten omsorg", languages="arabiska, dari"
    )
    await person(db, 2, "Johan Berg", expertise="praktik för nyanlända", org=lysekil)
    fn = await functions.add(db, GUILD, lysekil, "Integrationssamordnare", now=NOW)
    await functions.assign(db, GUILD, fn.id, 2, actor_id=2, now=NOW)
    assert await names(db, expertise="trauma") == ["Fatima Hassan"]
    assert await names(db, expertise="TMO") == ["Fatima Hassan"]
    assert await names(db, query="praktik") == ["Johan Berg"]
    assert await names(db, query="samordnare") == ["Johan Berg"]
    assert await names(db, query="Arabic") == ["Fatima Hassan"]
    assert await names(db, query="dari") == ["Fatima Hassan"]
    hit = (await directory.search(db, GUILD, query="johan")).hits[0]
    assert [f.name for f in hit.functions] == ["Integrationssamordnare"]
    assert hit.expertise == ("praktik för nyanlända",)


async def test_hidden_left_and_other_networks_never_appear(db: Database) -> None:
    await person(db, 1, "Anna Andersson", title="samordnare")
    await person(db, 2, "Hidden Person", title="samordnare")
    await person(db, 3, "Gone Person", title="samordnare")
    await person(db, 4, "Other Network", title="samordnare", guild_id=OTHER_GUILD)
    await profiles.set_visibility(db, GUILD, 2, "hidden", now=NOW)
    await db.execute("UPDATE members SET left_at = ? WHERE user_id = 3", (directory.iso(NOW),))
    assert await names(db, query="samordnare") == ["Anna Andersson"]
    assert await names(db) == ["Anna Andersson"]
    assert await names(db, OTHER_GUILD, query="samordnare") == ["Other Network"]


async def test_ranking_puts_names_first_and_pages(db: Database) -> None:
    for i in range(12):
        await person(db, 10 + i, f"Person {i:02d}", title="Samordnare för Eriksson-projektet")
    await person(db, 99, "Erik Eriksson", title="Lärare")
    result = await directory.search(db, GUILD, query="eriksson", per_page=5)
    assert result.total == 13 and result.pages == 3
    assert result.hits[0].display_name == "Erik Eriksson"
    last = await directory.search(db, GUILD, query="eriksson", per_page=5, page=2)
    assert len(last.hits) == 3
    beyond = await directory.search(db, GUILD, query="eriksson", per_page=5, page=9)
    assert beyond.page == 2


async def test_municipality_search_lists_vacant_functions(db: Database) -> None:
    lysekil = await add_org(db, "Lysekils kommun", code="1484")
    await functions.add(db, GUILD, lysekil, "Integrationssamordnare", now=NOW)
    result = await directory.search(db, GUILD, municipality_code="1484")
    assert result.total == 0
    assert [v.name for v in result.vacant] == ["Integrationssamordnare"]


async def test_renamed_organisation_is_reindexed(db: Database) -> None:
    org = await add_org(db, "Röda korset", kind="civil_society")
    await person(db, 1, "Anna Andersson", org=org)
    await db.execute("UPDATE organisations SET name = 'Svenska kyrkan' WHERE id = ?", (org,))
    assert await names(db, query="kyrkan") == ["Anna Andersson"]
    assert await names(db, query="korset") == []


async def test_the_organisation_picked_at_onboarding_is_searched_and_reindexed(
    db: Database,
) -> None:
    halmstad = await add_org(db, "Halmstad", code="1380")
    korset = await add_org(db, "Röda korset", kind="civil_society")
    # She picks Halmstad in the greeting, then fills in a profile without choosing again.
    await members.set_organisation(db, GUILD, 1, halmstad, NOW)
    await person(db, 1, "Fatima Hassan", title="Samordnare")
    assert await names(db, municipality_code="1380") == ["Fatima Hassan"]
    assert await names(db, query="halmstad") == ["Fatima Hassan"]
    # Picking another organisation in the greeting re-indexes her entry.
    await members.set_organisation(db, GUILD, 1, korset, NOW)
    assert await names(db, municipality_code="1380") == []
    assert await names(db, query="halmstad") == []
    assert await names(db, query="korset") == ["Fatima Hassan"]
    # Renaming the organisation, and placing it in a municipality, re-index her entry too.
    await organisations.rename(db, GUILD, korset, "Svenska kyrkan")
    assert await names(db, query="kyrkan") == ["Fatima Hassan"]
    assert await names(db, query="korset") == []
    await db.execute("UPDATE organisations SET municipality_code = '1383' WHERE id = ?", (korset,))
    assert await names(db, query="varberg") == ["Fatima Hassan"]
    assert await names(db, municipality_code="1383") == ["Fatima Hassan"]
    # Once searched, nothing is left to re-index; picking the same organisation again is no change.
    await members.set_organisation(db, GUILD, 1, korset, NOW)
    assert await db.fetchval("SELECT COUNT(*) FROM profiles WHERE index_dirty = 1") == 0


async def test_query_syntax_is_never_interpreted(db: Database) -> None:
    await person(db, 1, "Anna Andersson")
    for nasty in [
        '"',
        "NEAR(",
        "a OR b",
        "*",
        "anna*",
        "-anna",
        "x:y",
        "'; DROP TABLE profiles; --",
        "🙂",
        "٨٥٠",
    ]:
        await directory.search(db, GUILD, query=nasty)
    assert await names(db, query="anna*") == ["Anna Andersson"]
