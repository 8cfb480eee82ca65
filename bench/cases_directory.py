"""Benchmark cases of the directory: `/contact find` over a network of 10,000 profiles, whose
holders are all members of the sandbox server (bench/side/seeds.py)."""

from __future__ import annotations

import re
from typing import Any

from bench.registry import Case, Target, slash
from bench.side import bench_data as data

EVERYONE = data.people(data.PROFILES)
# A person's display name ends with their index; nothing else in a reply is shaped like that.
PERSON = re.compile(r"^\S.* \d+$")
TARGETS = (Target(1, "seen_x_deferred", 3.0), Target(50, "seen_median_ms", 300.0))


def finds(query: data.Query) -> Any:
    """The reply's count is the expected count, and everyone shown is among the expected."""
    expected = {p.name for p in query.expected(EVERYONE)}
    count = len(expected)
    title = f"{count} kontakt" if count == 1 else f"{count} kontakter"

    def check(reply: Any) -> str | None:
        embed = reply.embeds[0] if reply.embeds else {}
        shown = [f.get("name", "") for f in embed.get("fields") or []]
        people = [n for n in shown if PERSON.match(n)]
        wrong = [n for n in people if n not in expected]
        # The count is written with the locale's grouping ("1 684"): compare without spaces.
        if re.sub(r"\s", "", str(embed.get("title"))) != re.sub(r"\s", "", title):
            return f"title {embed.get('title')!r}, expected {title!r}"
        if wrong or len(people) != min(5, count):
            return f"shows {people}; {count} expected people, {wrong} should not be there"
        return None

    return check


def _find(query: data.Query) -> Case:
    return slash(
        "contact find",
        query.criteria,
        check=finds(query),
        name=f"/contact find {query.label}",
        targets=TARGETS,
    )


CASES = [_find(q) for q in data.COMMAND_QUERIES]
