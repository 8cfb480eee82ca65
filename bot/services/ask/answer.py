"""One question searched across every declared source, merged into one answer.

Sources score with bm25 on their own index, which do not compare across indexes; the answer
ranks by how much of the question each hit covers (the share of the question's terms it
matched, read from `Hit.matched`), and within a source by its own order. A hit covering less
than `SHOW_COVERAGE` of the question is not shown; when nothing is shown, nothing good was
found and `/ask` offers the hand-off to people.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import Any, TypeVar

from bot.db import Database
from bot.services import search as engine
from bot.services.ask.parse import parse_question
from bot.services.ask.source import KINDS, AskItem, AskQuery, AskSource
from bot.services.search import Hit
from bot.services.textnorm import fold

__all__ = ["SHOW_COVERAGE", "Answer", "Group", "Shown", "answer", "coverage"]

R = TypeVar("R")

# Calibrated on tests/services/ask/question_set.py: below half the question's terms, hits are
# incidental (one common word of three); every expected answer covers at least half.
SHOW_COVERAGE = 0.5
MAX_PER_KIND = 3


@dataclass(frozen=True, slots=True)
class Shown:
    """One hit shown: its item, what it matched, how well it covers the question."""

    kind: str
    item: AskItem
    hit: Hit
    score: float
    fields: dict[str, str]


@dataclass(frozen=True, slots=True)
class Group:
    kind: str
    shown: tuple[Shown, ...]


@dataclass(frozen=True, slots=True)
class Answer:
    query: AskQuery
    groups: tuple[Group, ...]

    @property
    def found(self) -> bool:
        return bool(self.groups)

    def all(self) -> list[Shown]:
        return [s for g in self.groups for s in g.shown]


def coverage(query: AskQuery, hit: Hit) -> float:
    """The share of the question's terms the hit matched (a place filter counts as met)."""
    if not query.terms:
        return 0.0
    wanted = {t.text for t in query.terms}
    got = {m.term for m in hit.matched if m.term in wanted and _telling(m)}
    return len(got) / len(wanted)


def _telling(match: Any) -> bool:
    """Whether a match says something: the word itself, a synonym, a stem long enough not to
    be a piece of unrelated words ("bakar" → "bak" is in "tillbaka", "kostar" → "kost" in
    "kostnad", "bil" → "bild" in "utbildning"), or a short piece in the entry's title, which
    names what the entry is about ("web" → "webbkurs")."""
    return (
        match.via != "word"
        or len(match.matched) >= 5
        or match.matched.casefold() in {match.term.casefold(), fold(match.term)}
        or match.field == "title"
    )


def _scored(source: AskSource, hits: list[Hit], query: AskQuery) -> list[tuple[Hit, float]]:
    out = []
    for rank, hit in enumerate(hits):
        share = coverage(query, hit)
        if share < SHOW_COVERAGE:
            continue
        # Within equal coverage, a source's own order; the answered questions of the network
        # first (a person already answered it).
        bonus = 0.05 * (1 - rank / max(len(hits), 1)) + (0.01 if source.kind == "answered" else 0)
        out.append((hit, share + bonus))
    return out


def _search_all(
    conn: sqlite3.Connection, guild_id: int, sources: Sequence[AskSource], query: AskQuery
) -> list[list[Hit] | None]:
    return [source.search(conn, guild_id, query) for source in sources]


def _answer(
    conn: sqlite3.Connection,
    guild_id: int,
    chosen: Sequence[AskSource],
    query: AskQuery,
    per_kind: int,
    found: list[list[Hit] | None] | None = None,
) -> Answer | list[list[Hit] | None]:
    """In a reader: every source searched, the hits scored and the best of each kind
    rendered — or, when a source's index waits for the writer, what was found so far."""
    if found is None:
        found = _search_all(conn, guild_id, chosen, query)
        if any(hits is None for hits in found):
            return found
    by_kind: dict[str, list[tuple[AskSource, Hit, float]]] = {}
    for source, hits in zip(chosen, found, strict=True):
        for hit, score in _scored(source, hits or [], query):
            by_kind.setdefault(source.kind, []).append((source, hit, score))
    groups: list[tuple[float, int, Group]] = []
    for kind, scored in by_kind.items():
        scored.sort(key=lambda x: -x[2])
        picked = scored[:per_kind]
        items: dict[tuple[int, int], AskItem] = {}
        for source in {id(s): s for s, _, _ in picked}.values():
            mine = [h for s, h, _ in picked if s is source]
            items.update(((id(source), i.id), i) for i in source.render(conn, guild_id, mine))
        shown = [
            Shown(kind, items[(id(s), h.id)], h, sc, s.fields)
            for s, h, sc in picked
            if (id(s), h.id) in items
        ]
        shown.sort(key=lambda s: -s.score)
        if shown:
            groups.append((shown[0].score, KINDS.index(kind), Group(kind, tuple(shown))))
    groups.sort(key=lambda g: (-g[0], g[1]))
    return Answer(query, tuple(g for _, _, g in groups))


