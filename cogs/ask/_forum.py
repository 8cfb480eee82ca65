"""The questions forum: the hand-off of a question to people, the bot's reply to members'
posts, and marking a question answered."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.bot import Krokarm
from bot.errors import UserError
from bot.i18n import Lang, t
from bot.services import network
from bot.services.ask import people, questions
from bot.services.ask.answer import Answer, answer
from bot.services.ask.parse import parse_question
from bot.services.search.analyzer import stem, words
from bot.services.textnorm import fold
from cogs._common import shorten
from cogs.ask._render import body, esc

log = logging.getLogger(__name__)

MAX_SUGGESTED = 5
MAX_APPLIED_TAGS = 5  # Discord's limit per post


def questions_forum(bot: Krokarm, settings: network.NetworkSettings) -> discord.ForumChannel:
    channel_id = settings.channels.get("questions")
    channel = bot.get_channel(channel_id) if channel_id else None
    if not isinstance(channel, discord.ForumChannel):
        raise UserError("ask.error.no_forum")
    return channel


def _keys(text: str) -> set[str]:
    return {stem(fold(w)) for w in words(text)}


def fitting_tags(
    forum: discord.ForumChannel, settings: network.NetworkSettings, text: str
) -> list[discord.ForumTag]:
    """The forum's topic tags whose words the question holds (never "answered")."""
    answered = settings.forum_tags.get(("questions", "answered"))
    said = _keys(text)
    out = []
    for tag in forum.available_tags:
        if tag.id == answered or tag.moderated:
            continue
        if _keys(tag.name) and _keys(tag.name) <= said:
            out.append(tag)
    return out[:MAX_APPLIED_TAGS]


async def suggested_people(
    bot: Krokarm, guild_id: int, text: str, *, asker_id: int | None
) -> tuple[list[tuple[int, str]], set[int]]:
    """Up to five visible people whose expertise or function fits the question (never the
    asker): (user id, display name), and which of them said they may be pinged."""
    # Anyone whose expertise or function holds any of the question's terms (no expertise
    # filter here: the question found nothing good, so partial fits are worth naming).
    query = parse_question(text)
    if not query.terms:
        return [], set()
    hits = await people.ask_search(bot.db, guild_id, query)
    items = await people.ask_render(bot.db, guild_id, hits)
    chosen = [(i.id, i.user_id, i.title) for i in items if i.user_id and i.user_id != asker_id]
    chosen = chosen[:MAX_SUGGESTED]
    opted = await people.opted_in(bot.db, guild_id, [pid for pid, _, _ in chosen])
    return [(uid, name) for _, uid, name in chosen if uid], opted


def people_line(lang: Lang, named: list[tuple[int, str]]) -> str:
    if not named:
        return t(lang, "ask.handoff.nobody")
    return t(lang, "ask.handoff.people", people=", ".join(f"<@{uid}>" for uid, _ in named))


async def hand_off(
    bot: Krokarm, guild_id: int, asker: discord.abc.User, question: str, *, now: Any
) -> discord.Thread:
    """The question as a post in the questions forum, with fitting tags, naming the people who
    may know (pinging only those who opted in; never the asker), and recorded as a question."""
    settings = await network.get(bot.db, guild_id)
    forum = questions_forum(bot, settings)
    lang = settings.lang
    title = questions.clean_title(shorten(" ".join(question.split()), questions.TITLE_MAX))
    named, opted = await suggested_people(bot, guild_id, question, asker_id=asker.id)
    content = "\n\n".join(
        [
            t(lang, "ask.handoff.post", asker=asker.mention, question=esc(question)),
            people_line(lang, named),
            t(lang, "ask.handoff.how"),
        ]
    )
    from cogs.ask._views import answered_view

    pinged = [discord.Object(uid) for uid, _ in named if uid in opted and uid != asker.id]
    created = await forum.create_thread(
        name=title,
        content=shorten(content, 2000),
        applied_tags=fitting_tags(forum, settings, question),
        allowed_mentions=discord.AllowedMentions(users=pinged, everyone=False, roles=False),
        view=answered_view(lang),
    )
    thread = created.thread
    await questions.record(bot.db, guild_id, thread.id, asker.id, title, question, now=now)
    return thread


async def reply_to_post(bot: Krokarm, thread: discord.Thread) -> None:
    """A member's new post in the questions forum: recorded, and answered with related
    practices, people and resources from its title, tags (and first message when the bot may
    read message content)."""
    guild_id = thread.guild.id
    settings = await network.get(bot.db, guild_id)
    lang = settings.lang
    tags = " ".join(tag.name for tag in thread.applied_tags)
    first = ""
    if bot.settings.message_content:
        try:
            starter = thread.starter_message or await thread.fetch_message(thread.id)
            first = starter.content or ""
        except discord.HTTPException:
            first = ""
    text = " ".join(x for x in (thread.name, tags, first[:1000]) if x)
    await questions.record(
        bot.db,
        guild_id,
        thread.id,
        thread.owner_id,
        thread.name,
        first or None,
        now=bot.clock.now(),
    )
    keys = await people.expertise_keys(bot.db, guild_id)
    found: Answer = await answer(
        bot.db, guild_id, bot.features.ask_sources, text, expertise_keys=keys
    )
    from cogs.ask._views import answered_view

    if found.found:
        content = t(lang, "ask.post.related") + "\n\n" + body(lang, found)
    else:
        content = t(lang, "ask.post.nothing")
    content += "\n\n" + t(lang, "ask.post.how")
    await thread.send(
        shorten(content, 2000),
        allowed_mentions=discord.AllowedMentions.none(),
        view=answered_view(lang),
    )


async def apply_answered(
    bot: Krokarm,
    guild_id: int,
    thread: discord.Thread,
    lang: Lang,
    who: discord.abc.User,
    text: str,
) -> None:
    """The forum's "answered" tag on the post, and the answer in it."""
    settings = await network.get(bot.db, guild_id)
    tag_id = settings.forum_tags.get(("questions", "answered"))
    parent = thread.parent
    if tag_id and isinstance(parent, discord.ForumChannel):
        tag = parent.get_tag(tag_id)
        current = [x for x in thread.applied_tags if x.id != tag_id]
        if tag is not None:
            try:
                await thread.edit(applied_tags=[*current[: MAX_APPLIED_TAGS - 1], tag])
            except discord.HTTPException:
                log.warning("guild %s: the answered tag could not be applied", guild_id)
    await thread.send(
        shorten(t(settings.lang, "ask.answered.post", who=who.mention, answer=esc(text)), 2000),
        allowed_mentions=discord.AllowedMentions.none(),
    )
