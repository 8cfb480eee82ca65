"""Benchmark cases of the foundation."""

from bench.registry import CASES, slash

CASES.extend([slash("help"), slash("about")])