async def answer(
    db: Database,
    guild_id: int,
    sources: Sequence[AskSource],
    text: str,
    *,
    expertise_keys: Collection[str] | None = None,
    kinds: Sequence[str] | None = None,
    per_kind: int = MAX_PER_KIND,
) -> Answer:
    """The question answered from `sources` (every declared one, or only `kinds`), grouped
    by kind, the best group first; each hit rendered by its source."""
    query = parse_question(text, expertise_keys=expertise_keys or ())
    if not query.terms:
        return Answer(query, ())
    chosen = [s for s in sources if kinds is None or s.kind in kinds]
    if not engine.loaded():  # the compound word list loads once, off the loop
        await asyncio.to_thread(engine.warm)
    # Everything in one call to the database; a source whose index waits for the writer is
    # prepared, then searched again.
    done = await _in_database(db, _answer, guild_id, chosen, query, per_kind)
    if isinstance(done, Answer):
        return done
    found = done
    waiting = [s for s, hits in zip(chosen, found, strict=True) if hits is None]
    for source in waiting:
        assert source.prepare is not None, f"{source.kind}: search waits, nothing prepares"
        await source.prepare(db, guild_id)
    again = iter(await _in_database(db, _search_all, guild_id, waiting, query))
    found = [next(again) if hits is None else hits for hits in found]
    result = await _in_database(db, _answer, guild_id, chosen, query, per_kind, found)
    assert isinstance(result, Answer)
    return result


def _identity(source: AskSource) -> tuple[object, ...]:
    """What makes two sources the same, whichever process made them: the kind and the
    functions by name (a `partial` by its function and arguments)."""
    return (source.kind, _name(source.search), _name(source.render))


def _name(fn: object) -> object:
    if isinstance(fn, partial):
        return (_name(fn.func), fn.args, tuple(sorted(fn.keywords.items())))
    name = getattr(fn, "__qualname__", None)
    if name is None or "<" in name:  # a lambda or a local function: only itself
        return fn
    return (getattr(fn, "__module__", None), name)


def warm() -> None:
    """What a search process loads before its first question (`bot.db.Database`'s `warm`):
    the compound word list and the declared sources, with the modules they come from."""
    engine.warm()
    _declared_sources()


@cache
def _declared_sources() -> tuple[AskSource, ...]:
    from bot.features import declared  # the features are made of the services

    return tuple(declared().ask_sources)


@cache
def _declared_identities() -> tuple[tuple[object, ...], ...]:
    return tuple(_identity(s) for s in _declared_sources())


def _on_declared(
    conn: sqlite3.Connection,
    fn: Callable[..., R],
    at: tuple[int, ...],
    guild_id: int,
    *args: Any,
) -> R:
    sources = _declared_sources()
    return fn(conn, guild_id, [sources[i] for i in at], *args)


async def _in_database(
    db: Database, fn: Callable[..., R], guild_id: int, chosen: Sequence[AskSource], *args: Any
) -> R:
    """`fn(conn, guild_id, chosen, *args)` in one call to the database: in one of its
    processes when the sources are the declared ones (a process finds them by their place in
    the declaration), else in a reader."""
    known = _declared_identities()
    mine = [_identity(s) for s in chosen]
    if all(s in known for s in mine):
        at = tuple(known.index(s) for s in mine)
        return await db.compute(_on_declared, fn, at, guild_id, *args)
    return await db.read(lambda conn: fn(conn, guild_id, chosen, *args))
