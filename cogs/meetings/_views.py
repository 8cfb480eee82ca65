"""Buttons of the meetings cog, all restart-safe dynamic items (their state in the custom_id)."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot import ui
from bot.bot import Krokarm
from bot.checks import require_network_admin
from bot.context import Context
from bot.embeds import fit
from bot.errors import UserError
from bot.i18n import Lang, t
from bot.services import network
from bot.services.meetings import rsvp
from bot.services.meetings import series as series_service
from bot.services.meetings.series import OccurrenceKey
from cogs._common import EMBED_COLOUR, PageButton, page_embeds, shorten
from cogs.meetings import _render

_TOKEN = r"(?P<token>\d{1,18}-\d{12})"
ANSWER_CODES = {"c": "coming", "m": "maybe", "n": "not_coming"}
ANSWER_STYLES = {
    "coming": discord.ButtonStyle.success,
    "maybe": discord.ButtonStyle.secondary,
    "not_coming": discord.ButtonStyle.danger,
}


def _key(match: re.Match[str]) -> OccurrenceKey:
    key = OccurrenceKey.parse(match["token"])
    if key is None:
        raise UserError("meetings.errors.no_occurrence")
    return key


class RsvpButton(
    ui.Funnelled,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"krokarm:mtg:rsvp:(?P<code>[cmn]):{_TOKEN}",
):
    """Coming / maybe / not coming under an announcement or a reminder: anyone in the network."""

    def __init__(self, code: str, key: OccurrenceKey, lang: Lang = "sv") -> None:
        self.code = code
        self.key = key
        answer = ANSWER_CODES[code]
        super().__init__(
            discord.ui.Button(
                label=t(lang, f"meetings.rsvp.button.{answer}"),
                style=ANSWER_STYLES[answer],
                custom_id=f"krokarm:mtg:rsvp:{code}:{key.token}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> RsvpButton:
        return cls(match["code"], _key(match), Context.of(interaction).lang)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        occ = await series_service.get_occurrence(ctx.db, ctx.network_id, self.key)
        if occ.status == "cancelled" or occ.series.cancelled_at is not None:
            raise UserError("meetings.errors.occurrence_cancelled")
        if occ.end <= ctx.now:
            raise UserError("meetings.errors.occurrence_past")
        answer = ANSWER_CODES[self.code]
        await rsvp.answer(ctx.db, ctx.network_id, self.key, ctx.user_id, answer, ctx.now)
        counts = rsvp.tally(await rsvp.answers(ctx.db, self.key))
        message = interaction.message
        net_lang = (await ctx.settings()).lang
        if message is not None and message.content:
            head = message.content.rsplit("\n", 1)[0]
            content = shorten(f"{head}\n{_render.counts_text(net_lang, counts)}", 2000)
            await interaction.response.edit_message(content=content)
            await interaction.followup.send(
                t(ctx.lang, f"meetings.rsvp.saved.{answer}", title=occ.series.title),
                ephemeral=True,
            )
        else:
            await interaction.response.send_message(
                t(ctx.lang, f"meetings.rsvp.saved.{answer}", title=occ.series.title),
                ephemeral=True,
            )


class WhoComesButton(
    ui.Funnelled,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"krokarm:mtg:who:{_TOKEN}",
):
    """Who is coming, by organisation (shown only to the one who asks)."""

    def __init__(self, key: OccurrenceKey, lang: Lang = "sv") -> None:
        self.key = key
        super().__init__(
            discord.ui.Button(
                label=t(lang, "meetings.rsvp.button.who"),
                style=discord.ButtonStyle.secondary,
                custom_id=f"krokarm:mtg:who:{key.token}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> WhoComesButton:
        return cls(_key(match), Context.of(interaction).lang)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        embed = await who_comes_embed(ctx, self.key)
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def who_comes_embed(ctx: Context, key: OccurrenceKey) -> discord.Embed:
    occ = await series_service.get_occurrence(ctx.db, ctx.network_id, key)
    grouped = await rsvp.coming_by_organisation(ctx.db, ctx.network_id, key)
    lines = []
    guild = ctx.interaction.guild
    for org, users in grouped:
        names = []
        for user_id in users:
            member = guild.get_member(user_id) if guild else None
            names.append(
                discord.utils.escape_markdown(member.display_name)
                if member
                else t(ctx.lang, "meetings.former_member")
            )
        label = org if org is not None else t(ctx.lang, "meetings.rsvp.no_organisation")
        lines.append(
            f"**{discord.utils.escape_markdown(label)}** ({len(users)}): {', '.join(names)}"
        )
    embed = discord.Embed(
        title=shorten(t(ctx.lang, "meetings.rsvp.who_title", title=occ.series.title), 256),
        description="\n".join(lines) or t(ctx.lang, "meetings.rsvp.nobody"),
        colour=EMBED_COLOUR,
    )
    return fit(embed)


def rsvp_view(lang: Lang, key: OccurrenceKey) -> ui.View:
    view = ui.View(timeout=None)
    for code in ANSWER_CODES:
        view.add_item(RsvpButton(code, key, lang))
    view.add_item(WhoComesButton(key, lang))
    return view


# --- /meeting schedule: Confirm and Cancel under the parsed result ----------------------------


class _DraftButton(ui.Owned, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"$^"):
    key = ""

    def __init__(self, owner_id: int, draft_id: int, lang: Lang = "sv") -> None:
        self.owner_id = owner_id
        self.draft_id = draft_id
        super().__init__(
            discord.ui.Button(
                label=t(lang, f"meetings.schedule.button.{self.key}"),
                style=discord.ButtonStyle.success
                if self.key == "confirm"
                else discord.ButtonStyle.secondary,
                custom_id=f"krokarm:mtg:{self.key}:{owner_id}:{draft_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> _DraftButton:
        return cls(int(match["user"]), int(match["draft"]), Context.of(interaction).lang)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        await require_network_admin(interaction.client.db, interaction)
        await self.act(Context.of(interaction))

    async def act(self, ctx: Context) -> None:
        raise NotImplementedError


class ScheduleConfirm(
    _DraftButton, template=r"krokarm:mtg:confirm:(?P<user>\d{1,20}):(?P<draft>\d{1,18})"
):
    key = "confirm"

    async def act(self, ctx: Context) -> None:
        from cogs.meetings._series import confirm_draft

        await confirm_draft(ctx, self.draft_id)


class ScheduleCancel(
    _DraftButton, template=r"krokarm:mtg:cancel:(?P<user>\d{1,20}):(?P<draft>\d{1,18})"
):
    key = "cancel"

    async def act(self, ctx: Context) -> None:
        await rsvp.drop_draft(ctx.db, ctx.network_id, ctx.user_id, self.draft_id)
        await ctx.interaction.response.edit_message(
            content=t(ctx.lang, "meetings.schedule.cancelled"), embed=None, view=None
        )


def draft_view(lang: Lang, owner_id: int, draft_id: int) -> ui.View:
    view = ui.View(timeout=None)
    view.add_item(ScheduleConfirm(owner_id, draft_id, lang))
    view.add_item(ScheduleCancel(owner_id, draft_id, lang))
    return view


# --- /meeting list ----------------------------------------------------------------------------

PAGE_CHARACTERS = 1800


class MeetingListPager(PageButton, template=PageButton.pattern("mtg")):
    """Pages of `/meeting list`."""

    kind = "mtg"
    rerun = "meeting list"

    async def render(self, ctx: Context, state: str, page: int) -> tuple[discord.Embed, int, int]:
        return await list_page(ctx, page)


async def list_page(ctx: Context, page: int) -> tuple[discord.Embed, int, int]:
    coming = await series_service.list_coming(ctx.db, ctx.network_id, ctx.now, limit=100)
    tallies = await rsvp.tallies(ctx.db, [o.key for o in coming])
    lines = [_render.occurrence_line(ctx.lang, o, tallies[o.key]) for o in coming]
    pages = page_embeds(
        t(ctx.lang, "meetings.list.title"),
        lines,
        t(ctx.lang, "meetings.list.empty"),
        PAGE_CHARACTERS,
    )
    page = max(0, min(page, len(pages) - 1))
    embed = pages[page]
    if len(pages) > 1:
        embed.set_footer(text=t(ctx.lang, "pager.page", page=page + 1, pages=len(pages)))
    return fit(embed), page, len(pages)


async def network_lang(bot: Krokarm, guild_id: int) -> Lang:
    return (await network.get(bot.db, guild_id)).lang


ITEMS = (RsvpButton, WhoComesButton, ScheduleConfirm, ScheduleCancel, MeetingListPager)
