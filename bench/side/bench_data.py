"""The bench's data: the directory and its queries, with what each query must find; the
resources; the variants of the practices; ten years of the network's minutes.

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


# --- practices: variants of the demo inventory (bench/side/seeds.py, `add_practices`) ----------

# How a practice taken up elsewhere is titled: the same work by another organisation, a year.
PRACTICE_FRAMES = (
    "{title} – {org}, {year}",
    "{title}: spridning till {org} {year}",
    "{title}: erfarenheter från {org}, {year}",
)
PRACTICE_YEARS = 11  # 2016–2026
# Every variant of one practice of the inventory: organisation × frame × year.
PRACTICE_VARIANTS = len(ORGANISATIONS) * len(PRACTICE_FRAMES) * PRACTICE_YEARS


@dataclass(frozen=True, slots=True)
class Variant:
    """How a practice differs from its demo original: its title, and the organisation (or
    the municipality) that took the practice up."""

    title: str
    organisation: str | None
    municipality_code: str | None


def practice_variant(i: int, titles: Sequence[str], variants: int = PRACTICE_VARIANTS) -> Variant:
    """The `i`-th practice made from the demo inventory's `titles`: the first round is the
    inventory itself, every later one the same practices taken up by one of the bench's
    organisations (a Halland municipality or another organisation) in a year, one of
    `variants` (at most `PRACTICE_VARIANTS`) per practice, in turn. Arithmetic only, so that
    100,000 of them cost nothing and every side of a comparison gets the same."""
    k, round_ = i % len(titles), i // len(titles)
    if round_ == 0:
        return Variant(titles[k], None, None)
    c = (round_ - 1) % min(variants, PRACTICE_VARIANTS)
    name, code = ORGANISATIONS[(c + 3 * k) % len(ORGANISATIONS)]
    c //= len(ORGANISATIONS)
    frame = PRACTICE_FRAMES[(c + k) % len(PRACTICE_FRAMES)]
    year = 2016 + (c // len(PRACTICE_FRAMES) + k) % PRACTICE_YEARS
    title = frame.format(title=titles[k], org=name, year=year)
    return Variant(title, None if code else name, code)


# --- meeting minutes (bench/side/seeds.py, `seed_minutes`) -------------------------------------

MEETING_TITLE = "Nätverksträff"
MEETING_FIRST = (2016, 12)
MEETING_MONTHS = 120  # monthly, December 2016 to November 2026: ten years of minutes
MEETING_WEEKDAY = 3  # the first Thursday of the month
MEETING_TIME = (13, 0)
MEETING_MINUTES = 120

# What the network talks about, per topic: notes, decisions and actions, with {place} (a Halland
# municipality), {place2} (another), {org} (an organisation), {year} and {n} filled in.
MINUTES_TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "samhällsguider": (
        (
            "{place} berättade om samhällsguiderna: {n} guider är i gång och fler språk behövs.",
            "Samhällsguiderna i {place} har mött {n} nya familjer sedan förra träffen.",
            "Hur samhällsguider kan följa med till vårdcentralen och Försäkringskassan.",
        ),
        (
            "Samhällsguiderna i {place} får nätverkets stöd även under {year}.",
            "Nätverket tar fram en gemensam introduktion för nya samhällsguider.",
            "Samhällsguider från {place} och {place2} utbildas tillsammans under {year}.",
        ),
        (
            "Sammanställa erfarenheterna från samhällsguiderna i {place}",
            "Bjuda in {org} att berätta om samhällsguider",
        ),
    ),
    "praktik": (
        (
            "{org} har {n} lediga praktikplatser för nyanlända i {place}.",
            "Praktiksamordnarna i {place} och {place2} vill samordna handledarutbildningen.",
            "Praktik inom äldreomsorgen har lett till {n} anställningar i {place}.",
        ),
        (
            "Nätverket samordnar praktikplatser för nyanlända med {org} från {year}.",
            "Handledare för praktik erbjuds en gemensam utbildning i {place}.",
        ),
        (
            "Kontakta {org} om praktikplatser i {place}",
            "Ta fram en lista över handledare för praktik",
        ),
    ),
    "SFI": (
        (
            "SFI i {place} har väntetider på {n} veckor; fler kvällskurser efterfrågas.",
            "SFI kombinerat med yrkesutbildning i vården fungerar bra i {place}.",
            "{org} erbjuder studiecirklar som komplement till SFI.",
        ),
        (
            "SFI-samordnarna i länet träffas varje kvartal från {year}.",
            "Nätverket föreslår en gemensam SFI-start i januari för {place} och {place2}.",
        ),
        (
            "Samla SFI-anordnarnas kursstarter för våren",
            "Fråga {place} om erfarenheterna av SFI på distans",
        ),
    ),
    "TMO": (
        (
            "{n} medarbetare i {place} har gått TMO-utbildningen.",
            "Personalen på HVB-hemmen vill ha handledning efter TMO-utbildningen.",
            "TMO i skolan: {place} testar traumamedveten omsorg i två klasser.",
        ),
        (
            "TMO-utbildningen erbjuds alla kommuner i nätverket under {year}.",
            "Nätverket delar på kostnaden för en TMO-handledare.",
        ),
        (
            "Boka TMO-utbildare till hösten",
            "Samla intresset för TMO-handledning i {place}",
        ),
    ),
    "boende": (
        (
            "Bostadsbristen i {place}: {n} hushåll väntar på egen bostad efter etableringen.",
            "{org} berättade om en boendeskola för nyanlända familjer.",
            "Andrahandskontrakt för nyanlända i {place} löper ut under {year}.",
        ),
        (
            "Boendeskolan från {place} sprids till fler kommuner i nätverket.",
            "Nätverket skriver till Länsstyrelsen Halland om bostäder för nyanlända.",
        ),
        (
            "Sammanställa väntetiderna för bostad i länet",
            "Dela materialet från boendeskolan i {place}",
        ),
    ),
    "föreningar": (
        (
            "{org} söker fler föreningar till läxhjälpen i {place}.",
            "Föreningarna vill ha en gemensam kalender för aktiviteter för nyanlända.",
            "Idrottsföreningarna i {place} har tagit emot {n} nya barn i år.",
        ),
        (
            "Nätverket håller en föreningsträff två gånger per år med {org}.",
            "Föreningsbidraget för integration söks gemensamt med {org} för {year}.",
        ),
        (
            "Bjuda in föreningar i {place} till nästa träff",
            "Sammanställa föreningarnas aktiviteter för nyanlända",
        ),
    ),
    "ensamkommande": (
        (
            "{n} ensamkommande ungdomar i {place} fyller 18 i år och flyttar från HVB.",
            "Gode män för ensamkommande behövs i {place}; {org} hjälper till att rekrytera.",
            "Sommarjobb för ensamkommande ungdomar gav {n} platser i {place}.",
        ),
        (
            "Nätverket tar fram stöd för ensamkommande som blir myndiga.",
            "Ensamkommande får en kontaktperson i varje kommun från {year}.",
        ),
        (
            "Kartlägga stödboenden för ensamkommande i {place}",
            "Fråga {org} om fler gode män",
        ),
    ),
    "validering": (
        (
            "{org} berättade om snabbspåret och validering av vårdyrken.",
            "Validering av utländsk utbildning tar {n} månader i snitt i {place}.",
        ),
        (
            "Nätverket bjuder in {org} om validering av utländsk utbildning.",
            "Validering blir en stående punkt på nätverksträffen under {year}.",
        ),
        ("Samla kontakter för validering inom vård och omsorg",),
    ),
    "språkcafé": (
        (
            "Språkcaféet på biblioteket i {place} har {n} besökare i veckan.",
            "{org} ordnar språkcafé med frivilliga varje tisdag i {place}.",
        ),
        (
            "Språkcaféerna i nätverket får ett gemensamt material från {year}.",
            "Nätverket stöttar ett nytt språkcafé i {place}.",
        ),
        ("Skicka ut materialet för språkcafé till kommunerna",),
    ),
    "föräldraskapsstöd": (
        (
            "Föräldraskapsstöd på arabiska och dari startar i {place}.",
            "{n} föräldrar har gått föräldragrupperna i {place} sedan starten.",
        ),
        (
            "Nätverket köper in föräldraskapsstöd gemensamt från {year}.",
            "Föräldragrupperna i {place} och {place2} får tolk av {org}.",
        ),
        ("Fråga {org} om tolkar till föräldragrupperna",),
    ),
    "hälsa": (
        (
            "Hälsokommunikatörerna i {place} når nya grupper; {org} vill samarbeta.",
            "Hälsoskolan för nyanlända i {place} har {n} deltagare i höst.",
        ),
        (
            "Hälsokommunikatörerna bjuds in till nätverket varje höst.",
            "Hälsoskolan från {place} prövas i {place2} under {year}.",
        ),
        ("Ta kontakt med Region Halland om hälsosamtal för nyanlända",),
    ),
    "samhällsorientering": (
        (
            "Samhällsorienteringen i {place} ges nu på {n} språk.",
            "{org} vill ta med föreningslivet i samhällsorienteringen.",
        ),
        (
            "Samhällsorienteringen samordnas i länet från {year}.",
            "Nätverket tar fram gemensamma studiebesök för samhällsorienteringen.",
        ),
        ("Jämföra samhällsorienteringens upplägg i kommunerna",),
    ),
}
# Notes of every meeting, whatever its topics.
MINUTES_ROUND = (
    "Runda bordet: {place} berättade om läget för nyanlända i kommunen.",
    "Nästa nätverksträff hålls hos {org} i {place}.",
    "{org} presenterade sin verksamhet och sina kontaktpersoner.",
    "Länsstyrelsen informerade om nya medel för integration under {year}.",
)


@dataclass(frozen=True, slots=True)
class Meeting:
    """One meeting with its minutes; people are indexes into the bench network's users."""

    year: int
    month: int
    day: int
    chair: int
    present: tuple[int, ...]
    notes: tuple[tuple[str, int], ...]
    """(text, author)."""
    decisions: tuple[tuple[str, int], ...]
    """(text, author)."""
    actions: tuple[tuple[str, int], ...]
    """(text, owner)."""


