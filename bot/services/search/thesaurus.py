"""The field's acronyms and synonyms (bot/data/search_thesaurus.toml), matched on query words."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from bot.services.search.analyzer import stem, words
from bot.services.textnorm import fold

__all__ = ["Group", "groups", "load", "match_at"]

DEFAULT_PATH = Path(__file__).resolve().parent.parent.parent / "data" / "search_thesaurus.toml"

Phrase = tuple[str, ...]
Group = tuple[Phrase, ...]


def _keys(word: str) -> frozenset[str]:
    """What a thesaurus word is known by: its stem, and its folded stem for ASCII queries."""
    return frozenset({stem(word), stem(fold(word))})


def load(path: Path = DEFAULT_PATH) -> tuple[Group, ...]:
    """Each group's phrases as analysed words; a group needs two phrases or more."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out: list[Group] = []
    for entry in data.get("group", []):
        phrases = tuple(dict.fromkeys(tuple(words(text)) for text in entry["terms"] if words(text)))
        if len(phrases) < 2:
            raise ValueError(f"a thesaurus group needs two terms or more: {entry!r}")
        out.append(phrases)
    return tuple(out)


@lru_cache(maxsize=1)
def groups() -> tuple[Group, ...]:
    return load()


@lru_cache(maxsize=1)
def _keyed() -> dict[str, tuple[tuple[Group, Phrase, tuple[frozenset[str], ...]], ...]]:
    """Every phrase with its group and the keys of its words, worked out once, by each key of
    its first word, longest first."""
    keyed = [
        (group, phrase, tuple(_keys(w) for w in phrase)) for group in groups() for phrase in group
    ]
    # A stable sort: among phrases of one length the thesaurus's order still decides.
    keyed.sort(key=lambda k: -len(k[1]))
    by_first: dict[str, list[tuple[Group, Phrase, tuple[frozenset[str], ...]]]] = {}
    for entry in keyed:
        for key in entry[2][0]:
            by_first.setdefault(key, []).append(entry)
    return {k: tuple(v) for k, v in by_first.items()}


@lru_cache(maxsize=4096)
def _query_key(query_word: str) -> str:
    return stem(fold(query_word)) if query_word.isascii() else stem(query_word)


def match_at(query: list[str], start: int) -> tuple[int, Group, Phrase] | None:
    """The longest thesaurus phrase that starts at `query[start]`: (length, group, phrase)."""
    rest = len(query) - start
    keys = [_query_key(query[start])]
    for group, phrase, phrase_keys in _keyed().get(keys[0], ()):
        n = len(phrase)
        if n > rest:
            continue
        while len(keys) < n:
            keys.append(_query_key(query[start + len(keys)]))
        if all(k in pk for k, pk in zip(keys, phrase_keys, strict=False)):
            return n, group, phrase
    return None
