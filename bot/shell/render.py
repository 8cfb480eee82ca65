"""How the shell shows what Discord's client shows: markdown, mentions and embed fields."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rich.console import Group
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

TEXT_TYPES = ("text/", "application/json", "application/xml")
# discord.py uploads files without a content type, so text files are also known by name.
TEXT_SUFFIXES = (".json", ".csv", ".md", ".txt", ".ics", ".html")


_MENTION = re.compile(r"<(@!?|@&|#)(\d+)>")


def discord_markdown(text: str, names: Callable[[str, int], str | None] | None = None) -> Markdown:
    """Discord's markdown, where a single newline is a line break (unlike CommonMark), with
    mentions shown as the client shows them (@name, #channel) when `names` knows them."""
    if names is not None:

        def name(match: re.Match[str]) -> str:
            kind, ident = match.group(1), int(match.group(2))
            found = names(kind, ident)
            return match.group(0) if found is None else found

        text = _MENTION.sub(name, text)
    return Markdown(text.replace("\n", "  \n"))


def render_fields(
    fields: list[dict[str, Any]], names: Callable[[str, int], str | None]
) -> list[Any]:
    """Embed fields as Discord lays them out: inline ones up to three side by side."""
    out: list[Any] = []
    row: list[dict[str, Any]] = []

    def flush() -> None:
        if row:
            grid = Table.grid(padding=(0, 3))
            for _ in row:
                grid.add_column()
            grid.add_row(
                *(
                    Group(Text(f["name"], style="bold"), discord_markdown(f["value"], names))
                    for f in row
                )
            )
            out.append(grid)
            row.clear()

    for field in fields:
        if not field.get("inline"):
            flush()
            out.append(
                Group(Text(field["name"], style="bold"), discord_markdown(field["value"], names))
            )
            continue
        row.append(field)
        if len(row) == 3:
            flush()
    flush()
    return out
