"""`bot.embeds.fit`: any embed, however long its parts, fits Discord's documented limits."""

from __future__ import annotations

import ast
from pathlib import Path

import discord
from discord.utils import escape_markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import embeds
from bot.embeds import cut, discord_len, fit, total_len

ROOT = Path(__file__).resolve().parents[2]

texts = st.text(
    alphabet=st.sampled_from(["a", "ö", "*", "_", "\\", " ", "\n", "😀", "`", "|", "~"]),
    max_size=3000,
)


def _check_limits(embed: discord.Embed) -> None:
    assert discord_len(embed.title) <= embeds.TITLE
    assert discord_len(embed.description) <= embeds.DESCRIPTION
    assert len(embed.fields) <= embeds.FIELDS
    for f in embed.fields:
        assert 1 <= discord_len(f.name) <= embeds.FIELD_NAME and (f.name or "").strip()
        assert 1 <= discord_len(f.value) <= embeds.FIELD_VALUE and (f.value or "").strip()
    assert discord_len(embed.footer.text) <= embeds.FOOTER
    assert discord_len(embed.author.name) <= embeds.AUTHOR
    assert total_len(embed) <= embeds.TOTAL


@settings(max_examples=60, deadline=None)
@given(
    title=texts,
    description=texts,
    fields=st.lists(st.tuples(texts, texts), max_size=30),
    footer=texts,
    author=texts,
    escape=st.booleans(),
)
def test_any_embed_fits_after_fit(
    title: str,
    description: str,
    fields: list[tuple[str, str]],
    footer: str,
    author: str,
    escape: bool,
) -> None:
    prep = escape_markdown if escape else (lambda s: s)
    embed = discord.Embed(title=prep(title) or None, description=prep(description) or None)
    for name, value in fields:
        embed.add_field(name=prep(name), value=prep(value))
    if footer:
        embed.set_footer(text=prep(footer))
    if author:
        embed.set_author(name=prep(author))
    _check_limits(fit(embed))


def test_short_parts_stay_whole_and_long_ones_give_way() -> None:
    embed = discord.Embed(title="5 kontakter", description="x" * 4000)
    for i in range(5):
        embed.add_field(name=f"Person {i}", value="y" * 1024)
    embed.set_footer(text="Sida 1 av 2")
    fit(embed)
    assert embed.title == "5 kontakter" and embed.footer.text == "Sida 1 av 2"
    assert [f.name for f in embed.fields] == [f"Person {i}" for i in range(5)]
    assert total_len(embed) <= 6000
    assert embed.description is not None and embed.description.endswith("…")


def test_cut_counts_like_discord_and_never_splits_an_escape() -> None:
    assert discord_len("😀") == 2
    assert cut("😀😀😀", 4) == "😀…"
    assert cut(escape_markdown("*" * 10), 6) == "\\*\\*…"
    assert cut("kort", 10) == "kort"


def test_every_embed_a_cog_builds_goes_through_fit() -> None:
    """A module of cogs/ that builds a discord.Embed imports `fit` and calls it."""
    offenders = []
    for path in sorted((ROOT / "cogs").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        builds = any(
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "Embed"
            for node in ast.walk(tree)
        )
        calls_fit = any(
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "fit"
            for node in ast.walk(tree)
        )
        if builds and not calls_fit:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
