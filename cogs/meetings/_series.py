"""`/meeting schedule | list | cancel | edit | calendar`: the network's series in Discord."""

from __future__ import annotations

import io
import logging
from dataclasses import replace
from typing import Any

import discord
from discord import app_commands

from bot.bot import Krokarm
from bot.checks import is_network_admin, network_admin
from bot.context import Context
from bot.embeds import fit
from bot.errors import InvalidInput, NotAllowed, UserError
from bot.i18n import format_datetime, t, tn
from bot.services.meetings import reminders, rsvp
from bot.services.meetings import series as series_service
from bot.services.meetings.describe import describe_rule
from bot.services.meetings.forms import draft_from_form
from bot.services.meetings.parsing import parse_date
from bot.services.meetings.rules import RuleKind, zone
from bot.services.meetings.series import Occurrence, OccurrenceKey, SeriesDraft, _local_key
from cogs._common import EMBED_COLOUR, MAX_CHOICES, shorten
from cogs.meetings import _jobs, _render
from cogs.meetings._feed import calendar_bytes, feed_token, feed_url
from cogs.meetings._group import MeetingMixin, meeting
from cogs.meetings._views import ITEMS, MeetingListPager, draft_view, list_page, rsvp_view

log = logging.getLogger(__name__)

RULE_CHOICES = [
    app_commands.Choice(name="First weekday of the month", value="first"),
    app_commands.Choice(name="Second weekday of the month", value="second"),
    app_commands.Choice(name="Third weekday of the month", value="third"),
    app_commands.Choice(name="Fourth weekday of the month", value="fourth"),
    app_commands.Choice(name="Last weekday of the month", value="last"),
    app_commands.Choice(name="Every week", value="weekly"),
    app_commands.Choice(name="Every other week", value="biweekly"),
    app_commands.Choice(name="One date", value="once"),
]
ORDINAL_OF = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
WEEKDAY_CHOICES = [
    app_commands.Choice(name=name, value=i)
    for i, name in enumerate(
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    )
]
PLACE_CHOICES = [
    app_commands.Choice(name="The network's voice channel", value="voice"),
    app_commands.Choice(name="An address", value="address"),
    app_commands.Choice(name="A link (Teams, Zoom)", value="link"),
]
HOLIDAY_CHOICES = [
    app_commands.Choice(name="Skip holidays", value="skip"),
    app_commands.Choice(name="Move to the next working day", value="move"),
    app_commands.Choice(name="Meet on holidays too", value="none"),
]
SCOPE_CHOICES = [
    app_commands.Choice(name="This meeting", value="one"),
    app_commands.Choice(name="The whole series", value="series"),
]


def _form_to_draft(form: dict[str, Any], now: Any) -> SeriesDraft:
    """The typed form (as saved) to a checked draft: every field parsed and checked."""
    rule = form["rule"]
    kind = rule if rule in ("weekly", "biweekly", "once") else "monthly"
    weekday = form.get("weekday")
    if weekday is None and kind != "once":
        if not (form.get("date") or "").strip():
            raise InvalidInput("meetings.weekday", "meetings.errors.weekday")
        today = now.astimezone(zone(form["timezone"])).date()
        weekday = parse_date(form["date"], today=today).weekday()
    return draft_from_form(
        now=now,
        title=form.get("title"),
        kind=kind,
        first_date=form.get("date"),
        start_time=form.get("start_time"),
        duration=form.get("duration"),
        weekday=weekday,
        ordinal=ORDINAL_OF.get(rule),
        timezone=form["timezone"],
        holiday_policy=form.get("holidays") or "skip",
        months_off=form.get("months_off"),
        until=form.get("until"),
        count=form.get("count"),
        place_kind=form.get("place") or "voice",
        place=form.get("where"),
        voice_channel_id=form.get("voice_channel_id"),
        reminders=reminders.parse_offsets(form.get("reminders")),
    )


def draft_embed(
    lang: Any, draft: SeriesDraft, first: Occurrence | None, nudge: bool
) -> discord.Embed:
    lines = [describe_rule(lang, draft.rule)]
    place = _render.place_text(lang, replace(_placeholder_series(draft), place=draft.place))
    lines.append(t(lang, "meetings.post.where", place=place))
    lines.append(
        t(
            lang,
            "meetings.schedule.reminders",
            offsets=reminders.render_offsets(lang, draft.reminders),
        )
    )
    if nudge:
        lines.append(t(lang, "meetings.schedule.nudge"))
    if first is not None:
        lines.append(
            t(
                lang,
                "meetings.schedule.first",
                when=format_datetime(lang, first.start, draft.rule.tz),
            )
        )
    embed = discord.Embed(
        title=shorten(draft.title, 256), description="\n".join(lines), colour=EMBED_COLOUR
    )
    embed.set_footer(text=t(lang, "meetings.schedule.check"))
    return fit(embed)


