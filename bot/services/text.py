"""Text that users write and the bot stores: one set of checks for every feature.

Refusals raise `InvalidInput(field, "errors.text.…")`, so the user is told which field and why.
"""

from __future__ import annotations

import re
import unicodedata

from bot.errors import InvalidInput
from bot.services.personnummer import contains_id_number

# What would ping people if it were ever shown unescaped: @everyone, @here and user, role and
# channel mentions.
MENTION = re.compile(r"@(?:everyone|here)\b|<(?:@[!&]?|#)\d+>", re.IGNORECASE)

# Invisible characters that copy-and-paste brings along and nobody means: dropped silently.
_DROPPED = dict.fromkeys(map(ord, "\u200b\ufeff\u00ad"))
# Format characters that scripts and emoji need: joiners, and the marks that set the direction
# of Arabic and Hebrew text. Other format characters (bidi overrides, which can disguise text)
# are refused.
_ALLOWED_FORMAT = frozenset("\u200c\u200d\u200e\u200f\u061c")
_WHITESPACE = frozenset("\t\n\r")

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, stable since Unicode 5.2;
# Python's unicodedata does not expose it): code points that render as nothing. Hangul fillers
# (U+115F, U+1160, U+3164, U+FFA0) are letters by category but look like nothing too.
_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Not default-ignorable, yet blank wherever it is shown.
_BLANK = frozenset("\u2800")


def is_default_ignorable(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _DEFAULT_IGNORABLE)


def is_invisible(text: str) -> bool:
    """Whether `text` shows nothing: only spaces, default-ignorable code points, blanks and
    combining marks (which have nothing to sit on)."""
    return not any(
        not char.isspace()
        and char not in _BLANK
        and not unicodedata.category(char).startswith("M")
        and not is_default_ignorable(char)
        for char in text
    )


def check_stored_text(field: str, text: str) -> None:
    """Refuse mentions and Swedish personal identity numbers in text that will be stored."""
    if MENTION.search(text):
        raise InvalidInput(field, "errors.text.mention")
    if contains_id_number(text):
        raise InvalidInput(field, "errors.id_number")


def _normalise(field: str, value: str, max_length: int) -> str:
    # Bound the work on absurd input before normalising it.
    if len(value) > 4 * max_length:
        raise InvalidInput(field, "errors.text.too_long", max=max_length, length=len(value))
    if value.strip() and is_invisible(value):
        # Before the invisible characters are dropped: say why, rather than "is required".
        raise InvalidInput(field, "errors.text.invisible")
    text = unicodedata.normalize("NFC", value).translate(_DROPPED)
    for char in text:
        category = unicodedata.category(char)
        if (
            (category == "Cc" and char not in _WHITESPACE)
            or (category == "Cf" and char not in _ALLOWED_FORMAT)
            or category == "Cs"
            or is_noncharacter(char)
        ):
            raise InvalidInput(field, "errors.text.control_characters")
    return text


def is_noncharacter(char: str) -> bool:
    """Unicode's noncharacters (U+FDD0–U+FDEF and the last two code points of every plane):
    reserved for a program's own use, never text; XML and spreadsheets refuse them. (A lone
    surrogate, which no text encoding can store, is refused beside them.)"""
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _finish(field: str, text: str, max_length: int, required: bool) -> str:
    if not text:
        if required:
            raise InvalidInput(field, "errors.text.empty")
        return ""
    if len(text) > max_length:
        raise InvalidInput(field, "errors.text.too_long", max=max_length, length=len(text))
    if is_invisible(text):
        raise InvalidInput(field, "errors.text.invisible")
    check_stored_text(field, text)
    return text


def clean_line(field: str, value: str | None, *, max_length: int, required: bool = True) -> str:
    """One line (a name, a title, a tag): whitespace collapsed; '' when empty and not required."""
    text = " ".join(_normalise(field, value or "", max_length).split())
    return _finish(field, text, max_length, required)


def clean_paragraphs(
    field: str, value: str | None, *, max_length: int, required: bool = True
) -> str:
    """Text with paragraphs (a notice, a description): line breaks kept, ends trimmed."""
    text = _normalise(field, value or "", max_length).strip()
    return _finish(field, text, max_length, required)


# The largest id SQLite stores (a signed 64-bit INTEGER); Discord snowflakes fit too.
MAX_ID = 2**63 - 1


def parse_id(text: str | None) -> int | None:
    """A positive id typed or sent as text (an autocomplete value), or None when it is not one.

    Only ASCII digits, at most 19 of them and within SQLite's INTEGER: a longer number would
    overflow when bound to a query (OverflowError), and `str.isdigit` alone lets through
    characters such as "²" that `int` refuses.
    """
    value = (text or "").strip()
    if not value or len(value) > 19 or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
