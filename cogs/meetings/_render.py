"""Texts of the meetings cog: occurrences, answers, reminders, in the reader's language."""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from typing import Any

from bot.db import Database
from bot.i18n import Lang, format_datetime, t
from bot.services.meetings.series import Occurrence, Series
from cogs._common import shorten

# The agenda part of the 7-day reminder comes from the agenda feature when it is there:
# `cogs.meetings._minutes.agenda_for(db, occurrence) -> list[str]` (lines, already rendered).
AGENDA_REMINDER_MINUTES = 7 * 24 * 60
AgendaHook = Callable[[Database, Occurrence], Awaitable[list[Any]]]


def agenda_hook() -> AgendaHook | None:
    """The agenda feature's `agenda_for`, if that feature is installed (extension point)."""
    try:
        module = importlib.import_module("cogs.meetings._minutes")
    except ImportError:
        return None
    hook = getattr(module, "agenda_for", None)
    return hook if callable(hook) else None


def place_text(lang: Lang, series: Series) -> str:
    if series.place.kind == "voice":
        return f"<#{series.place.voice_channel_id}>"
    if series.place.kind == "link":
        return f"<{series.place.text}>"
    return series.place.text or ""


def when_text(lang: Lang, occ: Occurrence) -> str:
    tz = occ.series.rule.tz
    start = format_datetime(lang, occ.start, tz)
    end = occ.end.astimezone(tz)
    return f"{start}–{end:%H.%M}" if lang == "sv" else f"{start}–{end:%H:%M}"


def counts_text(lang: Lang, counts: dict[str, int]) -> str:
    return t(
        lang,
        "meetings.rsvp.counts",
        coming=counts.get("coming", 0),
        maybe=counts.get("maybe", 0),
        not_coming=counts.get("not_coming", 0),
    )


def occurrence_line(lang: Lang, occ: Occurrence, counts: dict[str, int] | None = None) -> str:
    line = f"**{occ.series.title}** — {when_text(lang, occ)} — {place_text(lang, occ.series)}"
    if occ.status == "moved":
        line += " " + t(lang, "meetings.list.moved")
    if counts is not None:
        line += "\n" + counts_text(lang, counts)
    return line


def post_text(
    lang: Lang,
    occ: Occurrence,
    counts: dict[str, int],
    *,
    role_id: int | None = None,
    minutes_before: int | None = None,
    agenda: list[Any] | None = None,
) -> str:
    """An announcement (minutes_before None) or a reminder in the meetings channel."""
    head = (
        t(lang, "meetings.post.announce", title=occ.series.title)
        if minutes_before is None
        else t(lang, "meetings.post.reminder", title=occ.series.title)
    )
    lines = [f"<@&{role_id}> {head}" if role_id else head]
    lines.append(t(lang, "meetings.post.when", when=when_text(lang, occ)))
    lines.append(t(lang, "meetings.post.where", place=place_text(lang, occ.series)))
    if agenda:
        lines.append(t(lang, "meetings.post.agenda"))
        lines.extend(f"• {shorten(str(item), 200)}" for item in agenda[:15])
    lines.append(counts_text(lang, counts))
    return shorten("\n".join(lines), 2000)
