"""The practice search's relevance set: 40 practices, 40+ Swedish and English queries with the
practices they must find (ASCII spellings, inflections, compound parts and heads, typos,
acronyms, place names). Recall ≥ 0.95 and precision@5 ≥ 0.9 over the set."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db import Database
from bot.services.practices import model
from bot.services.practices.search import Criteria, search
from bot.shell.demo_practices import PRACTICES, P

GUILD = 4242
OTHER = 4343
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

EXTRA = (
    P(
        "Arbetsmarknadsintroduktion för akademiker",
        "Snabbspår för nyanlända med högskoleexamen: mentorer och branschnätverk.",
        themes=("work",),
        targets=("newly_arrived_adults",),
        where=("Göteborg",),
        orgs=("Göteborgs stad",),
    ),
    P(
        "Tolkstöd i mödravården",
        "Barnmorskor arbetar med tolk och lättläst information för gravida nyanlända kvinnor.",
        themes=("health",),
        targets=("women",),
        where=("Borås",),
        orgs=("Västra Götalandsregionen",),
    ),
    P(
        "Läsfrämjande på lättsvenska",
        "Bokcirklar med lättlästa böcker för vuxna som lär sig svenska.",
        themes=("language",),
        targets=("newly_arrived_adults",),
        where=("Trollhättan",),
        orgs=("Trollhättans bibliotek",),
    ),
    P(
        "Mentorprogram för unga",
        "Unga vuxna matchas med en mentor från arbetslivet under ett år.",
        themes=("work", "unaccompanied"),
        targets=("unaccompanied_minors",),
        where=("Vänersborg",),
        orgs=("Vänersborgs kommun",),
    ),
    P(
        "Familjecentral med öppen förskola",
        "En mötesplats för föräldrar och barn med barnhälsovård och socialtjänst under ett tak.",
        themes=("school", "health"),
        targets=("families_children",),
        where=("Kungälv",),
        orgs=("Kungälvs kommun",),
    ),
    P(
        "Stadsodling och trädgårdspraktik",
        "Odlingslotter där nyanlända lär sig svenska och får arbetslivserfarenhet.",
        themes=("work", "language"),
        targets=("far_from_labour_market",),
        where=("Hylte",),
        orgs=("Hylte kommun",),
    ),
    P(
        "Körkortsutbildning med modersmålsstöd",
        "Teori för körkort med stöd på arabiska och dari, en väg till jobb.",
        themes=("work",),
        targets=("newly_arrived_adults",),
        where=("Laholm",),
        orgs=("Laholms kommun",),
    ),
    P(
        "Cykelskola för vuxna",
        "Att lära sig cykla som vuxen ger frihet att ta sig till jobb och SFI.",
        themes=("leisure",),
        targets=("women",),
        where=("Falkenberg",),
        orgs=("Falkenbergs kommun",),
    ),
    P(
        "Psykosocialt stöd för ensamkommande",
        "Samtalsstöd och gruppverksamhet för unga med trauma.",
        themes=("health", "unaccompanied"),
        targets=("unaccompanied_minors",),
        where=("Varberg",),
        orgs=("Region Halland",),
    ),
    P(
        "Hyresgästskola på lätt svenska",
        "Information om boende, hyra och grannar på lätt svenska.",
        themes=("housing",),
        targets=("newly_arrived_adults",),
        where=("Halmstad",),
        orgs=("Halmstads kommun",),
    ),
)
ALL = PRACTICES + EXTRA

# query → titles (each must be in the results; together, the relevant set of the query)
QUERIES: dict[str, set[str]] = {
    # compound parts and heads
    "guider": {"Samhällsguider i Lysekil"},
    "samhällsguide": {"Samhällsguider i Lysekil"},
    "praktik": {
        "Praktikplatser för nyanlända i kommunens verksamheter",
        "Stadsodling och trädgårdspraktik",
        "Kvinnors väg till arbete",
    },
    "omsorg": {"TMO-utbildning för personal på HVB-hem", "Jobbspår inom äldreomsorgen"},
    "läxhjälp": {"Läxhjälp i föreningslivet"},
    "idrott": {"Idrottsskola för nyanlända barn"},
    "förskola": {"Modersmålsstöd i förskolan", "Familjecentral med öppen förskola"},
    "sommarjobb": {"Sommarjobb för ensamkommande ungdomar"},
    "kompetensutveckling": {"Kompetensutveckling för 400 medarbetare (LIS)"},
    "inventering": {
        "Integration Hallands inventering av insatser",
        "Material för nyanlända om Halland",
    },
    "bibliotek": {"Språkcafé på biblioteket"},
    "café": {"Språkcafé på biblioteket"},
    "vård": {"Validering av utländsk vårdutbildning"},
    "simskola": {"Simundervisning för vuxna kvinnor"},
    "körkort": {"Körkortsutbildning med modersmålsstöd"},
    "cykla": {"Cykelskola för vuxna"},
    "mentor": {"Mentorprogram för unga", "Arbetsmarknadsintroduktion för akademiker"},
    "odling": {"Stadsodling och trädgårdspraktik"},
    # inflections
    "samhällsguiderna": {"Samhällsguider i Lysekil"},
    "idrottsskolan": {"Idrottsskola för nyanlända barn"},
    "studiecirkel": {"Studiecirklar i svenska med Röda korset"},
    "föräldragrupperna": {"Föräldrastöd i nytt land"},
    # ASCII spellings
    "sprakcafe": {"Språkcafé på biblioteket"},
    "lakshjalp": {"Läxhjälp i föreningslivet"},
    "Soderhamn": {"Söderhamns integrationsnätverk", "Hälsoskola för nyanlända"},
    "boendestod": {"Boendestöd för ensamkommande över 18"},
    "korkort": {"Körkortsutbildning med modersmålsstöd"},
    # typos
    "samhalsguider": {"Samhällsguider i Lysekil"},
    "validring": {"Validering av utländsk vårdutbildning"},
    "simundervisnig": {"Simundervisning för vuxna kvinnor"},
    # acronyms
    "TMO": {"TMO-utbildning för personal på HVB-hem", "Traumamedveten skola"},
    "HVB": {
        "TMO-utbildning för personal på HVB-hem",
        "Nätverk över professionsgränser för HVB och skola",
    },
    "ESF": {"Kompetensutveckling för 400 medarbetare (LIS)"},
    "SFI": {"SFI med yrkesinriktning mot bygg", "Cykelskola för vuxna"},
    # place names
    "Lomma": {"Kompetensutveckling för 400 medarbetare (LIS)"},
    "Västerås": {"Mimers Kollage i Västerås"},
    "Vasteras": {"Mimers Kollage i Västerås"},
    "Munkedal": {"Gode män för ensamkommande", "Boendestöd för ensamkommande över 18"},
    # English queries
    "internship": {"Praktikplatser för nyanlända i kommunens verksamheter"},
    "trauma": {
        "TMO-utbildning för personal på HVB-hem",
        "Traumamedveten skola",
        "Psykosocialt stöd för ensamkommande",
    },
    "Kollage": {"Mimers Kollage i Västerås"},
    "swimming women": {"Simundervisning för vuxna kvinnor"},
    "homework help": {"Läxhjälp i föreningslivet"},
}


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        for guild in (GUILD, OTHER):
            await database.execute(
                "INSERT INTO networks (guild_id, name) VALUES (?, ?)", (guild, "N")
            )
        for fields in ALL:
            await model.create(database, GUILD, fields, user_id=1, now=NOW)
        # Another network holds the same titles: never found from this one.
        for fields in ALL[:5]:
            await model.create(database, OTHER, fields, user_id=2, now=NOW)
        yield database


async def test_relevance_set(db: Database) -> None:
    assert len(ALL) >= 40 and len(QUERIES) >= 40
    found_relevant = relevant = 0
    precise = shown = 0
    misses: list[str] = []
    for query, expected in QUERIES.items():
        result = await search(db, GUILD, Criteria(query=query), per_page=5)
        titles = [p.title for p in result.practices]
        assert all(p.guild_id == GUILD for p in result.practices)
        found = expected & set(titles)
        relevant += len(expected)
        found_relevant += len(found)
        top = titles[:5]
        shown += min(len(top), max(len(expected), 1)) if top else 0
        precise += len([t for t in top[: max(len(expected), 1)] if t in expected])
        if found != expected or any(t not in expected for t in top[: len(expected)]):
            misses.append(f"{query!r}: {titles}")
    recall = found_relevant / relevant
    precision = precise / max(shown, 1)
    assert recall >= 0.95, (recall, misses)
    assert precision >= 0.9, (precision, misses)
    print(f"recall {recall:.3f} precision {precision:.3f} misses {misses}")
