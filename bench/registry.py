"""What the benchmark measures.

A feature declares its cases as a list of `Case` (see `bench/cases_directory.py`) and names
that module in its declaration in `bot.features` (`bench="bench.cases_<feature>"`); the seeds
that give the cases their data live on the tree side (`bench/side/seeds.py`), because they must
be written with the code of the tree under test.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sandbox import Sandbox


class WrongReply(AssertionError):
    """A case's reply does not hold what it should: its timing means nothing."""


@dataclass(frozen=True)
class Target:
    """A figure the issue asks for, printed beside the measured one (not asserted)."""

    in_flight: int
    metric: str
    """"seen_x_deferred" (a ratio) or "seen_median_ms"."""
    limit: float

    def describe(self) -> str:
        if self.metric == "seen_x_deferred":
            return f"seen ≤ {self.limit:g}× deferred"
        return f"seen ≤ {self.limit:g} ms"


@dataclass(frozen=True)
class Case:
    """One command to measure: how to invoke it as a member, and what its reply must hold.

    `check` returns what is wrong with a reply, or None; every reply is checked, and one wrong
    reply fails the bench.
    """

    name: str
    invoke: Callable[[Sandbox, Any, Any], Awaitable[Any]]
    check: Callable[[Any], str | None]
    targets: tuple[Target, ...] = field(default=())


def contains(*needles: str) -> Callable[[Any], str | None]:
    """A check that the reply's text holds every one of `needles` (any kind of space in the
    reply, such as the locale's thousands separator, matches a plain space)."""

    def check(reply: Any) -> str | None:
        text = re.sub(r"\s", " ", reply.text)
        missing = [n for n in needles if n not in text]
        return f"missing {missing} in {text[:300]!r}" if missing else None

    return check


def slash(
    path: str,
    options: dict[str, Any] | None = None,
    *,
    check: Callable[[Any], str | None],
    name: str | None = None,
    locale: str = "sv-SE",
    targets: tuple[Target, ...] = (),
) -> Case:
    async def run(sb: Sandbox, guild: Any, user: Any) -> Any:
        return await sb.invoke(path, dict(options or {}), user=user, guild=guild, locale=locale)

    return Case(name or f"/{path}", run, check, targets)


# The floors, answered by bench/side/trivial_cog.py in the bench's bot process only.
BASELINE = slash("bench-baseline", check=contains("ok"))
DEFERRED = slash("bench-deferred", check=contains("ok"))


def feature_cases() -> list[Case]:
    """Every feature's cases (the `CASES` of the bench module its declaration names in
    `bot.features`), in declaration order."""
    from bot.features import declared, resolve

    return [case for reference in declared().bench_modules for case in resolve(reference).CASES]
