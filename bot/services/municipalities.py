"""Swedish municipalities and counties: reference data, lookup and autocomplete search.

The data is SCB's list of the 290 municipalities and 21 counties (``bot/data/municipalities.csv``,
CC0). It is read on first use, not at import, and cached for the life of the process.

* :func:`resolve` turns what a person typed ("Halmstads kommun", "goteborg", "Uddevala") into one
  municipality, or ``None`` when the text is not confidently one municipality.
* :func:`search` ranks municipalities for Discord autocomplete (called on every keystroke, so it
  works on precomputed keys).
* :data:`PRESETS` are ready-made groups of municipalities: one per county plus the regional
  associations Fyrbodal, Göteborgsregionen, Skaraborg and Sjuhärad.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.services.textnorm import MUNICIPALITY_SUFFIXES, fold, swedish_sort_key

__all__ = [
    "MAX_QUERY_LENGTH",
    "PRESETS",
    "County",
    "Municipality",
    "Preset",
    "all_municipalities",
    "by_code",
    "by_name",
    "counties",
    "county_name_en",
    "is_municipality_name",
    "match_key",
    "preset",
    "resolve",
    "search",
]


@dataclass(frozen=True, slots=True)
class Municipality:
    """One of Sweden's 290 municipalities, as listed by SCB."""

    code: str  # four digits, e.g. "1380"; the first two are the county code
    name: str  # SCB's short name without "kommun", e.g. "Halmstad"
    county_code: str  # two digits, e.g. "13"
    county: str  # Swedish county name, e.g. "Hallands län"


@dataclass(frozen=True, slots=True)
class County:
    """One of Sweden's 21 counties (län)."""

    code: str  # two digits, e.g. "13"
    name: str  # Swedish name, e.g. "Hallands län"


@dataclass(frozen=True, slots=True)
class Preset:
    """A named group of municipalities that a network can adopt in one go."""

    key: str  # stable identifier, e.g. "county-13" or "fyrbodal"
    name_sv: str
    name_en: str
    codes: tuple[str, ...]  # municipality codes, ascending


# Longer input cannot be a municipality name (the longest is 15 characters); refusing it early
# keeps pathological input (pasted documents, 5000 characters) away from fuzzy matching.
MAX_QUERY_LENGTH = 100

# Separators people use inside compound names: "Dals-Ed", "Dals Ed", "Upplands-Bro", "Malung/Sälen".
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.,;:/'’()]+")

# Other names that unambiguously mean one municipality (keys are match keys).
_ALIASES: dict[str, str] = {
    "gothenburg": "1480",  # English exonym of Göteborg
    "region gotland": "0980",  # Gotland's official name as a municipality
    "malung": "2023",
    "salen": "2023",  # Malung-Sälen, usually called by either half
}

# Words that make the text a county or region rather than a municipality: "Stockholms län",
# "Halland County". resolve() refuses these instead of fuzzing them into a municipality.
_COUNTY_WORDS = frozenset({"lan", "county", "landsting"})


def match_key(text: str) -> str:
    """Folded form used for matching: see :func:`bot.services.textnorm.fold`, with hyphens and
    punctuation turned into single spaces ("Dals-Ed" -> "dals ed")."""
    return " ".join(_SEPARATORS.sub(" ", fold(text)).split())


def _literal_key(text: str) -> str:
    """Like :func:`match_key` but keeping diacritics: "Håbo" and "Habo" are two municipalities
    that only differ in a ring, so an exact spelling must win over the folded one."""
    return " ".join(_SEPARATORS.sub(" ", unicodedata.normalize("NFC", text).casefold()).split())


@dataclass(frozen=True, slots=True)
class _Entry:
    """A municipality with its precomputed search keys."""

    municipality: Municipality
    key: str  # match key: "upplands vasby"
    compact: str  # match key without spaces: "upplandsvasby"
    literal: str  # literal key without spaces: "upplandsväsby"


@dataclass(frozen=True, slots=True)
class _Data:
    municipalities: tuple[Municipality, ...]  # in code order, as SCB lists them
    counties: tuple[County, ...]
    by_code: Mapping[str, Municipality]
    by_literal: Mapping[str, Municipality]  # compact literal keys
    by_folded: Mapping[str, Municipality]  # compact match keys and aliases, unambiguous only
    entries: tuple[_Entry, ...]  # Swedish alphabetical order
    fuzzy_keys: tuple[str, ...]  # compact match keys and aliases, for fuzzy matching
    fuzzy_targets: tuple[Municipality, ...]  # parallel to fuzzy_keys


