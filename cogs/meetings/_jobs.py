"""The Discord side of meetings that runs on the bot's clock: reminders, planning, events.

Jobs (declared in `bot.features.meetings`):
- `meetings:plan` (recurring, and at every start): the reminder rows of the next four weeks
  and the scheduled events of each series are brought in line with the series.
- `meeting_reminder:<id>` (and `<id>.<attempt>` for retries): one reminder, sent exactly once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import discord

from bot.bot import Krokarm
from bot.errors import UserError
from bot.i18n import t
from bot.jobs import Job
from bot.services import network
from bot.services.meetings import reminders, rsvp
from bot.services.meetings import series as series_service
from bot.services.meetings.series import Occurrence, OccurrenceKey, _from_iso, _iso, _local_key
from cogs._common import network_admins, shorten
from cogs.meetings import _render

log = logging.getLogger(__name__)

EVENTS_PER_SERIES = 3
EVENTS_AHEAD = timedelta(days=100)
GUILD_EVENT_LIMIT = 100
LOCATION_MAX = 100
# Reminder rows reach 29 days ahead, the largest offset is 28 days: a planning younger than this
# need not run again at a start.
PLAN_FRESH = timedelta(hours=6)


# --- planning ----------------------------------------------------------------------------


async def plan_all(job: Job) -> int:
    """Plan the reminders and events of every network with series; returns how many reminders
    were planned. Events are only created, moved or cancelled where they differ from the
    series, so that a planning run without changes makes no REST call."""
    bot = job.bot
    last = await bot.db.fetchval("SELECT last_run_at FROM jobs WHERE id = ?", (job.id,))
    if last is not None and job.now - _from_iso(last) < PLAN_FRESH:
        # A start soon after the last planning: the rows reach far enough ahead already (and
        # every change by a command is planned at once), so the start is not held up.
        return 0
    guilds = [
        r[0]
        for r in await bot.db.fetchall(
            "SELECT DISTINCT guild_id FROM meeting_series WHERE cancelled_at IS NULL"
        )
    ]
    planned = 0
    for guild_id in guilds:
        planned += await plan_network(bot, guild_id, job.now)
    return planned


async def plan_network(bot: Krokarm, guild_id: int, now: datetime, *, events: bool = True) -> int:
    """Reminder rows and their jobs (and the scheduled events) for one network."""
    schedule, dropped = await reminders.plan(bot.db, guild_id, now)
    for reminder_id, due in schedule:
        await bot.jobs.schedule("meeting_reminder", reminder_id, due, guild_id=guild_id)
    for reminder_id in dropped:
        await bot.jobs.cancel(f"meeting_reminder:{reminder_id}")
    if events:
        await sync_events(bot, guild_id, now)
    return len(schedule)


# --- scheduled events --------------------------------------------------------------------


def _event_fields(occ: Occurrence, guild: discord.Guild) -> dict[str, Any] | None:
    s = occ.series
    fields: dict[str, Any] = {
        "name": shorten(s.title, 100),
        "start_time": occ.start,
        "end_time": occ.end,
        "privacy_level": discord.PrivacyLevel.guild_only,
    }
    if s.place.kind == "voice":
        channel = guild.get_channel(s.place.voice_channel_id or 0)
        if not isinstance(channel, discord.VoiceChannel):
            return None
        fields.update(entity_type=discord.EntityType.voice, channel=channel)
    else:
        text = s.place.text or ""
        fields.update(
            entity_type=discord.EntityType.external,
            location=shorten(text, LOCATION_MAX),
            description=shorten(text, 1000),
        )
    return fields


async def sync_events(bot: Krokarm, guild_id: int, now: datetime) -> None:
    """Discord events for the next occurrences (up to three per series, at most 100 on the
    server): created, moved and cancelled to match the series. Failures are logged (ids only)
    and tried again at the next planning."""
    guild = bot.get_guild(guild_id)
    if guild is None:
        return
    coming = await series_service.list_coming(bot.db, guild_id, now, within=EVENTS_AHEAD)
    wanted: dict[tuple[int, str], Occurrence] = {}
    per_series: dict[int, int] = {}
    for occ in coming:
        if occ.start <= now or per_series.get(occ.key.series_id, 0) >= EVENTS_PER_SERIES:
            continue
        per_series[occ.key.series_id] = per_series.get(occ.key.series_id, 0) + 1
        wanted[(occ.key.series_id, _local_key(occ.key.original))] = occ
    rows = await bot.db.fetchall(
        "SELECT series_id, original_start, event_id, event_start FROM meeting_posts"
        " WHERE guild_id = ? AND event_id IS NOT NULL",
        (guild_id,),
    )
    try:
        for row in rows:
            ident = (row["series_id"], row["original_start"])
            current = wanted.pop(ident) if ident in wanted else None
            event = guild.get_scheduled_event(row["event_id"])
            if current is None:
                if _from_iso(row["event_start"]) > now and event is not None:
                    await event.cancel(reason="meeting cancelled")
                await bot.db.execute(
                    "UPDATE meeting_posts SET event_id = NULL, event_start = NULL"
                    " WHERE series_id = ? AND original_start = ?",
                    ident,
                )
            elif row["event_start"] != _iso(current.start) or event is None:
                fields = _event_fields(current, guild)
                if fields is None:
                    continue
                if event is None:
                    wanted[ident] = current  # gone on Discord: make it again below
                    continue
                await event.edit(
                    start_time=current.start, end_time=current.end, reason="meeting moved"
                )
                await bot.db.execute(
                    "UPDATE meeting_posts SET event_start = ? WHERE series_id = ?"
                    " AND original_start = ?",
                    (_iso(current.start), *ident),
                )
        room = GUILD_EVENT_LIMIT - len(guild.scheduled_events)
        for ident, occ in sorted(wanted.items(), key=lambda kv: kv[1].start):
            if room <= 0:
                log.warning("guild %s has no room for more scheduled events", guild_id)
                break
            fields = _event_fields(occ, guild)
            if fields is None:
                continue
            event = await guild.create_scheduled_event(reason="network meeting", **fields)
            room -= 1
            await bot.db.execute(
                "INSERT INTO meeting_posts (series_id, original_start, guild_id, event_id,"
                " event_start) VALUES (?, ?, ?, ?, ?) ON CONFLICT (series_id, original_start)"
                " DO UPDATE SET event_id = excluded.event_id, event_start = excluded.event_start",
                (*ident, guild_id, event.id, _iso(occ.start)),
            )
    except discord.HTTPException as error:
        log.warning("scheduled events of guild %s not synced: %s", guild_id, error.status)


async def occurrence_of_event(bot: Krokarm, event_id: int) -> tuple[int, OccurrenceKey] | None:
    row = await bot.db.fetchone(
        "SELECT guild_id, series_id, original_start FROM meeting_posts WHERE event_id = ?",
        (event_id,),
    )
    if row is None:
        return None
    key = OccurrenceKey(row["series_id"], datetime.fromisoformat(row["original_start"]))
    return row["guild_id"], key


# --- reminders ---------------------------------------------------------------------------


def _backoff(attempt: int) -> timedelta:
    return reminders.RETRY_BASE * (2 ** max(attempt - 1, 0))


async def send_reminder(job: Job) -> str:
    """Send one reminder exactly once: claimed before it is sent, sent with its nonce."""
    bot, now = job.bot, job.now
    reminder_id = int(job.key.split(".")[0])
    await reminders.checkpoint("before_claim")
    reminder = await reminders.get(bot.db, reminder_id)
    if reminder is None or reminder.status not in ("pending", "claimed", "sent"):
        return "done"
    try:
        occ = await series_service.get_occurrence(bot.db, reminder.guild_id, reminder.key)
    except UserError:
        occ = None
    if reminder.status == "sent":
        # Stopped after the channel message was recorded: only DMs not yet sent remain.
        if occ is not None and reminder.kind == "reminder":
            await _send_dms(bot, reminder, occ)
        return "done"
    if occ is None or occ.status == "cancelled" or occ.series.cancelled_at is not None:
        await reminders.record_dropped(bot.db, reminder_id, now)
        return "dropped"
    if occ.start <= now:
        await reminders.record_missed(bot.db, reminder_id, now)
        log.info("reminder %s recorded missed: its meeting had begun", reminder_id)
        return "missed"
    attempt = await reminders.claim(bot.db, reminder_id, now)
    await reminders.checkpoint("after_claim")
    try:
        message_id = None
        if reminder.claimed_at is not None and reminder.kind == "reminder":
            # Claimed before: it may have gone out just before a stop. The nonce catches a
            # second send within Discord's few minutes; after longer, the channel is looked at.
            message_id = await _sent_since(bot, reminder, occ, reminder.claimed_at)
        if message_id is None:
            message_id = await _deliver(bot, reminder, occ)
    except (discord.HTTPException, LookupError) as error:
        status = getattr(error, "status", None)
        if attempt < reminders.RETRIES:
            later = now + _backoff(attempt)
            await bot.jobs.schedule(
                "meeting_reminder", f"{reminder_id}.{attempt}", later, guild_id=reminder.guild_id
            )
            log.warning("reminder %s not sent (%s); tried again later", reminder_id, status)
            return "retry"
        await reminders.record_failed(bot.db, reminder_id, now)
        log.warning("reminder %s failed after %d attempts (%s)", reminder_id, attempt, status)
        await _report_failure(bot, occ)
        return "failed"
    await reminders.checkpoint("after_send")
    await reminders.record_sent(bot.db, reminder_id, message_id, now)
    await reminders.checkpoint("after_record")
    if reminder.kind == "reminder":
        await _send_dms(bot, reminder, occ)
    return "sent"


async def _deliver(bot: Krokarm, reminder: reminders.Reminder, occ: Occurrence) -> int:
    """The channel message (or the nudges); returns the channel message's id (0 for nudges)."""
    settings = await network.get(bot.db, reminder.guild_id)
    lang = settings.lang
    counts = rsvp.tally(await rsvp.answers(bot.db, reminder.key))
    if reminder.kind == "nudge":
        await _send_nudges(bot, reminder, occ)
        return 0
    channel_id = settings.channels.get("meetings")
    channel = bot.get_channel(channel_id) if channel_id else None
    if not isinstance(channel, discord.TextChannel):
        raise LookupError("no meetings channel")
    agenda: list[Any] | None = None
    hook = _render.agenda_hook()
    if hook is not None and reminder.minutes_before == _render.AGENDA_REMINDER_MINUTES:
        agenda = await hook(bot.db, occ)
    role_id = settings.member_role_id
    from cogs.meetings._views import rsvp_view

    message = await channel.send(
        _render.post_text(
            lang,
            occ,
            counts,
            role_id=role_id,
            minutes_before=reminder.minutes_before,
            agenda=agenda,
        ),
        view=rsvp_view(lang, occ.key),
        nonce=reminders.nonce(reminder.id),
        # The member role is pinged on purpose, and only it.
        allowed_mentions=discord.AllowedMentions(
            everyone=False, users=False, roles=[discord.Object(role_id)] if role_id else False
        ),
    )
    return message.id


