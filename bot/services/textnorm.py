"""Text folding helpers shared by the search and lookup services.

Everything here is pure and Discord-free:

* :func:`fold` turns text into a search key (case- and diacritic-insensitive for Latin script,
  other scripts left intact).
* :func:`strip_municipality_suffix` removes a trailing "kommun"/"stad" and the genitive *s* it
  brings along ("Halmstads kommun" -> "Halmstad") without damaging names that really end in *s*.
* :func:`swedish_sort_key` orders text the Swedish way (… x y z å ä ö).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = [
    "MUNICIPALITY_SUFFIXES",
    "fold",
    "strip_municipality_suffix",
    "swedish_sort_key",
]

# Letters that have no Unicode decomposition, so stripping combining marks alone would leave
# them untouched. Users with Danish/Norwegian/Polish keyboards or copy-pasted names produce them.
_LATIN_EXTRA = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
    }
)

# Invisible characters that only get in the way of matching. Deliberately *not* ZWJ/ZWNJ:
# those carry meaning in Arabic-script languages (e.g. Persian) and must survive.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))

# Words that follow a municipality's name in running text. Lower-case, already folded.
MUNICIPALITY_SUFFIXES: tuple[str, ...] = ("kommun", "stad", "municipality")


@lru_cache(maxsize=4096)
def _is_latin(char: str) -> bool:
    """Whether ``char`` is a letter of the Latin script (ASCII or one of the Latin blocks)."""
    if char.isascii():
        return char.isalpha()
    return unicodedata.name(char, "").startswith("LATIN ")


def _strip_latin_marks(text: str) -> str:
    """Drop combining marks that sit on a Latin base letter; keep every other mark.

    Arabic harakat, Devanagari vowel signs etc. are combining marks as well, and removing them
    would change or break those words, so only marks whose base character is Latin go.
    """
    out: list[str] = []
    base_is_latin = False
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if not base_is_latin:
                out.append(char)
            continue
        base_is_latin = _is_latin(char)
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def fold(text: str) -> str:
    """Return a search key for ``text``.

    Case-folds, removes diacritics from Latin letters ("Åmål" -> "amal", "Malmö" -> "malmo"),
    maps a few undecomposable Latin letters (ø, æ, ł …) to ASCII, removes invisible formatting
    characters and collapses all runs of whitespace to a single space. Non-Latin scripts are
    kept as they are.
    """
    if len(text) <= _REMEMBERED:
        return _fold_word(text)
    return _fold(text)


# Words and names are folded again and again (every query word, every match shown): the
# short ones are remembered.
_REMEMBERED = 64


@lru_cache(maxsize=16384)
def _fold_word(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = text.translate(_INVISIBLE).casefold()
    text = _strip_latin_marks(text).translate(_LATIN_EXTRA)
    return " ".join(text.split())


def strip_municipality_suffix(text: str) -> str:
    """Remove a trailing "kommun"/"stad" word and its genitive *s* from a municipality name.

    "Halmstads kommun" -> "Halmstad", "Göteborgs stad" -> "Göteborg", "Borås kommun" -> "Borås",
    "kommun" -> "". The genitive *s* is only removed when the result is a real municipality
    (checked against the SCB list, case- and diacritic-insensitively), because many names end in
    an *s* of their own (Borås, Robertsfors, Strängnäs, Vännäs, Sotenäs …). When neither form is
    a known municipality the text is returned without the suffix word but with its *s* kept: we
    do not guess. The original spelling and case of the name are preserved; surrounding
    whitespace is trimmed. Text without such a suffix is returned trimmed but otherwise unchanged.
    """
    # Deferred import: municipalities imports this module for fold().
    from bot.services.municipalities import is_municipality_name

    words = text.split()
    if not words or fold(words[-1]) not in MUNICIPALITY_SUFFIXES:
        return " ".join(words)
    base = " ".join(words[:-1])
    if not base or is_municipality_name(base):
        return base
    if base[-1] in "sS" and is_municipality_name(base[:-1]):
        return base[:-1]
    return base


# --- Swedish collation --------------------------------------------------------------------------

# Primary weights. Separators sort before digits, digits before letters, and the three Swedish
# letters after z in the order å, ä, ö (Svenska Akademiens ordlista). Since SAOL 13 (2006) w is
# its own letter, so v and w are *not* merged.
_SPACE_WEIGHT = 1
_HYPHEN_WEIGHT = 2
_PUNCT_WEIGHT = 3
_DIGIT_BASE = 10
_LETTER_BASE = 30
_SWEDISH_TAIL = {"å": 26, "ä": 27, "ö": 28}
# Foreign letters that Swedish dictionaries file under a Swedish letter.
_SWEDISH_EQUIV = {"æ": "ä", "ø": "ö", "ü": "y"}
_OTHER_BASE = 1000


def _primary_weight(char: str) -> int:
    """Primary collation weight of one case-folded, NFC character."""
    char = _SWEDISH_EQUIV.get(char, char)
    if char in _SWEDISH_TAIL:
        return _LETTER_BASE + _SWEDISH_TAIL[char]
    if "a" <= char <= "z":
        return _LETTER_BASE + ord(char) - ord("a")
    if char.isdigit() and char.isascii():
        return _DIGIT_BASE + int(char)
    if char.isspace():
        return _SPACE_WEIGHT
    if char in "-‐‑–—":
        return _HYPHEN_WEIGHT
    if _is_latin(char):
        # é -> e, ç -> c … but keep å/ä/ö, which were handled above and must not decompose.
        base = unicodedata.normalize("NFD", char)[0]
        if "a" <= base <= "z":
            return _LETTER_BASE + ord(base) - ord("a")
    if not char.isalnum():
        return _PUNCT_WEIGHT
    return _OTHER_BASE + ord(char)


@lru_cache(maxsize=8192)
def swedish_sort_key(text: str) -> tuple[tuple[int, ...], str, str]:
    """Sort key that orders text as a Swedish reader expects: a–z, then å, ä, ö.

    Å, Ä and Ö are letters of their own, so "Ystad" < "Åmål" < "Älmhult" < "Örebro". Case and
    accents on other letters ("é" files as "e", "ü" as "y") only break ties, lower case before
    upper case. Spaces sort before hyphens, which sort before digits and letters. Use as
    ``sorted(names, key=swedish_sort_key)``.
    """
    lowered = unicodedata.normalize("NFC", " ".join(text.split()).casefold())
    primary = tuple(_primary_weight(char) for char in lowered)
    # Ties: accents ("e" < "é"), then lower case before upper case as in ICU's Swedish rules;
    # swapcase() makes plain code point order do the latter.
    return primary, lowered, text.swapcase()
