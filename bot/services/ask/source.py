"""The plug every source of `/ask` fits: what a feature declares so that one question searches it.

A feature lists its `AskSource`s in its declaration (`Feature.ask` in `bot/features.py`). `/ask`
parses the question once into an `AskQuery` (stop words dropped, places and known expertise
terms lifted out as filters, the thesaurus applied by the one analyzer), calls every declared
source's `search` for the asker's network (all in one call to a reader), merges the `Hit`s,
and asks each source to `render` its own hits as `AskItem`s: a title, a link and a short
detail, never text made up.

A source that keeps an index of the one search's shape (`bot.services.search.Source`) can
answer with `search_index`, which runs the question's terms as alternatives (any may match,
more matches rank higher) and its places as a filter, and explains what matched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.services import search as engine
from bot.services.search import Hit, Source, Term, rank
from bot.services.search.analyzer import PLACE, token

if TYPE_CHECKING:
    from bot.db import Database

__all__ = [
    "KINDS",
    "AskItem",
    "AskQuery",
    "AskSource",
    "any_terms_expression",
    "search_index",
]

# The kinds of answer, in the order a tie between groups is broken.
KINDS = ("answered", "people", "practice", "resource", "decision", "minutes", "action")
# How many hits a source hands back at most for one question.
ASK_LIMIT = 5
# How many of a broad question's newest matches a source scores (and as many older ones that
# hold every term): /ask shows three of a kind, and asks seven sources at once.
ASK_BOUND = 100


@dataclass(frozen=True, slots=True)
class AskQuery:
    """One question, parsed once for every source.

    `terms` are what the question asks about (question and filler words dropped, thesaurus
    alternatives attached); `places` the municipality codes it names (a county or region
    stands for its municipalities): a source that knows where its entries are keeps only
    those there. `expertise` are the terms that name a known expertise tag (also in `terms`).
    """

    text: str
    terms: tuple[Term, ...] = ()
    places: tuple[str, ...] = ()
    expertise: tuple[Term, ...] = ()
    limit: int = ASK_LIMIT
    # The place names as typed ("halland", "lysekil"): an organisation named after the place
    # ("Region Halland") is there too, though it has no municipality code.
    place_words: tuple[str, ...] = ()

    @property
    def query(self) -> engine.Query:
        return engine.Query(self.terms)


@dataclass(frozen=True, slots=True)
class AskItem:
    """One hit as `/ask` shows it: the entry's own title, a link, and a short detail.

    `url` is a web or Discord link (a forum post, a minutes message, a resource's page);
    `user_id` names a person, shown with the contact card command; `owner_id` the person an
    entry is assigned to (an action's owner), shown after its link. Text here is the entry's own
    (titles, organisation names); `/ask` adds the reason from the hit's `matched`.
    """

    id: int
    title: str
    url: str | None = None
    user_id: int | None = None
    detail: str | None = None
    when: datetime | None = None
    owner_id: int | None = None


AskRead = Callable[[sqlite3.Connection, int, AskQuery], "list[Hit] | None"]
AskLoad = Callable[[sqlite3.Connection, int, Sequence[Hit]], list[AskItem]]
AskPrepare = Callable[["Database", int], Awaitable[object]]


@dataclass(frozen=True)
class AskSource:
    """A source of answers a feature declares.

    `kind`: one of `KINDS` (the group the answer is shown in). `search(conn, guild_id, q)`
    returns this network's hits, best first, at most `q.limit`, of entries every member may
    see (hidden profiles, other networks: never). `render(conn, guild_id, hits)` returns the
    `AskItem` of each hit it can still show, in the same order. Both run in a reader, every
    source's in the same call to it (`conn` is read-only): one question costs two hops to the
    database's threads, however many sources there are. A source whose index waits for the
    writer (profiles to re-index) returns None from `search`: `/ask` then awaits
    `prepare(db, guild_id)` and searches it again. `fields` names the catalogue key of each
    indexed column shown in the reason ("matched TMO in *expertise*"); a column without one is
    shown without its field.
    """

    kind: str
    search: AskRead
    render: AskLoad
    fields: dict[str, str] = field(default_factory=dict)
    prepare: AskPrepare | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind of ask source: {self.kind!r} (one of {KINDS})")


def _place_expression(
    guild_id: int, places: Sequence[str], words: Sequence[str], column: str
) -> str:
    parts = [f'"{token(guild_id, PLACE, code)}"' for code in places if code.isalnum()]
    for word in words:
        found = engine.expression(guild_id, (Term(word, (engine.Alternative((word,), "word"),)),))
        if found:
            parts.append(found)
    return f"{column} : ({' OR '.join(parts)})"


def any_terms_expression(
    guild_id: int, terms: Sequence[Term], *, single: bool = False
) -> str | None:
    """An FTS5 expression where any of the terms may match (each term's own alternatives), as
    whole words: a question is typed out, not half-typed. `single`: as in
    `bot.services.search.query.term_expression`."""
    parts = [engine.expression(guild_id, (t,), prefix=False, single=single) for t in terms]
    found = [p for p in parts if p]
    return " OR ".join(f"({p})" for p in found) if found else None


def search_index(
    conn: sqlite3.Connection,
    source: Source,
    guild_id: int,
    q: AskQuery,
    *,
    place_column: str | None = None,
    limit: int | None = None,
    where: str = "",
    params: tuple[object, ...] = (),
    columns: tuple[str, ...] = (),
) -> list[Hit]:
    """This network's best entries of a one-search index for the question: any term may
    match (bm25 ranks entries holding more of them, and rarer ones, first); when the question
    names places and `place_column` is given, only entries there. A broad question scores a
    bounded share of its matches, with the question's words and one-word synonyms; entries
    that only a phrase of the thesaurus finds come after (`bot.services.search.rank.best`).
    `where` (SQL on the entry's id, written `{rowid}`, with `params`) keeps only the entries
    the source may show (an index of several kinds of entry); `columns`, when given, are the
    only ones the question's terms may match in (a place still matches its own). Run it in a
    reader
    (`db.read(lambda conn: search_index(conn, SOURCE, guild_id, q))`)."""
    match = any_terms_expression(guild_id, q.terms)
    if match is None:
        return []
    scoring = any_terms_expression(guild_id, q.terms, single=True)
    every = None
    if len(q.terms) > 1:
        every = engine.expression(guild_id, q.terms, prefix=False, single=True)
    if columns:
        within = "{" + " ".join(columns) + "}"
        match, scoring, every = (
            f"{within} : ({m})" if m else None for m in (match, scoring, every)
        )
    if q.places and place_column is not None:
        place = _place_expression(guild_id, q.places, q.place_words, place_column)
        match, scoring, every = (
            f"({m}) AND ({place})" if m else None for m in (match, scoring, every)
        )
    assert match is not None
    scored = [
        (i, -score)
        for i, score in rank.best(
            conn,
            source,
            scoring,
            limit or q.limit,
            every=every,
            rest=match,
            bound=ASK_BOUND,
            where=where,
            params=params,
        )
    ]
    # What matched is read with prefixes ("web" in "webbkurs"): the entry is found already.
    return engine.explain(conn, source, guild_id, q.query, scored)
