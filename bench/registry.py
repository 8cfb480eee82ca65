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


def in_group(heading: str, *needles: str) -> Callable[[Any], str | None]:
    """A check that the reply has a group under a line reading `heading` (whatever its icon and
    markdown around it, as `/ask` heads the kinds of its answer) and that the group, down to the
    next blank line, holds every one of `needles`, in any case: proof that the answer of that
    kind is about what was asked, not merely that something was found."""

    def check(reply: Any) -> str | None:
        lines = reply.text.splitlines()
        for n, line in enumerate(lines):
            if re.sub(r"[^\w\s]", "", line).strip() != heading:
                continue
            group: list[str] = []
            for below in lines[n + 1 :]:
                if not below.strip():
                    break
                group.append(below)
            text = re.sub(r"\s", " ", "\n".join(group)).casefold()
            missing = [x for x in needles if x.casefold() not in text]
            return f"missing {missing} under {heading!r}: {text[:300]!r}" if missing else None
        return f"no group {heading!r} in {reply.text[:300]!r}"

    return check


def every(*checks: Callable[[Any], str | None]) -> Callable[[Any], str | None]:
    """A check that passes when all of `checks` pass (the first failure is reported)."""

    def check(reply: Any) -> str | None:
        return next((wrong for c in checks if (wrong := c(reply)) is not None), None)

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
