"""Text lives in catalogues: gettext `.po` files (read with Babel), one per language.

Message ids are dotted keys (`help.title`), placeholders are `{name}` (python-brace-format).
Replies use the user's language, then the server's, then Swedish.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from babel import Locale as BabelLocale
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, get_group_symbol

Lang = Literal["sv", "en"]
LANGS: tuple[Lang, ...] = ("sv", "en")
DEFAULT_LANG: Lang = "sv"
_BABEL = {"sv": "sv_SE", "en": "en_GB"}
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
_PLACEHOLDER = re.compile(r"(?<!\{)\{([a-zA-Z_][a-zA-Z0-9_]*)(?:[!:][^}]*)?\}(?!\})")


class MissingMessage(KeyError):
    """A key that is in no catalogue: a programming error, caught by the parity tests."""


@cache
def catalogue(lang: Lang) -> Mapping[str, str]:
    """The messages of one language: every `.po` file in its folder (one per feature), merged.

    A key defined in two files is a mistake and refused.
    """
    messages: dict[str, str] = {}
    origin: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as fh:
            cat = read_po(fh, locale=_BABEL[lang])
        for message in cat:
            if not message.id or not isinstance(message.id, str):
                continue
            if message.id in messages:
                raise ValueError(
                    f"{lang}: {message.id} is in both {origin[message.id]} and {path.name}"
                )
            if isinstance(message.string, str) and message.string:
                messages[message.id] = message.string
                origin[message.id] = path.name
    return messages


def lang_of(locale: object) -> Lang | None:
    """The catalogue language for a Discord locale ('sv-SE', 'en-US', 'en-GB'), else None."""
    value = str(getattr(locale, "value", locale) or "").lower()
    if value.startswith("sv"):
        return "sv"
    if value.startswith("en"):
        return "en"
    return None


def pick_lang(*candidates: object) -> Lang:
    """The first candidate locale we have a catalogue for, else Swedish."""
    for candidate in candidates:
        lang = lang_of(candidate)
        if lang is not None:
            return lang
    return DEFAULT_LANG


def has(lang: Lang, key: str) -> bool:
    return key in catalogue(lang)


def t(lang: Lang, key: str, /, **params: Any) -> str:
    """The message `key` in `lang`, with `{placeholders}` filled from `params`."""
    try:
        template = catalogue(lang)[key]
    except KeyError:
        raise MissingMessage(f"{lang}:{key}") from None
    if not params:
        return template
    return template.format(**{k: _display(lang, v) for k, v in params.items()})


def tn(lang: Lang, key: str, count: int, /, **params: Any) -> str:
    """A message that depends on a number: looks up `key.one` or `key.other` by CLDR rules."""
    form = _babel_locale(lang).plural_form(count)
    name = f"{key}.{form}" if has(lang, f"{key}.{form}") else f"{key}.other"
    return t(lang, name, count=count, **params)


@cache
def _babel_locale(lang: Lang) -> BabelLocale:
    """Babel's locale of a catalogue language, parsed once (parsing it is not free)."""
    return BabelLocale.parse(_BABEL[lang])


def _display(lang: Lang, value: Any) -> Any:
    if type(value) is str or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return format_number(lang, value)
    return value


@cache
def _group_symbol(lang: Lang) -> str:
    return get_group_symbol(_BABEL[lang])


def format_number(lang: Lang, value: float) -> str:
    """Numbers the local way: 14 000 000 in Swedish, 14,000,000 in English."""
    if type(value) is int and value >= 0:
        # Counts and page numbers, on every reply: Babel's own result for a non-negative
        # integer in sv_SE and en_GB (groups of three, the locale's group symbol; a test
        # holds them equal), without parsing the number pattern each time.
        return f"{value:,}".replace(",", _group_symbol(lang))
    return format_decimal(value, locale=_BABEL[lang])


def format_datetime(
    lang: Lang, when: datetime, zone: ZoneInfo | str, style: str = "datetime"
) -> str:
    """A date and time the way the language reads it, in `zone`.

    Swedish: "torsdag 4 december kl. 13.00"; the patterns live in the catalogues
    (`format.datetime`, `format.date`, `format.time`).
    """
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    return _format_datetime(lang, when, when.fold, tz, style)


@lru_cache(maxsize=4096)
def _format_datetime(lang: Lang, when: datetime, fold: int, tz: ZoneInfo, style: str) -> str:
    """Babel's formatting, remembered: a list shows the same few dates again and again.

    The result depends only on the instant, the zone, the language and the style. Equal aware
    datetimes are the same instant, except that two with the same tzinfo compare equal whatever
    their `fold` (the repeated hour when summer time ends): hence `fold` in the key.
    """
    pattern = t(lang, f"format.{style}")
    return babel_format_datetime(when.astimezone(tz), pattern, tzinfo=tz, locale=_BABEL[lang])


def placeholders(template: str) -> set[str]:
    """The `{names}` a template uses (for the catalogue parity tests)."""
    return set(_PLACEHOLDER.findall(template))
