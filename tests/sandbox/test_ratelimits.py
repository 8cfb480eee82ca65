"""Rate limits as Discord documents them: buckets, the global limit, 429 with its headers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
import yarl

from sandbox import RateLimits, RouteLimit, Sandbox

from .testbot import running


async def _started(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    await sb.start()
    monkeypatch.setattr(discord.http.Route, "BASE", sb.api_base)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(sb.gateway_url)
    )
    return sb


@pytest.fixture
async def limited(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Sandbox]:
    limits = RateLimits(
        global_limit=None,
        routes={
            "GET /users/@me": RouteLimit(2, 30.0),
            "POST /channels/{channel_id}/messages": RouteLimit(2, 0.3),
        },
        default=None,
    )
    sb = await _started(Sandbox(rate_limits=limits), monkeypatch)
    yield sb
    await sb.stop()


async def test_a_route_bucket_answers_429_with_discords_headers_and_body(
    limited: Sandbox,
) -> None:
    headers = {"Authorization": f"Bot {limited.token}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        answers = []
        for _ in range(3):
            async with http.get(limited.api_base + "/users/@me") as resp:
                answers.append((resp.status, dict(resp.headers), await resp.json()))
    (s1, h1, _), (s2, h2, _), (s3, h3, body) = answers
    assert (s1, s2, s3) == (200, 200, 429)
    assert h1["X-RateLimit-Limit"] == "2" and h1["X-RateLimit-Remaining"] == "1"
    assert h2["X-RateLimit-Remaining"] == "0"
    assert h1["X-RateLimit-Bucket"] == h2["X-RateLimit-Bucket"] == h3["X-RateLimit-Bucket"]
    assert 0 < float(h2["X-RateLimit-Reset-After"]) <= 30
    assert float(h2["X-RateLimit-Reset"]) > 1.7e9  # epoch seconds
    assert h3["X-RateLimit-Scope"] == "user" and "X-RateLimit-Global" not in h3
    assert int(h3["Retry-After"]) >= body["retry_after"] > 0
    assert body["message"] == "You are being rate limited." and body["global"] is False
    assert h3["Content-Type"] == "application/json"
    # A 429 is not an error of the request: it is kept apart from sandbox.errors.
    assert limited.errors == []
    assert [(h.method, h.scope) for h in limited.rate_limited] == [("GET", "user")]


async def test_buckets_are_counted_per_top_level_resource(limited: Sandbox) -> None:
    owner = limited.create_user("maria")
    guild = limited.create_guild("Halland", owner=owner)
    other = limited.create_channel(guild, "annat")
    general = limited.find_channel(guild, "general")
    headers = {"Authorization": f"Bot {limited.token}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        statuses = []
        for chan in (general, general, other, other, general):
            url = f"{limited.api_base}/channels/{chan.id}/messages"
            async with http.post(url, json={"content": "hej"}) as resp:
                statuses.append(resp.status)
    assert statuses == [200, 200, 200, 200, 429]
    assert len(limited.channel_messages(general)) == 2
    assert len(limited.channel_messages(other)) == 2


async def test_the_global_limit_spares_interaction_endpoints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sb = await _started(Sandbox(rate_limits=RateLimits(global_limit=2, default=None)), monkeypatch)
    try:
        headers = {"Authorization": f"Bot {sb.token}"}
        async with aiohttp.ClientSession(headers=headers) as http:
            statuses = []
            for _ in range(3):
                async with http.get(sb.api_base + "/users/@me") as resp:
                    statuses.append(resp.status)
                    last = (dict(resp.headers), await resp.json())
            # An interaction token's webhook is not bound to the global limit (404: no such token).
            async with http.get(f"{sb.api_base}/webhooks/{sb.application_id}/x/messages/1") as r:
                webhook_status = r.status
        assert statuses == [200, 200, 429]
        h, body = last
        assert h["X-RateLimit-Global"] == "true" and h["X-RateLimit-Scope"] == "global"
        assert body["global"] is True and body["retry_after"] > 0
        assert webhook_status == 404
        sb.clear_errors()
    finally:
        await sb.stop()


async def test_discord_py_waits_out_the_bucket_and_posts_each_message_once(
    limited: Sandbox,
) -> None:
    owner = limited.create_user("maria")
    guild = limited.create_guild("Halland", owner=owner)
    general = limited.find_channel(guild, "general")
    async with running(limited, sync=False) as bot:
        chan = bot.get_channel(general.id)
        assert isinstance(chan, discord.TextChannel)
        for i in range(6):
            await chan.send(f"meddelande {i}")
    assert [m.content for m in limited.channel_messages(general)] == [
        f"meddelande {i}" for i in range(6)
    ]
    assert limited.errors == []


async def test_injected_429s_are_retried_and_nothing_is_done_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sb = await _started(Sandbox(rate_limits=RateLimits.injected(0.5, seed=7)), monkeypatch)
    try:
        anna = sb.create_user("anna", locale="sv-SE")
        guild = sb.create_guild("Halland", owner=anna)
        general = sb.find_channel(guild, "general")
        async with running(sb) as bot:
            me = sb.as_user(anna, guild=guild)
            for _ in range(5):
                assert (await me.invoke("about")).embeds
            slow = await me.invoke("slow")
            await sb.wait_for_followup(slow)
            chan = bot.get_channel(general.id)
            assert isinstance(chan, discord.TextChannel)
            for i in range(5):
                await chan.send(f"m{i}")
        # Exactly what was asked for, each once: five answers, the deferred reply and its
        # followup, five messages.
        assert [m.content for m in sb.channel_messages(general)] == [
            *["About"] * 5,
            "Klart!",
            "Second message",
            *[f"m{i}" for i in range(5)],
        ]
        assert sb.rate_limited, "some requests should have been answered 429"
        assert {h.scope for h in sb.rate_limited} == {"shared"}
        assert not any("/callback" in h.path for h in sb.rate_limited)
        assert sb.errors == []
    finally:
        await sb.stop()


def test_rate_limits_are_validated() -> None:
    with pytest.raises(ValueError):
        RateLimits(share=1.0)
    with pytest.raises(ValueError):
        RouteLimit(0, 1.0)
