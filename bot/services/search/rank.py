"""Ranking whose cost follows what can be shown, not how much matched.

FTS5's bm25 reads each matching entry's column sizes: about 2 µs an entry, so a broad word
("samordnare" in a directory of 10,000, "TMO" among 100,000 practices) costs 3–7 ms to score
in full though only a page is shown. Counting the matches and walking them newest first cost
next to nothing, and a rowid range is answered from the index itself. So a match with more
than `BOUND` entries is ranked in two parts:

1. the newest `BOUND` entries (by rowid, which every source gives in order of creation),
   by score;
2. then the older ones, by score.

The order is total and stable, so paging is consistent (`page`): the first pages score at most
`BOUND` entries, and only a member who pages past them pays for the rest. A question (`best`)
wants a few entries, not pages: it scores the newest matches that hold every term, and then
the newest that hold any. bm25's scores do not depend on the rowid range (its statistics are
the whole table's), so scores from different parts, and from an expression and its all-terms
form, compare.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from bot.services.search.index import Source

__all__ = ["BOUND", "UNSCORED", "Part", "best", "newest", "page", "parts"]

BOUND = 400


@dataclass(frozen=True, slots=True)
class Part:
    """One part of the ranking a page falls in: `where` (with `params`) narrows the index's
    rowids to the part; `offset`, `limit` are the page's within it, `total` its size."""

    where: str
    params: tuple[int, ...]
    offset: int
    limit: int
    total: int


def newest(conn: sqlite3.Connection, source: Source, match: str, count: int = BOUND) -> int | None:
    """The rowid of the `count`-th newest entry matching, or None when fewer match."""
    table = source.table
    row = conn.execute(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
        (match, count - 1),
    ).fetchone()
    return None if row is None else int(row[0])


def parts(
    conn: sqlite3.Connection,
    source: Source,
    match: str,
    total: int,
    offset: int,
    limit: int,
    *,
    rowid: str = "rowid",
    bound: int = BOUND,
) -> list[Part]:
    """The parts a page [offset, offset + limit) of `total` matches falls in (one when the
    match is small). `rowid` names the index's rowid in the caller's SQL."""
    if total <= bound:
        return [Part("", (), offset, limit, total)]
    edge = newest(conn, source, match, bound)
    if edge is None:  # written to since it was counted: rank it whole
        return [Part("", (), offset, limit, total)]
    out = []
    if offset < bound:
        out.append(Part(f" AND {rowid} >= ?", (edge,), offset, min(limit, bound - offset), bound))
    end = offset + limit
    if end > bound:
        start = max(offset, bound)
        out.append(Part(f" AND {rowid} < ?", (edge,), start - bound, end - start, total - bound))
    return out


# Rows fetched past a page so that equal scores are ordered by the caller's order.
TIE_ROOM = 50


def page(
    conn: sqlite3.Connection,
    source: Source,
    match: str,
    offset: int,
    limit: int,
    *,
    rows: str,
    order: str,
    bound: int = BOUND,
) -> tuple[list[tuple[int, float]], int]:
    """(rowid, score: higher is better) of a page of the match and how many match: best first
    (in `parts`), equal scores in `order` over the source's own table `rows` (joined as `t` on
    `t.id`, e.g. `order="t.title_key, t.id"`)."""
    table = source.table
    total = int(
        conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {table} MATCH ?", (match,)).fetchone()[0]
    )
    if total == 0 or offset >= total:
        return [], total
    found: list[tuple[int, float]] = []
    for part in parts(conn, source, match, total, offset, limit, bound=bound):
        found += [
            (int(r[0]), -float(r[1]))
            for r in conn.execute(
                f"SELECT s.rowid, s.score FROM (SELECT rowid, {source.bm25()} AS score"
                f" FROM {table} WHERE {table} MATCH ?{part.where} ORDER BY score LIMIT ?) s"
                f" JOIN {rows} t ON t.id = s.rowid ORDER BY s.score, {order} LIMIT ? OFFSET ?",
                (match, *part.params, part.offset + part.limit + TIE_ROOM, part.limit, part.offset),
            ).fetchall()
        ]
    return found, total


# What an entry found by `rest` alone scores: after every scored one (bm25 is negative).
UNSCORED = 0.0


def best(
    conn: sqlite3.Connection,
    source: Source,
    match: str | None,
    limit: int,
    *,
    every: str | None = None,
    rest: str | None = None,
    bound: int = BOUND,
    where: str = "",
    params: tuple[object, ...] = (),
) -> list[tuple[int, float]]:
    """The `limit` best entries (rowid, bm25: lower is better) of a match, scoring at most
    2 × `bound`. When `every` (the form of the match where every term must match) is given,
    the newest `bound` entries holding every term come first, scored; only when fewer than
    `limit` hold them all are the newest `bound` of `match` (any term) scored beside them, so
    an old entry that holds the whole question is not passed over for newer ones holding one
    common word of it, and a question whose every word is common costs one query. Each is one
    query: SQLite scores only the rows the index hands over, newest first, and hands back only
    the best. When fewer than `limit` are found and `rest` (a wider match, not scored) is
    given, its newest entries fill the list, scored `UNSCORED`. `where` (SQL on the entry's
    rowid, written `{rowid}`, with `params`) keeps only the entries the caller may show: it is
    part of the match, so the newest `bound` are the newest the caller may show."""
    found: dict[int, float] = {}
    if every is not None and every != match:
        found = _newest_scored(conn, source, every, bound, limit, where, params)
    if match and len(found) < limit:
        for rowid, score in _newest_scored(
            conn, source, match, bound, limit, where, params
        ).items():
            found.setdefault(rowid, score)
    out = sorted(found.items(), key=lambda x: (x[1], -x[0]))[:limit]
    if rest is not None and rest != match and len(out) < limit:
        table = source.table
        rows = conn.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ?{_and(source, where)}"
            " ORDER BY rowid DESC LIMIT ?",
            (rest, *params, limit + len(out)),
        ).fetchall()
        seen = {rowid for rowid, _ in out}
        out += [(int(r[0]), UNSCORED) for r in rows if int(r[0]) not in seen][: limit - len(out)]
    return out


def _and(source: Source, where: str) -> str:
    return f" AND ({where.format(rowid=f'{source.table}.rowid')})" if where else ""


def _newest_scored(
    conn: sqlite3.Connection,
    source: Source,
    match: str,
    count: int,
    limit: int,
    where: str,
    params: tuple[object, ...],
) -> dict[int, float]:
    table = source.table
    rows = conn.execute(
        f"SELECT s.rowid, s.score FROM (SELECT rowid, {source.bm25()} AS score FROM {table}"
        f" WHERE {table} MATCH ?{_and(source, where)} ORDER BY rowid DESC LIMIT ?) AS s"
        " ORDER BY s.score, s.rowid DESC LIMIT ?",
        (match, *params, count, limit),
    ).fetchall()
    return {int(r[0]): float(r[1]) for r in rows}