def _read_csv() -> list[dict[str, str]]:
    """The raw rows of ``bot/data/municipalities.csv``."""
    source = resources.files("bot").joinpath("data/municipalities.csv")
    text = source.read_text(encoding="utf-8-sig")  # -sig: tolerate a BOM from spreadsheet edits
    return list(csv.DictReader(io.StringIO(text, newline="")))


@cache
def _data() -> _Data:
    """Load and index the reference data (once)."""
    municipalities: list[Municipality] = []
    county_names: dict[str, str] = {}
    for row in _read_csv():
        municipality = Municipality(
            code=row["municipality_code"].strip(),
            name=row["municipality"].strip(),
            county_code=row["county_code"].strip(),
            county=row["county"].strip(),
        )
        municipalities.append(municipality)
        county_names.setdefault(municipality.county_code, municipality.county)
    municipalities.sort(key=lambda m: m.code)
    by_code = {m.code: m for m in municipalities}

    entries: list[_Entry] = []
    for m in municipalities:
        key = match_key(m.name)
        literal = _literal_key(m.name).replace(" ", "")
        entries.append(_Entry(m, key, key.replace(" ", ""), literal))
    fuzzy: list[tuple[str, Municipality]] = [(e.compact, e.municipality) for e in entries]
    fuzzy += [(alias.replace(" ", ""), by_code[code]) for alias, code in _ALIASES.items()]

    folded: dict[str, list[Municipality]] = {}
    for compact, m in fuzzy:
        folded.setdefault(compact, []).append(m)
    entries.sort(key=lambda e: swedish_sort_key(e.municipality.name))

    return _Data(
        municipalities=tuple(municipalities),
        counties=tuple(County(code, name) for code, name in sorted(county_names.items())),
        by_code=MappingProxyType(by_code),
        by_literal=MappingProxyType({e.literal: e.municipality for e in entries}),
        # "habo" folds from both Habo and Håbo: such keys are left out, not guessed.
        by_folded=MappingProxyType({k: ms[0] for k, ms in folded.items() if len(ms) == 1}),
        entries=tuple(entries),
        fuzzy_keys=tuple(compact for compact, _ in fuzzy),
        fuzzy_targets=tuple(m for _, m in fuzzy),
    )


def all_municipalities() -> tuple[Municipality, ...]:
    """All 290 municipalities in SCB code order."""
    return _data().municipalities


def counties() -> tuple[County, ...]:
    """All 21 counties in SCB code order."""
    return _data().counties


def by_code(code: str) -> Municipality | None:
    """The municipality with this four-digit SCB code, or ``None``."""
    return _data().by_code.get(code.strip())


def _exact(literal: str) -> Municipality | None:
    """Exact match of a literal key (with or without spaces), then of its folded form."""
    data = _data()
    compact = literal.replace(" ", "")
    return data.by_literal.get(compact) or data.by_folded.get(match_key(compact))


def by_name(name: str) -> Municipality | None:
    """Exact lookup by name, insensitive to case, hyphens and spaces ("dals ed" -> Dals-Ed)
    and to diacritics unless they are what tells two names apart (Habo vs Håbo).

    No suffix handling and no fuzzy matching: use :func:`resolve` for user input.
    """
    return _exact(_literal_key(name))


def is_municipality_name(name: str) -> bool:
    """Whether ``name`` is exactly a municipality's name (see :func:`by_name`)."""
    return by_name(name) is not None


def _allowed_edits(length: int) -> int:
    """How many typos (Damerau-Levenshtein edits) a name of ``length`` letters may carry.

    Short names get none: one edit turns "Mark" into "Malå", "Ale" into "Åre" and "Hjo" into
    nonsense, so a four-letter guess is never confident.
    """
    if length <= 4:
        return 0
    if length <= 7:
        return 1
    if length <= 11:
        return 2
    return 3


def _strip_suffix_words(words: list[str]) -> list[str]:
    """Drop a trailing "kommun"/"stad"."""
    if words and fold(words[-1]) in MUNICIPALITY_SUFFIXES:
        return words[:-1]
    return words


def _fuzzy_resolve(candidates: Iterable[str]) -> Municipality | None:
    """The single municipality within the typo allowance of any candidate, else ``None``."""
    data = _data()
    best: dict[str, tuple[int, Municipality]] = {}
    for candidate in candidates:
        hits = process.extract(
            candidate,
            data.fuzzy_keys,
            scorer=DamerauLevenshtein.distance,
            limit=5,
            score_cutoff=_allowed_edits(len(candidate)),
        )
        for key, distance, index in hits:
            if distance > _allowed_edits(min(len(candidate), len(key))):
                continue
            target = data.fuzzy_targets[index]
            if target.code not in best or distance < best[target.code][0]:
                best[target.code] = (int(distance), target)
    if not best:
        return None
    ranked = sorted(best.values(), key=lambda hit: hit[0])
    # Two municipalities equally close to the input: we cannot tell which one was meant.
    if len(ranked) > 1 and ranked[1][0] == ranked[0][0]:
        return None
    return ranked[0][1]


