"""`/meeting calendar …`: the series of the network (the Discord side)."""

from __future__ import annotations

import io

import discord

from bot.bot import Krokarm
from bot.context import Context
from bot.i18n import tn
from bot.services.meetings import series as series_service
from bot.services.meetings.calendar import CalendarSeries, build_calendar
from cogs.meetings._group import MeetingMixin, meeting


class SeriesCommands(MeetingMixin):
    """Scheduling, listing, cancelling and exporting the network's meeting series."""

    @meeting.command(name="calendar", description="The network's meetings as a calendar file")
    async def calendar(self, interaction: discord.Interaction[Krokarm]) -> None:
        ctx = Context.of(interaction)
        settings = await ctx.settings()
        found = await series_service.list_series(ctx.db, ctx.network_id, include_cancelled=True)
        overrides = await series_service.overrides_of(ctx.db, [s.id for s in found])
        voice_names = {
            c.id: c.name for c in (interaction.guild.voice_channels if interaction.guild else [])
        }

        def place(s: series_service.Series) -> str | None:
            if s.place.kind == "voice":
                return voice_names.get(s.place.voice_channel_id or 0, settings.name)
            return s.place.text

        data = build_calendar(
            settings.name, (CalendarSeries(s, overrides[s.id]) for s in found), ctx.now, place
        )
        await interaction.response.send_message(
            tn(ctx.lang, "meetings.calendar.sent", len(found)),
            file=discord.File(io.BytesIO(data), filename="krokarm-meetings.ics"),
            ephemeral=True,
        )
