"""An answer as one message: grouped by kind, best first, each hit with what matched and a
link. Only the sources' own titles and links: nothing written by the bot about them."""

from __future__ import annotations

from functools import lru_cache

import discord

from bot.embeds import fit
from bot.i18n import Lang, has, t
from bot.services.ask.answer import Answer, Shown
from cogs._common import EMBED_COLOUR, shorten

KIND_ICONS = {
    "answered": "✅",
    "people": "👥",
    "practice": "🌱",
    "resource": "🔗",
    "decision": "⚖️",
    "minutes": "📝",
    "action": "📌",
}


@lru_cache(maxsize=8192)
def esc(text: str) -> str:
    """`text` shown as written: markdown escaped, mentions made inert. Memoised: an answer
    escapes the same titles and terms again and again, and discord.py's escaping is a
    regular expression with a Python callback per match."""
    return discord.utils.escape_markdown(discord.utils.escape_mentions(text))


def _link(title: str, url: str) -> str:
    safe = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    label = esc(shorten(title, 120)).replace("[", "\\[").replace("]", "\\]")
    return f"[{label}]({safe})"


def reason(lang: Lang, s: Shown) -> str:
    """What matched: each term of the question once, with the field it matched in."""
    parts: list[str] = []
    seen: set[str] = set()
    for m in s.hit.matched:
        if m.term in seen:
            continue
        seen.add(m.term)
        key = s.fields.get(m.field)
        label = esc(m.term)
        if key and has(lang, key):
            label = t(lang, "ask.reason.in", term=label, field=t(lang, key))
        if m.via == "thesaurus":
            label = t(lang, "ask.reason.synonym", term=label)
        parts.append(label)
    return t(lang, "ask.reason", terms=", ".join(parts))


def line(lang: Lang, s: Shown) -> str:
    """`• title — detail · link` and, below it, what matched."""
    item = s.item
    if item.url and item.user_id is None:
        head = _link(item.title, item.url)
    else:
        head = f"**{esc(shorten(item.title, 120))}**"
    if item.detail:
        head += " — " + esc(shorten(" ".join(item.detail.split()), 120))
    if item.user_id is not None:
        head += " · " + t(lang, "ask.person", mention=f"<@{item.user_id}>")
    if item.owner_id is not None:
        head += " · " + t(lang, "ask.owner", mention=f"<@{item.owner_id}>")
    return f"• {head}\n  ↳ _{reason(lang, s)}_"


def body(lang: Lang, answer: Answer) -> str:
    blocks = []
    for group in answer.groups:
        header = f"{KIND_ICONS.get(group.kind, '•')} **{t(lang, f'ask.kind.{group.kind}')}**"
        blocks.append("\n".join([header, *(line(lang, s) for s in group.shown)]))
    return "\n\n".join(blocks)


def answer_embed(lang: Lang, question: str, answer: Answer) -> discord.Embed:
    """The answer; the question itself rides in the author line (plain text, not markdown),
    where the "ask the network" button reads it back, also after a restart."""
    text = body(lang, answer) if answer.found else t(lang, "ask.none")
    embed = discord.Embed(
        title=t(lang, "ask.title"), description=shorten(text, 4000), colour=EMBED_COLOUR
    )
    embed.set_author(name=shorten(question, 256))
    embed.set_footer(text=t(lang, "ask.footer"))
    return fit(embed)