def resolve(text: str) -> Municipality | None:
    """The municipality ``text`` names, or ``None`` when it is not confidently one.

    Matches, in order: a four-digit SCB code ("1380"); the exact name, insensitive to case,
    hyphens, spacing and diacritics (unless those tell two names apart: Habo/Håbo), with an
    optional trailing "kommun"/"stad" and genitive *s* ("Halmstads kommun", "goteborgs stad",
    "dals ed", "UPPLANDS VASBY"); a few aliases
    ("Gothenburg", "Region Gotland"); then a fuzzy match that tolerates 1–3 typos depending on
    the length of the name (none for names of up to four letters) and is only accepted when a
    single municipality is closest. County names ("Stockholms län") never resolve.
    """
    if len(text) > MAX_QUERY_LENGTH:
        return None
    stripped = text.strip()
    if len(stripped) == 4 and stripped.isascii() and stripped.isdigit():
        return by_code(stripped)
    words = _literal_key(text).split()
    if not words or _COUNTY_WORDS.intersection(fold(word) for word in words):
        return None
    words = _strip_suffix_words(words)
    if not words:
        return None

    key = " ".join(words)
    candidates = [key]
    # Genitive s ("Halmstads", "Halmstads kommun"); the form with the s is tried first so that
    # names ending in s ("Borås", "Vännäs") win over a shorter name.
    if key.endswith("s") and len(key) > 1:
        candidates.append(key[:-1])
    for candidate in candidates:
        found = _exact(candidate)
        if found is not None:
            return found
    return _fuzzy_resolve(match_key(c).replace(" ", "") for c in candidates)


# --- autocomplete -------------------------------------------------------------------------------

# Below this many letters a fuzzy hit is noise ("ma" is close to everything).
_FUZZY_MIN_LENGTH = 3


def _fuzzy_cutoff(length: int) -> float:
    """Minimum rapidfuzz ratio for a fuzzy autocomplete suggestion; stricter for short input."""
    return 80.0 if length <= 5 else 72.0


def search(text: str, limit: int = 25, among: Collection[str] | None = None) -> list[Municipality]:
    """Municipalities ranked for autocomplete on what has been typed so far.

    Ranking: exact name (also via genitive *s*: "Halmstads"), then names starting with the text,
    then names with a later word starting with it ("väsby" -> Upplands Väsby), then names
    containing it, then fuzzy matches (typos, also in a half-typed prefix). Ties are broken
    alphabetically the Swedish way. Empty text lists everything alphabetically. ``among``
    restricts results to those municipality codes (e.g. a network's members). Matching is
    insensitive to case, diacritics and hyphens; a trailing "kommun"/"stad" is ignored.
    """
    if limit <= 0:
        return []
    data = _data()
    entries: Iterable[_Entry] = data.entries
    if among is not None:
        wanted = among if isinstance(among, (set, frozenset)) else frozenset(among)
        entries = [e for e in data.entries if e.municipality.code in wanted]

    words = _literal_key(text[:MAX_QUERY_LENGTH]).split()
    if len(words) > 1:
        words = _strip_suffix_words(words)
    literal = "".join(words)
    key = match_key(" ".join(words))
    if not key:
        return [e.municipality for e in entries][:limit]

    compact = key.replace(" ", "")
    genitive = compact[:-1] if compact.endswith("s") else None
    later_word = " " + key
    exact: list[_Entry] = []
    prefix: list[Municipality] = []
    word_prefix: list[Municipality] = []
    infix: list[Municipality] = []
    rest: list[_Entry] = []
    # Every tier but the genitive one implies that the query is a substring of the compact
    # name, so one C-level substring test sorts out most entries cheaply (this runs on every
    # keystroke).
    for entry in entries:
        name = entry.compact
        if compact not in name:
            if name == genitive:
                exact.append(entry)
            else:
                rest.append(entry)
        elif name == compact:
            exact.append(entry)
        elif name.startswith(compact):
            prefix.append(entry.municipality)
        elif later_word in entry.key:
            word_prefix.append(entry.municipality)
        else:
            infix.append(entry.municipality)
    # "Håbo" and "Habo" both match "habo" exactly; the one spelt as typed goes first.
    exact.sort(key=lambda entry: entry.literal not in (literal, literal[:-1]))

    ranked = [e.municipality for e in exact] + prefix + word_prefix + infix
    if len(ranked) < limit and len(compact) >= _FUZZY_MIN_LENGTH and rest:
        ranked.extend(_fuzzy_suggestions(compact, rest, limit - len(ranked)))
    return ranked[:limit]


