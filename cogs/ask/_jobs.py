"""Questions left unanswered for a week, listed to the network's admins (by DM: a list of
who waits for what is theirs to follow up, not every member's)."""

from __future__ import annotations

import logging

import discord

from bot.errors import UserError
from bot.i18n import t
from bot.jobs import Job
from bot.services import network
from bot.services.ask import questions
from cogs._common import network_admins, shorten
from cogs.ask._render import esc

log = logging.getLogger(__name__)

MAX_LISTED = 20


async def report_unanswered(job: Job) -> dict[int, int]:
    """For each network, DM its admins the questions unanswered for a week (each once)."""
    bot = job.bot
    waiting = await questions.unanswered(bot.db, job.now)
    told: dict[int, int] = {}
    for guild_id, found in waiting.items():
        guild = bot.get_guild(guild_id)
        try:
            settings = await network.get(bot.db, guild_id)
        except UserError:
            continue
        if guild is None:
            continue
        lang = settings.lang
        lines = [
            f"• [{esc(shorten(q.title, 90))}]({questions.thread_url(guild_id, q.thread_id)})"
            for q in found[:MAX_LISTED]
        ]
        if len(found) > MAX_LISTED:
            lines.append(t(lang, "ask.unanswered.more", count=len(found) - MAX_LISTED))
        text = t(lang, "ask.unanswered.dm", network=esc(settings.name), questions="\n".join(lines))
        # Recorded before sending: a run again after a crash does not send twice.
        await questions.mark_reported(bot.db, [q.id for q in found], job.now)
        reached = 0
        for admin in network_admins(guild, settings.admin_role_id):
            try:
                await admin.send(
                    shorten(text, 2000), allowed_mentions=discord.AllowedMentions.none()
                )
                reached += 1
            except discord.HTTPException:
                continue
        if not reached:
            log.warning("guild %s: no admin could be told of unanswered questions", guild_id)
        told[guild_id] = len(found)
    return told
