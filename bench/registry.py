"""What the benchmark measures. Each feature names its module of cases in its declaration
(`bot.features`, `bench=`), which appends to CASES and SEEDS when loaded."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox import Sandbox


@dataclass
class Case:
    """One command to measure: how to invoke it, given a member to act as."""

    name: str
    invoke: Callable[[Sandbox, Any, Any], Awaitable[Any]]


def slash(path: str, options: dict[str, Any] | None = None, locale: str = "sv-SE") -> Case:
    async def run(sb: Sandbox, guild: Any, user: Any) -> Any:
        return await sb.invoke(path, dict(options or {}), user=user, guild=guild, locale=locale)

    return Case(f"/{path}", run)


BASELINE = slash("bench-baseline")
# Later features add their commands (and the data volumes they need) here.
CASES: list[Case] = []
SEEDS: list[Callable[[Sandbox, Any, list[Any], Path], Awaitable[None]]] = []


def load_feature_cases() -> None:
    """Load the bench module each feature declares (`bench/cases_<feature>.py`), where it
    appends to CASES and SEEDS."""
    from bot.features import declared, resolve

    for reference in declared().bench_modules:
        resolve(reference)