def _once(written: list[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """What a meeting wrote, each text once (the same template may come up twice)."""
    first: dict[str, int] = {}
    for text, who in written:
        first.setdefault(text, who)
    return tuple(first.items())


def _first_weekday(year: int, month: int, weekday: int) -> int:
    import calendar

    return 1 + (weekday - calendar.weekday(year, month, 1)) % 7


def meetings(users: int, seed: int = 12) -> list[Meeting]:
    """Ten years of the network's monthly meeting with its minutes: each meeting on two or
    three topics, with 3–6 notes, 1–3 decisions and 1–3 actions; the chair and the regulars
    come from the first `users` people (a few dozen of them), the same for the same seed."""
    rng = random.Random(seed)
    places = list(MUNICIPALITIES.values())
    regulars = rng.sample(range(users), min(users, 40))
    chairs = regulars[:4]
    topics = list(MINUTES_TOPICS)
    out = []
    year, month = MEETING_FIRST
    for _ in range(MEETING_MONTHS):
        present = tuple(rng.sample(regulars, rng.randint(6, 14)))
        chair = chairs[(year - MEETING_FIRST[0]) % len(chairs)]

        def fill(template: str, year: int = year) -> str:
            place, place2 = rng.sample(places, 2)
            return template.format(
                place=place,
                place2=place2,
                org=rng.choice(OTHERS),
                year=year + rng.randint(0, 1),
                n=rng.randint(3, 40),
            )

        chosen = rng.sample(topics, rng.randint(2, 3))
        notes = [(fill(rng.choice(MINUTES_ROUND)), chair)]
        for _ in range(rng.randint(2, 5)):
            topic = MINUTES_TOPICS[rng.choice(chosen)]
            notes.append((fill(rng.choice(topic[0])), rng.choice(present)))
        decisions = [
            (fill(rng.choice(MINUTES_TOPICS[rng.choice(chosen)][1])), chair)
            for _ in range(rng.randint(1, 3))
        ]
        actions = [
            (fill(rng.choice(MINUTES_TOPICS[rng.choice(chosen)][2])), rng.choice(present))
            for _ in range(rng.randint(1, 3))
        ]
        day = _first_weekday(year, month, MEETING_WEEKDAY)
        out.append(
            Meeting(
                year, month, day, chair, present, _once(notes), _once(decisions), _once(actions)
            )
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
