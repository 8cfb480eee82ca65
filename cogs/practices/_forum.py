"""The forum mirror: each practice is a post in the network's good-practice forum.

The post's title, tags (up to five themes) and starter message follow the practice. A post
deleted by hand is created again at the next change (or `/practice show`); one archived or
locked by hand is opened again. The practice never depends on its post. A permission the bot
has lost is told to the network's admins by DM, once per network and problem while it lasts.
"""

from __future__ import annotations

import logging
import weakref
from typing import Any

import discord

from bot.i18n import t
from bot.services import network
from bot.services.practices import model
from bot.services.practices.model import Practice
from cogs._common import network_admins, shorten
from cogs.practices import _render

log = logging.getLogger(__name__)

_TOLD: weakref.WeakKeyDictionary[Any, set[tuple[int, str]]] = weakref.WeakKeyDictionary()


def buttons(lang: str, practice_id: int) -> discord.ui.View:
    """ "We're interested" and "we have adopted this": dynamic items, alive after restarts."""
    from cogs.practices._views import AdoptButton, InterestButton

    view = discord.ui.View(timeout=None)
    view.add_item(InterestButton(practice_id, lang))
    view.add_item(AdoptButton(practice_id, lang))
    return view


async def forum_of(bot: Any, guild: discord.Guild) -> tuple[discord.ForumChannel | None, Any]:
    settings = await network.get(bot.db, guild.id)
    forum_id = settings.channels.get("practices")
    forum = guild.get_channel(forum_id) if forum_id else None
    return (forum if isinstance(forum, discord.ForumChannel) else None), settings


async def tell_admins(bot: Any, guild: discord.Guild, settings: Any, problem: str) -> None:
    """A lost permission (or a forum gone): the network's admins hear it, not a log alone."""
    told = _TOLD.setdefault(bot, set())
    if (guild.id, problem) in told:
        return
    told.add((guild.id, problem))
    log.warning("guild %s: the practice forum mirror failed (%s)", guild.id, problem)
    text = t(settings.lang, f"practice.forum.problem.{problem}", network=settings.name)
    for admin in network_admins(guild, settings.admin_role_id):
        try:
            await admin.send(shorten(text, 2000), allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException:
            continue


async def _thread(bot: Any, guild: discord.Guild, thread_id: int) -> discord.Thread | None:
    thread = guild.get_thread(thread_id)
    if thread is not None:
        return thread
    try:
        found = await bot.fetch_channel(thread_id)
    except (discord.NotFound, discord.Forbidden):
        return None
    return found if isinstance(found, discord.Thread) else None


async def sync(bot: Any, guild: discord.Guild | None, practice: Practice) -> discord.Thread | None:
    """Bring the practice's post in step (create it when there is none); None when the
    network has no forum or the bot may not post there (the admins are told)."""
    if guild is None or practice.archived_at is not None:
        return None
    forum, settings = await forum_of(bot, guild)
    if forum is None:
        if settings.channels.get("practices"):
            await tell_admins(bot, guild, settings, "forum_missing")
        return None
    lang = settings.lang
    contact = await model.contact_of(bot.db, practice)
    content = _render.starter(lang, practice, contact)
    tags = [
        tag
        for key in practice.themes
        if (tag_id := settings.forum_tags.get(("practices", key))) is not None
        and (tag := forum.get_tag(tag_id)) is not None
    ][:5]
    view = buttons(lang, practice.id)
    none = discord.AllowedMentions.none()
    try:
        thread = await _thread(bot, guild, practice.thread_id) if practice.thread_id else None
        if thread is not None and thread.parent_id == forum.id:
            if thread.archived or thread.locked:
                await thread.edit(archived=False, locked=False)
            await thread.edit(name=_render.post_title(practice), applied_tags=tags)
            try:
                starter = thread.starter_message or await thread.fetch_message(thread.id)
            except discord.NotFound:
                starter = None
            if starter is not None and starter.author.id == bot.user.id:
                await starter.edit(content=content, view=view, allowed_mentions=none)
                return thread
            if starter is not None:
                # A post a member made by hand and registered: the bot's own first message in
                # it (the one that offered to register it) carries the practice.
                card = await _first_own_message(bot, thread)
                if card is not None:
                    await card.edit(content=content, view=view, allowed_mentions=none)
                else:
                    await thread.send(content, view=view, allowed_mentions=none)
                return thread
        created = await forum.create_thread(
            name=_render.post_title(practice),
            content=content,
            applied_tags=tags,
            view=view,
            allowed_mentions=none,
        )
        await model.set_thread(bot.db, practice.id, created.thread.id)
        return created.thread
    except discord.Forbidden:
        await tell_admins(bot, guild, settings, "forbidden")
        return None


async def _first_own_message(bot: Any, thread: discord.Thread) -> discord.Message | None:
    async for message in thread.history(limit=20, oldest_first=True):
        if message.author.id == bot.user.id:
            return message
    return None


async def say(bot: Any, guild: discord.Guild | None, practice: Practice, text: str) -> None:
    """A message in the practice's thread (a status change, an interest), if it has one."""
    if guild is None or practice.thread_id is None:
        return
    thread = await _thread(bot, guild, practice.thread_id)
    if thread is None:
        return
    try:
        await thread.send(shorten(text, 2000), allowed_mentions=discord.AllowedMentions.none())
    except discord.Forbidden:
        _, settings = await forum_of(bot, guild)
        await tell_admins(bot, guild, settings, "forbidden")


async def close(bot: Any, guild: discord.Guild | None, practice: Practice) -> None:
    """The post of a removed practice: archived and locked (kept: the discussion stays)."""
    if guild is None or practice.thread_id is None:
        return
    thread = await _thread(bot, guild, practice.thread_id)
    if thread is None:
        return
    try:
        await thread.edit(archived=True, locked=True)
    except discord.Forbidden:
        _, settings = await forum_of(bot, guild)
        await tell_admins(bot, guild, settings, "forbidden")
