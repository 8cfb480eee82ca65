"""What practices look like: the card, the forum post's starter message, the search results."""

from __future__ import annotations

import discord
from discord.utils import escape_markdown

from bot.embeds import fit
from bot.i18n import Lang, format_number, t, tn
from bot.services.practices.model import Contact, Practice
from bot.services.practices.search import SearchResult, snippet
from cogs._common import EMBED_COLOUR, shorten

STARTER_MAX = 2000
POST_TITLE_MAX = 100
STATUS_EMOJI = {"planned": "🗓️", "ongoing": "🟢", "ended": "⏹️"}


def esc(text: str | None) -> str:
    return escape_markdown(text or "")


def theme_name(lang: Lang, key: str) -> str:
    return t(lang, f"network.setup.tag.practices.{key}")


def label(lang: Lang, kind: str, key: str) -> str:
    """A status, target group or funding kind in `lang`."""
    return t(lang, f"practice.{kind}.{key}")


def status_text(lang: Lang, p: Practice) -> str:
    text = f"{STATUS_EMOJI.get(p.status, '')} {label(lang, 'status', p.status)}"
    if p.start_date and p.end_date:
        text += f" ({p.start_date.isoformat()} – {p.end_date.isoformat()})"
    elif p.start_date:
        text += " " + t(lang, "practice.card.since", date=p.start_date.isoformat())
    elif p.end_date:
        text += " " + t(lang, "practice.card.until", date=p.end_date.isoformat())
    return text


def funding_text(lang: Lang, p: Practice) -> str:
    kinds = ", ".join(label(lang, "funding", k) for k in p.funding)
    if p.funding_sek is not None:
        amount = t(lang, "practice.card.sek", amount=format_number(lang, p.funding_sek))
        kinds = f"{kinds} ({amount})" if kinds else amount
    return kinds


def contact_text(lang: Lang, contact: Contact, *, ping: bool = False) -> str:
    """The person (a mention, which never pings: mentions are off) and/or the function; a
    contact who has left and has no function is "a former member"."""
    parts = []
    if contact.user_id is not None:
        parts.append(f"<@{contact.user_id}>")
    if contact.function_name:
        parts.append(esc(f"{contact.function_name}, {contact.organisation_name}"))
    return " – ".join(parts) if parts else t(lang, "practice.card.former_member")


def where_text(p: Practice) -> str:
    return ", ".join([*p.municipality_names, *p.organisations])


def _lines(lang: Lang, p: Practice, contact: Contact) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = [
        (t(lang, "field.practice.status"), status_text(lang, p)),
    ]
    if p.themes:
        rows.append(
            (t(lang, "field.practice.themes"), ", ".join(theme_name(lang, k) for k in p.themes))
        )
    if p.targets:
        rows.append(
            (
                t(lang, "field.practice.targets"),
                ", ".join(label(lang, "target", k) for k in p.targets),
            )
        )
    if p.municipalities or p.organisations:
        rows.append((t(lang, "practice.card.where"), esc(where_text(p))))
    funding = funding_text(lang, p)
    if funding:
        rows.append((t(lang, "field.practice.funding"), funding))
    rows.append((t(lang, "field.practice.contact"), contact_text(lang, contact)))
    if p.adopted:
        rows.append((t(lang, "practice.card.adopted"), esc(", ".join(p.adopted))))
    if p.interested:
        rows.append((t(lang, "practice.card.interested"), esc(", ".join(p.interested))))
    return rows


def card(lang: Lang, p: Practice, contact: Contact) -> discord.Embed:
    """Everything about one practice (`/practice show`)."""
    embed = discord.Embed(
        title=shorten(p.title, 256), description=esc(p.summary), colour=EMBED_COLOUR
    )
    if p.description:
        embed.add_field(
            name=t(lang, "field.practice.description"),
            value=shorten(esc(p.description), 1024),
            inline=False,
        )
    for name, value in _lines(lang, p, contact):
        embed.add_field(name=name, value=shorten(value, 1024), inline=True)
    if p.success_factors:
        embed.add_field(
            name=t(lang, "field.practice.success_factors"),
            value=shorten(esc(p.success_factors), 1024),
            inline=False,
        )
    if p.lessons:
        embed.add_field(
            name=t(lang, "field.practice.lessons"),
            value=shorten(esc(p.lessons), 1024),
            inline=False,
        )
    if p.links:
        embed.add_field(
            name=t(lang, "field.practice.links"),
            value=shorten("\n".join(p.links), 1024),
            inline=False,
        )
    embed.set_footer(text=t(lang, "practice.card.footer", changed=p.changed_at.date().isoformat()))
    return fit(embed)


def starter(lang: Lang, p: Practice, contact: Contact) -> str:
    """The forum post's starter message (within 2,000 characters): the summary and the facts
    first, the longer texts cut to fit."""
    head = [f"**{esc(p.title)}**", esc(p.summary), ""]
    head += [f"**{name}:** {value}" for name, value in _lines(lang, p, contact)]
    tail: list[str] = []
    for key, text in (
        ("description", p.description),
        ("success_factors", p.success_factors),
        ("lessons", p.lessons),
    ):
        if text:
            tail.append(f"**{t(lang, f'field.practice.{key}')}:** {esc(text)}")
    if p.links:
        tail.append("\n".join(f"<{link}>" for link in p.links))
    text = "\n".join(head)
    room = STARTER_MAX - len(text) - 2
    rest = "\n\n".join(tail)
    if rest and room > 20:
        text += "\n\n" + shorten(rest, room)
    return shorten(text, STARTER_MAX)


def post_title(p: Practice) -> str:
    return shorten(p.title, POST_TITLE_MAX)


def results(lang: Lang, result: SearchResult, heading: str) -> discord.Embed:
    """One page of `/practice find`: each practice with its snippet, the hit in bold."""
    hits = {h.id: h for h in result.scored}
    embed = discord.Embed(title=heading, colour=EMBED_COLOUR)
    if not result.practices:
        embed.description = t(lang, "practice.find.none")
        return fit(embed)
    lines: list[str] = []
    if result.corrected:
        fixed = ", ".join(f"{a} → {b}" for a, b in result.corrected.items())
        lines.append(t(lang, "practice.find.corrected", words=esc(fixed)))
    for p in result.practices:
        hit = hits.get(p.id)
        text = snippet(p.summary, hit)
        if hit is not None and not any(m.field == "summary" for m in hit.matched):
            body_hit = any(m.field == "body" for m in hit.matched)
            if body_hit:
                text = snippet(
                    "\n".join(x for x in (p.description, p.success_factors, p.lessons) if x),
                    hit,
                )
        place = esc(where_text(p))
        lines.append(
            f"**{esc(shorten(p.title, 100))}** · {label(lang, 'status', p.status)}"
            + (f" · {shorten(place, 80)}" if place else "")
            + f"\n{text}"
        )
    embed.description = "\n\n".join(lines)
    embed.set_footer(
        text=tn(lang, "practice.find.count", result.total, n=result.total)
        + " · "
        + t(lang, "practice.find.page", page=result.page + 1, pages=result.pages)
    )
    return fit(embed)
