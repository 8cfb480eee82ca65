"""The directory's relevance set: queries people type, and who they should find.

The people are the demo network's (bot/shell/demo_directory.py) and a dozen more written for
this set, so that every feature of the one search is exercised: ASCII spellings, inflections,
compound parts and heads, typos, the thesaurus's acronyms and English queries. Recall counts
every relevant person found on any page; precision@5 counts the relevant ones among the first
five hits (or fewer, when fewer are found). The figures are printed and asserted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.db import Database
from bot.services import directory, functions, members, organisations, profiles
from bot.services.profiles import ProfileFields
from bot.shell.demo_directory import FUNCTIONS, MUNICIPALITIES, OTHERS, PROFILES
from tests.services.test_directory import GUILD, NOW, OTHER_GUILD, make_network

# handle: (name, title, department, organisation, expertise, languages)
MORE: dict[str, tuple[str, str, str, str, str, str]] = {
    "karin": ("Karin Nilsson", "Kulturtolk", "", "Uddevalla", "tolkning", "arabiska, somaliska"),
    "lena": ("Lena Ström", "Undersköterska", "Vård och omsorg", "Söderhamn", "äldreomsorg", ""),
    "ahmed": (
        "Ahmed Yusuf", "Verksamhetsutvecklare", "", "Studieförbundet Vuxenskolan",
        "samhällsorientering, föräldraskap", "somaliska",
    ),
    "sara": (
        "Sara Lind", "Enhetschef", "HVB för ensamkommande", "Lysekil", "HVB, ensamkommande", "",
    ),
    "per": (
        "Per Holm", "Studie- och yrkesvägledare", "Vuxenutbildningen", "Halmstad",
        "SFI, svenska för invandrare", "",
    ),
    "mona": (
        "Mona Eriksson", "Projektledare", "", "Region Halland",
        "ESF, Europeiska socialfonden, praktikplatser", "",
    ),
    "omar": (
        "Omar Ali", "Samhällskommunikatör", "", "Varberg", "samhällsorientering på arabiska",
        "arabiska, tigrinja",
    ),
    "ingrid": (
        "Ingrid Berg", "Socialsekreterare", "", "Falkenberg",
        "nätverket för flyktingmottagning", "",
    ),
    "jonas": ("Jonas Ek", "Lärare i svenska", "", "Halmstad", "modersmålsundervisning", ""),
    "li": ("Li Wang", "Integration coordinator", "", "Varberg", "", "kinesiska, engelska"),
    "gustav": ("Gustav Stod", "Vaktmästare", "", "Falkenberg", "", ""),
    "hanna": ("Hanna Svensson", "Familjebehandlare", "", "Falkenberg", "stöd till familjer", ""),
}  # fmt: skip

EXTRA_ORGS = {
    "Uddevalla": ("municipality", "1485"),
    "Söderhamn": ("municipality", "2182"),
    "Lysekil": ("municipality", "1484"),
    "Studieförbundet Vuxenskolan": ("civil_society", None),
}

# query: who should be found (every one of them, and nobody else in the first five)
RELEVANCE: dict[str, set[str]] = {
    # compound heads and parts, inflections
    "samordnare": {"maria", "anna", "li"},
    "samordnaren": {"maria", "anna", "li"},
    "integrationssamordnare": {"anna"},
    "nätverkssamordnare": {"maria"},
    "tolk": {"karin"},
    "tolken": {"karin"},
    "sköterska": {"lena"},
    "förbund": {"ahmed"},
    "studieförbund": {"ahmed"},
    "trauma": {"fatima"},
    "praktikplats": {"mona"},
    "praktikplatsen": {"mona"},
    "praktik": {"anna", "johan", "mona"},
    "nätverket": {"ingrid", "maria"},
    "flyktingmottagning": {"ingrid"},
    "sekreterare": {"ingrid"},
    "socialsekreterare": {"ingrid"},
    "lärare": {"jonas"},
    "validering": {"erik"},
    # ASCII spellings; "stöd" is not "stod"
    "Soderhamn": {"lena"},
    "söderhamn": {"lena"},
    "skoterska": {"lena"},
    "arbetsformedlingen": {"johan"},
    "samhallsorientering": {"anna", "ahmed", "omar"},
    "omvarldsbevakning": {"maria"},
    "stöd": {"hanna"},
    "stod": {"gustav", "hanna"},
    # typos
    "Soderhamm": {"lena"},
    "Uddevala": {"karin"},
    "kulturtolkk": {"karin"},
    "vaktmastere": {"gustav"},
    # acronyms and the thesaurus
    "TMO": {"fatima"},
    "traumamedveten omsorg": {"fatima"},
    "SFI": {"erik", "per"},
    "svenska för invandrare": {"erik", "per"},
    "HVB": {"sara"},
    "hem för vård eller boende": {"sara"},
    "ESF": {"johan", "mona"},
    "Europeiska socialfonden": {"johan", "mona"},
    "AF": {"johan"},
    "nyanlända": {"anna", "johan"},
    "ensamkommande": {"fatima", "sara"},
    "samhällsorientering": {"anna", "ahmed", "omar"},
    "enhetschef": {"erik", "sara"},
    # English queries
    "Arabic": {"anna", "fatima", "karin", "omar"},
    "interpreter": {"karin"},
    "newcomers": {"anna", "johan"},
    "project manager": {"johan", "mona"},
    "unit manager": {"erik", "sara"},
    "teacher": {"jonas"},
    "coordinator": {"maria", "anna", "li"},
    # places and several words
    "Halmstad": {"anna", "per", "jonas"},
    "Varberg": {"fatima", "omar", "li"},
    "Lysekil": {"sara"},
    "anna halmstad": {"anna"},
    "uddevalla tolk": {"karin"},
    "projektledare": {"johan", "mona"},
    "arabiska": {"anna", "fatima", "karin", "omar"},
}


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        await make_network(database)
        await make_network(database, OTHER_GUILD, "Fyrbodal")
        await seed(database)
        yield database


async def seed(db: Database) -> dict[str, int]:
    """The demo's people and the set's own, in GUILD; a decoy in the other network."""
    await organisations.add_municipalities(db, GUILD, list(MUNICIPALITIES.values()))
    for name, kind in OTHERS.items():
        await organisations.add(db, GUILD, kind=kind, name=name)
    for name, (kind, code) in EXTRA_ORGS.items():
        if code is not None:
            await organisations.add_municipalities(db, GUILD, [code])
        else:
            await organisations.add(db, GUILD, kind=kind, name=name)
    orgs: dict[str, int] = {}
    for o in await organisations.list_organisations(db, GUILD):
        orgs[o.name] = o.id
        orgs[o.name.removesuffix(" kommun")] = o.id
    users: dict[str, int] = {}
    for n, (handle, (fields, org, expertise, languages, _contact, _age)) in enumerate(
        PROFILES.items(), start=1
    ):
        users[handle] = n
        await members.set_organisation(db, GUILD, n, orgs[org], NOW)
        await profiles.save(
            db,
            GUILD,
            n,
            fields,
            now=NOW,
            expertise=profiles.parse_expertise(expertise),
            languages=profiles.parse_languages(languages),
        )
    for n, (handle, (name, title, department, org, expertise, languages)) in enumerate(
        MORE.items(), start=100
    ):
        users[handle] = n
        await members.set_organisation(db, GUILD, n, orgs[org], NOW)
        await profiles.save(
            db,
            GUILD,
            n,
            ProfileFields(name, title, department or None),
            now=NOW,
            expertise=profiles.parse_expertise(expertise),
            languages=profiles.parse_languages(languages),
        )
    for org, name, holder in FUNCTIONS:
        added = await functions.add(db, GUILD, orgs[org], name, now=NOW)
        if holder is not None:
            await functions.assign(db, GUILD, added.id, users[holder], actor_id=1, now=NOW)
    # Someone in another network who matches everything: never found from GUILD.
    await profiles.save(
        db,
        OTHER_GUILD,
        999,
        ProfileFields("Decoy Samordnare", "Kulturtolk TMO SFI HVB ESF Undersköterska"),
        now=NOW,
    )
    return users


async def test_the_relevance_set(db: Database) -> None:
    handles = {
        **{fields.display_name: h for h, (fields, *_rest) in PROFILES.items()},
        **{name: h for h, (name, *_rest) in MORE.items()},
    }
    assert len(RELEVANCE) >= 40
    recalls: list[float] = []
    precisions: list[float] = []
    misses: list[str] = []
    for query, relevant in RELEVANCE.items():
        result = await directory.search(db, GUILD, query=query, per_page=100)
        found = [handles[p.display_name] for p in result.hits]
        top = found[:5]
        recall = len(relevant & set(found)) / len(relevant)
        precision = sum(h in relevant for h in top) / len(top) if top else 0.0
        recalls.append(recall)
        precisions.append(precision)
        if recall < 1 or precision < 1:
            misses.append(f"{query!r}: found {found}, wanted {sorted(relevant)}")
    recall = sum(recalls) / len(recalls)
    precision = sum(precisions) / len(precisions)
    n = len(RELEVANCE)
    print(f"\nrelevance set: {n} queries, recall {recall:.3f}, precision@5 {precision:.3f}")
    for line in misses:
        print("  ", line)
    assert recall >= 0.95, misses
    assert precision >= 0.9, misses


async def test_hits_are_explained(db: Database) -> None:
    result = await directory.search(db, GUILD, query="Uddevala kulturtolkk", per_page=5)
    assert [p.display_name for p in result.hits] == ["Karin Nilsson"]
    assert result.corrected["kulturtolkk"] == "kulturtolk"
    [hit] = result.scored
    assert hit.source == "directory" and hit.id == result.hits[0].id and hit.score > 0
    assert {(m.term, m.field, m.via) for m in hit.matched} >= {
        ("uddevala", "organisation", "typo"),
        ("kulturtolkk", "title", "typo"),
    }
    place = await directory.search(db, GUILD, query="Uddevala tolk")
    assert place.corrected == {}  # a misspelt municipality needs no correction: it is a place
    assert {(m.term, m.field, m.via) for m in place.scored[0].matched} == {
        ("uddevala", "organisation", "place"),
        ("tolk", "title", "word"),
        ("tolk", "expertise", "word"),
    }
    tmo = await directory.search(db, GUILD, query="traumamedveten omsorg")
    assert ("traumamedveten omsorg", "expertise", "word") in {
        (m.term, m.field, m.via) for m in tmo.scored[0].matched
    }
    acronym = await directory.search(db, GUILD, query="hem för vård eller boende")
    assert {m.via for m in acronym.scored[0].matched} == {"thesaurus"}


async def test_the_other_network_is_never_read(db: Database) -> None:
    for query in ("samordnare", "kulturtolk", "TMO", "decoy", "Undersköterska"):
        result = await directory.search(db, GUILD, query=query, per_page=100)
        assert "Decoy Samordnare" not in [p.display_name for p in result.hits]
    other = await directory.search(db, OTHER_GUILD, query="tolk")
    assert [p.display_name for p in other.hits] == ["Decoy Samordnare"]
    # Its index tokens carry its own id: the guild's own terms are all that a search reads.
    sample = await db.fetchval(
        "SELECT name FROM directory_index WHERE rowid = ?", (other.hits[0].id,)
    )
    assert all(t.startswith(f"{OTHER_GUILD}") for t in sample.split())
