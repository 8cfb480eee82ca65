"""The buttons and forms of `/ask`: "ask the network" under an answer, "mark answered" in a
question's post, and the form for the answer. Dynamic items: they work after a restart."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot import ui
from bot.checks import is_network_admin
from bot.context import Context
from bot.errors import UserError
from bot.i18n import Lang, t
from bot.services.ask import questions
from cogs.ask._forum import apply_answered, hand_off


class AskNetworkButton(
    ui.Owned,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"krokarm:askn:(?P<user>\d+):(?P<guild>\d+)",
):
    """Under an answer: post the question in the questions forum. The question is read back
    from the answer's author line, so the button needs no state of its own."""

    def __init__(self, lang: Lang, owner_id: int, guild_id: int) -> None:
        self.owner_id = owner_id
        self.guild_id = guild_id
        super().__init__(
            discord.ui.Button(
                label=t(lang, "ask.button.network"),
                emoji="📣",
                style=discord.ButtonStyle.primary,
                custom_id=f"krokarm:askn:{owner_id}:{guild_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AskNetworkButton:
        lang = Context.of(interaction).lang
        return cls(lang, int(match["user"]), int(match["guild"]))

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        message = interaction.message
        embeds = message.embeds if message is not None else []
        question = embeds[0].author.name if embeds and embeds[0].author else None
        if not question:
            raise UserError("ask.error.question_gone")
        await interaction.response.defer(ephemeral=True, thinking=True)
        thread = await hand_off(ctx.bot, ctx.network_id, ctx.user, question, now=ctx.now)
        await interaction.followup.send(
            t(ctx.lang, "ask.handoff.done", post=thread.mention), ephemeral=True
        )


class AnsweredButton(
    ui.Funnelled,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"krokarm:askd",
):
    """In a question's post: its asker or an admin marks it answered (the post is the channel
    the button is pressed in)."""

    def __init__(self, lang: Lang = "sv") -> None:
        super().__init__(
            discord.ui.Button(
                label=t(lang, "ask.button.answered"),
                emoji="✅",
                style=discord.ButtonStyle.success,
                custom_id="krokarm:askd",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AnsweredButton:
        return cls(Context.of(interaction).lang)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        thread = interaction.channel
        if not isinstance(thread, discord.Thread):
            raise UserError("ask.error.not_a_question")
        await may_mark(ctx, interaction, thread.id)
        await interaction.response.send_modal(AnswerModal(ctx, thread.id))


def answered_view(lang: Lang) -> discord.ui.View:
    view = ui.View(timeout=None)
    view.add_item(AnsweredButton(lang))
    return view


async def may_mark(ctx: Context, interaction: discord.Interaction[Any], thread_id: int) -> None:
    """Refuse unless the post is a question of this network and the user is its asker or an
    admin (checked in code)."""
    question = await questions.by_thread(ctx.db, ctx.network_id, thread_id)
    if question is None:
        raise UserError("ask.error.not_a_question")
    if question.answered_at is not None:
        raise UserError("ask.error.already_answered")
    if question.asker_user_id != ctx.user_id and not await is_network_admin(ctx.db, interaction):
        raise UserError("ask.error.not_your_question")


async def mark_answered(
    ctx: Context, interaction: discord.Interaction[Any], thread: discord.Thread, text: str
) -> None:
    await may_mark(ctx, interaction, thread.id)
    admin = await is_network_admin(ctx.db, interaction)
    await questions.answer_question(
        ctx.db, ctx.network_id, thread.id, text, by_user_id=ctx.user_id, is_admin=admin, now=ctx.now
    )
    await apply_answered(ctx.bot, ctx.network_id, thread, ctx.lang, ctx.user, text)


class AnswerModal(ui.OwnedModal):
    kind = "askans"
    rerun = "ask answered"

    def __init__(self, ctx: Context, thread_id: int) -> None:
        super().__init__(ctx, title=t(ctx.lang, "ask.modal.title"))
        self.thread_id = thread_id
        self.answer: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=t(ctx.lang, "ask.modal.answer"),
            style=discord.TextStyle.paragraph,
            max_length=questions.ANSWER_MAX,
            placeholder=t(ctx.lang, "ask.modal.placeholder"),
        )
        self.add_item(self.answer)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        thread = ctx.bot.get_channel(self.thread_id)
        if not isinstance(thread, discord.Thread):
            raise UserError("ask.error.not_a_question")
        questions.clean_answer(self.answer.value)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await mark_answered(ctx, interaction, thread, self.answer.value)
        await interaction.followup.send(t(ctx.lang, "ask.answered.done"), ephemeral=True)
