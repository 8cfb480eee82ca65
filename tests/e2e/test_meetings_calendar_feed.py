"""The calendar subscription URL: served with an unguessable per-network token, admins only."""

from __future__ import annotations

import re

import aiohttp
import pytest

from cogs.meetings._feed import CalendarFeed
from tests.e2e.conftest import World
from tests.e2e.test_meetings_series import MONTHLY, scheduled, set_up


async def test_admins_get_a_link_that_serves_the_calendar_and_can_be_replaced(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await set_up(world)
    await scheduled(world, MONTHLY)
    feed = CalendarFeed(world.bot, "127.0.0.1", 0)
    port = await feed.start()
    monkeypatch.setattr(world.bot.settings, "calendar_port", port)
    try:
        member = await world.as_anna.invoke("meeting calendar", {})
        assert "http" not in member.text and member.attachments
        admin = await world.as_admin.invoke("meeting calendar", {})
        url = re.search(r"http://\S+\.ics", admin.text)
        assert url is not None, admin.text
        async with aiohttp.ClientSession() as http:
            async with http.get(url[0]) as got:
                assert got.status == 200
                assert got.content_type == "text/calendar"
                body = await got.text()
            assert "BEGIN:VCALENDAR" in body and "Nätverksträff" in body
            async with http.get(url[0].replace(".ics", "x.ics")) as wrong:
                assert wrong.status == 404
            renewed = await world.as_admin.invoke("meeting calendar", {"new_link": True})
            new_url = re.search(r"http://\S+\.ics", renewed.text)
            assert new_url is not None and new_url[0] != url[0]
            async with http.get(url[0]) as old:
                assert old.status == 404
            async with http.get(new_url[0]) as new:
                assert new.status == 200
        refused = await world.as_anna.invoke("meeting calendar", {"new_link": True})
        assert refused.ephemeral and "administratör" in refused.text.lower()
    finally:
        await feed.stop()
