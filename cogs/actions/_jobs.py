"""The jobs of the minutes: owners reminded of their actions, agenda items carried over.

`action-due:<id>` (one-off, scheduled when an action with a due date is made) DMs the owner
the day before the due date; `meeting-minutes:sweep` (every 30 minutes and at every start)
carries unhandled agenda items of meetings that are over to the next one and DMs owners of open
actions before the next meeting. Every reminder is recorded before it is sent: a restart in
between never sends it twice.
"""

from __future__ import annotations

import logging

import discord

from bot import context
from bot.i18n import pick_lang, t
from bot.jobs import Job
from bot.services import network
from bot.services.meetings import actions, agenda
from bot.services.meetings.series import Occurrence
from bot.services.text import parse_id
from cogs._common import shorten
from cogs.actions._render import action_line, mention, occurrence_label

log = logging.getLogger(__name__)


async def _dm(
    job: Job, action: actions.Action, key: str, occurrence: Occurrence | None = None
) -> bool:
    bot = job.bot
    if action.owner_id is None:
        return False
    guild = bot.get_guild(action.guild_id)
    member = guild.get_member(action.owner_id) if guild else None
    if member is None:
        return False  # no longer on the server: nobody to remind
    lang = pick_lang(getattr(member, "locale", None), bot.network_langs.get(action.guild_id))
    settings = await network.get(bot.db, action.guild_id)
    zone = context.zone(settings.timezone)
    params = {"meeting": occurrence_label(lang, occurrence)} if occurrence else {}
    text = t(lang, key, network=discord.utils.escape_markdown(settings.name), **params)
    line = action_line(lang, action, mention(lang), zone)
    try:
        await member.send(
            shorten(f"{text}\n{line}", 2000), allowed_mentions=discord.AllowedMentions.none()
        )
    except discord.HTTPException as exc:  # DMs closed: recorded, not retried
        log.info("could not remind the owner of action %s: %s", action.id, exc.status)
        return False
    return True


async def remind_due(job: Job) -> bool:
    """The day before an action's due date: DM its owner (once)."""
    action_id = parse_id(job.key)
    if action_id is None:
        return False
    action = await actions.claim_due(job.bot.db, action_id, job.now)
    if action is None:
        return False
    return await _dm(job, action, "meetings_minutes.remind.due")


async def sweep(job: Job) -> dict[str, int]:
    """Carry agenda items over; remind owners of open actions before the next meeting."""
    db = job.bot.db
    carried = await agenda.carry_over(db, None, now=job.now)
    reminded = 0
    for due in await actions.before_meeting(db, job.now):
        if not await actions.claim_before(db, due.action.id, due.occurrence):
            continue
        if await _dm(job, due.action, "meetings_minutes.remind.before", due.occurrence):
            reminded += 1
    return {"carried": carried, "reminded": reminded}
