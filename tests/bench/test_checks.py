"""The bench's checks: a wrong reply fails it, a right one passes, and the expected answers are
what the directory's search service really answers over the seeded data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from bench.cases_directory import EVERYONE, finds
from bench.registry import contains, every, in_group
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


ANSWER = (
    "vad beslutade vi om samhällsguiderna?\n"
    "Det här vet nätverket\n"
    "🌱 **Goda exempel**\n"
    "• **Samhällsguider i Lysekil** — Nyanlända guidar nyanlända.\n"
    "  ↳ _matchade: samhällsguiderna i titel_\n"
    "\n"
    "⚖️ **Beslut**\n"
    "• [Nätverket tar fram en introduktion för nya samhällsguider.](https://x) — 2018-03-01\n"
    "  ↳ _matchade: samhällsguiderna i texten_\n"
    "Svaren är hänvisningar till nätverkets egna poster."
)


def test_in_group_finds_the_needles_under_their_heading_only() -> None:
    reply = SimpleNamespace(text=ANSWER)
    assert in_group("Beslut", "introduktion för nya samhällsguide")(reply) is None
    assert in_group("Goda exempel", "samhällsguider i lysekil")(reply) is None
    # The practice's title is in the answer, but not among the decisions.
    assert in_group("Beslut", "Samhällsguider i Lysekil")(reply) is not None
    assert in_group("Åtgärder", "samhällsguide")(reply) is not None
    # A heading is a whole line, not a word in an entry.
    assert in_group("Nyanlända", "guidar")(reply) is not None


def test_every_reports_the_first_failing_check() -> None:
    reply = SimpleNamespace(text=ANSWER)
    both = every(contains("Det här vet nätverket"), in_group("Beslut", "samhällsguide"))
    assert both(reply) is None
    wrong = every(contains("Det här vet nätverket"), in_group("Protokoll", "SFI"))(reply)
    assert wrong is not None and "Protokoll" in wrong


def test_only_keeps_the_cases_whose_name_holds_it() -> None:
    from bench.__main__ import chosen
    from bench.registry import feature_cases

    cases = feature_cases()
    asks = chosen(cases, "/ask")
    assert asks and all(c.name.startswith("/ask") for c in asks)
    assert chosen(cases, None) == cases
    assert chosen(cases, "no such case") == []


def test_the_seeded_minutes_span_ten_years_of_first_thursdays() -> None:
    from datetime import date

    held = data.meetings(data.PROFILES)
    days = [date(m.year, m.month, m.day) for m in held]
    assert len(held) == 120 and days == sorted(days)
    assert days[0] == date(2016, 12, 1) and (days[-1].year, days[-1].month) == (2026, 11)
    assert all(d.weekday() == 3 and d.day <= 7 for d in days)
    for m in held:
        assert 1 <= len(m.decisions) <= 3 and 1 <= len(m.actions) <= 3 and len(m.notes) >= 2
    # The same for the same seed, on every side of a comparison.
    assert held == data.meetings(data.PROFILES)


def test_practice_variants_vary_the_title_and_keep_the_first_round() -> None:
    titles = ["Samhällsguider i Lysekil", "Språkcafé på biblioteket"]
    first = [data.practice_variant(i, titles) for i in range(len(titles))]
    assert [v.title for v in first] == titles and not any(v.organisation for v in first)
    later = {data.practice_variant(i, titles).title for i in range(2, 2 + 2 * 462)}
    assert len(later) == 2 * data.PRACTICE_VARIANTS
    assert all(t.startswith(tuple(titles)) for t in later)
