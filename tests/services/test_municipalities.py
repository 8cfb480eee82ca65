"""Tests for the municipality reference data, lookup and autocomplete search."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services import municipalities as mun
from bot.services.municipalities import (
    PRESETS,
    County,
    Municipality,
    all_municipalities,
    by_code,
    by_name,
    counties,
    county_name_en,
    preset,
    resolve,
    search,
)
from bot.services.textnorm import swedish_sort_key


def code_of(name: str) -> str:
    found = by_name(name)
    assert found is not None, name
    return found.code


# --- reference data -----------------------------------------------------------------------------


def test_counts() -> None:
    assert len(all_municipalities()) == 290
    assert len({m.code for m in all_municipalities()}) == 290
    assert len({m.name for m in all_municipalities()}) == 290
    assert len(counties()) == 21


def test_records_are_consistent() -> None:
    county_names = {c.code: c.name for c in counties()}
    for m in all_municipalities():
        assert len(m.code) == 4 and m.code.isdigit()
        assert m.code[:2] == m.county_code
        assert county_names[m.county_code] == m.county
        assert m.name == m.name.strip() and m.name


def test_by_code_and_by_name() -> None:
    halmstad = by_code("1380")
    assert halmstad == Municipality("1380", "Halmstad", "13", "Hallands län")
    assert by_code(" 1380 ") == halmstad
    assert by_code("9999") is None
    assert by_name("halmstad") == halmstad
    assert by_name("DALS ED") == by_name("Dals-Ed") == by_code("1438")
    assert by_name("Halmstads kommun") is None  # exact only: resolve() handles suffixes


def test_data_is_loaded_once() -> None:
    assert all_municipalities() is all_municipalities()
    assert mun._data() is mun._data()


def test_dataclasses_are_frozen() -> None:
    halmstad = by_code("1380")
    assert halmstad is not None
    with pytest.raises(AttributeError):
        halmstad.name = "Somewhere"  # type: ignore[misc]


# --- counties and presets -----------------------------------------------------------------------

COUNTY_EN = {
    "01": "Stockholm County",
    "03": "Uppsala County",
    "04": "Södermanland County",
    "05": "Östergötland County",
    "06": "Jönköping County",
    "07": "Kronoberg County",
    "08": "Kalmar County",
    "09": "Gotland County",
    "10": "Blekinge County",
    "12": "Skåne County",
    "13": "Halland County",
    "14": "Västra Götaland County",
    "17": "Värmland County",
    "18": "Örebro County",
    "19": "Västmanland County",
    "20": "Dalarna County",
    "21": "Gävleborg County",
    "22": "Västernorrland County",
    "23": "Jämtland County",
    "24": "Västerbotten County",
    "25": "Norrbotten County",
}


def test_english_county_names_checked_by_hand() -> None:
    assert {c.code: county_name_en(c) for c in counties()} == COUNTY_EN


def test_county_presets() -> None:
    for county in counties():
        found = preset(f"county-{county.code}")
        assert found is not None
        assert found.name_sv == county.name
        assert found.name_en == COUNTY_EN[county.code]
        assert found.codes == tuple(
            m.code for m in all_municipalities() if m.county_code == county.code
        )
    halland = PRESETS["county-13"]
    assert halland.name_sv == "Hallands län"
    assert halland.name_en == "Halland County"
    assert {by_code(c).name for c in halland.codes} == {  # type: ignore[union-attr]
        "Hylte", "Halmstad", "Laholm", "Falkenberg", "Varberg", "Kungsbacka",
    }  # fmt: skip


REGIONS = {
    "fyrbodal": (
        "Bengtsfors", "Dals-Ed", "Färgelanda", "Lysekil", "Mellerud", "Munkedal", "Orust",
        "Sotenäs", "Strömstad", "Tanum", "Trollhättan", "Uddevalla", "Vänersborg", "Åmål",
    ),
    "goteborgsregionen": (
        "Ale", "Alingsås", "Göteborg", "Härryda", "Kungsbacka", "Kungälv", "Lerum", "Lilla Edet",
        "Mölndal", "Partille", "Stenungsund", "Tjörn", "Öckerö",
    ),
    "skaraborg": (
        "Essunga", "Falköping", "Grästorp", "Gullspång", "Götene", "Hjo", "Karlsborg",
        "Lidköping", "Mariestad", "Skara", "Skövde", "Tibro", "Tidaholm", "Töreboda", "Vara",
    ),
    "sjuharad": (
        "Bollebygd", "Borås", "Herrljunga", "Mark", "Svenljunga", "Tranemo", "Ulricehamn",
        "Vårgårda",
    ),
}  # fmt: skip


@pytest.mark.parametrize(("key", "count"), [("fyrbodal", 14), ("goteborgsregionen", 13),
                                            ("skaraborg", 15), ("sjuharad", 8)])  # fmt: skip
def test_regional_presets(key: str, count: int) -> None:
    found = preset(key)
    assert found is not None
    assert len(found.codes) == len(set(found.codes)) == count
    assert set(found.codes) == {code_of(name) for name in REGIONS[key]}
    assert list(found.codes) == sorted(found.codes)
    # All four are associations of municipalities in Västra Götaland, bar Kungsbacka.
    assert {by_code(c).county_code for c in found.codes} <= {"13", "14"}  # type: ignore[union-attr]


def test_regional_preset_names() -> None:
    assert PRESETS["goteborgsregionen"].name_sv == "Göteborgsregionen"
    assert PRESETS["goteborgsregionen"].name_en == "Gothenburg Region"
    assert PRESETS["sjuharad"].name_sv == "Sjuhärad"
    assert PRESETS["fyrbodal"].name_sv == "Fyrbodal"
    assert PRESETS["skaraborg"].name_sv == "Skaraborg"


def test_kungsbacka_is_in_goteborgsregionen_and_halland() -> None:
    kungsbacka = code_of("Kungsbacka")
    assert kungsbacka in PRESETS["goteborgsregionen"].codes
    assert kungsbacka in PRESETS["county-13"].codes


def test_presets_keys_and_lookup() -> None:
    assert len(PRESETS) == 4 + 21
    assert all(key == p.key for key, p in PRESETS.items())
    assert preset("nope") is None
    assert preset("county-99") is None
    with pytest.raises(TypeError):
        PRESETS["x"] = PRESETS["fyrbodal"]  # type: ignore[index]  # read-only


def test_unknown_module_attribute() -> None:
    with pytest.raises(AttributeError):
        _ = mun.NOT_THERE


def test_county_dataclass() -> None:
    assert counties()[0] == County("01", "Stockholms län")


# --- resolve ------------------------------------------------------------------------------------

RESOLVES: list[tuple[str, str]] = [
    ("Soderhamn", "Söderhamn"),
    ("Uddevala", "Uddevalla"),
    ("Halmstads kommun", "Halmstad"),
    ("goteborg", "Göteborg"),
    ("Göteborgs stad", "Göteborg"),
    ("malmo", "Malmö"),
    ("Malmö stad", "Malmö"),
    ("Amal", "Åmål"),
    ("lysekill", "Lysekil"),
    ("Lysekils kommun", "Lysekil"),
    ("Kungsbaka", "Kungsbacka"),
    ("Varberg ", "Varberg"),
    ("FALKENBERG", "Falkenberg"),
    ("laholms kommun", "Laholm"),
    ("Hylte", "Hylte"),
    ("Ockero", "Öckerö"),
    ("Stromstad", "Strömstad"),
    ("Trollhatan", "Trollhättan"),
    ("Vanersborg", "Vänersborg"),
    ("Farjelanda", "Färgelanda"),
    ("dals ed", "Dals-Ed"),
    ("Dalsed", "Dals-Ed"),
    ("Upplands Vasby", "Upplands Väsby"),
    ("upplands-väsby", "Upplands Väsby"),
    ("Upplandsbro", "Upplands-Bro"),
    ("Borås kommun", "Borås"),
    ("Boras", "Borås"),
    ("Robertsfors kommun", "Robertsfors"),
    ("Strängnäs kommun", "Strängnäs"),
    ("Vannas", "Vännäs"),
    ("Marks kommun", "Mark"),
    ("Mark", "Mark"),
    ("Malå", "Malå"),
    ("Mala", "Malå"),
    ("Ale", "Ale"),
    ("Åre", "Åre"),
    ("Are", "Åre"),
    ("Hjo", "Hjo"),
    ("Bjuv", "Bjuv"),
    ("Habo", "Habo"),  # Habo and Håbo fold to the same key: the literal spelling decides
    ("Håbo", "Håbo"),
    ("HÅBO KOMMUN", "Håbo"),
    ("habos kommun", "Habo"),
    ("Lund", "Lund"),
    ("Lulea", "Luleå"),
    ("Nacka", "Nacka"),
    ("Taby", "Täby"),
    ("Stockholms stad", "Stockholm"),
    ("Gothenburg", "Göteborg"),
    ("Region Gotland", "Gotland"),
    ("Halmstad", "Halmstad"),
    ("Halmstads", "Halmstad"),
    ("Halmstds kommun", "Halmstad"),
    ("Kristianstadt", "Kristianstad"),
    ("Ulrisehamn", "Ulricehamn"),
    ("Ostersund", "Östersund"),
    ("Örnsköldvik", "Örnsköldsvik"),
    ("Ornskoldsvik", "Örnsköldsvik"),
    ("Malung", "Malung-Sälen"),
    ("Skelleftea", "Skellefteå"),
    ("Eskilstun", "Eskilstuna"),
    ("Lerun", "Lerum"),
    ("Lilla edet kommun", "Lilla Edet"),
    ("Östra Göinge", "Östra Göinge"),
    ("ostra goinge", "Östra Göinge"),
    ("1380", "Halmstad"),
    ("  Upplands   Väsby  kommun ", "Upplands Väsby"),
]

NOT_RESOLVED: list[str] = [
    "",
    "   ",
    "kommun",
    "xyz",
    "Stockholms län",
    "Hallands län",
    "Halland County",
    "Halland",  # a county/province, not a municipality
    "Skåne",
    "x" * 5000,
    "Halmstad" * 100,
    "@everyone",
    "🙂",
    "مرحبا",
    "مالمو",  # Malmö in Arabic script: not transliterated
    "Naka",  # one edit from Nacka but four letters: not confident
    "Mak",
    "Lun",
    "9999",
    "Sverige",
    "Norway",
    "Upplands",  # Upplands Väsby or Upplands-Bro?
    "Häbo",  # Habo or Håbo?
]


@pytest.mark.parametrize(("text", "expected"), RESOLVES)
def test_resolve(text: str, expected: str) -> None:
    found = resolve(text)
    assert found is not None
    assert found.name == expected


@pytest.mark.parametrize("text", NOT_RESOLVED, ids=lambda t: repr(t[:20]))
def test_resolve_refuses(text: str) -> None:
    assert resolve(text) is None


def test_resolve_table_is_large_enough() -> None:
    assert len(RESOLVES) >= 40


def test_every_name_resolves_to_itself_in_every_spelling() -> None:
    for m in all_municipalities():
        for spelling in (m.name, m.name.upper(), m.name.lower(), f"{m.name} kommun"):
            assert resolve(spelling) == m, spelling


@given(st.text(max_size=120))
def test_resolve_never_crashes(text: str) -> None:
    found = resolve(text)
    assert found is None or isinstance(found, Municipality)


# --- search -------------------------------------------------------------------------------------


def names(results: list[Municipality]) -> list[str]:
    return [m.name for m in results]


def test_search_empty_is_swedish_alphabetical() -> None:
    everything = names(search("", limit=1000))
    assert len(everything) == 290
    assert everything == sorted(everything, key=swedish_sort_key)
    assert everything[0] == "Ale"
    assert everything[-3:] == ["Östra Göinge", "Överkalix", "Övertorneå"]
    # å, ä, ö after z, in that order
    first_letters = "".join(dict.fromkeys(name[0] for name in everything))
    assert first_letters.endswith("YÅÄÖ")
    assert names(search("   ", limit=3)) == ["Ale", "Alingsås", "Alvesta"]


def test_search_default_limit_is_discords() -> None:
    assert len(search("")) == 25
    assert search("a", limit=0) == []


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Mark", "Mark"),
        ("mark", "Mark"),
        ("Malå", "Malå"),
        ("Ale", "Ale"),
        ("Åre", "Åre"),
        ("Hjo", "Hjo"),
        ("Lund", "Lund"),
        ("Lule", "Luleå"),
        ("upplands-bro", "Upplands-Bro"),
        ("upplands v", "Upplands Väsby"),
        ("väsby", "Upplands Väsby"),
        ("Gotebo", "Göteborg"),
        ("goteborgs stad", "Göteborg"),
        ("Halmstads", "Halmstad"),
        ("Halmstads kommun", "Halmstad"),
        ("uddeva", "Uddevalla"),
        ("udeva", "Uddevalla"),  # typo in a half-typed name
        ("Kungsbaka", "Kungsbacka"),
        ("Trollhatan", "Trollhättan"),
        ("edet", "Lilla Edet"),
        ("salen", "Malung-Sälen"),
        ("dals ed", "Dals-Ed"),
        ("ÖCKERÖ", "Öckerö"),
        ("Habo", "Habo"),
        ("Håbo", "Håbo"),
    ],
)
def test_search_ranks_first(text: str, first: str) -> None:
    assert names(search(text))[0] == first


def test_search_shows_both_habo_and_habo() -> None:
    assert names(search("habo"))[:2] == ["Habo", "Håbo"]
    assert names(search("håbo"))[:2] == ["Håbo", "Habo"]


def test_search_prefix_before_fuzzy_and_alphabetical_within_tier() -> None:
    assert names(search("Mark"))[:2] == ["Mark", "Markaryd"]
    assert names(search("kung"))[:3] == ["Kungsbacka", "Kungsör", "Kungälv"]
    upp = names(search("upp"))
    assert upp[:4] == ["Upplands Väsby", "Upplands-Bro", "Uppsala", "Uppvidinge"]


def test_search_infix_after_prefix() -> None:
    results = names(search("hamn"))
    assert "Söderhamn" in results and "Karlshamn" in results and "Nynäshamn" in results
    assert results == sorted(results, key=swedish_sort_key)  # all infix: alphabetical


def test_search_among_restricts() -> None:
    halland = PRESETS["county-13"].codes
    assert names(search("", among=halland)) == [
        "Falkenberg", "Halmstad", "Hylte", "Kungsbacka", "Laholm", "Varberg",
    ]  # fmt: skip
    assert names(search("kung", among=halland)) == ["Kungsbacka"]
    assert search("Göteborg", among=halland) == []
    assert search("Göteborg", among=set()) == []
    assert names(search("h", among=list(halland))) == ["Halmstad", "Hylte", "Laholm"]


def test_search_nonsense_and_hostile_input() -> None:
    assert search("xyzxyzxyz") == []
    assert search("@everyone") == []
    assert search("🙂") == []
    assert search("x" * 5000) == []
    assert search("مرحبا") == []


@given(st.text(max_size=60), st.integers(min_value=0, max_value=40))
def test_search_properties(text: str, limit: int) -> None:
    results = search(text, limit=limit)
    assert len(results) <= limit
    assert len({m.code for m in results}) == len(results)
