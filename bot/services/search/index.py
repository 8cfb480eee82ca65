"""The index shape every feature searches with, and the hits it returns.

A source (the directory now; practices, resources and minutes next) keeps one FTS5 table with
`tokenize = 'ascii'` over token text the analyzer writes: each token starts with the network's
id, so a search in one network reads and scores only that network's entries (the terms of other
networks sit elsewhere in the index's b-tree). The rowid is the source's own id.

A source returns `Hit`s: its id, a score (higher is better) and what matched, so that `/ask`
can merge hits of several sources.
"""

from __future__ import annotations

import bisect
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.services.search.analyzer import (
    ASCII,
    EVERY,
    EXACT,
    PLACE,
    analyse_document,
    stem,
    token,
)
from bot.services.search.query import Alternative, Query, Term, word_tokens

__all__ = [
    "Hit",
    "Match",
    "Source",
    "correct_typos",
    "document_row",
    "every_document",
    "explain",
    "forget_deleted",
    "has_secure_delete",
]

TYPO_CUTOFF = 80.0
# A typo in a word of four letters or fewer is as likely another word: never corrected.
MIN_TYPO_WORD = 5


@dataclass(frozen=True, slots=True)
class Source:
    """A searchable source: its FTS5 table, its columns and their bm25 weights."""

    name: str
    table: str
    columns: tuple[str, ...]
    weights: tuple[float, ...]

    def bm25(self) -> str:
        return f"bm25({self.table}, {', '.join(str(w) for w in self.weights)})"


@dataclass(frozen=True, slots=True)
class Match:
    """What a hit matched: the query's term, the field it matched in, and how."""

    term: str
    field: str
    via: str  # "word", "thesaurus", "typo" or "place"
    matched: str  # the indexed term that matched (without the network's id)


@dataclass(frozen=True, slots=True)
class Hit:
    source: str
    id: int
    score: float  # higher is better: bm25 negated, or 0 when the order is not by relevance
    matched: tuple[Match, ...] = ()


def document_row(
    source: Source, guild_id: int, fields: Mapping[str, str], places: Iterable[str] = ()
) -> tuple[str, ...]:
    """The token text of every column, in the source's order, for INSERT. `places` are
    municipality codes the document belongs to (put in the column named "organisation" or,
    when there is none, the last column); the last column also carries the network's
    every-document token (`every_document`)."""
    place_column = "organisation" if "organisation" in source.columns else source.columns[-1]
    out: list[str] = []
    for column in source.columns:
        text = analyse_document(guild_id, fields.get(column, ""))
        if column == place_column:
            codes = " ".join(token(guild_id, PLACE, c) for c in places if c.isalnum())
            text = f"{text} {codes}".strip()
        if column == source.columns[-1]:
            text = f"{text} {every_document(guild_id)}".strip()
        out.append(text)
    return tuple(out)


def every_document(guild_id: int) -> str:
    """The token every document of the network carries: `MATCH` it to count them all."""
    return token(guild_id, EVERY, "")


# --- typos --------------------------------------------------------------------------------------


# FTS5 keeps its index's structure record in the %_data row with this id; every write to
# the index rewrites it, so an unchanged record means an unchanged vocabulary.
_STRUCTURE_ROWID = 10
_VOCABULARIES = 64
_vocabularies: dict[tuple[str, str, int, str], tuple[bytes, list[str]]] = {}
_vocabularies_lock = threading.Lock()


def _vocabulary(conn: sqlite3.Connection, source: Source, guild_id: int, kind: str) -> list[str]:
    """The network's terms of one kind in the index, sorted. Listing them makes fts5vocab walk
    every entry of every term (136 ms over 100,000 practices), so the list is kept until the
    index changes (any write to it: an erased name is never offered after its erasure)."""
    path = str(conn.execute("PRAGMA database_list").fetchone()[2])
    structure = conn.execute(
        f"SELECT block FROM {source.table}_data WHERE id = ?", (_STRUCTURE_ROWID,)
    ).fetchone()
    key = (path, source.table, guild_id, kind)
    stamp = bytes(structure[0]) if structure and path else None
    with _vocabularies_lock:
        known = _vocabularies.get(key)
    if known is not None and stamp is not None and known[0] == stamp:
        return known[1]
    low = f"{guild_id}{kind}"
    high = f"{guild_id}{chr(ord(kind) + 1)}"
    rows = conn.execute(
        f"SELECT term FROM {source.table}_vocab WHERE term >= ? AND term < ?", (low, high)
    ).fetchall()
    found = sorted(r[0][len(low) :] for r in rows)
    if stamp is not None:
        with _vocabularies_lock:
            if len(_vocabularies) >= _VOCABULARIES:
                _vocabularies.clear()
            _vocabularies[key] = (stamp, found)
    return found


def _known(vocabulary: list[str], word: str) -> bool:
    if stem(word) in vocabulary:
        return True
    at = bisect.bisect_left(vocabulary, word)
    return at < len(vocabulary) and vocabulary[at].startswith(word)


