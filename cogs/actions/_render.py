"""How agendas, minutes and actions read: embeds for Discord and the minutes as Markdown.

Also used by the meetings cog (`/meeting agenda show`, `/meeting end`, `/meeting minutes`) and
by the 7-day reminder, which carries `agenda_lines`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import discord
from discord.utils import escape_markdown

from bot.embeds import fit
from bot.i18n import Lang, format_datetime, t
from bot.services.meetings.actions import Action
from bot.services.meetings.agenda import Agenda, AgendaItem
from bot.services.meetings.minutes import Record
from bot.services.meetings.series import Occurrence
from cogs._common import EMBED_COLOUR, shorten

# A name for a user id (None: someone forgotten).
Names = Callable[[int | None], str]


def esc(text: str | None) -> str:
    return escape_markdown(text or "")


def mention(lang: Lang) -> Names:
    """Names as Discord shows them in embeds: a mention (never pings in an embed)."""
    return lambda uid: f"<@{uid}>" if uid else t(lang, "meetings_minutes.former_member")


def when(lang: Lang, moment: datetime, zone: ZoneInfo | str) -> str:
    return format_datetime(lang, moment, zone)


def occurrence_label(lang: Lang, occurrence: Occurrence) -> str:
    """ "Nätverksträff — torsdag 3 december kl. 13.00" (for choices and titles)."""
    return f"{occurrence.series.title} — {when(lang, occurrence.start, occurrence.series.rule.tz)}"


def item_line(lang: Lang, item: AgendaItem, names: Names) -> str:
    marks = []
    if item.carried_from is not None:
        marks.append(
            t(lang, "meetings_minutes.agenda.carried", date=f"{item.carried_from:%Y-%m-%d}")
        )
    if item.handled_at is not None:
        marks.append(t(lang, "meetings_minutes.agenda.handled"))
    tail = f" *({', '.join(marks)})*" if marks else ""
    return f"• {esc(item.text)} — {names(item.submitted_by)}{tail}"


def action_line(lang: Lang, action: Action, names: Names, zone: ZoneInfo | str) -> str:
    due = (
        " " + t(lang, "meetings_minutes.action.due", date=format_datetime(
            lang, datetime.combine(action.due, datetime.min.time(), ZoneInfo(str(zone))),
            zone, "date"))
        if action.due
        else ""
    )  # fmt: skip
    box = "☑" if action.status == "done" else "☐"
    return f"{box} **#{action.id}** {names(action.owner_id)}: {esc(action.text)}{due}"


def agenda_lines(lang: Lang, agenda: Agenda, names: Names) -> list[str]:
    """The agenda as lines: strategic questions, quick items, open actions (for the reminder)."""
    zone = agenda.occurrence.series.rule.tz
    lines: list[str] = []
    for heading, items in (
        ("meetings_minutes.agenda.strategic", agenda.strategic),
        ("meetings_minutes.agenda.quick", agenda.quick),
    ):
        lines.append(f"**{t(lang, heading)}**")
        lines += [item_line(lang, i, names) for i in items] or [
            t(lang, "meetings_minutes.agenda.none")
        ]
    lines.append(f"**{t(lang, 'meetings_minutes.agenda.open_actions')}**")
    lines += [action_line(lang, a, names, zone) for a in agenda.open_actions] or [
        t(lang, "meetings_minutes.agenda.no_actions")
    ]
    return lines


def agenda_embed(lang: Lang, agenda: Agenda, names: Names) -> discord.Embed:
    label = occurrence_label(lang, agenda.occurrence)
    embed = discord.Embed(
        title=shorten(t(lang, "meetings_minutes.agenda.title", meeting=label), 256),
        description="\n".join(agenda_lines(lang, agenda, names)),
        colour=EMBED_COLOUR,
    )  # fmt: skip
    return fit(embed)


def minutes_embed(lang: Lang, record: Record, names: Names) -> discord.Embed:
    zone = record.zone
    title = t(
        lang,
        "meetings_minutes.minutes.title",
        meeting=f"{record.title} — {when(lang, record.start, zone)}",
    )
    embed = discord.Embed(title=shorten(title, 256), colour=EMBED_COLOUR)
    embed.add_field(
        name=t(lang, "meetings_minutes.minutes.chair"),
        value=names(record.minutes.chair_id),
        inline=True,
    )
    embed.add_field(
        name=t(lang, "meetings_minutes.minutes.participants"),
        value=", ".join(names(p) for p in record.participants) or "—",
        inline=False,
    )
    sections: list[tuple[str, list[str]]] = [
        ("meetings_minutes.minutes.handled", [f"• {esc(i.text)}" for i in record.handled]),
        ("meetings_minutes.minutes.decisions", [f"• {esc(e.text)}" for e in record.decisions]),
        ("meetings_minutes.minutes.notes",
         [f"• {esc(e.text)} — {names(e.author_id)}" for e in record.notes]),
        ("meetings_minutes.minutes.actions",
         [action_line(lang, a, names, zone) for a in record.actions]),
    ]  # fmt: skip
    for key, lines in sections:
        embed.add_field(
            name=t(lang, key), value=shorten("\n".join(lines) or "—", 1024), inline=False
        )
    return fit(embed)


def minutes_markdown(lang: Lang, record: Record, names: Names) -> str:
    """The whole minutes as a Markdown file (nothing cut)."""
    zone = record.zone
    out = [
        "# " + t(lang, "meetings_minutes.minutes.title",
                 meeting=f"{record.title} — {when(lang, record.start, zone)}"),
        "",
        f"**{t(lang, 'meetings_minutes.minutes.chair')}:** {names(record.minutes.chair_id)}  ",
        f"**{t(lang, 'meetings_minutes.minutes.participants')}:** "
        + (", ".join(names(p) for p in record.participants) or "—"),
    ]  # fmt: skip
    sections: list[tuple[str, list[str]]] = [
        ("meetings_minutes.minutes.handled", [f"- {i.text}" for i in record.handled]),
        ("meetings_minutes.minutes.decisions", [f"1. {e.text}" for e in record.decisions]),
        ("meetings_minutes.minutes.notes",
         [f"- {e.text} ({names(e.author_id)})" for e in record.notes]),
        ("meetings_minutes.minutes.actions", [
            f"- [{'x' if a.status == 'done' else ' '}] #{a.id} {names(a.owner_id)}: {a.text}"
            + (" " + t(lang, "meetings_minutes.action.due", date=a.due.isoformat())
               if a.due else "")
            for a in record.actions
        ]),
    ]  # fmt: skip
    for key, lines in sections:
        out += ["", f"## {t(lang, key)}", ""]
        out += lines or ["—"]
    return "\n".join(out) + "\n"


def plain_names(guild: discord.Guild | None, lang: Lang) -> Names:
    """Names as plain text (for the Markdown file): the member's display name."""

    def name(uid: int | None) -> str:
        member = guild.get_member(uid) if guild is not None and uid else None
        if member is None:
            return t(lang, "meetings_minutes.former_member")
        return member.display_name

    return name
