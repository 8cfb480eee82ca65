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
    text = unicodedata.normalize("NFC", value).translate(_DROPPED)
    for char in text:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in _WHITESPACE) or (
            category == "Cf" and char not in _ALLOWED_FORMAT
        ):
            raise InvalidInput(field, "errors.text.control_characters")
    return text


def _finish(field: str, text: str, max_length: int, required: bool) -> str:
    if not text:
        if required:
            raise InvalidInput(field, "errors.text.empty")
        return ""
    if len(text) > max_length:
        raise InvalidInput(field, "errors.text.too_long", max=max_length, length=len(text))
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
