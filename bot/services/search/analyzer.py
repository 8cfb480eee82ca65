"""One analyzer for Swedish and English text: words, folding, stems and compound parts.

Text is cut into words (letters, digits and combining marks, so Arabic with its vowel marks
stays one word), case-folded and normalised (NFKC). Each word of a document is indexed as:

* its exact form and its stem (Snowball Swedish through PyStemmer), in the *exact* namespace
  when the word has letters outside ASCII;
* the same, folded to ASCII ("söderhamn" → "soderhamn"), in the *ascii* namespace;
* the parts of a compound word ("integrationssamordnare" → "integration", "samordnare"), found
  with the Swedish word-frequency list that wordfreq ships, each again as form and stem.

A query word that is pure ASCII is looked up in the ascii namespace, so "Soderhamn" finds
Söderhamn; a word with å, ä, ö (or any other non-ASCII letter) is looked up in the exact one,
so "stöd" does not find "stod". Tokens carry the network's id in front (`<guild><kind><term>`),
so a search in one network reads only that network's entries of the index.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import Stemmer

from bot.services.textnorm import fold

__all__ = [
    "ASCII",
    "EVERY",
    "EXACT",
    "PLACE",
    "analyse_document",
    "compound_parts",
    "loaded",
    "stem",
    "token",
    "warm",
    "word_forms",
    "words",
]

# Token kinds, the letter after the network id.
ASCII = "a"
EXACT = "x"
PLACE = "m"  # a municipality code: the place an entry belongs to
EVERY = "e"  # one token every document of a network carries, to count them from the index

MAX_WORD = 60
_JOINERS = frozenset("\u200c\u200d")
_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    # A PyStemmer object is not safe to share between threads.
    found = getattr(_local, "stemmer", None)
    if found is None:
        found = _local.stemmer = Stemmer.Stemmer("swedish")
    return found


def words(text: str) -> list[str]:
    """The words of `text`, case-folded; everything that is not a letter, digit or mark (and
    so every character FTS5 or SQL could read as syntax) separates words."""
    text = unicodedata.normalize("NFKC", text).casefold()
    out: list[str] = []
    current: list[str] = []
    for char in text:
        if char in _JOINERS or unicodedata.category(char)[0] in "LNM":
            current.append(char)
        elif current:
            out.append("".join(current)[:MAX_WORD])
            current = []
    if current:
        out.append("".join(current)[:MAX_WORD])
    # A word must carry a letter or digit: marks or joiners alone are not words.
    return [w for w in out if any(c.isalnum() for c in w)]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Swedish stem of a word, stemmed until it stops changing.

    Repeating the stemmer makes "praktikplats" and "praktikplatser" meet (one step leaves them
    apart); a neuter definite "-et" that Snowball keeps ("nätverket", "samhället") is removed
    too. The same function runs on documents and queries, so over-stemming costs no match.
    """
    stemmer = _stemmer()
    current = word
    for _ in range(4):
        nxt = stemmer.stemWord(current)
        if nxt == current and len(current) >= 7 and current.endswith("et"):
            nxt = current[:-2]
        if nxt == current:
            break
        current = nxt
    return current


# --- compound words -----------------------------------------------------------------------------

MIN_PART = 4
# zipf 3: a word seen about once per million words of Swedish text.
_MIN_FREQUENCY = 1e-6
_vocabulary_lock = threading.Lock()
_vocabulary: frozenset[str] | None = None


def _swedish_words() -> frozenset[str]:
    """Common Swedish words (wordfreq's list, loaded once: about 31,000 words)."""
    global _vocabulary
    if _vocabulary is None:
        with _vocabulary_lock:
            if _vocabulary is None:
                _vocabulary = frozenset(
                    w
                    for w, f in _frequent_words()
                    if f >= _MIN_FREQUENCY and len(w) >= MIN_PART and w.isalpha()
                )
    return _vocabulary


