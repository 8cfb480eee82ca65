"""Rate limits as Discord documents them (https://discord.com/developers/docs/topics/rate-limits).

- **Per-route buckets**: each route (method + path template) has a limit per window, counted
  separately for each top-level resource in the path (``channel_id``, ``guild_id``, or the
  webhook id + token). Every answer carries ``X-RateLimit-Limit``, ``-Remaining``, ``-Reset``
  (epoch seconds), ``-Reset-After`` (seconds) and ``-Bucket`` (an opaque hash).
- **The global limit**: requests a second across all routes. Interaction endpoints (the
  callback and the followup webhooks, both authorised by the interaction token) are not bound
  to it, as Discord documents.
- Over a limit the answer is **429** with ``Retry-After``, ``X-RateLimit-Scope`` (``user``,
  ``global`` or ``shared``), ``X-RateLimit-Global`` for the global limit, and the body
  ``{"message": "You are being rate limited.", "retry_after": s, "global": bool}``. Nothing of
  a refused request is carried out.
- **Injected 429s** (``share``): a share of the bot's requests answered 429 as if a shared
  resource limit (scope ``shared``) had been hit, to test that the bot retries and completes.
  The same bucket is never refused twice in a row, so every request gets through on its first
  retry. Interaction callbacks are spared by default: Discord documents no limit on them and
  the 3-second rule is measured from the interaction.

Time here is real time: the bot's HTTP client waits in real time, whatever its clock says.
"""

from __future__ import annotations

import hashlib
import math
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

RATE_LIMITED_MESSAGE = "You are being rate limited."


@dataclass(frozen=True)
class RouteLimit:
    """``limit`` requests per ``window`` seconds in one bucket."""

    limit: int
    window: float

    def __post_init__(self) -> None:
        if self.limit < 1 or self.window <= 0:
            raise ValueError("a route limit needs limit >= 1 and a positive window")


# Limits Discord has been seen to answer with (its docs say not to hard-code them; these only
# make the emulator's buckets realistic). Keys: "METHOD /path/{template}" without /api/v10.
DISCORD_ROUTE_LIMITS: Mapping[str, RouteLimit] = {
    "POST /channels/{channel_id}/messages": RouteLimit(5, 5.0),
    "DELETE /channels/{channel_id}/messages/{message_id}": RouteLimit(5, 1.0),
    "PATCH /channels/{channel_id}": RouteLimit(2, 600.0),
    "PATCH /guilds/{guild_id}/members/{user_id}": RouteLimit(10, 10.0),
    "PATCH /guilds/{guild_id}/members/@me": RouteLimit(1, 1.0),
    "POST /webhooks/{app_id}/{token}": RouteLimit(5, 2.0),
    "PATCH /webhooks/{app_id}/{token}/messages/{message_id}": RouteLimit(5, 2.0),
}


@dataclass
class RateLimits:
    """How a sandbox limits the bot's requests: ``Sandbox(rate_limits=RateLimits(...))``.

    ``global_limit`` requests a second (None: no global limit); ``routes`` per route
    template, ``default`` for every other route (None: unlimited, headers still sent);
    ``share`` of requests answered with an injected 429 after ``retry_after`` seconds.
    """

    global_limit: int | None = 50
    routes: Mapping[str, RouteLimit] = field(default_factory=lambda: dict(DISCORD_ROUTE_LIMITS))
    default: RouteLimit | None = field(default_factory=lambda: RouteLimit(50, 1.0))
    share: float = 0.0
    retry_after: float = 0.05
    seed: int = 0
    spare_callbacks: bool = True

    def __post_init__(self) -> None:
        if not 0.0 <= self.share < 1.0:
            raise ValueError("share must be within [0, 1)")
        if self.retry_after <= 0:
            raise ValueError("retry_after must be positive")

    @classmethod
    def generous(cls) -> RateLimits:
        """Headers and buckets on every answer, limits no test reaches."""
        return cls(global_limit=10_000, routes={}, default=RouteLimit(10_000, 1.0))

    @classmethod
    def injected(cls, share: float, *, seed: int = 0, retry_after: float = 0.05) -> RateLimits:
        """Generous limits plus a ``share`` of requests refused once with 429."""
        limits = cls.generous()
        limits.share = share
        limits.seed = seed
        limits.retry_after = retry_after
        return limits


@dataclass
class RateLimitHit:
    """A 429 the sandbox answered (kept apart from ``Sandbox.errors``: the bot should retry)."""

    method: str
    path: str
    scope: str
    bucket: str | None
    retry_after: float


@dataclass
class _Bucket:
    limit: int
    window: float
    count: int = 0
    reset_at: float = 0.0


class Refused(Exception):
    """Raised by :meth:`RateLimiter.check`: answer 429 with these headers and body."""

    def __init__(self, headers: dict[str, str], body: dict[str, Any], hit: RateLimitHit) -> None:
        super().__init__(body["message"])
        self.headers = headers
        self.body = body
        self.hit = hit


def bucket_hash(route: str) -> str:
    """An opaque, stable bucket id for a route, like Discord's ``X-RateLimit-Bucket``."""
    return hashlib.sha1(route.encode()).hexdigest()[:16]


