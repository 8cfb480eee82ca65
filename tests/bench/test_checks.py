"""The bench's checks: a wrong reply fails it, a right one passes, and the expected answers are
what the directory's search service really answers over the seeded data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from bench.cases_directory import EVERYONE, finds
from bench.registry import contains
from bench.side import bench_data as data

ROOT = Path(__file__).resolve().parents[2]


def _reply(title: str, names: list[str], extra: tuple[str, ...] = ()) -> SimpleNamespace:
    fields = [{"name": n, "value": "…"} for n in [*names, *extra]]
    return SimpleNamespace(embeds=[{"title": title, "fields": fields}])


def test_a_search_reply_with_the_expected_count_and_people_passes() -> None:
    query = next(q for q in data.QUERIES if q.label == "municipality:Halmstad")
    expected = [p.name for p in query.expected(EVERYONE)]
    count = f"{len(expected):,}".replace(",", "\u00a0")
    reply = _reply(f"{count} kontakter", expected[:5], extra=("Lediga funktioner i Halmstad",))
    assert finds(query)(reply) is None


def test_a_search_reply_with_a_wrong_count_or_a_stranger_fails() -> None:
    query = next(q for q in data.QUERIES if q.label == "expertise:TMO")
    expected = [p.name for p in query.expected(EVERYONE)]
    stranger = next(p.name for p in EVERYONE if "TMO" not in p.tags)
    title = f"{len(expected)} kontakter"
    assert finds(query)(_reply("0 kontakter", [])) is not None
    assert finds(query)(_reply(title, [*expected[:4], stranger])) is not None
    assert finds(query)(_reply(title, expected[:3])) is not None


def test_contains_treats_the_locales_spaces_as_spaces() -> None:
    reply = SimpleNamespace(text="10\u00a0000 profiler")
    assert contains("10 000 profiler")(reply) is None
    assert contains("10 001 profiler")(reply) is not None


def test_every_query_expects_somebody_but_not_everybody() -> None:
    for query in data.QUERIES:
        assert 0 < len(query.expected(EVERYONE)) < len(EVERYONE), query.label


def test_the_search_service_answers_what_the_bench_expects(tmp_path: Path) -> None:
    """One round of the query set on the tree side, which exits non-zero on a wrong answer."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "side" / "run.py"),
            "search",
            "--db",
            str(tmp_path / "search.db"),
        ],
        input="round\nquit\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    ready, timings = done.stdout.splitlines()[:2]
    assert ready == "ready"
    assert set(json.loads(timings)) == {q.label for q in data.QUERIES}
