"""Unit checks of the validators against Discord's documented limits (no bot needed)."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.limits import (
    ApiError,
    Errors,
    valid_chat_input_name,
    validate_command,
    validate_command_set,
    validate_message_fields,
    validate_modal,
)


def errors_of(check: Any, *args: Any) -> dict[str, Any]:
    errs = Errors()
    check(errs, *args)
    return errs.tree


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("kommun", True),
        ("kontakt-sök", True),
        ("ä_1", True),
        ("Kommun", False),
        ("två ord", False),
        ("", False),
        ("x" * 33, False),
        ("नमस्ते", True),
        ("สวัสดี", True),
    ],
)
def test_chat_input_names(name: str, ok: bool) -> None:
    assert valid_chat_input_name(name) is ok


def test_command_structure_rules() -> None:
    cmd = {
        "name": "a",
        "description": "x",
        "options": [
            {"type": 3, "name": "opt", "description": "o"},
            {"type": 3, "name": "req", "description": "r", "required": True},
        ],
    }
    tree = errors_of(validate_command, [], cmd)
    assert "required" in tree["options"]["1"]
    nested = {
        "name": "a",
        "description": "x",
        "options": [
            {
                "type": 1,
                "name": "sub",
                "description": "s",
                "options": [{"type": 1, "name": "deeper", "description": "d"}],
            }
        ],
    }
    assert errors_of(validate_command, [], nested)
    many_choices = {
        "name": "a",
        "description": "x",
        "options": [
            {
                "type": 3,
                "name": "c",
                "description": "c",
                "choices": [{"name": str(i), "value": str(i)} for i in range(26)],
            }
        ],
    }
    assert "choices" in errors_of(validate_command, [], many_choices)["options"]["0"]
    huge = {
        "name": "a",
        "description": "x" * 100,
        "options": [
            {"type": 3, "name": f"o{i}", "description": "d" * 100, "name_localizations": {}}
            for i in range(25)
        ]
        + [],
        "description_localizations": {"sv-SE": "y" * 100},
    }
    for opt in huge["options"]:  # type: ignore[union-attr]
        opt["description_localizations"] = {"sv-SE": "z" * 100, "de": "w" * 100}
        opt["choices"] = [{"name": "n" * 60, "value": "v" * 60}]
    assert "_errors" in errors_of(validate_command, [], huge)
    context_menu = {"name": "Contact card", "type": 2}
    assert errors_of(validate_command, [], context_menu) == {}
    assert errors_of(validate_command, [], {"name": "X", "type": 3, "description": "no"})


def test_command_counts() -> None:
    users = [{"name": f"U{i}", "type": 2} for i in range(16)]
    assert errors_of(validate_command_set, users)
    ok = [{"name": f"U{i}", "type": 2} for i in range(15)]
    assert not errors_of(validate_command_set, ok)
    dupes = [{"name": "a", "type": 1}, {"name": "a", "type": 1}, {"name": "a", "type": 2}]
    assert list(errors_of(validate_command_set, dupes)) == ["1"]


def test_message_limits() -> None:
    body: dict[str, Any] = {
        "content": "ok",
        "embeds": [
            {
                "title": "t",
                "fields": [{"name": "", "value": "v"}, {"name": "n", "value": "v" * 1025}],
                "footer": {"text": "f" * 2049},
            }
        ],
        "components": [
            {
                "type": 1,
                "components": [
                    {"type": 2, "style": 1, "label": "a", "custom_id": "same"},
                    {"type": 2, "style": 1, "label": "b", "custom_id": "same"},
                    {"type": 2, "style": 5, "label": "l", "custom_id": "x", "url": "https://a.se"},
                ],
            },
            {"type": 1, "components": [{"type": 3, "custom_id": "s", "options": []}]},
        ],
        "allowed_mentions": {"parse": ["users"], "users": ["1"]},
    }
    tree = errors_of(validate_message_fields, body)
    fields = tree["embeds"]["0"]["fields"]
    assert "name" in fields["0"] and "value" in fields["1"]
    assert "footer" in tree["embeds"]["0"]
    row = tree["components"]["0"]["components"]
    assert row["1"]["custom_id"]["_errors"][0]["code"] == "COMPONENT_CUSTOM_ID_DUPLICATED"
    assert "custom_id" in row["2"]
    assert "options" in tree["components"]["1"]["components"]["0"]
    assert "allowed_mentions" in tree


def test_modal_limits_and_labels() -> None:
    good = {
        "title": "Registrera",
        "custom_id": "m",
        "components": [
            {
                "type": 18,
                "label": "E-post",
                "component": {"type": 4, "custom_id": "email", "style": 1},
            }
        ],
    }
    assert errors_of(validate_modal, good) == {}
    bad = {
        "title": "t" * 46,
        "custom_id": "m",
        "components": [
            {
                "type": 1,
                "components": [
                    {"type": 4, "custom_id": "a", "style": 1, "label": "l" * 46, "max_length": 4001}
                ],
            },
            {
                "type": 18,
                "label": "x",
                "component": {"type": 4, "custom_id": "b", "style": 1, "label": "no"},
            },
        ],
    }
    tree = errors_of(validate_modal, bad)["data"]
    assert "title" in tree
    first = tree["components"]["0"]["components"]["0"]
    assert "label" in first and "max_length" in first
    assert "label" in tree["components"]["1"]["component"]


def test_api_error_body() -> None:
    errs = Errors()
    errs.add(["content"], "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
    with pytest.raises(ApiError) as info:
        errs.raise_if_any()
    assert info.value.body() == {
        "message": "Invalid Form Body",
        "code": 50035,
        "errors": {
            "content": {
                "_errors": [
                    {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}
                ]
            }
        },
    }
