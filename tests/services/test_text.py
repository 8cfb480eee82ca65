"""The checks every feature applies to text it stores."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import InvalidInput
from bot.services.text import (
    MAX_ID,
    MENTION,
    clean_line,
    clean_paragraphs,
    is_default_ignorable,
    is_invisible,
    parse_id,
)

ACCEPTED = [
    ("Anna Andersson", "Anna Andersson"),
    ("  Anna \t  Andersson \n", "Anna Andersson"),
    ("Åsa Öberg-Ängström", "Åsa Öberg-Ängström"),
    ("فاطمة حسن", "فاطمة حسن"),
    ("\u200fفاطمة\u200f", "\u200fفاطمة\u200f"),  # right-to-left marks that Arabic text carries
    ("👩\u200d💻 samordnare", "👩\u200d💻 samordnare"),  # a joined emoji
    ("**fet** _kursiv_ `kod`", "**fet** _kursiv_ `kod`"),  # markdown is kept, escaped on display
    ("Anna\u200bAndersson", "AnnaAndersson"),  # zero-width space from copy and paste: dropped
    ("\ufeffAnna", "Anna"),
    ("e\u0301", "é"),  # NFC
    ("14 000 000 kronor", "14 000 000 kronor"),
    ("070-123 45 67", "070-123 45 67"),
    ("anna@example.se", "anna@example.se"),  # an @ that is no mention
]

REFUSED = [
    ("", "errors.text.empty"),
    ("   \n\t ", "errors.text.empty"),
    ("x" * 101, "errors.text.too_long"),
    ("x" * 5000, "errors.text.too_long"),
    ("@everyone", "errors.text.mention"),
    ("Hej @HERE", "errors.text.mention"),
    ("<@123456789012345678>", "errors.text.mention"),
    ("<@!123456789012345678>", "errors.text.mention"),
    ("<@&123456789012345678>", "errors.text.mention"),
    ("<#123456789012345678>", "errors.text.mention"),
    ("Anna\x00", "errors.text.control_characters"),
    ("Anna\x1b[31m", "errors.text.control_characters"),
    ("\u202eannA", "errors.text.control_characters"),  # a bidi override disguises text
    ("Anna\ufffe", "errors.text.control_characters"),  # noncharacters: never text
    ("Anna\uffff", "errors.text.control_characters"),
    ("Anna\ufdd0", "errors.text.control_characters"),
    ("Anna\U0010ffff", "errors.text.control_characters"),
    ("Anna\ud800", "errors.text.control_characters"),  # a lone surrogate SQLite cannot store
    ("Nätverket 850709-9805", "errors.id_number"),
]


@pytest.mark.parametrize(("raw", "expected"), ACCEPTED)
def test_accepted(raw: str, expected: str) -> None:
    assert clean_line("field", raw, max_length=100) == expected


@pytest.mark.parametrize(("raw", "reason"), REFUSED)
def test_refused_names_the_field_and_the_reason(raw: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as info:
        clean_line("network_name", raw, max_length=100)
    assert (info.value.field, info.value.key) == ("network_name", reason)


def test_optional_empty_is_empty() -> None:
    assert clean_line("field", "  ", max_length=10, required=False) == ""
    assert clean_line("field", None, max_length=10, required=False) == ""


def test_paragraphs_keep_their_line_breaks() -> None:
    text = "Första stycket.\n\nAndra stycket.\n"
    assert clean_paragraphs("field", text, max_length=100) == "Första stycket.\n\nAndra stycket."
    with pytest.raises(InvalidInput):
        clean_paragraphs("field", "Ring @everyone", max_length=100)


@given(st.text(max_size=300))
def test_whatever_is_accepted_is_one_line_without_mentions(text: str) -> None:
    try:
        clean = clean_line("field", text, max_length=200)
    except InvalidInput:
        return
    assert clean == clean.strip() and "\n" not in clean and 0 < len(clean) <= 200
    assert not MENTION.search(clean)


@pytest.mark.parametrize(
    "value",
    ["\u200b", "\u200c\u200d", "\u200e\u200f", "\u061c", "\u2060", "\u3164", "\u2800", " \u200b "],
)
def test_names_that_show_nothing_are_refused(value: str) -> None:
    for clean in (clean_line, clean_paragraphs):
        with pytest.raises(InvalidInput) as refused:
            clean("network_name", value, max_length=100)
        assert refused.value.key == "errors.text.invisible"
        with pytest.raises(InvalidInput):
            clean("network_name", value, max_length=100, required=False)


@pytest.mark.parametrize("value", ["A", "ب", "😀", "·", "ㅎ", "أحمد\u200f"])
def test_one_visible_character_is_enough(value: str) -> None:
    assert not is_invisible(value)
    assert clean_line("network_name", value, max_length=100) == value


def test_invisible_code_points_are_the_default_ignorable_ones() -> None:
    for (
        char
    ) in "\u00ad\u034f\u061c\u115f\u180e\u200b\u200f\u202a\u2060\u206f\ufe0f\ufeff\U000e0001":
        assert is_default_ignorable(char), hex(ord(char))
    for char in "a \u00a0\u2800":
        assert not is_default_ignorable(char)


@given(st.text(max_size=30))
def test_parse_id_never_raises_and_fits_sqlite(text: str) -> None:
    found = parse_id(text)
    assert found is None or 0 < found <= MAX_ID


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        (" 42 ", 42),
        ("9223372036854775807", MAX_ID),
        ("9223372036854775808", None),
        ("9" * 23, None),
        ("²", None),
        ("٤٢", None),
        ("-1", None),
        ("0", None),
        ("", None),
        ("4 2", None),
    ],
)
def test_parse_id(text: str, expected: int | None) -> None:
    assert parse_id(text) == expected