def _placeholder_series(draft: SeriesDraft) -> series_service.Series:
    """A series not yet saved, to expand its first occurrence and render its place."""
    from bot.services.meetings.series import _EARLY

    return series_service.Series(
        id=0,
        guild_id=0,
        uid="",
        title=draft.title,
        rule=draft.rule,
        place=draft.place,
        reminders=draft.reminders,
        organiser_id=0,
        previous_id=None,
        cancelled_at=None,
        created_at=_EARLY,
        changed_at=_EARLY,
    )


def _first(draft: SeriesDraft, now: Any) -> Occurrence | None:
    from bot.services.meetings.series import _FAR

    found = series_service.occurrences(_placeholder_series(draft), [], now, _FAR)
    return next((o for o in found if o.start > now), None)


async def occurrence_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Coming occurrences of the network: "title — date"; the value is the occurrence token."""
    if interaction.guild_id is None:
        return []
    ctx = Context.of(interaction)
    coming = await series_service.list_coming(ctx.db, interaction.guild_id, ctx.now, limit=200)
    wanted = current.casefold().strip()
    out = []
    for occ in coming:
        label = f"{occ.series.title} — {format_datetime(ctx.lang, occ.start, occ.series.rule.tz)}"
        if wanted and wanted not in label.casefold():
            continue
        out.append(app_commands.Choice(name=shorten(label, 100), value=occ.key.token))
        if len(out) >= MAX_CHOICES:
            break
    return out


def _key_of(token: str) -> OccurrenceKey:
    key = OccurrenceKey.parse(token)
    if key is None:
        raise InvalidInput("meetings.meeting", "meetings.errors.pick_meeting")
    return key


async def confirm_draft(ctx: Context, draft_id: int) -> None:
    """Confirm under /meeting schedule: check the form again, save, post, plan."""
    interaction = ctx.interaction
    form = await rsvp.take_draft(ctx.db, ctx.network_id, ctx.user_id, draft_id, ctx.now)
    if form is None:
        raise UserError("meetings.schedule.expired")
    draft = _form_to_draft(form, ctx.now)
    created = await series_service.create_series(
        ctx.db, ctx.network_id, draft, organiser_id=ctx.user_id, now=ctx.now
    )
    if form.get("nudge"):
        await ctx.db.execute("UPDATE meeting_series SET nudge = 1 WHERE id = ?", (created.id,))
    await interaction.response.edit_message(
        content=t(ctx.lang, "meetings.schedule.saved", title=created.title), view=None
    )
    bot: Krokarm = ctx.bot
    channel_id = await announce(bot, ctx.network_id, created.id, ctx)
    await _jobs.plan_network(bot, ctx.network_id, ctx.now)
    events = await ctx.db.fetchval(
        "SELECT count(*) FROM meeting_posts WHERE series_id = ? AND event_id IS NOT NULL",
        (created.id,),
    )
    done = tn(ctx.lang, "meetings.schedule.events", int(events or 0))
    if channel_id is not None:
        done = t(ctx.lang, "meetings.schedule.announced", channel=f"<#{channel_id}>") + " " + done
    await interaction.followup.send(done, ephemeral=True)


async def announce(bot: Krokarm, guild_id: int, series_id: int, ctx: Context) -> int | None:
    """The announcement of the series' next occurrence, with the RSVP buttons."""
    settings = await ctx.settings()
    channel = bot.get_channel(settings.channels.get("meetings", 0))
    coming = [
        o
        for o in await series_service.list_coming(bot.db, guild_id, ctx.now)
        if o.key.series_id == series_id and o.start > ctx.now
    ]
    if not coming or not isinstance(channel, discord.TextChannel):
        return None
    occ = coming[0]
    lang = settings.lang
    try:
        message = await channel.send(
            _render.post_text(lang, occ, rsvp.tally([])), view=rsvp_view(lang, occ.key)
        )
    except discord.HTTPException as error:
        log.warning("announcement in guild %s not posted: %s", guild_id, error.status)
        return None
    await bot.db.execute(
        "INSERT INTO meeting_posts (series_id, original_start, guild_id, channel_id, message_id)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (series_id, original_start) DO UPDATE SET"
        " channel_id = excluded.channel_id, message_id = excluded.message_id",
        (series_id, _local_key(occ.key.original), guild_id, channel.id, message.id),
    )
    return channel.id


