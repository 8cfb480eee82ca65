"""An admin manages the network's member municipalities and organisations."""

from __future__ import annotations

import pytest

from bot.services import municipalities, organisations
from tests.e2e.conftest import World

# What people type (ASCII spellings, typos, "kommun"/"stad", genitive s) → the municipality.
TYPED = [
    ("Soderhamn", "Söderhamn"),
    ("soderhamn", "Söderhamn"),
    ("Uddevala", "Uddevalla"),
    ("Halmstads kommun", "Halmstad"),
    ("goteborg", "Göteborg"),
    ("Goteborgs stad", "Göteborg"),
    ("Gothenburg", "Göteborg"),
    ("malmo", "Malmö"),
    ("MALMÖ", "Malmö"),
    ("orebro", "Örebro"),
    ("Vasteras", "Västerås"),
    ("Jonkoping", "Jönköping"),
    ("Norrkoping", "Norrköping"),
    ("Linkoping", "Linköping"),
    ("Umea", "Umeå"),
    ("Lulea", "Luleå"),
    ("Ostersund", "Östersund"),
    ("Harnosand", "Härnösand"),
    ("Trollhattan", "Trollhättan"),
    ("Vanersborg", "Vänersborg"),
    ("Amal", "Åmål"),
    ("Dals Ed", "Dals-Ed"),
    ("dalsed", "Dals-Ed"),
    ("Sotenas", "Sotenäs"),
    ("Stromstad", "Strömstad"),
    ("Falkenbreg", "Falkenberg"),
    ("Varbreg", "Varberg"),
    ("Kungsbaka", "Kungsbacka"),
    ("Laholms kommun", "Laholm"),
    ("hylte", "Hylte"),
    ("Upplands Vasby", "Upplands Väsby"),
    ("vasby", "Upplands Väsby"),
    ("Taby", "Täby"),
    ("Helsingborgs stad", "Helsingborg"),
    ("Kristianstadt", "Kristianstad"),
    ("Lysekill", "Lysekil"),
    ("Fargelanda", "Färgelanda"),
    ("Munkedahl", "Munkedal"),
    ("Staffanstorps kommun", "Staffanstorp"),
    ("Burlov", "Burlöv"),
    ("Sodertalje", "Södertälje"),
    ("Angelholm", "Ängelholm"),
    ("Ornskoldsvik", "Örnsköldsvik"),
    ("Mölndahl", "Mölndal"),
    ("Habo", "Habo"),
    ("Håbo", "Håbo"),
]


def test_the_table_is_large_enough() -> None:
    assert len(TYPED) >= 30


@pytest.mark.parametrize(("typed", "expected"), TYPED)
async def test_municipality_autocomplete_through_the_bot(
    world: World, typed: str, expected: str
) -> None:
    choices = await world.as_admin.autocomplete(
        "network municipalities add",
        {"municipality": typed},
        focused="municipality",
    )
    wanted = municipalities.by_name(expected)
    assert wanted is not None
    assert choices, typed
    assert choices[0].value == wanted.code, (typed, [c.name for c in choices[:3]])
    assert choices[0].name.startswith(f"{expected} (")
    assert len(choices) <= 25


async def test_autocomplete_names_the_county_in_the_users_language(world: World) -> None:
    sv = await world.as_admin.autocomplete(
        "network municipalities add",
        {"municipality": "halmstad"},
        focused="municipality",
    )
    assert sv[0].name == "Halmstad (Hallands län)" and sv[0].value == "1380"
    en = await world.as_erik.autocomplete(
        "network municipalities add",
        {"municipality": "halmstad"},
        focused="municipality",
        locale="en-US",
    )
    assert en[0].name == "Halmstad (Halland County)"
    long = await world.as_admin.autocomplete(
        "network municipalities add",
        {"municipality": "x" * 5000},
        focused="municipality",
    )
    assert long == []
    presets = await world.as_admin.autocomplete(
        "network municipalities add",
        {"preset": "hall"},
        focused="preset",
    )
    assert [(c.name, c.value) for c in presets] == [("Hallands län – 6 kommuner", "county-13")]


async def test_add_one_then_a_preset_then_remove(world: World) -> None:
    sb, guild, admin = world.sandbox, world.guild, world.admin
    one = await sb.invoke(
        "network municipalities add", {"municipality": "Halmstads kommun"}, user=admin, guild=guild
    )
    assert one.ephemeral and "Tillagda (1): Halmstad" in one.text
    preset = await sb.invoke(
        "network municipalities add", {"preset": "county-13"}, user=admin, guild=guild
    )
    assert "Tillagda (5): Hylte, Laholm, Falkenberg, Varberg, Kungsbacka" in preset.text
    assert "Fanns redan (1): Halmstad" in preset.text
    listed = await sb.invoke("network municipalities list", {}, user=admin, guild=guild)
    assert "6 medlemskommuner" in listed.text
    assert "Falkenberg (Hallands län) — 1382" in listed.text
    # Only the network's own municipalities are offered for removal.
    offered = await sb.autocomplete(
        "network municipalities remove",
        {"municipality": ""},
        focused="municipality",
        user=admin,
        guild=guild,
    )
    assert sorted(c.value for c in offered) == sorted(municipalities.preset("county-13").codes)  # type: ignore[union-attr]
    removed = await sb.invoke(
        "network municipalities remove",
        {"municipality": "1384"},
        user=admin,
        guild=guild,
        locale="en-US",
    )
    assert "Removed (1): Kungsbacka" in removed.text
    again = await sb.invoke(
        "network municipalities remove",
        {"preset": "Hallands län"},
        user=admin,
        guild=guild,
        locale="en-US",
    )
    assert "Removed (5)" in again.text and "Already removed (1): Kungsbacka" in again.text
    assert await organisations.municipality_codes(world.bot.db, guild.id) == set()


