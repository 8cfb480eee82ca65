"""Benchmark cases of `/ask`: one question searched across every declared source, in the
bench network (bench/side/seeds.py) of 10,000 profiles, 10,000 resources, 100,000 practices
(among 199,000 in 100 networks) and ten years of monthly minutes (120 meetings with their
notes, decisions and actions). One case per source that has bench data, each checked for
the group of the expected kind holding the expected entry; one in English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.registry import Case, Target, contains, every, in_group, slash

# The figure: the median until the member sees the answer, at most 5× the floor of a
# command that defers, at 1 and at 50 in flight.
TARGETS = (Target(1, "seen_x_deferred", 5.0), Target(50, "seen_x_deferred", 5.0))


def _ask(label: str, text: str, check: Callable[[Any], str | None], locale: str = "sv-SE") -> Case:
    return slash(
        "ask question",
        {"text": text},
        check=check,
        name=f"/ask question {label}",
        locale=locale,
        targets=TARGETS,
    )


CASES = [
    _ask("people (TMO)", "vem kan TMO?", contains("Det här vet nätverket", "Personer")),
    _ask(
        "resources (etablering)",
        "finns det någon vägledning om etablering?",
        every(contains("Det här vet nätverket"), in_group("Resurser", "Vägledning om etablering")),
    ),
    _ask(
        "practice (samhällsguider)",
        "finns det någon som jobbar med samhällsguider?",
        in_group("Goda exempel", "Samhällsguider i Lysekil"),
    ),
    _ask(
        "decision (samhällsguiderna)",
        "vad beslutade vi om samhällsguiderna?",
        in_group("Beslut", "samhällsguide"),
    ),
    _ask(
        "minutes (SFI)",
        "hur långa är väntetiderna till SFI?",
        in_group("Protokoll", "SFI i", "väntetider på"),
    ),
    _ask(
        "action (TMO-utbildare)",
        "vem skulle boka TMO-utbildare?",
        in_group("Åtgärder", "Boka TMO-utbildare"),
    ),
    _ask(
        "en (civic guides)",
        "who runs civic guides?",
        every(
            contains("What the network knows"),
            in_group("Good practice", "Samhällsguider i Lysekil"),
            in_group("Decisions", "samhällsguide"),
        ),
        locale="en-GB",
    ),
]