def _interaction_route(template: str) -> bool:
    return template.startswith(("/interactions/", "/webhooks/"))


class RateLimiter:
    """Counts the bot's requests per bucket and globally; decides 200-with-headers or 429."""

    def __init__(self, config: RateLimits) -> None:
        self.config = config
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._global_count = 0
        self._global_reset = 0.0
        self._random = random.Random(config.seed)
        self._just_refused: set[tuple[str, str]] = set()
        self.hits: list[RateLimitHit] = []

    def _limit_for(self, route: str) -> RouteLimit | None:
        return self.config.routes.get(route, self.config.default)

    def check(
        self, method: str, template: str, params: Mapping[str, str], path: str
    ) -> dict[str, str]:
        """Count one request; its rate-limit headers, or :class:`Refused` for a 429."""
        now = time.monotonic()
        route = f"{method} {template}"
        digest = bucket_hash(route)
        major = _major(template, params)
        key = (digest, major)
        interaction = _interaction_route(template)
        limit = self._limit_for(route)
        bucket = self._buckets.get(key)
        if limit is not None and bucket is None:
            bucket = self._buckets[key] = _Bucket(limit.limit, limit.window)
        if bucket is not None and now >= bucket.reset_at:
            bucket.count = 0
            bucket.reset_at = now + bucket.window
        # The global limit (interaction endpoints are exempt).
        if self.config.global_limit is not None and not interaction:
            if now >= self._global_reset:
                self._global_count = 0
                self._global_reset = now + 1.0
            if self._global_count >= self.config.global_limit:
                self._refuse_global(method, path, self._global_reset - now)
            self._global_count += 1
        # The route's own bucket.
        if bucket is not None and bucket.count >= bucket.limit:
            self._refuse(method, path, "user", digest, bucket, bucket.reset_at - now, now)
        # Injected 429s: never the same bucket twice in a row.
        callback = template.startswith("/interactions/")
        if (
            self.config.share > 0
            and not (callback and self.config.spare_callbacks)
            and key not in self._just_refused
            and self._random.random() < self.config.share
        ):
            self._just_refused.add(key)
            self._refuse(method, path, "shared", digest, bucket, self.config.retry_after, now)
        self._just_refused.discard(key)
        if bucket is None:
            return {"X-RateLimit-Bucket": digest}
        bucket.count += 1
        return _headers(digest, bucket, now)

    def _refuse(
        self,
        method: str,
        path: str,
        scope: str,
        digest: str,
        bucket: _Bucket | None,
        retry_after: float,
        now: float,
    ) -> None:
        retry_after = round(max(retry_after, 0.001), 3)
        headers = _headers(digest, bucket, now) if bucket is not None else {}
        headers["X-RateLimit-Bucket"] = digest
        headers["X-RateLimit-Scope"] = scope
        if scope == "user":
            headers["X-RateLimit-Remaining"] = "0"
        headers.update(_retry_headers(retry_after))
        body = {"message": RATE_LIMITED_MESSAGE, "retry_after": retry_after, "global": False}
        hit = RateLimitHit(method, path, scope, digest, retry_after)
        self.hits.append(hit)
        raise Refused(headers, body, hit)

    def _refuse_global(self, method: str, path: str, retry_after: float) -> None:
        retry_after = round(max(retry_after, 0.001), 3)
        headers = {"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"}
        headers.update(_retry_headers(retry_after))
        body = {"message": RATE_LIMITED_MESSAGE, "retry_after": retry_after, "global": True}
        hit = RateLimitHit(method, path, "global", None, retry_after)
        self.hits.append(hit)
        raise Refused(headers, body, hit)


def _major(template: str, params: Mapping[str, str]) -> str:
    """The top-level resource a bucket is counted per (channel, guild, or webhook + token)."""
    if template.startswith("/channels/"):
        return f"channel:{params.get('channel_id', '')}"
    if template.startswith("/guilds/"):
        return f"guild:{params.get('guild_id', '')}"
    if template.startswith("/webhooks/"):
        return f"webhook:{params.get('app_id', '')}:{params.get('token', '')}"
    if template.startswith("/interactions/"):
        return f"interaction:{params.get('interaction_id', '')}:{params.get('token', '')}"
    return ""


def _headers(digest: str, bucket: _Bucket | None, now: float) -> dict[str, str]:
    if bucket is None:
        return {"X-RateLimit-Bucket": digest}
    reset_after = max(bucket.reset_at - now, 0.0)
    return {
        "X-RateLimit-Limit": str(bucket.limit),
        "X-RateLimit-Remaining": str(max(bucket.limit - bucket.count, 0)),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": digest,
    }


def _retry_headers(retry_after: float) -> dict[str, str]:
    # Retry-After is whole seconds; the body's retry_after has the decimals. Discord's answers
    # pass through its proxy, which names itself in Via (discord.py treats a 429 without Via
    # as a Cloudflare ban).
    return {"Retry-After": str(math.ceil(retry_after)), "Via": "1.1 google"}