async def _sent_since(
    bot: Krokarm, reminder: reminders.Reminder, occ: Occurrence, claimed_at: datetime
) -> int | None:
    """The id of this reminder's message if the bot posted it after `claimed_at`, else None."""
    settings = await network.get(bot.db, reminder.guild_id)
    channel = bot.get_channel(settings.channels.get("meetings", 0))
    if not isinstance(channel, discord.TextChannel) or bot.user is None:
        return None
    text = _render.post_text(
        settings.lang, occ, {}, role_id=settings.member_role_id, minutes_before=1
    )
    head = "\n".join(text.split("\n")[:2])  # the heading and the time
    after = discord.Object(discord.utils.time_snowflake(claimed_at - timedelta(minutes=1)))
    try:
        async for message in channel.history(limit=100, after=after):
            if message.author.id == bot.user.id and message.content.startswith(head):
                return message.id
    except discord.HTTPException:
        return None
    return None


async def _dm(bot: Krokarm, reminder: reminders.Reminder, user_id: int, text: str) -> None:
    if not await reminders.dm_claim(bot.db, reminder.id, reminder.guild_id, user_id):
        return
    try:
        user = bot.get_user(user_id) or await bot.fetch_user(user_id)
        await user.send(text, nonce=reminders.nonce(reminder.id, user_id))
    except discord.HTTPException:
        await reminders.dm_done(bot.db, reminder.id, user_id, ok=False)
        return
    await reminders.dm_done(bot.db, reminder.id, user_id, ok=True)


