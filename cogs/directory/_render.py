"""How directory entries look: cards, search hits, vacant functions, audit lines."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

import discord
from discord.utils import escape_markdown

from bot.embeds import fit
from bot.i18n import Lang, format_datetime, t, tn
from bot.services.audit import AuditEntry, AuditPage
from bot.services.directory import Profile, SearchResult, VacantFunction, language_name
from cogs._common import EMBED_COLOUR, shorten

ZONE = "Europe/Stockholm"  # only when no network zone is given (the network's own is passed)
HIT_VALUE_LIMIT = 900  # five hits and the vacant functions stay under the 6000-character total
VACANT_LIMIT = 600
# Every character that discord.py's `escape_markdown` can act on: text with none of them comes
# back from it unchanged (a test holds this against escape_markdown itself).
_MARKDOWN_CHARS = re.compile(r"[_\\~|*`>\[#-]")


def esc(text: str | None) -> str:
    """User text shown as typed: markdown escaped (mentions never ping: the bot's default)."""
    if not text:
        return ""
    return escape_markdown(text) if _MARKDOWN_CHARS.search(text) else text


@lru_cache(maxsize=1024)
def _language_name(code: str, lang: Lang) -> str:
    # A Babel locale is built per call in `language_name`; its answer never changes.
    return language_name(code, lang)


def date(lang: Lang, when: datetime, zone: str = ZONE) -> str:
    return format_datetime(lang, when, zone, "date")


def freshness_line(lang: Lang, profile: Profile, now: datetime, days: int, zone: str = ZONE) -> str:
    when = date(lang, profile.confirmed_at, zone)
    if profile.unconfirmed(now, days):
        return t(lang, "directory.card.unconfirmed", date=when)
    return t(lang, "directory.card.confirmed", date=when)


def profile_lines(
    lang: Lang, profile: Profile, now: datetime, days: int, zone: str = ZONE
) -> list[str]:
    """The body of a card or a hit: who, where, what, how to reach them, how fresh."""
    lines: list[str] = []
    where = [esc(x) for x in (profile.title, profile.organisation_name) if x]
    if (
        profile.municipality_name
        and profile.organisation_name
        and (profile.municipality_name.casefold() not in profile.organisation_name.casefold())
    ):
        where.append(esc(profile.municipality_name))
    if where:
        lines.append(" · ".join(where))
    if profile.department:
        lines.append(t(lang, "directory.card.department", value=esc(profile.department)))
    if profile.functions:
        held = ", ".join(f"{esc(f.name)} ({esc(f.organisation_name)})" for f in profile.functions)
        lines.append(t(lang, "directory.card.functions", value=held))
    if profile.expertise:
        lines.append(
            t(lang, "directory.card.expertise", value=", ".join(esc(x) for x in profile.expertise))
        )
        if profile.contact_ok:
            lines.append(t(lang, "directory.card.contact_ok"))
    if profile.languages:
        names = ", ".join(_language_name(c, lang) for c in profile.languages)
        lines.append(t(lang, "directory.card.languages", value=names))
    contact = []
    if profile.email:
        contact.append(f"📧 {esc(profile.email)}")
    if profile.phone:
        contact.append(f"📞 {profile.phone}")
    contact.append(f"<@{profile.user_id}>")
    lines.append(" · ".join(contact))
    lines.append(freshness_line(lang, profile, now, days, zone))
    return lines


def card_embed(
    lang: Lang,
    profile: Profile,
    now: datetime,
    days: int,
    *,
    own: bool = False,
    zone: str = ZONE,
) -> discord.Embed:
    """One person's contact card."""
    embed = discord.Embed(
        title=shorten(profile.display_name, 256),
        description=shorten("\n".join(profile_lines(lang, profile, now, days, zone)), 4096),
        colour=EMBED_COLOUR,
    )
    if own and profile.hidden:
        embed.set_footer(text=t(lang, "directory.card.hidden_note"))
    elif own:
        embed.set_footer(text=t(lang, "directory.card.visible_note"))
    return fit(embed)


def vacant_line(lang: Lang, vacant: VacantFunction, zone: str = ZONE) -> str:
    text = f"**{esc(vacant.name)}** ({esc(vacant.organisation_name)})"
    if vacant.vacated_at is not None:
        return t(
            lang, "directory.vacant.since", function=text, date=date(lang, vacant.vacated_at, zone)
        )
    return t(lang, "directory.vacant.never", function=text)


def results_embed(
    lang: Lang,
    result: SearchResult,
    now: datetime,
    criteria: str,
    municipality: str | None,
    zone: str = ZONE,
) -> discord.Embed:
    """One page of `/contact find`."""
    embed = discord.Embed(
        title=tn(lang, "directory.find.title", result.total),
        description=shorten(criteria, 1000) if criteria else None,
        colour=EMBED_COLOUR,
    )
    if not result.hits:
        embed.description = "\n".join(x for x in (criteria, t(lang, "directory.find.none")) if x)
    for profile in result.hits:
        value = "\n".join(profile_lines(lang, profile, now, result.confirm_after_days, zone))
        embed.add_field(
            name=shorten(profile.display_name, 256),
            value=shorten(value, HIT_VALUE_LIMIT),
            inline=False,
        )
    if municipality is not None:
        if result.vacant:
            value = "\n".join(vacant_line(lang, v, zone) for v in result.vacant)
        else:
            value = t(lang, "directory.vacant.none")
        embed.add_field(
            name=t(lang, "directory.vacant.title", municipality=municipality),
            value=shorten(value, VACANT_LIMIT),
            inline=False,
        )
    if result.pages > 1:
        embed.set_footer(text=t(lang, "pager.page", page=result.page + 1, pages=result.pages))
    return fit(embed)


def audit_embed(lang: Lang, page: AuditPage, zone: str = ZONE) -> discord.Embed:
    lines = [audit_line(lang, e, zone) for e in page.entries] or [t(lang, "audit.empty")]
    embed = discord.Embed(
        title=tn(lang, "audit.title", page.total),
        description=shorten("\n".join(lines), 4096),
        colour=EMBED_COLOUR,
    )
    if page.pages > 1:
        embed.set_footer(text=t(lang, "pager.page", page=page.page + 1, pages=page.pages))
    return fit(embed)


def _who(lang: Lang, user_id: int | None) -> str:
    return f"<@{user_id}>" if user_id is not None else t(lang, "privacy.former_member")


def audit_line(lang: Lang, entry: AuditEntry, zone: str = ZONE) -> str:
    when = format_datetime(lang, entry.at, zone, "datetime")
    function = esc(str(entry.detail.get("function", "")))
    visibility = entry.detail.get("visibility", "")
    text = t(
        lang,
        f"audit.action.{entry.action}",
        actor=_who(lang, entry.actor_user_id),
        subject=_who(lang, entry.subject_user_id),
        function=function,
        visibility=t(lang, f"profile.visibility.{visibility}") if visibility else "",
    )
    return f"{when} — {text}"
