"""How a resource is shown: title linked, kind, organisation, who added it and when."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.embeds import fit
from bot.i18n import Lang, format_datetime, t, tn
from bot.services import resources
from cogs._common import EMBED_COLOUR, shorten


def esc(text: str) -> str:
    return discord.utils.escape_markdown(discord.utils.escape_mentions(text))


def link(title: str, url: str) -> str:
    """A markdown link whose text and address cannot break out of it."""
    safe = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    label = esc(shorten(title, 150)).replace("[", "\\[").replace("]", "\\]")
    return f"[{label}]({safe})"


def when(lang: Lang, moment: datetime, zone: str) -> str:
    return format_datetime(lang, moment, zone, "date")


def added_by(lang: Lang, r: resources.Resource, zone: str) -> str:
    who = f"<@{r.author_user_id}>" if r.author_user_id else t(lang, "resource.former_member")
    return t(lang, "resource.added_by", who=who, when=when(lang, r.created_at, zone))


def block(lang: Lang, r: resources.Resource, zone: str) -> str:
    head = f"**{link(r.title, r.url)}** · {t(lang, f'resource.kind.{r.kind}')}"
    if r.organisation_name:
        head += f" · {esc(r.organisation_name)}"
    lines = [head]
    if r.description:
        lines.append(esc(shorten(" ".join(r.description.split()), 200)))
    if r.tags:
        lines.append("🏷️ " + ", ".join(esc(x) for x in r.tags))
    lines.append(f"-# {added_by(lang, r, zone)} · #{r.id}")
    return "\n".join(lines)


def found_embed(
    lang: Lang, found: resources.Found, zone: str, corrected: dict[str, str] | None = None
) -> discord.Embed:
    body = "\n\n".join(block(lang, r, zone) for r in found.resources)
    embed = discord.Embed(
        title=tn(lang, "resource.find.title", found.total),
        description=shorten(body or t(lang, "resource.find.none"), 4096),
        colour=EMBED_COLOUR,
    )
    if found.pages > 1:
        embed.set_footer(text=t(lang, "resource.find.page", page=found.page + 1, pages=found.pages))
    return fit(embed)


def one_embed(lang: Lang, r: resources.Resource, zone: str, title_key: str) -> discord.Embed:
    embed = discord.Embed(
        title=t(lang, title_key), description=block(lang, r, zone), colour=EMBED_COLOUR
    )
    return fit(embed)
