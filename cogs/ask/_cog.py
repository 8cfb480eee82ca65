"""`/ask question`, `/ask answered`, and the questions forum's listener."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.bot import Krokarm
from bot.context import Context
from bot.errors import InvalidInput, UserError
from bot.i18n import t
from bot.services import network
from bot.services.ask import people, questions
from bot.services.ask.answer import answer
from bot.services.ask.parse import MAX_QUESTION
from bot.services.text import clean_line
from bot.ui import Reply, answer_soon
from cogs.ask._forum import hand_off, reply_to_post
from cogs.ask._render import answer_embed
from cogs.ask._views import AnsweredButton, AskNetworkButton, mark_answered

log = logging.getLogger(__name__)


def clean_question(text: str | None) -> str:
    """The question as typed, checked: not empty, at most MAX_QUESTION characters, no
    mentions or personal identity numbers."""
    return clean_line("ask.question", text, max_length=MAX_QUESTION)


class Ask(commands.Cog):
    """Ask the network: one question, answered from everything it knows, or handed to people."""

    dynamic_items = (AskNetworkButton, AnsweredButton)

    ask = app_commands.Group(name="ask", description="Ask the network a question", guild_only=True)

    def __init__(self, bot: Krokarm) -> None:
        self.bot = bot

    @ask.command(name="question", description="Ask a question; the answer cites what it found")
    @app_commands.describe(text="Your question, in your own words")
    async def question(self, interaction: discord.Interaction[Krokarm], text: str) -> None:
        ctx = Context.of(interaction)
        question = clean_question(text)
        await answer_soon(interaction, self._answer(ctx, question))

    async def _answer(self, ctx: Context, question: str) -> Reply:
        keys = await people.expertise_keys(ctx.db, ctx.network_id)
        found = await answer(
            ctx.db, ctx.network_id, self.bot.features.ask_sources, question, expertise_keys=keys
        )
        if not found.query.terms:
            raise InvalidInput("ask.question", "ask.error.no_words")
        embed = answer_embed(ctx.lang, question, found)
        if found.found:
            view = discord.ui.View(timeout=None)
            view.add_item(AskNetworkButton(ctx.lang, ctx.user_id, ctx.network_id))
            return Reply(embed=embed, view=view)
        # Nothing good: the question goes to the people of the network.
        try:
            thread = await hand_off(self.bot, ctx.network_id, ctx.user, question, now=ctx.now)
        except UserError as error:
            note = t(ctx.lang, error.key, **error.params)
        else:
            note = t(ctx.lang, "ask.handoff.done", post=thread.mention)
        return Reply(content=note, embed=embed)

    @ask.command(name="answered", description="Mark this question answered, with the answer")
    @app_commands.describe(answer="The answer, in a few words (the next /ask finds it)")
    async def answered(self, interaction: discord.Interaction[Krokarm], answer: str) -> None:
        ctx = Context.of(interaction)
        thread = interaction.channel
        if not isinstance(thread, discord.Thread):
            raise UserError("ask.error.not_a_question")
        questions.clean_answer(answer)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await mark_answered(ctx, interaction, thread, answer)
        await interaction.followup.send(t(ctx.lang, "ask.answered.done"), ephemeral=True)

    # --- the questions forum ------------------------------------------------------------

    @commands.Cog.listener()
    async def on_thread_create(self, thread: discord.Thread) -> None:
        """A member's new post in the questions forum gets a reply with related entries."""
        me = self.bot.user
        if me is None or thread.owner_id == me.id or thread.parent_id is None:
            return
        try:
            settings = await network.get(self.bot.db, thread.guild.id)
        except UserError:
            return
        if settings.channels.get("questions") != thread.parent_id:
            return
        owner = thread.guild.get_member(thread.owner_id) if thread.owner_id else None
        if owner is not None and owner.bot:
            return
        await reply_to_post(self.bot, thread)

    @commands.Cog.listener()
    async def on_raw_thread_delete(self, payload: discord.RawThreadDeleteEvent) -> None:
        await questions.forget_thread(self.bot.db, payload.guild_id, payload.thread_id)