def correct_typos(
    conn: sqlite3.Connection, source: Source, guild_id: int, query: Query
) -> Query | None:
    """The query with each word the network's index does not hold replaced by the closest
    one it does (rapidfuzz over the index's own terms), or None when nothing changed."""
    vocabularies: dict[str, list[str]] = {}
    changed: dict[str, str] = {}
    terms: list[Term] = []
    for term in query.terms:
        word = term.word
        if word is None or len(word) < MIN_TYPO_WORD or len(term.alternatives) > 1:
            terms.append(term)
            continue
        kind = ASCII if word.isascii() else EXACT
        if kind not in vocabularies:
            vocabularies[kind] = _vocabulary(conn, source, guild_id, kind)
        vocabulary = vocabularies[kind]
        if _known(vocabulary, word):
            terms.append(term)
            continue
        best = process.extractOne(
            word,
            vocabulary,
            scorer=fuzz.ratio,
            score_cutoff=TYPO_CUTOFF,
            processor=None,
        )
        if best is None:
            terms.append(term)
            continue
        changed[word] = best[0]
        terms.append(replace(term, alternatives=(Alternative((best[0],), "typo"),)))
    if not changed:
        return None
    return Query(tuple(terms), query.short, {**query.corrected, **changed})


# --- explanations -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Lookup:
    """What one term is looked up as in a document's tokens, worked out once per search:
    per alternative, per word, its exact tokens and the prefixes it may start."""

    term: Term
    alternatives: tuple[tuple[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]], ...]
    place: str | None


@lru_cache(maxsize=1024)
def _lookups(guild_id: int, terms: tuple[Term, ...]) -> tuple[_Lookup, ...]:
    out = []
    for term in terms:
        alternatives = []
        for alt in term.alternatives:
            per_word = []
            for w in alt.words:
                exact, prefixes = word_tokens(guild_id, w, prefix=alt.via == "word")
                # The word as typed before its stem: what matched is then the word itself
                # wherever the entry holds it, whatever order a set would give.
                per_word.append(
                    (tuple(sorted(exact, key=lambda t: (-len(t), t))), tuple(sorted(prefixes)))
                )
            alternatives.append((alt.via, tuple(per_word)))
        place = token(guild_id, PLACE, term.place_code) if term.place_code is not None else None
        out.append(_Lookup(term, tuple(alternatives), place))
    return tuple(out)


class _Tokens:
    """One field's token text, searched as it is: a token is looked up as " token " in the
    text padded with a space each side (a scan in C, cheaper than splitting the field)."""

    __slots__ = ("_text",)

    def __init__(self, text: str | None) -> None:
        self._text = f" {text} " if text else ""

    def has(self, token: str) -> bool:
        return f" {token} " in self._text

    def find(self, exact: tuple[str, ...], prefixes: tuple[str, ...]) -> str | None:
        """The first of `exact` the field holds, else the first token (in sorted order) that
        starts with the first of `prefixes` any token starts with."""
        text = self._text
        if not text:
            return None
        for t in exact:
            if f" {t} " in text:
                return t
        for p in prefixes:
            needle = " " + p
            found: str | None = None
            at = text.find(needle)
            while at >= 0:
                end = text.index(" ", at + 1)
                candidate = text[at + 1 : end]
                if found is None or candidate < found:
                    found = candidate
                at = text.find(needle, end)
            if found is not None:
                return found
        return None


def explain(
    conn: sqlite3.Connection,
    source: Source,
    guild_id: int,
    query: Query,
    scored: Sequence[tuple[int, float]],
) -> list[Hit]:
    """Hits for these (id, score) pairs, each with the fields where each term matched (a word
    typed also as the start of a longer one)."""
    if not scored:
        return []
    ids = [i for i, _ in scored]
    marks = ",".join("?" * len(ids))
    cols = ", ".join(source.columns)
    rows = {
        int(r[0]): r[1:]
        for r in conn.execute(
            f"SELECT rowid, {cols} FROM {source.table} WHERE rowid IN ({marks})", ids
        ).fetchall()
    }
    lookups = _lookups(guild_id, query.terms)
    prefix_len = len(str(guild_id)) + 1
    hits: list[Hit] = []
    for doc_id, score in scored:
        texts = rows.get(doc_id)
        found: list[Match] = []
        if texts is not None:
            columns = [(c, _Tokens(t)) for c, t in zip(source.columns, texts, strict=True)]
            for lookup in lookups:
                for column, tokens in columns:
                    hit = _explain_term(lookup, tokens)
                    if hit is not None:
                        via, matched = hit
                        found.append(Match(lookup.term.text, column, via, matched[prefix_len:]))
        hits.append(Hit(source.name, doc_id, score, tuple(found)))
    return hits


def _explain_term(lookup: _Lookup, tokens: _Tokens) -> tuple[str, str] | None:
    for via, per_word in lookup.alternatives:
        first: str | None = None
        for exact, prefixes in per_word:
            matched = tokens.find(exact, prefixes)
            if matched is None:
                break
            first = first or matched
        else:
            if first is not None:
                return via, first
    if lookup.place is not None and tokens.has(lookup.place):
        return "place", lookup.place
    return None


# --- erasure ------------------------------------------------------------------------------------


def has_secure_delete() -> bool:
    """Whether this SQLite's FTS5 has the `secure-delete` option (3.44 and later)."""
    return sqlite3.sqlite_version_info >= (3, 44, 0)


def forget_deleted(table: str) -> list[str]:
    """Statements that make the terms of deleted documents leave the index's pages.

    FTS5 keeps a deleted document's terms in its segments (with a delete marker) until the
    segments are merged. Where SQLite has FTS5's `secure-delete` option (3.44 and later) it is
    switched on for the table, so later deletes remove terms at once; in every case the index
    is merged into one segment ('optimize'), which drops every deleted entry now. The pages
    this frees are overwritten because every connection runs with `PRAGMA secure_delete = ON`.
    """
    statements = []
    if has_secure_delete():
        statements.append(f"INSERT INTO {table} ({table}, rank) VALUES ('secure-delete', 1)")
    statements.append(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    return statements
