"""Answers name people: /privacy mydata includes them, forget-me removes them, and the series
a person organised stays, by a former member."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.e2e.conftest import World
from tests.e2e.test_meetings_series import posts, scheduled, set_up
from tests.e2e.test_privacy import traces_of


async def test_mydata_has_the_answers_and_forget_me_removes_every_trace(world: World) -> None:
    settings = await set_up(world)
    sb = world.sandbox
    await scheduled(
        world,
        {
            "title": "Nätverksträff",
            "rule": "first",
            "weekday": 3,
            "start_time": "13:00",
            "reminders": "1h",
        },
    )
    announcement = posts(world, settings, "Nytt möte")[-1]
    await sb.wait_for_followup(await world.as_anna.click(announcement, "Jag kommer"))
    await world.advance(timedelta(days=10, hours=2))  # the 1-hour reminder, by DM to Anna too
    assert [m for m in sb.dm_messages(world.anna) if "Påminnelse" in m.content]

    reply = await world.as_anna.invoke("privacy mydata", {})
    data = json.loads(reply.attachments[0].data)
    assert data["tables"]["meeting_rsvps"][0]["answer"] == "coming"
    assert data["tables"]["meeting_reminder_dms"][0]["status"] == "sent"
    mine = await world.as_admin.invoke("privacy mydata", {})
    assert json.loads(mine.attachments[0].data)["meetings"]["organised"][0]["title"] == (
        "Nätverksträff"
    )

    asked = await world.as_anna.invoke("privacy forget-me", {})
    await world.as_anna.click(asked, "Ja, glöm mig")
    assert await traces_of(world.bot.db, world.anna.id, []) == []

    asked = await world.as_admin.invoke("privacy forget-me", {})
    await world.as_admin.click(asked, "Ja, glöm mig")
    assert await world.bot.db.fetchval("SELECT organiser_id FROM meeting_series") == 0
    listing = await world.as_erik.invoke("meeting list", {})
    assert "Nätverksträff" in listing.text
