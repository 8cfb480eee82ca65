"""What the benchmark measures. Features add cases in `bench/cases_<feature>.py`."""

from __future__ import annotations

import importlib
import pkgutil
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
    """Import `bench/cases_<feature>.py`, where features append to CASES and SEEDS."""
    import bench as package

    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module.name.startswith("cases_"):
            importlib.import_module(f"bench.{module.name}")