def _frequent_words() -> Iterator[tuple[str, float]]:
    """(word, frequency) of wordfreq's large Swedish list down to `_MIN_FREQUENCY`, read bucket
    by bucket from its file and no further: `wordfreq.get_frequency_dict` would hold all of its
    340,000 words in memory for good (about 40 MB) to keep a tenth of them."""
    import gzip

    import msgpack  # wordfreq's own reader of its files
    import wordfreq  # deferred: only once a compound is split

    path = wordfreq.available_languages("large")["sv"]
    with gzip.open(path, "rb") as packed:
        unpacker = msgpack.Unpacker(packed, raw=False)
        buckets = unpacker.read_array_header() - 1
        header = unpacker.unpack()
        if not isinstance(header, dict) or header.get("format") != "cB":
            raise ValueError(f"unexpected wordfreq file header: {header!r}")
        # Bucket i holds the words of frequency 10^(-i/100), most frequent first.
        for index in range(buckets):
            frequency = wordfreq.cB_to_freq(-index)
            if frequency < _MIN_FREQUENCY:
                break
            for word in unpacker.unpack():
                yield word, frequency


def _left_forms(left: str) -> tuple[str, ...]:
    # Swedish joins compounds with a linking -s- ("integrations|samordnare") and drops a final
    # -e before it ("samhälle" → "samhälls|orientering"); the word without them comes first.
    if left.endswith("s") and len(left) > MIN_PART:
        return (left[:-1] + "e", left[:-1], left)
    return (left,)


_stems_lock = threading.Lock()
_known_stems: frozenset[str] | None = None


def _swedish_stems() -> frozenset[str]:
    """Stems of the common words, so an inflected head ("…förmedlingen") is known too."""
    global _known_stems
    if _known_stems is None:
        with _stems_lock:
            if _known_stems is None:
                _known_stems = frozenset(stem(w) for w in _swedish_words())
    return _known_stems


def warm() -> None:
    """Load the word list and its stems (about a second); call off the event loop."""
    _swedish_stems()


def loaded() -> bool:
    return _known_stems is not None


def _known(word: str) -> bool:
    return word in _swedish_words() or (len(word) > MIN_PART and stem(word) in _swedish_stems())


@lru_cache(maxsize=65536)
def compound_parts(word: str) -> tuple[str, ...]:
    """The parts of a Swedish compound word, head last, or () when it is not one.

    Each split point is tried; both sides must be common words of at least four letters (the
    right side may itself be a compound). The split whose rarer side is most common wins.
    """
    if len(word) < 2 * MIN_PART or not word.isalpha():
        return ()
    known = _swedish_words()
    best: tuple[tuple[bool, int], tuple[str, ...]] | None = None
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        left_raw, right = word[:cut], word[cut:]
        left = next((f for f in _left_forms(left_raw) if len(f) >= MIN_PART and f in known), None)
        if left is None:
            continue
        sub = () if right in known else compound_parts(right)
        if right in known or (not sub and _known(right)):
            tail: tuple[str, ...] = (right,)
        elif sub:
            tail = (*sub, right)
        else:
            continue
        # Prefer a head that is a word as written, then longer parts: fewer, surer pieces.
        score = (right in known or bool(sub), min(len(left), len(right)))
        if best is None or score > best[0]:
            best = (score, (left, *tail))
    return best[1] if best else ()


# --- tokens -------------------------------------------------------------------------------------


def token(guild_id: int, kind: str, term: str) -> str:
    return f"{guild_id}{kind}{term}"


def word_forms(word: str) -> set[tuple[str, str]]:
    """(kind, term) pairs a document word is indexed under."""
    forms: set[tuple[str, str]] = set()
    for piece in (word, *compound_parts(word)):
        folded = fold(piece)
        if folded.isascii():
            forms.add((ASCII, folded))
            forms.add((ASCII, stem(folded)))
        if not piece.isascii():
            forms.add((EXACT, piece))
            forms.add((EXACT, stem(piece)))
    return forms


def analyse_document(guild_id: int, text: str) -> str:
    """The token text of one field of a document, for the index."""
    seen: dict[str, None] = {}
    for word in words(text):
        for kind, term in sorted(word_forms(word)):
            seen[token(guild_id, kind, term)] = None
    return " ".join(seen)
