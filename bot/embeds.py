"""Every embed the bot sends fits Discord's limits, measured on the final (escaped) text.

Discord's documented embed limits (Channel resource → Embed Limits): title 256 characters,
description 4096, up to 25 fields, field name 256, field value 1024, footer text 2048, author
name 256, and 6000 characters in all across the title, description, field names and values,
footer text and author name of every embed in a message. A field's name and value must not be
empty. Characters are counted in UTF-16 code units here: never fewer than the code points, so
text that fits by this count fits however Discord counts (an emoji outside the BMP counts 2).

`fit(embed)` is called on an embed once it is complete (escaping done, footer set): it cuts what
is too long with "…", sharing the 6000-character budget so that the longest parts give way first.
"""

from __future__ import annotations

from typing import Any, Final

import discord

TITLE: Final = 256
DESCRIPTION: Final = 4096
FIELDS: Final = 25
FIELD_NAME: Final = 256
FIELD_VALUE: Final = 1024
FOOTER: Final = 2048
AUTHOR: Final = 256
TOTAL: Final = 6000

ELLIPSIS: Final = "…"
EMPTY_FIELD: Final = "\u200b"  # Discord refuses an empty field name or value


def discord_len(text: str | None) -> int:
    """Length as Discord's limits are checked here: UTF-16 code units."""
    if not text:
        return 0
    if text.isascii():
        return len(text)  # one unit per character; no need to encode
    return len(text.encode("utf-16-le")) // 2


def cut(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 units, ending in "…" when something was cut.

    Never splits a character, and never leaves a lone backslash at the end (half of a markdown
    escape, which would escape the ellipsis instead).
    """
    if discord_len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    budget = limit - discord_len(ELLIPSIS)
    kept: list[str] = []
    used = 0
    for char in text:
        size = 2 if ord(char) > 0xFFFF else 1
        if used + size > budget:
            break
        kept.append(char)
        used += size
    head = "".join(kept).rstrip()
    # An odd run of trailing backslashes ends in half an escape: drop it.
    trailing = len(head) - len(head.rstrip("\\"))
    if trailing % 2:
        head = head[:-1]
    return head + ELLIPSIS


class _Part:
    """One limited piece of text in an embed, and where to put it back."""

    def __init__(self, text: str, limit: int, put: Any) -> None:
        self.text = cut(text, limit)
        self.put = put

    @property
    def size(self) -> int:
        return discord_len(self.text)


def total_len(embed: discord.Embed) -> int:
    """The characters of `embed` that count towards Discord's 6000 total."""
    total = discord_len(embed.title) + discord_len(embed.description)
    total += sum(discord_len(f.name) + discord_len(f.value) for f in embed.fields)
    total += discord_len(embed.footer.text) + discord_len(embed.author.name)
    return total


def fit(embed: discord.Embed, total: int = TOTAL) -> discord.Embed:
    """Cut `embed` (in place; returned) to Discord's limits and to `total` characters in all.

    Each part is first cut to its own limit; if the sum is still over `total`, the parts longer
    than a common cap are cut to it, the cap chosen as large as the budget allows — so a few long
    parts shrink and short ones (names, the footer) stay whole.
    """
    if _fits(embed, total):
        return embed  # nothing to cut or fill: what the steps below would rebuild as it is
    if len(embed.fields) > FIELDS:
        for index in range(len(embed.fields) - 1, FIELDS - 1, -1):
            embed.remove_field(index)
    fields = [(_filled(f.name), _filled(f.value), bool(f.inline)) for f in embed.fields]
    names: list[str] = [name for name, _, _ in fields]
    values: list[str] = [value for _, value, _ in fields]
    parts: list[_Part] = []

    def setter(target: list[str], index: int) -> Any:
        def put(text: str) -> None:
            target[index] = text

        return put

    texts: dict[str, str] = {}

    def keep(key: str) -> Any:
        def put(text: str) -> None:
            texts[key] = text

        return put

    if embed.title:
        parts.append(_Part(embed.title, TITLE, keep("title")))
    if embed.description:
        parts.append(_Part(embed.description, DESCRIPTION, keep("description")))
    for i in range(len(fields)):
        parts.append(_Part(names[i], FIELD_NAME, setter(names, i)))
        parts.append(_Part(values[i], FIELD_VALUE, setter(values, i)))
    if embed.footer.text:
        parts.append(_Part(embed.footer.text, FOOTER, keep("footer")))
    if embed.author.name:
        parts.append(_Part(embed.author.name, AUTHOR, keep("author")))

    if sum(p.size for p in parts) > total:
        cap = _cap([p.size for p in parts], total)
        for p in parts:
            if p.size > cap:
                p.text = cut(p.text, cap)
    for p in parts:
        p.put(p.text)

    if "title" in texts:
        embed.title = texts["title"]
    if "description" in texts:
        embed.description = texts["description"]
    if fields:
        embed.clear_fields()
        for (_, _, inline), name, value in zip(fields, names, values, strict=True):
            embed.add_field(name=_filled(name), value=_filled(value), inline=inline)
    if "footer" in texts:
        embed.set_footer(text=texts["footer"], icon_url=embed.footer.icon_url)
    if "author" in texts:
        embed.set_author(name=texts["author"], url=embed.author.url, icon_url=embed.author.icon_url)
    return embed


def _fits(embed: discord.Embed, total: int) -> bool:
    """Whether every part is within its limit, no field is blank, and the sum within `total`."""
    fields = embed.fields
    if len(fields) > FIELDS:
        return False
    used = 0
    for text, limit in (
        (embed.title, TITLE),
        (embed.description, DESCRIPTION),
        (embed.footer.text, FOOTER),
        (embed.author.name, AUTHOR),
    ):
        size = discord_len(text)
        if size > limit:
            return False
        used += size
    for f in fields:
        for text, limit in ((f.name, FIELD_NAME), (f.value, FIELD_VALUE)):
            if _filled(text) != text:
                return False
            size = discord_len(text)
            if size > limit:
                return False
            used += size
    return used <= total


def _filled(text: str | None) -> str:
    return text if text and text.strip() else EMPTY_FIELD


def _cap(sizes: list[int], budget: int) -> int:
    """The largest cap c with sum(min(size, c)) <= budget (at least 1 per part when possible)."""
    low, high = 0, max(sizes)
    while low < high:
        mid = (low + high + 1) // 2
        if sum(min(s, mid) for s in sizes) <= budget:
            low = mid
        else:
            high = mid - 1
    return low
