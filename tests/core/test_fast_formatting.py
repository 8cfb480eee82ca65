"""The render path's shortcuts give exactly what the slow way gives.

`format_datetime` remembers Babel's results, `format_number` formats non-negative integers
itself, the directory's `esc` skips text that `escape_markdown` would leave alone, and `fit`
returns an embed untouched when it already fits: each is held here against the original.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import discord
import pytest
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_decimal
from discord.utils import escape_markdown

from bot import embeds
from bot.i18n import LANGS, Lang, format_datetime, format_number, t, tn
from cogs.directory._render import esc

_BABEL = {"sv": "sv_SE", "en": "en_GB"}
ZONES = ("Europe/Stockholm", "UTC", "America/New_York", "Asia/Kolkata")
STYLES = ("datetime", "date", "time")


def babel_way(lang: Lang, when: datetime, zone: str, style: str) -> str:
    tz = ZoneInfo(zone)
    pattern = t(lang, f"format.{style}")
    return babel_format_datetime(when.astimezone(tz), pattern, tzinfo=tz, locale=_BABEL[lang])


def instants() -> list[datetime]:
    start = datetime(2025, 1, 1, 0, 0, tzinfo=UTC)
    found = [start + timedelta(hours=37 * i, minutes=13 * i) for i in range(260)]
    # Around both of Sweden's summer-time changes in 2026, where a cache keyed badly would
    # mix up the hour that happens twice.
    for change in (
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 0, tzinfo=UTC),
    ):
        found += [change + timedelta(minutes=15 * i) for i in range(12)]
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_cached_dates_equal_babels(lang: Lang) -> None:
    for _ in range(2):  # the second round answers from the cache
        for when in instants():
            for zone in ZONES:
                for style in STYLES:
                    assert format_datetime(lang, when, zone, style) == babel_way(
                        lang, when, zone, style
                    )
                    assert format_datetime(lang, when, ZoneInfo(zone), style) == babel_way(
                        lang, when, zone, style
                    )


@pytest.mark.parametrize("lang", LANGS)
def test_the_same_instant_in_other_zones_and_the_repeated_hour(lang: Lang) -> None:
    stockholm = ZoneInfo("Europe/Stockholm")
    first = datetime(2026, 10, 25, 2, 30, tzinfo=stockholm, fold=0)  # 00:30 UTC
    second = datetime(2026, 10, 25, 2, 30, tzinfo=stockholm, fold=1)  # 01:30 UTC
    assert first == second  # Python's rule for one tzinfo: fold is ignored
    for when in (
        first,
        second,
        first.astimezone(UTC),
        second.astimezone(timezone(timedelta(hours=5))),
    ):
        for zone in ("UTC", "Europe/Stockholm"):
            assert format_datetime(lang, when, zone, "datetime") == babel_way(
                lang, when, zone, "datetime"
            )
    assert format_datetime(lang, first, "UTC", "time") != format_datetime(
        lang, second, "UTC", "time"
    )


def numbers() -> list[float]:
    found: list[float] = list(range(-1100, 1100))
    found += [10**k + d for k in range(3, 16) for d in (-1, 0, 1, 234)]
    found += [-(10**k) for k in range(3, 10)]
    found += [0.5, 1.25, 1234.5, -3.75, 1e6 + 0.125]
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_numbers_equal_babels(lang: Lang) -> None:
    for value in numbers():
        assert format_number(lang, value) == format_decimal(value, locale=_BABEL[lang]), value


@pytest.mark.parametrize("lang", LANGS)
def test_counts_in_messages(lang: Lang) -> None:
    for count in (0, 1, 2, 5, 999, 1000, 12345, 1234567):
        title = tn(lang, "directory.find.title", count)
        assert format_decimal(count, locale=_BABEL[lang]) in title
    assert format_decimal(12000, locale=_BABEL[lang]) in t(
        lang, "pager.page", page=12000, pages=12001
    )


def test_esc_equals_escape_markdown() -> None:
    samples = [
        "Anna Andersson",
        "Söderhamns kommun",
        "anna_a@example.se",
        "070-123 45 67",
        "**bold** _it_ ~~s~~ `code` |spoiler|",
        "> quote",
        "# heading",
        "- list",
        "[link](https://example.se/a_b)",
        "https://example.se/a_b",
        "<https://example.se/a_b>",
        "back\\slash",
        "plain text with 123. numbers, commas; and: colons",
        "1. first",
        "+ plus",
        "a\n-b\n#c",
        "emoji 🎉 and ü",
    ]
    for text in samples:
        assert esc(text) == escape_markdown(text), text
    assert esc(None) == "" and esc("") == ""
    # Every printable ASCII character on its own, at the start and inside a line.
    for code in range(32, 127):
        char = chr(code)
        for text in (char, f"a{char}b", f"{char} x", f"x\n{char} y"):
            assert esc(text) == escape_markdown(text), repr(text)


def _slow_fit(embed: discord.Embed) -> dict[str, object]:
    """What `fit` does when it cannot take the shortcut: the embed as a dict after it."""
    again = discord.Embed.from_dict(copy.deepcopy(embed.to_dict()))
    original = embeds._fits
    embeds._fits = lambda _embed, _total: False  # type: ignore[assignment]
    try:
        return embeds.fit(again).to_dict()
    finally:
        embeds._fits = original


def test_fit_shortcut_changes_nothing_the_slow_way_would_keep() -> None:
    cases = []
    small = discord.Embed(title="Titel", description="Beskrivning 🎉")
    small.add_field(name="Namn", value="Värde", inline=False)
    small.set_footer(text="Sida 1 av 3")
    cases.append(small)
    blank = discord.Embed(title="x")
    blank.add_field(name=" ", value="", inline=True)
    cases.append(blank)
    big = discord.Embed(title="t" * 300, description="d" * 5000)
    for i in range(30):
        big.add_field(name=f"n{i}", value="v" * 1100)
    cases.append(big)
    total = discord.Embed(description="d" * 4000)
    for _ in range(3):
        total.add_field(name="n", value="🎉" * 510)
    cases.append(total)
    author = discord.Embed(title="a")
    author.set_author(name="x" * 300)
    cases.append(author)
    for embed in cases:
        expected = _slow_fit(embed)
        assert (
            embeds.fit(discord.Embed.from_dict(copy.deepcopy(embed.to_dict()))).to_dict()
            == expected
        )
    assert embeds._fits(small, embeds.TOTAL)
    assert not any(embeds._fits(e, embeds.TOTAL) for e in cases[1:])


def test_discord_len_counts_utf16_units() -> None:
    for text in ("", "abc", "åäö", "🎉", "a🎉b", "x" * 100):
        assert embeds.discord_len(text) == len(text.encode("utf-16-le")) // 2
    assert embeds.discord_len(None) == 0
