"""Name resolution of `sandbox.commands`, on command payloads shaped as Discord stores them."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox import commands as names

VISIBILITY = {
    "type": 3,
    "name": "visibility",
    "name_localizations": {"sv-SE": "synlighet"},
    "required": True,
    "choices": [
        {"name": "Network members", "name_localizations": {"sv-SE": "Nätverkets medlemmar"},
         "value": "members"},
        {"name": "Hidden", "name_localizations": {"sv-SE": "Dold"}, "value": "hidden"},
    ],
}  # fmt: skip
COMMANDS: list[dict[str, Any]] = [
    {
        "type": 1,
        "name": "profile",
        "name_localizations": {"sv-SE": "profil"},
        "options": [
            {"type": 1, "name": "visibility", "name_localizations": {"sv-SE": "synlighet"},
             "options": [VISIBILITY]},
            {"type": 1, "name": "show", "name_localizations": {"sv-SE": "visa"}},
        ],
    },
    {
        "type": 1,
        "name": "contact",
        "name_localizations": {"sv-SE": "kontakt"},
        "options": [
            {"type": 1, "name": "find", "name_localizations": {"sv-SE": "sök"}, "options": [
                {"type": 3, "name": "query", "name_localizations": {"sv-SE": "sökord"},
                 "max_length": 200},
                {"type": 4, "name": "page", "min_value": 1, "max_value": 50},
            ]},
        ],
    },
    {"type": 2, "name": "Contact card", "name_localizations": {"sv-SE": "Kontaktkort"}},
]  # fmt: skip


def test_a_path_in_either_language_resolves_to_base_names() -> None:
    for words in (["profil", "synlighet"], ["PROFILE", "Visibility"], ["profil", "visibility"]):
        found = names.resolve(COMMANDS, [*words, "synlighet:dold"])
        assert found.path == ["profile", "visibility"]
        assert found.rest == ["synlighet:dold"]
    assert names.resolve_path(COMMANDS, "kontakt sök").path == ["contact", "find"]


def test_unknown_and_incomplete_paths_say_what_there_is() -> None:
    with pytest.raises(names.IncompleteCommand) as incomplete:
        names.resolve(COMMANDS, ["profil"])
    assert [s["name"] for s in incomplete.value.subcommands] == ["visibility", "show"]
    with pytest.raises(names.UnknownCommand):
        names.resolve(COMMANDS, ["profil", "radera"])
    with pytest.raises(names.UnknownCommand):
        names.resolve(COMMANDS, ["Contact card"])  # a menu is not a slash command
    assert names.find_command(COMMANDS, "kontaktkort", command_type=2) is not None


def test_choices_by_value_or_any_name() -> None:
    for typed in ("hidden", "Hidden", "dold", "DOLD"):
        assert names.check(VISIBILITY, typed) == ("hidden", None)
    _, problem = names.check(VISIBILITY, "German")
    assert problem is not None and problem.reason == "choice"
    assert names.check(VISIBILITY, "nätverkets", prefix=True)[0] == "members"
    assert names.check(VISIBILITY, "nätverkets")[1] is not None  # only the shell guesses
    assert names.localized(VISIBILITY, "sv-SE") == "synlighet"
    assert names.choice_labels(VISIBILITY, "en-US") == ["Network members", "Hidden"]


def test_lengths_ranges_and_missing_options() -> None:
    leaf = names.resolve_path(COMMANDS, "contact find").leaf
    query = names.option(leaf, "sökord", ["contact", "find"])
    assert names.check(query, "a" * 201)[1].reason == "too_long"  # type: ignore[union-attr]
    assert names.check(query, "  ")[1].reason == "empty"  # type: ignore[union-attr]
    page = names.option(leaf, "page", ["contact", "find"])
    assert names.check(page, "51")[1].reason == "too_large"  # type: ignore[union-attr]
    assert names.check(page, "x")[1].reason == "type"  # type: ignore[union-attr]
    assert names.check(page, "7") == (7, None)
    with pytest.raises(names.UnknownOption):
        names.option(leaf, "ålder", ["contact", "find"])
    visibility = names.resolve_path(COMMANDS, "profile visibility").leaf
    assert [p.option["name"] for p in names.missing(visibility, [])] == ["visibility"]


@given(st.text(max_size=40))
def test_any_typed_text_resolves_or_is_refused_cleanly(text: str) -> None:
    with contextlib.suppress(names.ResolveError):
        names.resolve(COMMANDS, text.split())
    value, problem = names.check(VISIBILITY, text, prefix=True)
    assert problem is not None or value in ("members", "hidden")
