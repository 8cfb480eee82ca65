"""The practice services against SQLite with every migration: checks of every field, writes
and history, interest, archive, privacy, and export then import round-tripping every field."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.db import Database
from bot.errors import InvalidInput, UserError
from bot.features import declared
from bot.funnel import describe
from bot.services import privacy
from bot.services.practices import model, transfer
from bot.services.practices.model import Fields
from bot.services.practices.search import Criteria, search

GUILD = 5151
OTHER = 5252
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
FULL = Fields(
    title="Samhällsguider i Lysekil",
    summary="Nyanlända guidar nyanlända.",
    description="Guiderna talar arabiska.\nOch dari.",
    themes=("civic", "language"),
    targets=("newly_arrived_adults", "families_children"),
    organisations=("Lysekils kommun", "Röda korset"),
    municipalities=("1484", "1430"),
    status="ended",
    start_date=date(2016, 3, 1),
    end_date=date(2018, 12, 31),
    funding=("state_refugee_funds",),
    funding_sek=1_200_000,
    success_factors="Egen erfarenhet.",
    lessons="Planera finansieringen.",
    links=("https://lysekil.se/guider", "http://example.org/a?b=c"),
)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        for guild in (GUILD, OTHER):
            await database.execute(
                "INSERT INTO networks (guild_id, name) VALUES (?, ?)", (guild, f"N{guild}")
            )
            org = await database.execute(
                "INSERT INTO organisations (guild_id, kind, name, municipality_code)"
                " VALUES (?, 'municipality', 'Lysekils kommun', '1484')",
                (guild,),
            )
            await database.execute(
                "INSERT INTO functions (guild_id, organisation_id, name, name_key, created_at)"
                " VALUES (?, ?, 'Integrationssamordnare', 'integrationssamordnare', ?)",
                (guild, org, model.iso(NOW)),
            )
        yield database


BAD = [
    ("title", "", "errors.text.empty"),
    ("title", "x" * 5000, "errors.text.too_long"),
    ("title", "Hej @everyone", "errors.text.mention"),
    ("summary", "Ring 19811218-9876", "errors.id_number"),
    ("summary", "y" * 301, "errors.text.too_long"),
    ("description", "\u202eevil", "errors.text.control_characters"),
    ("lessons", "\u200b\u200b", "errors.text.invisible"),
]


@pytest.mark.parametrize(("field", "value", "reason"), BAD)
async def test_bad_text_names_the_field_and_writes_nothing(
    db: Database, field: str, value: str, reason: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await model.create(db, GUILD, replace(FULL, **{field: value}), user_id=1, now=NOW)
    assert caught.value.field == f"practice.{field}" and caught.value.key == reason
    assert await db.fetchval("SELECT COUNT(*) FROM practices") == 0
    assert await db.fetchval("SELECT COUNT(*) FROM practice_history") == 0


def test_typed_lists_dates_links_and_amounts() -> None:
    assert model.parse_municipalities("Lysekil, munkedal; 1380") == ("1484", "1430", "1380")
    with pytest.raises(InvalidInput) as caught:
        model.parse_municipalities("Lysekil, Atlantis")
    assert caught.value.field == "practice.municipalities"
    for link in ("javascript:alert(1)", "ftp://x.se", "https://", "data:text/html,x"):
        with pytest.raises(InvalidInput) as caught:
            model.parse_links(link)
        assert caught.value.field == "practice.links"
    assert model.parse_links("https://a.se\nhttp://b.se") == ("https://a.se", "http://b.se")
    assert model.parse_sek("14 000 000 kr") == 14_000_000
    for amount in ("14 mkr", "-5", "1e9", "٣"):
        with pytest.raises(InvalidInput):
            model.parse_sek(amount)
    with pytest.raises(InvalidInput):
        model.parse_date("practice.start_date", "2025-13-01")
    with pytest.raises(InvalidInput) as caught:
        model.clean(replace(FULL, start_date=date(2020, 1, 1), end_date=date(2019, 1, 1)))
    assert caught.value.field == "practice.end_date"
    with pytest.raises(InvalidInput):
        model.clean(replace(FULL, themes=("civic", "nonsense")))
    with pytest.raises(InvalidInput):
        model.clean(replace(FULL, funding=("esf", "municipal")))
    # Arabic script, emoji and markdown are text like any other.
    model.clean(replace(FULL, title="دعم اللغة 🌍 **fet**"))


async def test_history_interest_archive_and_other_networks(db: Database) -> None:
    p = await model.create(db, GUILD, FULL, user_id=1, now=NOW)
    await model.update(db, GUILD, p.id, replace(FULL, lessons="Nya lärdomar."), user_id=2, now=NOW)
    await model.set_status(db, GUILD, p.id, "ongoing", user_id=2, now=NOW)
    kinds = [h["kind"] for h in await model.history(db, p.id)]
    assert kinds == ["created", "edited", "status"]
    change = await model.toggle_interest(
        db, GUILD, p.id, "adopted", "Munkedals kommun", user_id=3, now=NOW
    )
    assert change.added and change.practice.adopted == ("Munkedals kommun",)
    with pytest.raises(UserError):
        await model.get(db, OTHER, p.id)
    assert (await search(db, OTHER, Criteria(query="samhällsguider"))).total == 0
    await model.archive(db, GUILD, p.id, user_id=1, now=NOW)
    assert (await search(db, GUILD, Criteria(query="samhällsguider"))).total == 0
    assert await db.fetchval("SELECT COUNT(*) FROM practices") == 1


async def test_forget_me_keeps_the_practice_and_its_function(db: Database) -> None:
    data = declared().privacy
    fid = await db.fetchval("SELECT id FROM functions WHERE guild_id = ?", (GUILD,))
    for uid in (7, 8):
        await db.execute(
            "INSERT INTO members (guild_id, user_id, joined_at) VALUES (?, ?, ?)",
            (GUILD, uid, model.iso(NOW)),
        )
    a = await model.create(db, GUILD, replace(FULL, contact_user_id=7), user_id=7, now=NOW)
    b = await model.create(
        db,
        GUILD,
        replace(FULL, title="Andra", contact_user_id=7, contact_function_id=fid),
        user_id=8,
        now=NOW,
    )
    await model.toggle_interest(db, GUILD, b.id, "interest", "Lysekils kommun", user_id=7, now=NOW)
    mine = await privacy.export(db, data, GUILD, 7, now=NOW)
    tables = mine["tables"]
    assert {r["id"] for r in tables["practices"]} == {a.id, b.id}
    assert tables["practice_history"] and tables["practice_interest"]
    await privacy.erase(db, data, GUILD, 7, now=NOW)
    a2 = await model.get(db, GUILD, a.id)
    b2 = await model.get(db, GUILD, b.id)
    assert a2.contact_user_id is None and a2.created_by_user_id is None
    assert (await model.contact_of(db, a2)).user_id is None  # "a former member"
    contact = await model.contact_of(db, b2)
    assert contact.function_name == "Integrationssamordnare"
    assert b2.interested == ("Lysekils kommun",)
    assert not await db.fetchval("SELECT COUNT(*) FROM practice_history WHERE user_id = 7")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_export_then_import_round_trips_every_field(db: Database, fmt: str) -> None:
    fid = await db.fetchval("SELECT id FROM functions WHERE guild_id = ?", (GUILD,))
    original = await model.create(
        db, GUILD, replace(FULL, contact_function_id=fid), user_id=1, now=NOW
    )
    second = await model.create(
        db, GUILD, Fields(title='=HYPERLINK("x")', summary="-1+2 @a"), user_id=1, now=NOW
    )
    name, data, count = await transfer.export(
        db,
        GUILD,
        Criteria(),
        fmt,
        "sv",
        "N",
        today=NOW.date(),  # type: ignore[arg-type]
    )
    assert count == 2 and name.endswith(fmt)
    checked = await transfer.check_import(db, OTHER, data, name, "sv", describe)
    assert checked.refused == []
    ids = await transfer.write_import(db, OTHER, checked.accepted, user_id=9, now=NOW)
    back = {p.title: p for p in await model.load(db, ids)}
    for before in (original, second):
        after = back[before.title]
        want = Fields.of(before)
        other_fid = await db.fetchval("SELECT id FROM functions WHERE guild_id = ?", (OTHER,))
        if want.contact_function_id is not None:
            want = replace(want, contact_function_id=other_fid)
        assert Fields.of(after) == want
        assert after.created_at == before.created_at and after.changed_at == before.changed_at
    assert (await search(db, OTHER, Criteria(query="samhällsguider"))).total == 1


async def test_an_import_with_bad_rows_writes_only_what_it_confirms(db: Database) -> None:
    rows = [
        "Titel;Sammanfattning;Status;Länkar;Teman",
        "Bra exempel;Det fungerar.;Pågående;https://a.se;Språk",
        'Formel;"=HYPERLINK(""http://x"")";Pågående;;',
        "Länk;Text.;Pågående;javascript:alert(1);",
        "Pnr;Ring 19811218-9876;Pågående;;",
        "För många teman;Text.;Pågående;;"
        + ", ".join(
            [
                "Språk",
                "Boende",
                "Hälsa och trauma",
                "Samverkan",
                "Fritid & föreningar",
                "Skola och utbildning",
            ]
        ),
    ]
    data = ("\n".join(rows) + "\n").encode("utf-8")
    checked = await transfer.check_import(db, GUILD, data, "list.csv", "sv", describe)
    assert [r for r, _ in checked.refused] == [3, 4, 5, 6]
    assert [f.title for _, f, _, _ in checked.accepted] == ["Bra exempel"]
    await transfer.write_import(db, GUILD, checked.accepted, user_id=1, now=NOW)
    assert await db.fetchval("SELECT COUNT(*) FROM practices") == 1
    with pytest.raises(UserError):
        await transfer.check_import(db, GUILD, b"\x89PNG\r\n\x1a\n....", "x.png", "en", describe)
    with pytest.raises(UserError):
        await transfer.check_import(
            db, GUILD, b"a;b\n" * (50 * 1024 * 1024 // 4), "big.csv", "en", describe
        )
