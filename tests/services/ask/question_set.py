"""The question set: everyday questions in Swedish and English, and what must answer them.

People are the directory relevance set's (tests/services/test_search_relevance.py); the
resources and answered questions below are this set's own. Each question names what must be
among the first three hits shown (kind, handle or title), or None: nothing may be shown.
"""

from __future__ import annotations

# title: (kind, url, description, tags, organisation or None)
RESOURCES: dict[str, tuple[str, str, str, str, str | None]] = {
    "Migrationsverkets handläggarstöd för bosättning": (
        "guide", "https://www.migrationsverket.se/bosattning",
        "Hur anvisning och bosättning av nyanlända går till, steg för steg.",
        "bosättning, anvisning", None,
    ),
    "Länsstyrelsens kontaktperson för §37-medel": (
        "authority_contact", "https://www.lansstyrelsen.se/halland/37",
        "Vem du ringer om statliga medel för integrationsinsatser (§37a).",
        "statsbidrag, paragraf 37", None,
    ),
    "ESF+ utlysning: vägar till arbete": (
        "funding", "https://www.esf.se/utlysningar/vagar-till-arbete",
        "Europeiska socialfonden söker projekt som leder nyanlända till arbete. Sista dag 15 mars.",
        "ESF, finansiering", None,
    ),
    "Webbutbildning i traumamedveten omsorg": (
        "training", "https://www.kunskapsguiden.se/tmo",
        "Grundkurs i TMO för personal på HVB och i skolan, två timmar.",
        "TMO, utbildning", None,
    ),
    "Språkcafé på biblioteket i Uppsala": (
        "tip", "https://bibliotek.uppsala.se/sprakcafe",
        "Så startade Uppsala ett språkcafé med volontärer – enkelt att göra efter.",
        "språkcafé, volontärer", None,
    ),
    "Guide to civic orientation for newcomers": (
        "guide", "https://www.informationsverige.se/en/civic",
        "The national material for civic orientation, in eleven languages.",
        "civic orientation", None,
    ),
    "Arbetsförmedlingens etableringsprogram": (
        "authority_contact", "https://arbetsformedlingen.se/etablering",
        "Kontaktvägar för kommuner om etableringsprogrammet och jobbspår.",
        "etablering, jobbspår", "Arbetsförmedlingen",
    ),
    "Boendeguide för ensamkommande unga": (
        "guide", "https://www.socialstyrelsen.se/boende-ensamkommande",
        "Stöd vid placering och boende för ensamkommande barn och unga.",
        "boende, placering", None,
    ),
    "Mentorprogram för nyanlända kvinnor": (
        "tip", "https://www.example.org/mentor",
        "Göteborg matchar nyanlända kvinnor med yrkesverksamma mentorer.",
        "mentorskap, kvinnor", None,
    ),
    "Funding for language training at work": (
        "funding", "https://www.example.org/language-at-work",
        "A foundation funds Swedish lessons at the workplace for employees who are newcomers.",
        "language, workplace", None,
    ),
    "Validering av utländsk utbildning": (
        "guide", "https://www.uhr.se/bedomning",
        "UHR bedömer utländska examina; så hjälper du någon att ansöka.",
        "validering, examen", None,
    ),
    "Halmstads introduktion för nya medarbetare i mottagningen": (
        "training", "https://www.halmstad.se/mottagning-intro",
        "Två dagars introduktion för den som börjar arbeta i flyktingmottagningen.",
        "introduktion", "Halmstad",
    ),
}  # fmt: skip

# title: answer (answered questions of the network)
ANSWERED: dict[str, str] = {
    "Var hittar vi tolkar som talar tigrinja?": (
        "Tolkförmedlingen Väst har tigrinjatolkar; boka via kommunens avtal."
    ),
    "Hur ordnar vi sommarjobb för ensamkommande?": (
        "Varberg gjorde det med feriepraktik via arbetsmarknadsenheten; fråga där."
    ),
    "Who handles housing for families reunited with refugees?": (
        "The municipality's housing unit; Halmstad's contact is on the intranet."
    ),
    "Finns det mallar för välkomstbrev på lätt svenska?": (
        "Ja, Region Halland har mallar för välkomstbrev på lätt svenska."
    ),
}

# What the network decided and gave as actions at a past meeting (its minutes are ended).
DECISIONS = (
    "Nätverket bjuder in Arbetsförmedlingen till nästa möte om praktik.",
    "Vi sprider Lysekils samhällsguider till fler kommuner i Fyrbodal.",
)
ACTIONS = ("Bjuda in Arbetsförmedlingen", "Samla TMO-kurser")

