"""The bench's directory data and its queries, with what each query must find.

Pure Python, imported both by the harness (`bench.side.bench_data`, to check replies) and by the
tree side (`bench_data`, to seed a database with the code of the tree under test), so that the
expected answers and the seeded rows come from one place.

The data avoids words whose meaning a smarter search may widen, so that the expected set is the
same for a plain and a linguistic search: no tag has a synonym among the tags (only "TMO", never
"traumamedveten omsorg"), no first name contains another ("Hanna" would contain "Anna"), and no
queried surname is a compound of another word in the data.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

PROFILES = 10_000
OTHER_NETWORKS = 99
OTHER_PROFILES = 100_000
RESOURCES = 10_000

MUNICIPALITIES = {
    "1315": "Hylte",
    "1380": "Halmstad",
    "1381": "Laholm",
    "1382": "Falkenberg",
    "1383": "Varberg",
    "1384": "Kungsbacka",
}
OTHERS = [
    "Arbetsförmedlingen",
    "Länsstyrelsen Halland",
    "Region Halland",
    "Röda korset",
    "Svenska kyrkan",
    "ABF Halland",
    "Studiefrämjandet",
    "IFK Halmstad",
]
TITLES = [
    "Integrationssamordnare",
    "Projektledare",
    "Enhetschef",
    "Socialsekreterare",
    "Lärare i SFI",
    "Studie- och yrkesvägledare",
    "Bibliotekarie",
    "Handläggare",
    "Samhällsvägledare",
    "Verksamhetsutvecklare",
    "Boendesamordnare",
    "Arbetsmarknadskonsulent",
]
TAGS = [
    "TMO",
    "praktik för nyanlända",
    "samhällsorientering",
    "SFI",
    "ensamkommande barn",
    "HVB",
    "föräldraskapsstöd",
    "bostad",
    "hälsa",
    "språkstöd",
    "föreningsliv",
    "ESF-projekt",
    "arbetsmarknad",
    "validering",
    "skola",
    "mentorskap",
    "civilsamhälle",
    "tolkning",
    "omvärldsbevakning",
]
FIRST = [
    "Anna",
    "Erik",
    "Fatima",
    "Johan",
    "Maria",
    "Ahmed",
    "Sara",
    "Lars",
    "Amina",
    "Karin",
    "Mohammed",
    "Eva",
    "Peter",
    "Leila",
    "Nils",
    "Hedda",
    "Omar",
    "Ingrid",
    "Yusuf",
    "Elin",
]
LAST = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Hassan",
    "Ali",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Abdi",
    "Mohamed",
    "Lindqvist",
    "Berg",
]
# Organisations in seeding order: (name, municipality code or None).
ORGANISATIONS: list[tuple[str, str | None]] = [
    *((name, code) for code, name in MUNICIPALITIES.items()),
    *((name, None) for name in OTHERS),
]


@dataclass(frozen=True, slots=True)
class Person:
    index: int
    first: str
    last: str
    title: str
    organisation: int
    """Index into ORGANISATIONS."""
    tags: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.first} {self.last} {self.index}"

    @property
    def municipality_code(self) -> str | None:
        return ORGANISATIONS[self.organisation][1]

    @property
    def organisation_name(self) -> str:
        return ORGANISATIONS[self.organisation][0]


def people(count: int = PROFILES, seed: int = 4) -> list[Person]:
    """The same `count` people for the same seed, on every side of a comparison."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        first, last, title = rng.choice(FIRST), rng.choice(LAST), rng.choice(TITLES)
        organisation = rng.randrange(len(ORGANISATIONS))
        tags = tuple(rng.sample(TAGS, rng.randint(1, 3)))
        out.append(Person(i, first, last, title, organisation, tags))
    return out


@dataclass(frozen=True)
class Query:
    """A search and the people it must find."""

    label: str
    criteria: dict[str, str]
    """Options of `/contact find`: query, municipality, expertise."""
    matches: Callable[[Person], bool]
    service: dict[str, str] = field(default_factory=dict)
    """The same criteria as keyword arguments of the directory's search service."""

    def expected(self, everyone: Sequence[Person]) -> list[Person]:
        return [p for p in everyone if self.matches(p)]


QUERIES = [
    Query(
        "query:samordnare",
        {"query": "samordnare"},
        lambda p: p.title in ("Integrationssamordnare", "Boendesamordnare"),
        {"query": "samordnare"},
    ),
    Query(
        "query:anna halmstad",
        {"query": "anna halmstad"},
        # "halmstad" names the municipality (its people) and is a word of "IFK Halmstad".
        lambda p: (
            p.first == "Anna"
            and (p.municipality_code == "1380" or p.organisation_name == "IFK Halmstad")
        ),
        {"query": "anna halmstad"},
    ),
    Query(
        "municipality:Halmstad",
        {"municipality": "Halmstad"},
        lambda p: p.municipality_code == "1380",
        {"municipality_code": "1380"},
    ),
    Query(
        "expertise:TMO",
        {"expertise": "TMO"},
        lambda p: "TMO" in p.tags,
        {"expertise": "TMO"},
    ),
    Query(
        "query:bibliotekarie",
        {"query": "bibliotekarie"},
        lambda p: p.title == "Bibliotekarie",
        {"query": "bibliotekarie"},
    ),
    Query(
        "query:gustafsson",
        {"query": "gustafsson"},
        lambda p: p.last == "Gustafsson",
        {"query": "gustafsson"},
    ),
    Query(
        "query:projektledare varberg",
        {"query": "projektledare varberg"},
        lambda p: p.title == "Projektledare" and p.municipality_code == "1383",
        {"query": "projektledare varberg"},
    ),
    Query(
        "expertise:validering",
        {"expertise": "validering"},
        lambda p: "validering" in p.tags,
        {"expertise": "validering"},
    ),
]
# The bot-level cases: a few of the queries, each measured as `/contact find`.
COMMAND_QUERIES = [
    q
    for q in QUERIES
    if q.label
    in {
        "query:samordnare",
        "query:anna halmstad",
        "municipality:Halmstad",
        "expertise:TMO",
    }
]


RESOURCE_TOPICS = [
    "Vägledning om etablering",
    "Kontakt på Migrationsverket",
    "Utlysning för integration",
    "Utbildning i samhällsorientering",
    "Tips om språkcafé",
    "Stöd till ensamkommande",
    "Praktikplatser hos arbetsgivare",
    "Mottagning av nyanlända",
    "Föräldrastöd",
    "Hälsa och vård för nyanlända",
]
RESOURCE_KINDS = ["guide", "authority_contact", "funding", "training", "tip"]


def resources(count: int = RESOURCES, seed: int = 7) -> list[tuple[str, str, str]]:
    """(title, kind, tags) of the bench network's resources; none of them is about TMO, so a
    question about TMO is answered by people only."""
    rng = random.Random(seed)
    return [
        (
            f"{rng.choice(RESOURCE_TOPICS)} {i}",
            rng.choice(RESOURCE_KINDS),
            ", ".join(rng.sample(["etablering", "språk", "arbete", "skola", "boende"], 2)),
        )
        for i in range(count)
    ]