async def tell_answered(bot: Krokarm, guild_id: int, occs: list[Occurrence]) -> int:
    """DM those who answered coming or maybe that the meeting is cancelled; returns how many."""
    lang = bot.network_langs.get(guild_id, "sv")
    told = 0
    for occ in occs:
        for answer in await rsvp.answers(bot.db, occ.key):
            if answer.answer == "not_coming":
                continue
            text = t(
                lang,
                "meetings.cancel.dm",
                title=occ.series.title,
                when=_render.when_text(lang, occ),
            )
            try:
                user = bot.get_user(answer.user_id) or await bot.fetch_user(answer.user_id)
                await user.send(text)
                told += 1
            except discord.HTTPException:
                continue
    return told


class SeriesCommands(MeetingMixin):
    """Scheduling, listing, cancelling, editing and exporting the network's meeting series."""

    mixin_items = ITEMS

    @meeting.command(name="schedule", description="Schedule a meeting or a series (admins)")
    @app_commands.describe(
        title="What the meeting is called",
        rule="How often it meets",
        start_time="When it starts: 13:00, 13.00, kl 13, 1pm",
        duration="How long: 2 h, 90 min, 1:30",
        weekday="The weekday (for a series)",
        date="The date (one date), or the first date of a series: 2026-12-03, 3 dec, 3/12",
        place="Where it meets",
        where="The address or the link",
        reminders="Reminders before the start: 7d, 1d, 1h",
        holidays="What happens on a public holiday",
        months_off="Months without meetings: juli, jul aug",
        until="The last date of the series",
        count="How many meetings",
        nudge="Two days before, remind those who have not answered",
    )
    @app_commands.choices(rule=RULE_CHOICES, place=PLACE_CHOICES, holidays=HOLIDAY_CHOICES)
    @app_commands.choices(weekday=WEEKDAY_CHOICES)
    @network_admin()
    async def schedule(
        self,
        interaction: discord.Interaction[Krokarm],
        title: str,
        rule: str,
        start_time: str,
        duration: str = "2 h",
        weekday: int | None = None,
        date: str | None = None,
        place: str = "voice",
        where: str | None = None,
        reminders: str | None = None,
        holidays: str = "skip",
        months_off: str | None = None,
        until: str | None = None,
        count: app_commands.Range[int, 1, 500] | None = None,
        nudge: bool = False,
    ) -> None:
        ctx = Context.of(interaction)
        settings = await ctx.settings()
        form: dict[str, Any] = {
            "title": title,
            "rule": rule,
            "start_time": start_time,
            "duration": duration,
            "weekday": weekday,
            "date": date,
            "place": place,
            "where": where,
            "reminders": reminders,
            "holidays": holidays,
            "months_off": months_off,
            "until": until,
            "count": count,
            "nudge": nudge,
            "timezone": settings.timezone,
            "voice_channel_id": settings.channels.get("voice") if place == "voice" else None,
        }
        draft = _form_to_draft(form, ctx.now)
        first = _first(draft, ctx.now)
        if first is None:
            raise InvalidInput("meetings.rule", "meetings.errors.never")
        draft_id = await rsvp.save_draft(ctx.db, ctx.network_id, ctx.user_id, form, ctx.now)
        await interaction.response.send_message(
            embed=draft_embed(ctx.lang, draft, first, nudge),
            view=draft_view(ctx.lang, ctx.user_id, draft_id),
            ephemeral=True,
        )

    @meeting.command(name="list", description="The coming meetings and the answers so far")
    async def list_meetings(self, interaction: discord.Interaction[Krokarm]) -> None:
        ctx = Context.of(interaction)
        embed, page, pages = await list_page(ctx, 0)
        view = (
            MeetingListPager.buttons(ctx.lang, ctx.user_id, page, pages, "-", ctx.bot)
            if pages > 1
            else None
        )
        if view is not None:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
        else:
            await interaction.response.send_message(embed=embed, ephemeral=True)

    @meeting.command(name="cancel", description="Cancel one meeting or the whole series (admins)")
    @app_commands.describe(meeting="The meeting", scope="This meeting or the whole series")
    @app_commands.choices(scope=SCOPE_CHOICES)
    @app_commands.autocomplete(meeting=occurrence_autocomplete)
    @network_admin()
    async def cancel(
        self, interaction: discord.Interaction[Krokarm], meeting: str, scope: str = "one"
    ) -> None:
        ctx = Context.of(interaction)
        key = _key_of(meeting)
        if scope == "series":
            cancelled = await series_service.cancel_series(
                ctx.db, ctx.network_id, key.series_id, now=ctx.now
            )
        else:
            cancelled = [
                await series_service.cancel_occurrence(
                    ctx.db, ctx.network_id, key, by=ctx.user_id, now=ctx.now
                )
            ]
        await interaction.response.defer(ephemeral=True, thinking=True)
        await _jobs.plan_network(ctx.bot, ctx.network_id, ctx.now)
        told = await tell_answered(ctx.bot, ctx.network_id, cancelled)
        title = cancelled[0].series.title if cancelled else ""
        await interaction.followup.send(
            tn(ctx.lang, f"meetings.cancel.done.{scope}", len(cancelled), title=title)
            + " "
            + tn(ctx.lang, "meetings.cancel.told", told),
            ephemeral=True,
        )

    @meeting.command(name="edit", description="Change a series from one meeting on (admins)")
    @app_commands.describe(
        meeting="The first meeting to change",
        start_time="The new start time",
        duration="The new length",
        weekday="The new weekday",
        rule="The new rule",
        place="Where it meets",
        where="The address or the link",
    )
    @app_commands.choices(rule=RULE_CHOICES, place=PLACE_CHOICES)
    @app_commands.choices(weekday=WEEKDAY_CHOICES)
    @app_commands.autocomplete(meeting=occurrence_autocomplete)
    @network_admin()
    async def edit(
        self,
        interaction: discord.Interaction[Krokarm],
        meeting: str,
        start_time: str | None = None,
        duration: str | None = None,
        weekday: int | None = None,
        rule: str | None = None,
        place: str | None = None,
        where: str | None = None,
    ) -> None:
        ctx = Context.of(interaction)
        settings = await ctx.settings()
        key = _key_of(meeting)
        old = await series_service.get_series(ctx.db, ctx.network_id, key.series_id)
        r = old.rule
        old_rule = (
            r.kind.value
            if r.kind is not RuleKind.MONTHLY
            else {v: k for k, v in ORDINAL_OF.items()}[r.ordinal or 1]
        )
        new_place = place or old.place.kind
        form: dict[str, Any] = {
            "title": old.title,
            "rule": rule or old_rule,
            "start_time": start_time or r.at.strftime("%H:%M"),
            "duration": duration or f"{int(r.duration.total_seconds() // 60)} min",
            "weekday": weekday if weekday is not None else r.weekday,
            "date": key.original.date().isoformat(),
            "place": new_place,
            "where": where if where is not None else (old.place.text if place is None else None),
            "reminders": ",".join(f"{m}m" for m in old.reminders),
            "holidays": r.holiday_policy.value,
            "months_off": " ".join(str(m) for m in sorted(r.months_off)) or None,
            "until": r.until.isoformat() if r.until else None,
            "count": None,
            "timezone": r.timezone,
            "voice_channel_id": (
                old.place.voice_channel_id or settings.channels.get("voice")
                if new_place == "voice"
                else None
            ),
        }
        draft = _form_to_draft(form, ctx.now)
        result = await series_service.edit_from(ctx.db, ctx.network_id, key, draft, now=ctx.now)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await _jobs.plan_network(ctx.bot, ctx.network_id, ctx.now)
        await interaction.followup.send(
            t(ctx.lang, "meetings.edit.done", title=result.new.title)
            + "\n"
            + describe_rule(ctx.lang, result.new.rule),
            ephemeral=True,
        )

    @meeting.command(name="calendar", description="The network's meetings as a calendar file")
    @app_commands.describe(new_link="Replace the subscription link (admins; the old one stops)")
    async def calendar(
        self, interaction: discord.Interaction[Krokarm], new_link: bool = False
    ) -> None:
        ctx = Context.of(interaction)
        data, count = await calendar_bytes(ctx.bot, ctx.network_id, ctx.now)
        text = tn(ctx.lang, "meetings.calendar.sent", count)
        if ctx.bot.settings.calendar_port is not None:
            if await is_network_admin(ctx.db, interaction):
                token = await feed_token(ctx.bot, ctx.network_id, ctx.now, renew=new_link)
                text += "\n" + t(ctx.lang, "meetings.calendar.link", url=feed_url(ctx.bot, token))
            elif new_link:
                raise NotAllowed("errors.admin_only")
        await interaction.response.send_message(
            text,
            file=discord.File(io.BytesIO(data), filename="krokarm-meetings.ics"),
            ephemeral=True,
        )