# (question, expected: (kind, key) among the first three shown, or None: nothing shown)
QUESTIONS: list[tuple[str, tuple[str, str] | None]] = [
    # people
    ("vem kan TMO?", ("people", "fatima")),
    ("Vem kan traumamedveten omsorg?", ("people", "fatima")),
    ("who knows trauma-informed care?", ("people", "fatima")),
    ("finns det någon i Halland som jobbar med praktikplatser för nyanlända?", ("people", "mona")),
    ("Vem i Lysekil kan HVB?", ("people", "sara")),
    ("vem är tolk i Uddevalla?", ("people", "karin")),
    ("Is there an interpreter in the network?", ("people", "karin")),
    ("vem jobbar med samhällsorientering på arabiska?", ("people", "omar")),
    ("who teaches SFI?", ("people", "per")),
    ("vem kan något om validering?", ("resource", "Validering av utländsk utbildning")),
    ("Vem kan ESF-projekt?", ("people", "johan")),
    ("vem är enhetschef för HVB?", ("people", "sara")),
    ("who is the unit manager for adult education?", ("people", "erik")),
    ("Finns det en socialsekreterare som kan flyktingmottagning?", ("people", "ingrid")),
    ("vem kan äldreomsorg i Söderhamn?", ("people", "lena")),
    ("Vem undervisar i modersmål?", ("people", "jonas")),
    ("vem samordnar nätverket?", ("people", "maria")),
    # resources
    (
        "hur går bosättning av nyanlända till?",
        ("resource", "Migrationsverkets handläggarstöd för bosättning"),
    ),
    (
        "vem ringer jag om §37-medel på länsstyrelsen?",
        ("resource", "Länsstyrelsens kontaktperson för §37-medel"),
    ),
    ("finns det någon utlysning från ESF?", ("resource", "ESF+ utlysning: vägar till arbete")),
    ("Finns det en utbildning i TMO?", ("resource", "Webbutbildning i traumamedveten omsorg")),
    ("hur startar man ett språkcafé?", ("resource", "Språkcafé på biblioteket i Uppsala")),
    (
        "where is the civic orientation material?",
        ("resource", "Guide to civic orientation for newcomers"),
    ),
    ("vad är etableringsprogrammet?", ("resource", "Arbetsförmedlingens etableringsprogram")),
    ("Boende för ensamkommande unga?", ("resource", "Boendeguide för ensamkommande unga")),
    (
        "any mentor programme for newcomer women?",
        ("resource", "Mentorprogram för nyanlända kvinnor"),
    ),
    (
        "is there funding for language training at the workplace?",
        ("resource", "Funding for language training at work"),
    ),
    ("hur bedöms utländsk examen?", ("resource", "Validering av utländsk utbildning")),
    (
        "introduktion för nya i flyktingmottagningen i Halmstad?",
        ("resource", "Halmstads introduktion för nya medarbetare i mottagningen"),
    ),
    ("jobbspår hos Arbetsförmedlingen", ("resource", "Arbetsförmedlingens etableringsprogram")),
    # answered questions
    (
        "Var hittar jag en tolk på tigrinja?",
        ("answered", "Var hittar vi tolkar som talar tigrinja?"),
    ),
    (
        "sommarjobb för ensamkommande ungdomar?",
        ("answered", "Hur ordnar vi sommarjobb för ensamkommande?"),
    ),
    (
        "who handles housing for reunited families?",
        ("answered", "Who handles housing for families reunited with refugees?"),
    ),
    (
        "mallar för välkomstbrev?",
        ("answered", "Finns det mallar för välkomstbrev på lätt svenska?"),
    ),
    ("feriepraktik i Varberg", ("answered", "Hur ordnar vi sommarjobb för ensamkommande?")),
    # practices (the demo inventory, tests/services/ask/test_question_set.py seeds it)
    ("who runs civic guides?", ("practice", "Samhällsguider i Lysekil")),
    ("vad gör Lysekil med samhällsguider?", ("practice", "Samhällsguider i Lysekil")),
    ("finns det någon som ordnar läxhjälp?", ("practice", "Läxhjälp i föreningslivet")),
    ("homework help for newcomers?", ("practice", "Läxhjälp i föreningslivet")),
    ("simskola för kvinnor", ("practice", "Simundervisning för vuxna kvinnor")),
    ("bostadsskola för nyanlända familjer?", ("practice", "Bostadsskola för nyanlända familjer")),
    ("hur rekryterar man gode män?", ("practice", "Gode män för ensamkommande")),
    ("fritidsbank med utlåning av skidor", ("practice", "Fritidsbank och utlåning av utrustning")),
    # the network's own decisions and actions (minutes of a past meeting)
    ("vad beslutade vi om samhällsguiderna?", ("decision", DECISIONS[1])),
    ("what did we decide about Arbetsförmedlingen?", ("decision", DECISIONS[0])),
    ("beslut om praktik", ("decision", DECISIONS[0])),
    ("vem ska samla TMO-kurser?", ("action", ACTIONS[1])),
    # nothing in the network answers these
    ("vem kan kärnfysik?", None),
    ("who knows about quantum computing?", None),
    ("finns det någon som bakar surdegsbröd?", None),
    ("vad kostar en bil?", None),
    ("Hur fungerar snöskoteruthyrning i Kiruna?", None),
    ("who repairs bicycles?", None),
    ("var ligger närmaste golfbana?", None),
    ("is there a chess club for pensioners?", None),
]
