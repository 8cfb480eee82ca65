"""Organisations and member municipalities: add, restore, archive, presets, name clashes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db import Database
from bot.errors import InvalidInput
from bot.services import members, municipalities, organisations

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
HALLAND = ("1315", "1380", "1381", "1382", "1383", "1384")


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        for guild_id in (1, 2):
            await database.execute(
                "INSERT INTO networks (guild_id, name) VALUES (?, ?)", (guild_id, f"N{guild_id}")
            )
        yield database


async def test_preset_adds_all_then_reports_them_as_already_there(db: Database) -> None:
    preset = organisations.resolve_preset("Hallands län")
    assert preset.codes == HALLAND
    first = await organisations.add_municipalities(db, 1, preset.codes)
    assert [o.name for o in first.changed] == [
        "Hylte",
        "Halmstad",
        "Laholm",
        "Falkenberg",
        "Varberg",
        "Kungsbacka",
    ]
    assert first.unchanged == ()
    again = await organisations.add_municipalities(db, 1, preset.codes)
    assert again.changed == () and len(again.unchanged) == 6
    assert await organisations.municipality_codes(db, 1) == set(HALLAND)


async def test_a_municipality_can_be_in_several_networks(db: Database) -> None:
    kungsbacka = organisations.resolve_municipality("Kungsbacka").code
    await organisations.add_municipalities(db, 1, [kungsbacka])
    await organisations.add_municipalities(
        db, 2, organisations.resolve_preset("goteborgsregionen").codes
    )
    assert kungsbacka in await organisations.municipality_codes(db, 1)
    assert kungsbacka in await organisations.municipality_codes(db, 2)
    assert len(await organisations.municipality_codes(db, 1)) == 1


async def test_remove_archives_and_add_restores_the_same_row(db: Database) -> None:
    [org] = (await organisations.add_municipalities(db, 1, ["1380"])).changed
    await members.set_organisation(db, 1, 42, org.id, NOW)
    removed = await organisations.remove_municipalities(db, 1, ["1380", "1381", "1380"], NOW)
    assert [o.name for o in removed.changed] == ["Halmstad"]
    assert [m.name for m in removed.not_members] == ["Laholm"]
    assert await organisations.municipality_codes(db, 1) == set()
    # The person who picked Halmstad keeps it.
    assert (await members.get_member(db, 1, 42)).organisation_id == org.id  # type: ignore[union-attr]
    again = await organisations.remove_municipalities(db, 1, ["1380"], NOW)
    assert again.changed == () and [o.name for o in again.unchanged] == ["Halmstad"]
    restored = await organisations.add_municipalities(db, 1, ["1380"])
    assert [o.id for o in restored.changed] == [org.id]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Halmstad", "1380"),
        ("halmstads kommun", "1380"),
        ("1380", "1380"),
        ("Soderhamn", "2182"),
        ("Uddevala", "1485"),
        ("goteborg", "1480"),
    ],
)
def test_resolve_municipality(text: str, code: str) -> None:
    assert organisations.resolve_municipality(text).code == code


@pytest.mark.parametrize("text", ["", "Atlantis", "Stockholms län", "x" * 5000, "@everyone"])
def test_unknown_municipality_is_invalid_input(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        organisations.resolve_municipality(text)
    assert caught.value.field == "network_municipality"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("fyrbodal", "fyrbodal"),
        ("Hallands län", "county-13"),
        ("Halland County", "county-13"),
        ("county-13", "county-13"),
        ("Sjuharad", "sjuharad"),
        ("Göteborgsregionen", "goteborgsregionen"),
    ],
)
def test_resolve_preset(text: str, key: str) -> None:
    assert organisations.resolve_preset(text).key == key


@pytest.mark.parametrize("text", ["", "Norrland", "x" * 5000])
def test_unknown_preset_is_invalid_input(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        organisations.resolve_preset(text)
    assert caught.value.field == "network_preset"


async def test_unknown_code_in_a_batch_writes_nothing(db: Database) -> None:
    with pytest.raises(InvalidInput):
        await organisations.add_municipalities(db, 1, ["1380", "9999"])
    assert await organisations.municipality_codes(db, 1) == set()


async def test_name_clash_with_another_organisation_writes_nothing(db: Database) -> None:
    await organisations.add(db, 1, kind="other", name="Mark")
    sjuharad = municipalities.preset("sjuharad")
    assert sjuharad is not None
    with pytest.raises(InvalidInput):
        await organisations.add_municipalities(db, 1, sjuharad.codes)  # includes Mark
    assert await organisations.municipality_codes(db, 1) == set()


async def test_other_organisations_add_rename_archive_restore(db: Database) -> None:
    added = await organisations.add(
        db, 1, kind="civil_society", name="Röda korset Halmstad", municipality="halmstad"
    )
    [org] = added.changed
    assert (org.kind, org.municipality_code) == ("civil_society", "1380")
    again = await organisations.add(db, 1, kind="civil_society", name="röda KORSET halmstad")
    assert again.changed == () and again.unchanged[0].id == org.id
    renamed = await organisations.rename(db, 1, org.id, "Röda Korset Halmstad")
    assert renamed.name == "Röda Korset Halmstad"
    archived = await organisations.archive(db, 1, org.id, NOW)
    assert archived.changed[0].archived
    assert (await organisations.archive(db, 1, org.id, NOW)).changed == ()
    assert await organisations.list_organisations(db, 1) == []
    restored = await organisations.add(db, 1, kind="civil_society", name="Röda Korset Halmstad")
    assert restored.changed[0].id == org.id and not restored.changed[0].archived


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "municipality", "name": "Halmstad"}, "network_organisation_kind"),
        ({"kind": "church", "name": "Svenska kyrkan"}, "network_organisation_kind"),
        ({"kind": "other", "name": ""}, "network_organisation_name"),
        ({"kind": "other", "name": "x" * 5000}, "network_organisation_name"),
        ({"kind": "other", "name": "@everyone"}, "network_organisation_name"),
        ({"kind": "other", "name": "ABF", "municipality": "Atlantis"}, "network_municipality"),
    ],
)
async def test_bad_organisation_input(db: Database, kwargs: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        await organisations.add(db, 1, **kwargs)
    assert caught.value.field == field
    assert await organisations.list_organisations(db, 1, include_archived=True) == []


async def test_municipalities_cannot_be_renamed_or_shadowed(db: Database) -> None:
    [halmstad] = (await organisations.add_municipalities(db, 1, ["1380"])).changed
    with pytest.raises(InvalidInput):
        await organisations.rename(db, 1, halmstad.id, "Halmstad stad")
    with pytest.raises(InvalidInput):
        await organisations.add(db, 1, kind="other", name="halmstad")
    abf = (await organisations.add(db, 1, kind="civil_society", name="ABF Halland")).changed[0]
    with pytest.raises(InvalidInput):
        await organisations.rename(db, 1, abf.id, "Halmstad")


async def test_list_and_search_order_and_separation(db: Database) -> None:
    await organisations.add_municipalities(db, 1, HALLAND)
    for kind, name in [
        ("authority", "Arbetsförmedlingen"),
        ("authority", "Länsstyrelsen Halland"),
        ("region", "Region Halland"),
        ("civil_society", "Ö-föreningen"),
    ]:
        await organisations.add(db, 1, kind=kind, name=name)
    names = [o.name for o in await organisations.list_organisations(db, 1)]
    assert names[:6] == ["Falkenberg", "Halmstad", "Hylte", "Kungsbacka", "Laholm", "Varberg"]
    assert names[6:] == [
        "Region Halland",
        "Arbetsförmedlingen",
        "Länsstyrelsen Halland",
        "Ö-föreningen",
    ]
    assert [o.name for o in await organisations.search(db, 1, "halland")] == [
        "Region Halland",
        "Länsstyrelsen Halland",
    ] or [o.name for o in await organisations.search(db, 1, "halland")] == [
        "Länsstyrelsen Halland",
        "Region Halland",
    ]
    assert [o.name for o in await organisations.search(db, 1, "Falkenbreg")] == ["Falkenberg"]
    assert [o.name for o in await organisations.search(db, 1, "o foreningen")] == ["Ö-föreningen"]
    assert await organisations.list_organisations(db, 2) == []


async def test_members_join_leave_rejoin_and_pick(db: Database) -> None:
    [org] = (await organisations.add_municipalities(db, 1, ["1380"])).changed
    assert await members.get_member(db, 1, 7) is None
    joined = await members.mark_joined(db, 1, 7, NOW)
    assert joined.present and joined.organisation_id is None
    picked = await members.set_organisation(db, 1, 7, org.id, NOW)
    assert picked.organisation_id == org.id
    left = await members.mark_left(db, 1, 7, NOW)
    assert left.left_at == "2026-11-23T09:00:00Z"
    later = datetime(2026, 12, 1, tzinfo=UTC)
    assert (await members.mark_left(db, 1, 7, later)).left_at == left.left_at  # first date kept
    back = await members.mark_joined(db, 1, 7, later)
    assert back.present and back.organisation_id == org.id and back.joined_at.startswith("2026-12")
    # A leaver the network never saw gets a row (their data is purged after the grace period).
    assert (await members.mark_left(db, 1, 8, NOW)).left_at is not None


async def test_picking_an_organisation_of_another_network_or_archived_fails(db: Database) -> None:
    [other] = (await organisations.add_municipalities(db, 2, ["1380"])).changed
    with pytest.raises(InvalidInput):
        await members.set_organisation(db, 1, 7, other.id, NOW)
    [mine] = (await organisations.add_municipalities(db, 1, ["1381"])).changed
    await organisations.archive(db, 1, mine.id, NOW)
    with pytest.raises(InvalidInput):
        await members.set_organisation(db, 1, 7, mine.id, NOW)
    assert await members.get_member(db, 1, 7) is None
