"""The directory's job: ask people whose entry is unconfirmed to confirm it, by DM."""

from __future__ import annotations

import logging

import discord

from bot import context
from bot.i18n import pick_lang, t
from bot.jobs import Job
from bot.services import freshness, network, privacy, profiles
from cogs.directory._render import card_embed
from cogs.directory._views import reminder_view

log = logging.getLogger(__name__)


async def remind_unconfirmed(job: Job) -> int:
    """DM everyone whose entry is unconfirmed and who was not asked this period; returns how
    many DMs went out. Each person is marked as asked before the DM is sent, so that a restart
    in the middle never asks anyone twice."""
    bot, now = job.bot, job.now
    sent = 0
    for due in await freshness.due_reminders(bot.db, now=now):
        await freshness.mark_reminded(bot.db, due.guild_id, due.user_id, now=now)
        try:
            if await _remind(job, due):
                sent += 1
        except discord.HTTPException as exc:  # DMs closed, user gone: ask again next period
            log.info("could not send a freshness reminder in network %s: %s", due.guild_id, exc)
    return sent


async def _remind(job: Job, due: freshness.Due) -> bool:
    bot = job.bot
    profile = await profiles.get(bot.db, due.guild_id, due.user_id)
    if profile is None:
        return False
    user = bot.get_user(due.user_id) or await bot.fetch_user(due.user_id)
    guild = bot.get_guild(due.guild_id)
    member = guild.get_member(due.user_id) if guild else None
    lang = pick_lang(getattr(member, "locale", None), bot.network_langs.get(due.guild_id))
    _, days = await privacy.network_periods(bot.db, due.guild_id)
    zone = context.zone((await network.get(bot.db, due.guild_id)).timezone)
    await user.send(
        t(lang, "freshness.dm", network=due.network_name),
        embed=card_embed(lang, profile, job.now, days, own=True, zone=zone.key),
        view=reminder_view(lang, due.guild_id),
    )
    return True
