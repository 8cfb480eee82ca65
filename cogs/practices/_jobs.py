"""The inventory's job: a practice unchanged for 12 months — is it still running?"""

from __future__ import annotations

import logging
from datetime import timedelta

import discord

from bot.i18n import t
from bot.jobs import Job
from bot.services import network
from bot.services.practices import model
from cogs._common import network_admins, shorten
from cogs.practices import _render
from cogs.practices._views import FreshnessButton

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(days=365)


def _view(lang: str, guild_id: int, practice_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for act in ("still", "ended", "edit"):
        view.add_item(FreshnessButton(guild_id, practice_id, act, lang))
    return view


async def ask_unchanged(job: Job) -> int:
    """Ask the contact of every practice unchanged for 12 months (and not asked since it last
    changed) by DM; with no contact to reach, the network's admins. Each practice is marked as
    asked before the DM goes out, so a restart never asks twice. Returns how many were asked."""
    bot, now = job.bot, job.now
    rows = await bot.db.fetchall(
        "SELECT id, guild_id FROM practices WHERE archived_at IS NULL AND changed_at <= ?"
        " AND (reminded_at IS NULL OR reminded_at < changed_at) ORDER BY id LIMIT 500",
        (model.iso(now - STALE_AFTER),),
    )
    asked = 0
    for r in rows:
        pid, guild_id = int(r["id"]), int(r["guild_id"])
        await bot.db.execute(
            "UPDATE practices SET reminded_at = ? WHERE id = ?", (model.iso(now), pid)
        )
        guild = bot.get_guild(guild_id)
        if guild is None:
            continue
        try:
            if await _ask(job, guild, pid):
                asked += 1
        except discord.HTTPException as exc:
            log.info("could not ask about practice %s in network %s: %s", pid, guild_id, exc)
    return asked


async def _ask(job: Job, guild: discord.Guild, practice_id: int) -> bool:
    bot = job.bot
    p = (await model.load(bot.db, [practice_id]))[0]
    settings = await network.get(bot.db, guild.id)
    lang = settings.lang
    contact = await model.contact_of(bot.db, p)
    member = guild.get_member(contact.user_id) if contact.user_id else None
    text = t(lang, "practice.fresh.ask", title=_render.esc(p.title), network=settings.name)
    if member is not None and not member.bot:
        await member.send(
            shorten(text, 2000),
            view=_view(lang, guild.id, p.id),
            allowed_mentions=discord.AllowedMentions.none(),
        )
        return True
    reached = False
    admin_text = t(
        lang, "practice.fresh.ask_admins", title=_render.esc(p.title), network=settings.name
    )
    for admin in network_admins(guild, settings.admin_role_id):
        try:
            await admin.send(
                shorten(admin_text, 2000),
                view=_view(lang, guild.id, p.id),
                allowed_mentions=discord.AllowedMentions.none(),
            )
            reached = True
        except discord.HTTPException:
            continue
    return reached
