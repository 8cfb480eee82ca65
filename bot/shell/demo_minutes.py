"""Demo data of the minutes: last month's meeting with its minutes and open actions, and an
agenda for the next one (`make try`). Uses the network's monthly series when the meetings'
seeder made one, else makes its own."""

from __future__ import annotations

from datetime import time, timedelta
from typing import TYPE_CHECKING

from bot.services.meetings import agenda, minutes
from bot.services.meetings import series as meetings
from bot.services.meetings.rules import DEFAULT_TIMEZONE, HolidayPolicy, Rule, RuleKind, zone
from bot.services.meetings.series import Place
from bot.shell.demo import DemoWorld

if TYPE_CHECKING:
    from bot.bot import Krokarm
    from sandbox import Sandbox


async def seed_minutes(bot: Krokarm, sandbox: Sandbox, world: DemoWorld) -> None:
    db, guild_id = bot.db, int(world.guild.id)
    now = bot.clock.now()
    users = {h: int(u.id) for h, u in world.users.items()}
    chair = users.get("maria") or next(iter(users.values()))
    anna, johan = users.get("anna", chair), users.get("johan", chair)
    # A monthly series that began before last month, so that last month's meeting was held.
    # When the meetings' seeder has planned the coming meetings, this one ended yesterday: it
    # holds the past, theirs the future (one series on every list, not two).
    already = await agenda.coming_occurrences(db, guild_id, now)
    began = now - timedelta(days=45)
    # Dates of a rule are the network's local dates, not UTC's (after 22:00 UTC in summer
    # time, Stockholm is already on the next day).
    local = zone(DEFAULT_TIMEZONE)
    rule = Rule(
        kind=RuleKind.MONTHLY,
        start=began.astimezone(local).date(),
        at=time(13),
        duration=timedelta(hours=2),
        weekday=3,
        ordinal=1,
        holiday_policy=HolidayPolicy.MOVE,
        months_off=frozenset({7}),
        until=(now - timedelta(days=1)).astimezone(local).date() if already else None,
    )
    draft = meetings.make_draft(
        title="Nätverksträff",
        rule=rule,
        place=Place("link", text="https://teams.microsoft.com/l/meetup-join/demo"),
        now=began,
    )
    made = await meetings.create_series(db, guild_id, draft, organiser_id=chair, now=began)
    overrides = (await meetings.overrides_of(db, [made.id]))[made.id]
    held = [o for o in meetings.occurrences(made, overrides, began, now) if o.end < now]
    if not held:
        return
    last = held[-1]
    at = last.start + timedelta(minutes=5)
    await minutes.start(db, guild_id, last.key, chair_id=chair, present=[anna, johan], now=at)
    note = "Söderhamn delade erfarenheter av samhällsguider; Varberg vill veta mer."
    decision = "Nätverket bjuder in Arbetsförmedlingen till nästa möte om praktik."
    await minutes.add_entry(db, guild_id, "note", note, user_id=anna, now=at)
    await minutes.add_entry(db, guild_id, "decision", decision, user_id=chair, now=at)
    for owner, text in ((johan, "Bjuda in Arbetsförmedlingen"), (anna, "Samla TMO-kurser")):
        await minutes.add_action(
            db, guild_id, owner_id=owner, text=text, due=None, user_id=chair, now=at
        )
    await minutes.end(db, guild_id, now=last.end)
    coming = await agenda.coming_occurrences(db, guild_id, now)
    if coming:
        nxt = coming[0]
        for who, text, kind in (
            (anna, "Gemensam introduktion för nyanlända i länet", "strategic"),
            (johan, "Nytt schema för SFI i vår", "quick"),
        ):
            await agenda.add_item(db, guild_id, nxt, text, kind=kind, user_id=who, now=now)
