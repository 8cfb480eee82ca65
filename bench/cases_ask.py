"""Benchmark cases of `/ask`: one question searched across every declared source, in the
bench network of 10,000 profiles and 10,000 resources (bench/side/seeds.py), among 100."""

from __future__ import annotations

from bench.registry import Target, contains, slash

# The figure: the median until the member sees the answer, at most 5× the floor of a
# command that defers, at 1 and at 50 in flight.
TARGETS = (Target(1, "seen_x_deferred", 5.0), Target(50, "seen_x_deferred", 5.0))

CASES = [
    slash(
        "ask question",
        {"text": "vem kan TMO?"},
        check=contains("Det här vet nätverket", "Personer"),
        name="/ask question people (TMO)",
        targets=TARGETS,
    ),
    slash(
        "ask question",
        {"text": "finns det någon vägledning om etablering?"},
        check=contains("Det här vet nätverket", "Resurser"),
        name="/ask question resources (etablering)",
        targets=TARGETS,
    ),
]
