"""`/meeting agenda add|show`, `/meeting start|note|decision|action|end` and `/meeting minutes`.

MeetBot's way: the chair (a network admin or the series' organiser) starts the meeting, members
write notes, the chair records decisions and actions, and `/meeting end` posts the minutes in
the meetings channel (an embed and a Markdown file) and stores them.
"""

from __future__ import annotations

import io
import logging
from typing import Any, ClassVar

import discord
from discord import app_commands

from bot.bot import Krokarm
from bot.context import Context
from bot.embeds import fit
from bot.errors import InvalidInput, UserError
from bot.i18n import Lang, t, tn
from bot.services import network
from bot.services.meetings import actions, agenda, minutes
from bot.services.meetings import series as meetings
from bot.services.meetings.series import OccurrenceKey
from bot.services.text import parse_id
from cogs._common import EMBED_COLOUR, MAX_CHOICES, PageButton, shorten
from cogs.actions._render import (
    action_line,
    agenda_embed,
    item_line,
    mention,
    minutes_embed,
    minutes_markdown,
    occurrence_label,
    plain_names,
    when,
)
from cogs.actions._rights import require_chair, require_member
from cogs.meetings._group import MeetingMixin, meeting

log = logging.getLogger(__name__)

agenda_group = app_commands.Group(name="agenda", description="The meeting's agenda", parent=meeting)

KIND_CHOICES = [
    app_commands.Choice(name="Strategic question", value="strategic"),
    app_commands.Choice(name="Quick item", value="quick"),
]
PAST_PAGE = 5


# --- autocomplete --------------------------------------------------------------------------


async def coming_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Coming meetings (title and local time); the value is the occurrence's token."""
    if interaction.guild_id is None:
        return []
    ctx = Context.of(interaction)
    found = await agenda.coming_occurrences(ctx.db, interaction.guild_id, ctx.now)
    words = current.casefold().split()
    choices = []
    for occurrence in found:
        label = occurrence_label(ctx.lang, occurrence)
        stamp = f"{label} {occurrence.local_start:%Y-%m-%d %d/%m}".casefold()
        if all(w in stamp for w in words):
            choices.append(
                app_commands.Choice(name=shorten(label, 100), value=occurrence.key.token)
            )
        if len(choices) == MAX_CHOICES:
            break
    return choices


async def past_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Meetings with minutes, newest first; the value is the occurrence's token."""
    if interaction.guild_id is None:
        return []
    ctx = Context.of(interaction)
    found, _ = await minutes.list_past(ctx.db, interaction.guild_id, limit=100)
    words = current.casefold().split()
    choices = []
    for m in found:
        record = await minutes.record(ctx.db, interaction.guild_id, m.id)
        label = f"{record.title} — {when(ctx.lang, record.start, record.zone)}"
        if all(w in f"{label} {m.key.original:%Y-%m-%d}".casefold() for w in words):
            choices.append(app_commands.Choice(name=shorten(label, 100), value=m.key.token))
        if len(choices) == MAX_CHOICES:
            break
    return choices


async def item_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """The agenda items of the meeting in progress not yet handled."""
    if interaction.guild_id is None:
        return []
    db = interaction.client.db
    running = await minutes.in_progress(db, interaction.guild_id)
    if running is None:
        return []
    items = await agenda.items_of(db, interaction.guild_id, running.key, handled=False)
    words = current.casefold().split()
    return [
        app_commands.Choice(name=shorten(i.text, 100), value=str(i.id))
        for i in items
        if all(w in i.text.casefold() for w in words)
    ][:MAX_CHOICES]


# --- the pager of past minutes -------------------------------------------------------------


