"""Benchmark cases of `/ask`: one question searched across every declared source, in the
bench network (bench/side/seeds.py) of 10,000 profiles, 10,000 resources, 100,000 practices
(among 199,000 in 100 networks) and ten years of monthly minutes (120 meetings with their
notes, decisions and actions). One case per source that has bench data, each checked for
the group of the expected kind holding the expected entry; one in English."""

from __future__ import annotations

from bench.registry import Target, contains, every, in_group, slash

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
        check=every(
            contains("Det här vet nätverket"), in_group("Resurser", "Vägledning om etablering")
        ),
        name="/ask question resources (etablering)",
        targets=TARGETS,
    ),
    slash(
        "ask question",
        {"text": "finns det någon som jobbar med samhällsguider?"},
        check=in_group("Goda exempel", "Samhällsguider i Lysekil"),
        name="/ask question practice (samhällsguider)",
        targets=TARGETS,
    ),
    slash(
        "ask question",
        {"text": "vad beslutade vi om samhällsguiderna?"},
        check=in_group("Beslut", "samhällsguide"),
        name="/ask question decision (samhällsguiderna)",
        targets=TARGETS,
    ),
    slash(
        "ask question",
        {"text": "hur långa är väntetiderna till SFI?"},
        check=in_group("Protokoll", "SFI i", "väntetider på"),
        name="/ask question minutes (SFI)",
        targets=TARGETS,
    ),
    slash(
        "ask question",
        {"text": "vem skulle boka TMO-utbildare?"},
        check=in_group("Åtgärder", "Boka TMO-utbildare"),
        name="/ask question action (TMO-utbildare)",
        targets=TARGETS,
    ),
    slash(
        "ask question",
        {"text": "who runs civic guides?"},
        check=every(
            contains("What the network knows"),
            in_group("Good practice", "Samhällsguider i Lysekil"),
            in_group("Decisions", "samhällsguide"),
        ),
        name="/ask question en (civic guides)",
        locale="en-GB",
        targets=TARGETS,
    ),
]
