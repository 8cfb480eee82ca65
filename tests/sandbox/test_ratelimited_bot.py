"""The real bot under rate limits: with a share of its requests answered 429, every command
still completes and nothing is posted or created twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.shell.running import running_bot
from sandbox import RateLimits, Sandbox


@pytest.fixture
async def limited(tmp_path: Path) -> AsyncIterator[tuple[Sandbox, FixedClock]]:
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    sb = Sandbox(clock=clock, rate_limits=RateLimits.injected(0.3, seed=11))
    await sb.start()
    try:
        yield sb, clock
    finally:
        await sb.stop()
    assert sb.errors == [], sb.errors


async def test_every_command_completes_and_nothing_is_done_twice(
    limited: tuple[Sandbox, FixedClock], tmp_path: Path
) -> None:
    sb, clock = limited
    maria = sb.create_user("maria", global_name="Maria Admin", locale="sv-SE")
    guild = sb.create_guild("Integration Halland", preferred_locale="sv-SE", owner=maria)
    anna_user = sb.create_user("anna", global_name="Anna Andersson", locale="sv-SE")
    erik_user = sb.create_user("erik", global_name="Erik Eriksson", locale="en-US")
    for user in (maria, anna_user, erik_user):
        await sb.add_member(guild, user)
    admin = sb.as_user(maria, guild=guild)
    anna = sb.as_user(anna_user, guild=guild)
    erik = sb.as_user(erik_user, guild=guild, locale="en-US")

    async with running_bot(sb, tmp_path / "k.db") as bot:
        assert bot.clock is clock  # one clock for the bot and the sandbox
        channels_before = len(guild.channels_by_id)

        assert (await anna.invoke("help")).text
        assert (await erik.invoke("about")).text

        plan = await admin.invoke("network setup")
        applying = await admin.click(plan, "Bekräfta")
        report = await sb.wait_for_followup(applying)
        assert report.content or report.embeds

        modal = await anna.invoke("profile edit")
        assert modal.kind == "modal"
        saved = await anna.submit_modal(
            modal,
            {"profile:title": "Integrationssamordnare", "profile:email": "anna@halmstad.se"},
        )
        assert "Integrationssamordnare" in saved.text
        done = await anna.click(saved, "Klar")
        assert done.text.startswith("Klart")

        found = await erik.invoke("contact find", {"query": "samordnare"})
        assert "Anna Andersson" in found.text

    # The bot retried through the 429s rather than giving up or repeating itself.
    assert len(sb.rate_limited) >= 5, "the sandbox should have refused some requests"
    assert any("/webhooks/" in h.path for h in sb.rate_limited)  # followups too
    names = Counter(c.name for c in guild.channels_by_id.values())
    assert all(n == 1 for n in names.values()), names
    assert len(guild.channels_by_id) > channels_before
    roles = Counter(r.name for r in guild.roles)
    assert all(n == 1 for n in roles.values()), roles
    for chan in guild.channels_by_id.values():
        posted = [(m.content, str(m.embeds)) for m in sb.channel_messages(chan)]
        assert len(posted) == len(set(posted)), f"posted twice in #{chan.name}: {posted}"