async def past_page(ctx: Context, page: int) -> tuple[discord.Embed, int, int]:
    _, total = await minutes.list_past(ctx.db, ctx.network_id, limit=1)
    pages = max(1, -(-total // PAST_PAGE))
    page = min(max(page, 0), pages - 1)
    found, _ = await minutes.list_past(
        ctx.db, ctx.network_id, offset=page * PAST_PAGE, limit=PAST_PAGE
    )
    lines = []
    for m in found:
        record = await minutes.record(ctx.db, ctx.network_id, m.id)
        link = (
            f" — https://discord.com/channels/{ctx.network_id}/{m.channel_id}/{m.message_id}"
            if m.channel_id and m.message_id
            else ""
        )
        lines.append(
            f"**{discord.utils.escape_markdown(record.title)}** — "
            f"{when(ctx.lang, record.start, record.zone)}: "
            + t(
                ctx.lang,
                "meetings_minutes.minutes.summary",
                decisions=len(record.decisions),
                actions=len(record.actions),
            )
            + link
        )
    embed = discord.Embed(
        title=tn(ctx.lang, "meetings_minutes.minutes.past", total),
        description="\n".join(lines) or t(ctx.lang, "meetings_minutes.minutes.none"),
        colour=EMBED_COLOUR,
    )
    if pages > 1:
        embed.set_footer(text=t(ctx.lang, "meetings_minutes.page", page=page + 1, pages=pages))
    return fit(embed), page, pages


class PastMinutesPager(PageButton, template=PageButton.pattern("mins")):
    kind: ClassVar[str] = "mins"
    rerun: ClassVar[str] = "meeting minutes"

    async def render(self, ctx: Context, state: str, page: int) -> tuple[discord.Embed, int, int]:
        return await past_page(ctx, page)


# --- helpers -------------------------------------------------------------------------------


def _in_voice(interaction: discord.Interaction[Any], series: meetings.Series) -> list[int]:
    """Who is in the series' voice channel now, when Discord tells the bot (voice states)."""
    guild = interaction.guild
    if guild is None or series.place.voice_channel_id is None:
        return []
    channel = guild.get_channel(series.place.voice_channel_id)
    if not isinstance(channel, discord.VoiceChannel | discord.StageChannel):
        return []
    return [m.id for m in channel.members if not m.bot]


async def _post_minutes(
    ctx: Context, record: minutes.Record
) -> tuple[discord.Message | None, Lang]:
    """Post the minutes in the meetings channel, in the network's language."""
    settings = await network.get(ctx.db, ctx.network_id)
    lang = settings.lang
    guild = ctx.interaction.guild
    channel_id = settings.channels.get("meetings")
    channel = guild.get_channel(channel_id) if guild and channel_id else None
    if not isinstance(channel, discord.TextChannel):
        return None, lang
    text = minutes_markdown(lang, record, plain_names(guild, lang))
    name = f"minutes-{record.minutes.key.original:%Y-%m-%d}.md"
    try:
        message = await channel.send(
            embed=minutes_embed(lang, record, mention(lang)),
            file=discord.File(io.BytesIO(text.encode("utf-8")), filename=name),
            allowed_mentions=discord.AllowedMentions.none(),
        )
    except discord.HTTPException as exc:
        log.warning("could not post minutes %s in guild %s: %s", record.minutes.id,
                    ctx.network_id, exc.status)  # fmt: skip
        return None, lang
    await minutes.set_posted(ctx.db, record.minutes.id, channel.id, message.id)
    return message, lang


class MinutesCommands(MeetingMixin):
    """The agenda and the minutes of the network's meetings."""

    mixin_items: ClassVar[tuple[Any, ...]] = (PastMinutesPager,)

    # --- agenda ----------------------------------------------------------------------------

    @agenda_group.command(name="add", description="Put an item on a meeting's agenda")
    @app_commands.describe(
        text="The question or item (at most 500 characters)",
        kind="A strategic question or a quick item",
        meeting="Which meeting (the next one if left out); pick one or type a date",
    )
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.autocomplete(meeting=coming_autocomplete)
    async def agenda_add(
        self,
        interaction: discord.Interaction[Krokarm],
        text: str,
        kind: str = "strategic",
        meeting: str | None = None,
    ) -> None:
        ctx = Context.of(interaction)
        require_member(interaction)
        occurrence = await agenda.resolve_coming(ctx.db, ctx.network_id, meeting, now=ctx.now)
        item = await agenda.add_item(
            ctx.db, ctx.network_id, occurrence, text, kind=kind, user_id=ctx.user_id, now=ctx.now
        )
        await interaction.response.send_message(
            t(
                ctx.lang,
                f"meetings_minutes.agenda.added.{item.kind}",
                meeting=occurrence_label(ctx.lang, occurrence),
            ),
            ephemeral=True,
        )

    @agenda_group.command(name="show", description="A meeting's agenda and the open actions")
    @app_commands.describe(meeting="Which meeting (the next one if left out)")
    @app_commands.autocomplete(meeting=coming_autocomplete)
    async def agenda_show(
        self, interaction: discord.Interaction[Krokarm], meeting: str | None = None
    ) -> None:
        ctx = Context.of(interaction)
        await agenda.carry_over(ctx.db, ctx.network_id, now=ctx.now)
        occurrence = await agenda.resolve_coming(ctx.db, ctx.network_id, meeting, now=ctx.now)
        shown = await agenda.agenda_for(ctx.db, ctx.network_id, occurrence.key)
        await interaction.response.send_message(
            embed=agenda_embed(ctx.lang, shown, mention(ctx.lang)), ephemeral=True
        )

    # --- minutes ---------------------------------------------------------------------------

    @meeting.command(name="start", description="Start the minutes of today's meeting (chair)")
    @app_commands.describe(meeting="Which meeting (today's if left out)")
    @app_commands.autocomplete(meeting=coming_autocomplete)
    async def start(
        self, interaction: discord.Interaction[Krokarm], meeting: str | None = None
    ) -> None:
        ctx = Context.of(interaction)
        key = None
        if meeting:
            key = (
                OccurrenceKey.parse(meeting)
                or (await agenda.resolve_coming(ctx.db, ctx.network_id, meeting, now=ctx.now)).key
            )
        choices = await minutes.startable(ctx.db, ctx.network_id, ctx.now)
        target = next((o for o in choices if key is None or o.key == key), None)
        if target is not None:
            await require_chair(ctx, target.key.series_id)
            present = _in_voice(interaction, target.series)
        else:
            present = []
        _started, occurrence = await minutes.start(
            ctx.db, ctx.network_id, key, chair_id=ctx.user_id, present=present, now=ctx.now
        )
        items = await agenda.items_of(ctx.db, ctx.network_id, occurrence.key)
        shown = await agenda.agenda_for(ctx.db, ctx.network_id, occurrence.key)
        await interaction.response.send_message(
            t(ctx.lang, "meetings_minutes.started", meeting=occurrence_label(ctx.lang, occurrence))
            + " "
            + tn(ctx.lang, "meetings_minutes.started.items", len(items)),
            embed=agenda_embed(ctx.lang, shown, mention(ctx.lang)),
        )

    @meeting.command(name="note", description="Add a note to the meeting in progress")
    @app_commands.describe(text="The note", item="The agenda item it is about (now handled)")
    @app_commands.autocomplete(item=item_autocomplete)
    async def note(
        self, interaction: discord.Interaction[Krokarm], text: str, item: str | None = None
    ) -> None:
        ctx = Context.of(interaction)
        require_member(interaction)
        await self._entry(ctx, "note", text, item)

    @meeting.command(name="decision", description="Record a decision (chair)")
    @app_commands.describe(text="The decision", item="The agenda item it is about (now handled)")
    @app_commands.autocomplete(item=item_autocomplete)
    async def decision(
        self, interaction: discord.Interaction[Krokarm], text: str, item: str | None = None
    ) -> None:
        ctx = Context.of(interaction)
        running = await minutes.require_in_progress(ctx.db, ctx.network_id)
        await require_chair(ctx, running.key.series_id)
        await self._entry(ctx, "decision", text, item)

    async def _entry(self, ctx: Context, kind: str, text: str, item: str | None) -> None:
        item_id = None
        if item:
            item_id = parse_id(item)
            if item_id is None:
                raise InvalidInput("meetings_minutes.item", "meetings_minutes.errors.item_unknown")
        _entry, handled = await minutes.add_entry(
            ctx.db, ctx.network_id, kind, text, user_id=ctx.user_id, item_id=item_id, now=ctx.now
        )
        said = t(ctx.lang, f"meetings_minutes.{kind}.added")
        if handled is not None:
            shown = discord.utils.escape_markdown(shorten(handled.text, 200))
            said += " " + t(ctx.lang, "meetings_minutes.item.handled", item=shown)
        await ctx.interaction.response.send_message(said, ephemeral=True)

    @meeting.command(name="action", description="Record an action with its owner (chair)")
    @app_commands.describe(
        owner="Who does it",
        text="What is to be done",
        due="When it is due: 2027-01-15, 15 jan, 15/1 or a weekday",
    )
    async def action(
        self,
        interaction: discord.Interaction[Krokarm],
        owner: discord.Member,
        text: str,
        due: str | None = None,
    ) -> None:
        ctx = Context.of(interaction)
        running = await minutes.require_in_progress(ctx.db, ctx.network_id)
        await require_chair(ctx, running.key.series_id)
        if owner.bot:
            raise UserError("meetings_minutes.errors.owner_bot")
        made = await minutes.add_action(
            ctx.db, ctx.network_id, owner_id=owner.id, text=text, due=due,
            user_id=ctx.user_id, now=ctx.now,
        )  # fmt: skip
        zone = await ctx.tz()
        remind = actions.due_reminder_at(made, zone, ctx.now)
        if remind is not None:
            await ctx.bot.jobs.schedule("action-due", made.id, remind, guild_id=ctx.network_id)
        await interaction.response.send_message(
            t(ctx.lang, "meetings_minutes.action.added")
            + "\n"
            + action_line(ctx.lang, made, mention(ctx.lang), zone),
            ephemeral=True,
        )

    @meeting.command(name="end", description="End the meeting and post its minutes (chair)")
    async def end(self, interaction: discord.Interaction[Krokarm]) -> None:
        ctx = Context.of(interaction)
        running = await minutes.require_in_progress(ctx.db, ctx.network_id)
        await require_chair(ctx, running.key.series_id)
        series = await meetings.get_series(ctx.db, ctx.network_id, running.key.series_id)
        await interaction.response.defer(thinking=True)
        record = await minutes.end(
            ctx.db, ctx.network_id, present=_in_voice(interaction, series), now=ctx.now
        )
        message, _ = await _post_minutes(ctx, record)
        if message is not None:
            await interaction.followup.send(
                t(ctx.lang, "meetings_minutes.ended.posted", link=message.jump_url)
            )
            return
        # No meetings channel: the minutes go here, and this message is where /ask links them.
        text = minutes_markdown(ctx.lang, record, plain_names(interaction.guild, ctx.lang))
        here = await interaction.followup.send(
            t(ctx.lang, "meetings_minutes.ended.here"),
            embed=minutes_embed(ctx.lang, record, mention(ctx.lang)),
            file=discord.File(
                io.BytesIO(text.encode("utf-8")),
                filename=f"minutes-{record.minutes.key.original:%Y-%m-%d}.md",
            ),
            wait=True,
        )
        await minutes.set_posted(ctx.db, record.minutes.id, here.channel.id, here.id)

    @meeting.command(name="minutes", description="The minutes of past meetings")
    @app_commands.describe(meeting="Which meeting (the list if left out); pick one or type a date")
    @app_commands.autocomplete(meeting=past_autocomplete)
    async def minutes_(
        self, interaction: discord.Interaction[Krokarm], meeting: str | None = None
    ) -> None:
        ctx = Context.of(interaction)
        if not meeting:
            embed, page, pages = await past_page(ctx, 0)
            view = (
                PastMinutesPager.buttons(ctx.lang, ctx.user_id, page, pages, "", ctx.bot)
                if pages > 1
                else discord.utils.MISSING
            )
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
            return
        zone = await ctx.tz()
        minutes_id = await minutes.resolve_past(
            ctx.db, ctx.network_id, meeting, today=ctx.now.astimezone(zone).date()
        )
        record = await minutes.record(ctx.db, ctx.network_id, minutes_id)
        text = minutes_markdown(ctx.lang, record, plain_names(interaction.guild, ctx.lang))
        await interaction.response.send_message(
            embed=minutes_embed(ctx.lang, record, mention(ctx.lang)),
            file=discord.File(
                io.BytesIO(text.encode("utf-8")),
                filename=f"minutes-{record.minutes.key.original:%Y-%m-%d}.md",
            ),
            ephemeral=True,
        )


async def agenda_for(db: Any, occurrence: meetings.Occurrence) -> list[str]:
    """The agenda lines the 7-day reminder carries (the meetings cog's `agenda_hook`), in the
    network's language: each item with its kind, then every open action of the network. Each
    line is one item (the reminder puts its own bullet before it)."""
    settings = await network.get(db, occurrence.series.guild_id)
    lang = settings.lang
    shown = await agenda.agenda_for(db, occurrence.series.guild_id, occurrence.key)
    names = mention(lang)
    lines = []
    for item in shown.items:
        kind = t(lang, f"meetings_minutes.agenda.kind.{item.kind}")
        line = item_line(lang, item, names).removeprefix("• ")
        lines.append(f"{kind}: {line}")
    zone = occurrence.series.rule.tz
    for action in shown.open_actions:
        line = action_line(lang, action, names, zone)
        lines.append(f"{t(lang, 'meetings_minutes.agenda.kind.action')}: {line}")
    return lines
