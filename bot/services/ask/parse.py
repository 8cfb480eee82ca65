"""A question in everyday Swedish or English, turned into what the sources search for.

Question and filler words are dropped ("vem kan …", "finns det någon som …", "who runs …");
place names (municipalities, counties, the regional associations) become a place filter;
words that name an expertise tag the network's people use are marked as expertise; the rest
go through the one analyzer (stems, compound parts, the thesaurus).
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from bot.services import municipalities
from bot.services import search as engine
from bot.services.ask.source import ASK_LIMIT, AskQuery
from bot.services.search import thesaurus
from bot.services.search.analyzer import words
from bot.services.textnorm import fold

__all__ = ["MAX_QUESTION", "STOP_WORDS", "parse_question", "places_in", "without_stop_words"]

MAX_QUESTION = 300

# Question words, filler and the verbs questions are built on, Swedish and English (folded).
_STOP = """
a about after all also am an and any anybody anyone are as at be been but by can could did do does
done for from get got has have how i if in into is it its know knows me my need of on or our
please runs run running someone somebody something tell that the their them there these they
this to us was we what when where which who whom whose why will with would you your working
works work does doing ever find looking look help anything regarding
alla allt andra att av bara blir de dem den denna deras dess det detta dig din du eller en
ett finns for fran fått fick gor gora gjorde gjort ha hade har hur i inom ja jag kan kanske
kunde kunna man med mig min mitt mot ni nagon nagra nagot nar nu och om oss pa sa sadan
sadana sig sin ska skall skulle som till tips under upp ut vad var vara vem vet vi vilka
vilken vilket vill fråga fraga undrar hjalp hjälpa hjalpa jobbar arbetar jobba arbeta driver
kanner kanna hittar hitta ger nan nagonstans haller sysslar ar vet veta sig oss er era
beslutade beslutat besluta bestamde bestamt decided decide any om kring angaende gällande
gallande the ni hos hos er ert vilken vilka dar dit her here kommer komma near not
"""
STOP_WORDS = frozenset(fold(w) for w in _STOP.split())
# A word that names a place in Swedish questions often carries the genitive s ("Hallands").
_REGION_WORDS: dict[str, tuple[str, ...]] = {}


@cache
def _regions() -> dict[str, tuple[str, ...]]:
    """Folded one- or two-word names of counties and regional associations → their codes."""
    out: dict[str, tuple[str, ...]] = {}
    for preset in municipalities.PRESETS.values():
        for name in (preset.name_sv, preset.name_en):
            base = name.removesuffix(" län").removesuffix(" County")
            key = " ".join(fold(w) for w in words(base))
            out.setdefault(key, preset.codes)
            if key.endswith("s"):
                out.setdefault(key[:-1], preset.codes)
            out.setdefault(key + "s", preset.codes)
    return out


def _place(phrase: list[str]) -> tuple[str, ...] | None:
    key = " ".join(fold(w) for w in phrase)
    found = _regions().get(key)
    if found:
        return found
    text = " ".join(phrase)
    m = municipalities.by_name(text)
    if m is None and text.endswith("s") and len(text) > 4:
        m = municipalities.by_name(text[:-1])
    return (m.code,) if m is not None else None


def places_in(ws: list[str]) -> tuple[list[str], tuple[str, ...], tuple[str, ...]]:
    """The words without the place names among them, the codes those places stand for, and
    the place names' words."""
    rest: list[str] = []
    codes: list[str] = []
    named: list[str] = []
    i = 0
    while i < len(ws):
        if fold(ws[i]) in STOP_WORDS or len(ws[i]) < 3:
            rest.append(ws[i])
            i += 1
            continue
        two = _place(ws[i : i + 2]) if i + 1 < len(ws) else None
        if two:
            codes += two
            named += ws[i : i + 2]
            i += 2
            continue
        one = _place(ws[i : i + 1])
        if one:
            codes += one
            named.append(ws[i])
            i += 1
            continue
        rest.append(ws[i])
        i += 1
    return rest, tuple(dict.fromkeys(codes)), tuple(dict.fromkeys(named))


def without_stop_words(ws: list[str]) -> list[str]:
    """The words without question and filler words, except inside a thesaurus phrase ("any
    homework help?" keeps "homework help", "work placement" its "work")."""
    kept: list[str] = []
    i = 0
    while i < len(ws):
        found = thesaurus.match_at(ws, i)
        if found is not None and found[0] > 1:
            kept += ws[i : i + found[0]]
            i += found[0]
            continue
        if fold(ws[i]) not in STOP_WORDS:
            kept.append(ws[i])
        i += 1
    return kept


def parse_question(
    text: str, *, expertise_keys: Collection[str] = (), limit: int = ASK_LIMIT
) -> AskQuery:
    """The question as an `AskQuery`. `expertise_keys` are the folded expertise tags the
    network's people use: a term among them (or whose thesaurus alternatives are) is marked."""
    ws = words(text[: MAX_QUESTION * 2])
    rest, places, named = places_in(ws)
    kept = without_stop_words(rest)
    query = engine.parse(" ".join(kept))
    expertise = tuple(
        t
        for t in query.terms
        if fold(t.text) in expertise_keys
        or any(fold(" ".join(a.words)) in expertise_keys for a in t.alternatives)
    )
    return AskQuery(
        text=text,
        terms=query.terms,
        places=places,
        expertise=expertise,
        limit=limit,
        place_words=named,
    )
