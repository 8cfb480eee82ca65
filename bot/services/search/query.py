"""Queries: user text to FTS5 match expressions that cannot hold FTS5 syntax, and back to
explanations of what matched.

Every token in an expression is one the analyzer made (letters, digits and marks behind the
network's id) inside double quotes, so no user text is ever read as FTS5 syntax: quotes,
`AND (`, `NEAR(`, `*`, column filters, NUL and control characters are all separators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from bot.services.search import thesaurus
from bot.services.search.analyzer import ASCII, EXACT, PLACE, stem, token, words
from bot.services.textnorm import fold

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "MIN_INDEXED_WORD",
    "Alternative",
    "Query",
    "Term",
    "parse",
]

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
# Shorter words are not looked up in the index (a feature may filter on them in other ways).
MIN_INDEXED_WORD = 3


@dataclass(frozen=True, slots=True)
class Alternative:
    """One way a term may match: the words of a phrase (all must match), how it was found."""

    words: tuple[str, ...]
    via: str  # "word", "thesaurus", "typo" or "place"


@dataclass(frozen=True, slots=True)
class Term:
    """One thing the query asks for: a word, or a phrase of the thesaurus; any alternative."""

    text: str
    alternatives: tuple[Alternative, ...]
    place_code: str | None = None

    @property
    def word(self) -> str | None:
        """The single word typed, for terms that are one word."""
        return self.text if " " not in self.text else None


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[Term, ...] = ()
    # Words too short for the index ("bo", "ek"), for the feature to use as it sees fit.
    short: tuple[str, ...] = ()
    corrected: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.terms or self.short)


def parse(text: str | None) -> Query:
    """The terms of a user's query: words, thesaurus phrases, and short words apart."""
    if not text:
        return Query()
    ws = list(dict.fromkeys(words(text[: MAX_QUERY_CHARS * 2])[: MAX_TERMS * 2]))
    terms: list[Term] = []
    short: list[str] = []
    i = 0
    while i < len(ws) and len(terms) + len(short) < MAX_TERMS:
        found = thesaurus.match_at(ws, i)
        if found is not None:
            n, group, _phrase = found
            typed = " ".join(ws[i : i + n])
            alternatives = [Alternative(tuple(ws[i : i + n]), "word")]
            alternatives += [
                Alternative(p, "thesaurus") for p in group if p != tuple(ws[i : i + n])
            ]
            terms.append(Term(typed, tuple(alternatives)))
            i += n
            continue
        word = ws[i]
        if len(word) < MIN_INDEXED_WORD:
            short.append(word)
        else:
            terms.append(Term(word, (Alternative((word,), "word"),)))
        i += 1
    return Query(tuple(terms), tuple(short))


def _quoted(text: str) -> str:
    # Tokens hold only letters, digits and marks; doubling quotes is belt and braces.
    return '"' + text.replace('"', '""') + '"'


def word_tokens(guild_id: int, word: str, *, prefix: bool = True) -> tuple[set[str], set[str]]:
    """(exact tokens, prefix tokens) a query word is looked up as: its stem, and the word as
    typed or as the start of a longer one ("samord" finds "samordnare")."""
    kind = ASCII if word.isascii() else EXACT
    exact = {token(guild_id, kind, stem(word)), token(guild_id, kind, word)}
    prefixes = {token(guild_id, kind, word)} if prefix and len(word) >= MIN_INDEXED_WORD else set()
    return exact, prefixes


def _word_expression(guild_id: int, word: str, *, prefix: bool) -> str:
    exact, prefixes = word_tokens(guild_id, word, prefix=prefix)
    parts = [_quoted(t) for t in sorted(exact - prefixes)]
    parts += [_quoted(t) + " *" for t in sorted(prefixes)]
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


@lru_cache(maxsize=4096)
def term_expression(
    guild_id: int, term: Term, *, prefix: bool = True, single: bool = False
) -> str | None:
    """A term's alternatives as an FTS5 expression. With `prefix` (a search box) a word typed
    may be the start of a longer one; without it (a whole question) words match as words,
    stems and compound parts only: a prefix costs the index a merge of every term it starts.
    (Worked out once: /ask builds the same expressions for each of its sources.)
    With `single`, only the alternatives of one word (None when there are none): the form a
    broad match is scored with, since bm25 reads every entry holding each word it scores, and
    a phrase of the thesaurus ("traumamedveten omsorg") holds common ones."""
    options: list[str] = []
    for alt in term.alternatives:
        if single and len(alt.words) > 1:
            continue
        # Only what the user typed may be a half-typed word; the thesaurus's words and typo
        # corrections are whole words, and each prefix costs the index a range of terms.
        inner = [
            _word_expression(guild_id, w, prefix=prefix and alt.via == "word") for w in alt.words
        ]
        options.append(inner[0] if len(inner) == 1 else "(" + " AND ".join(inner) + ")")
    if term.place_code is not None:
        options.append(_quoted(token(guild_id, PLACE, fold(term.place_code))))
    if not options:
        return None
    return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"


def expression(
    guild_id: int,
    terms: tuple[Term, ...],
    column: str | None = None,
    *,
    prefix: bool = True,
    single: bool = False,
) -> str | None:
    """An FTS5 expression: every term must match (in `column` when given); `prefix` and
    `single` as in `term_expression` (with `single`, a term of phrases only is left out)."""
    found = [term_expression(guild_id, t, prefix=prefix, single=single) for t in terms]
    parts = [p for p in found if p]
    if not parts:
        return None
    body = " AND ".join(parts)
    return f"{column} : ({body})" if column else body