@pytest.mark.parametrize(
    ("options", "sv", "en"),
    [
        (
            {"municipality": "Atlantis"},
            "**Kommun**: ”Atlantis” är ingen svensk kommun",
            "**Municipality**: “Atlantis” is not a Swedish municipality",
        ),
        ({"municipality": "x" * 5000}, "är ingen svensk kommun", "is not a Swedish municipality"),
        (
            {"municipality": "@everyone"},
            "”@everyone” är ingen svensk kommun",
            "“@everyone” is not a Swedish municipality",
        ),
        (
            {"preset": "Norrland"},
            "**Förval**: ”Norrland” är inget förval",
            "**Preset**: “Norrland” is not a preset",
        ),
        ({}, "Ange antingen en kommun eller ett förval", "Give either a municipality or a preset"),
        (
            {"municipality": "Halmstad", "preset": "fyrbodal"},
            "Ange antingen en kommun",
            "Give either a municipality",
        ),
    ],
)
async def test_bad_municipality_input_changes_nothing(
    world: World, options: dict, sv: str, en: str
) -> None:
    sb, guild = world.sandbox, world.guild
    for command in ("network municipalities add", "network municipalities remove"):
        reply = await sb.invoke(command, options, user=world.admin, guild=guild)
        assert reply.ephemeral and sv in reply.text, command
        english = await sb.invoke(command, options, user=world.admin, guild=guild, locale="en-US")
        assert en in english.text
        assert "@everyone" not in reply.text or not reply.message.pinged_everyone  # type: ignore[union-attr]
    assert (
        await organisations.list_organisations(world.bot.db, guild.id, include_archived=True) == []
    )


async def test_list_of_many_municipalities_is_paginated(world: World) -> None:
    sb, guild, admin = world.sandbox, world.guild, world.admin
    for preset in ("county-14", "county-12", "county-01"):  # Västra Götaland, Skåne, Stockholm
        await sb.invoke("network municipalities add", {"preset": preset}, user=admin, guild=guild)
    listed = await sb.invoke("network municipalities list", {}, user=admin, guild=guild)
    assert "108 medlemskommuner" in listed.text and "Sida 1 av" in listed.text
    assert [b.label for b in listed.buttons] == ["◀ Föregående", "Nästa ▶"]
    assert len(listed.embeds[0]["description"]) <= 4096
    page2 = await sb.click(listed, "Nästa ▶", user=admin)
    assert "Sida 2 av" in page2.text and page2.text != listed.text


async def test_organisations_add_list_rename_remove(world: World) -> None:
    sb, guild, admin = world.sandbox, world.guild, world.admin
    added = await sb.invoke(
        "network organisations add",
        {"name": "Röda korset Halmstad", "kind": "civil_society", "municipality": "1380"},
        user=admin,
        guild=guild,
    )
    assert "Röda korset Halmstad (Civilsamhälle) är tillagd i nätverket." in added.text
    same = await sb.invoke(
        "network organisations add",
        {"name": "röda korset halmstad", "kind": "civil_society"},
        user=admin,
        guild=guild,
        locale="en-US",
    )
    assert "Röda korset Halmstad is already in the network." in same.text
    await sb.invoke(
        "network organisations add",
        {"name": "Arbetsförmedlingen", "kind": "authority"},
        user=admin,
        guild=guild,
    )
    offered = await sb.autocomplete(
        "network organisations rename",
        {"organisation": "roda"},
        focused="organisation",
        user=admin,
        guild=guild,
    )
    assert [c.name for c in offered] == ["Röda korset Halmstad (Civilsamhälle)"]
    renamed = await sb.invoke(
        "network organisations rename",
        {"organisation": offered[0].value, "new_name": "Röda Korset Halmstad"},
        user=admin,
        guild=guild,
    )
    assert "Röda korset Halmstad heter nu Röda Korset Halmstad." in renamed.text
    listed = await sb.invoke(
        "network organisations list", {"kind": "authority"}, user=admin, guild=guild, locale="en-US"
    )
    assert "1 organisation" in listed.text and "Arbetsförmedlingen — Authority" in listed.text
    removed = await sb.invoke(
        "network organisations remove", {"organisation": offered[0].value}, user=admin, guild=guild
    )
    assert "Röda Korset Halmstad är arkiverad" in removed.text
    everything = await sb.invoke("network organisations list", {}, user=admin, guild=guild)
    assert "Röda Korset" not in everything.text and "1 organisation" in everything.text


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            {"name": "x" * 5000, "kind": "other"},
            "**Organisationens namn**: får vara högst 100 tecken",
        ),
        ({"name": "Hej @here", "kind": "other"}, "får inte innehålla omnämnanden"),
        (
            {"name": "ABF", "kind": "civil_society", "municipality": "Atlantis"},
            "**Kommun**: ”Atlantis” är ingen svensk kommun",
        ),
    ],
)
async def test_bad_organisation_input_changes_nothing(
    world: World, options: dict, expected: str
) -> None:
    reply = await world.as_admin.invoke("network organisations add", options)
    assert expected in reply.text
    assert await organisations.list_organisations(world.bot.db, world.guild.id) == []
    bogus = await world.as_admin.invoke("network organisations remove", {"organisation": "abc"})
    assert "**Organisation**: ingen sådan organisation" in bogus.text
