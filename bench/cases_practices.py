"""Benchmark cases of the good-practice inventory: `/practice find` in the bench network of
100,000 practices, among 199,000 in 100 networks (bench/side/seeds.py, `seed_practices`),
beside the trivial command of the same run. The service's own timings (median and worst of the query
set, the CSV import, the database's size) are measured by `bench/practices_timing.py`."""

from __future__ import annotations

from bench.registry import Case, Target, contains, slash

TARGETS = (Target(1, "seen_x_deferred", 3.0), Target(50, "seen_x_deferred", 3.0))

# (options, words the first page must show)
QUERIES: tuple[tuple[dict[str, str], tuple[str, ...]], ...] = (
    ({"query": "samhällsguider"}, ("Samhällsguider i Lysekil",)),
    ({"query": "praktik"}, ("Praktikplatser",)),
    ({"query": "TMO"}, ("TMO-utbildning",)),
    ({"query": "Soderhamn"}, ("Söderhamn",)),
    ({"query": "validring"}, ("Validering",)),
    ({"query": "ensamkommande", "status": "ended"}, ("Avslutad",)),
    ({"theme": "leisure", "municipality": "1484"}, ("Lysekil",)),
)


def _find(options: dict[str, str], words: tuple[str, ...]) -> Case:
    label = " ".join(f"{k}:{v}" for k, v in options.items())
    return slash(
        "practice find",
        options,
        check=contains(*words),
        name=f"/practice find {label}",
        targets=TARGETS,
    )


CASES = [_find(options, words) for options, words in QUERIES]