async def _send_dms(bot: Krokarm, reminder: reminders.Reminder, occ: Occurrence) -> None:
    """The reminder by DM to those who answered coming and want DMs (each DM claimed first)."""
    for answer in await rsvp.answers(bot.db, reminder.key):
        if answer.answer != "coming" or not answer.wants_dm:
            continue
        lang = bot.network_langs.get(reminder.guild_id, "sv")
        text = _render.post_text(lang, occ, {}, minutes_before=reminder.minutes_before)
        await _dm(bot, reminder, answer.user_id, text.rsplit("\n", 1)[0])


async def _send_nudges(bot: Krokarm, reminder: reminders.Reminder, occ: Occurrence) -> None:
    guild = bot.get_guild(reminder.guild_id)
    if guild is None:
        raise LookupError("guild gone")
    settings = await network.get(bot.db, reminder.guild_id)
    answered = {a.user_id for a in await rsvp.answers(bot.db, reminder.key)}
    # The network's members: the member role's holders, or everyone when nobody holds it yet.
    role = guild.get_role(settings.member_role_id or 0)
    members = role.members if role is not None and role.members else guild.members
    text = t(
        settings.lang,
        "meetings.nudge",
        title=occ.series.title,
        when=_render.when_text(settings.lang, occ),
    )
    for member in members:
        if member.bot or member.id in answered:
            continue
        await _dm(bot, reminder, member.id, text)


async def _report_failure(bot: Krokarm, occ: Occurrence) -> None:
    """Tell the organiser and the network's admins that a reminder could not be sent."""
    guild = bot.get_guild(occ.series.guild_id)
    if guild is None:
        return
    settings = await network.get(bot.db, guild.id)
    lang = settings.lang
    text = t(
        lang,
        "meetings.reminder_failed",
        title=occ.series.title,
        when=_render.when_text(lang, occ),
    )
    people: dict[int, discord.abc.Snowflake] = {}
    organiser = guild.get_member(occ.series.organiser_id)
    if organiser is not None:
        people[organiser.id] = organiser
    for admin in network_admins(guild, settings.admin_role_id):
        people.setdefault(admin.id, admin)
    for person in people.values():
        try:
            await person.send(text)  # type: ignore[attr-defined]
        except discord.HTTPException:
            continue