def _fuzzy_suggestions(compact: str, entries: list[_Entry], limit: int) -> list[Municipality]:
    """Best fuzzy matches of ``compact`` among ``entries``, scored against the whole name and
    against its first ``len(compact) + 1`` letters (so a typo in a half-typed name still hits)."""
    cutoff = _fuzzy_cutoff(len(compact))
    scores: dict[int, float] = {}
    whole = [e.compact for e in entries]
    heads = [c[: len(compact) + 1] for c in whole]
    for choices in (whole, heads):
        for _, score, index in process.extract(
            compact, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff
        ):
            scores[index] = max(score, scores.get(index, 0.0))
    # Entries are alphabetical, so sorting on (-score, index) breaks ties alphabetically.
    order = sorted(scores, key=lambda i: (-scores[i], i))
    return [entries[i].municipality for i in order[:limit]]


# --- presets ------------------------------------------------------------------------------------

_REGIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "fyrbodal",
        "Fyrbodal",
        "Fyrbodal",
        (
            "Bengtsfors", "Dals-Ed", "Färgelanda", "Lysekil", "Mellerud", "Munkedal", "Orust",
            "Sotenäs", "Strömstad", "Tanum", "Trollhättan", "Uddevalla", "Vänersborg", "Åmål",
        ),
    ),
    (
        "goteborgsregionen",
        "Göteborgsregionen",
        "Gothenburg Region",
        (
            "Ale", "Alingsås", "Göteborg", "Härryda", "Kungsbacka", "Kungälv", "Lerum",
            "Lilla Edet", "Mölndal", "Partille", "Stenungsund", "Tjörn", "Öckerö",
        ),
    ),
    (
        "skaraborg",
        "Skaraborg",
        "Skaraborg",
        (
            "Essunga", "Falköping", "Grästorp", "Gullspång", "Götene", "Hjo", "Karlsborg",
            "Lidköping", "Mariestad", "Skara", "Skövde", "Tibro", "Tidaholm", "Töreboda", "Vara",
        ),
    ),
    (
        "sjuharad",
        "Sjuhärad",
        "Sjuhärad",
        (
            "Bollebygd", "Borås", "Herrljunga", "Mark", "Svenljunga", "Tranemo", "Ulricehamn",
            "Vårgårda",
        ),
    ),
)  # fmt: skip


def county_name_en(county: County) -> str:
    """English name of a county: "Hallands län" -> "Halland County".

    Swedish county names are the province/town name in the genitive plus "län"; the genitive
    *s* goes in English. No county's base name itself ends in *s* (checked in the tests).
    """
    base = county.name.removesuffix(" län")
    if base.endswith("s"):
        base = base[:-1]
    return f"{base} County"


def _build_region(key: str, name_sv: str, name_en: str, names: tuple[str, ...]) -> Preset:
    codes: list[str] = []
    for name in names:
        municipality = by_name(name)
        if municipality is None:  # a typo here is a programming error, not user input
            raise LookupError(f"preset {key!r}: unknown municipality {name!r}")
        codes.append(municipality.code)
    return Preset(key, name_sv, name_en, tuple(sorted(codes)))


@cache
def _presets() -> Mapping[str, Preset]:
    presets = {key: _build_region(key, sv, en, names) for key, sv, en, names in _REGIONS}
    for county in counties():
        codes = tuple(m.code for m in all_municipalities() if m.county_code == county.code)
        key = f"county-{county.code}"
        presets[key] = Preset(key, county.name, county_name_en(county), codes)
    return MappingProxyType(presets)


def preset(key: str) -> Preset | None:
    """The preset with this key ("fyrbodal", "county-13" …), or ``None``."""
    return _presets().get(key)


if TYPE_CHECKING:
    #: All presets by key: the regional ones first, then one per county in code order.
    #: A read-only mapping, computed on first access.
    PRESETS: Mapping[str, Preset]


def __getattr__(name: str) -> object:
    # PEP 562: PRESETS is built on first access rather than at import, so importing this
    # module stays free of file I/O.
    if name == "PRESETS":
        return _presets()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
