"""Benchmark cases of the foundation."""

from bench.registry import contains, slash

CASES = [
    slash("help", check=contains("/kontakt sök")),
    slash("about", check=contains("Bench network", "10 062 medlemmar", "10 000 profiler")),
]
