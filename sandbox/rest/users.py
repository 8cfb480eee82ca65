"""Users, DMs, the gateway URL and the application."""

from __future__ import annotations

from aiohttp import web

from .. import payloads
from ..limits import ApiError, Errors
from ..world import _int
from .base import Resource, json_response, read_body


class UserRoutes(Resource):
    """Users, DMs, the gateway URL and the application."""

    async def get_gateway(self, request: web.Request) -> web.Response:
        """GET /gateway."""
        return json_response({"url": self.gateway_url})

    async def get_gateway_bot(self, request: web.Request) -> web.Response:
        """GET /gateway/bot."""
        return json_response(
            {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    @property
    def gateway_url(self) -> str:
        return self.world.base_url.replace("http://", "ws://") + "/"

    async def get_me(self, request: web.Request) -> web.Response:
        """GET /users/@me."""
        return json_response(payloads.me(self.world.bot_user))

    async def get_user(self, request: web.Request) -> web.Response:
        """GET /users/{user_id}."""
        user = self.world.users.get(_int(request.match_info["user_id"]))
        if user is None:
            raise ApiError(404, 10013, "Unknown User")
        return json_response(payloads.user(user))

    async def get_application(self, request: web.Request) -> web.Response:
        """GET /oauth2/applications/@me, GET /applications/@me."""
        w = self.world
        owner = next(iter(w.guilds.values())).owner_id if w.guilds else None
        owner_user = w.users.get(owner) if owner else None
        return json_response(
            {
                "id": str(w.application_id),
                "name": w.bot_user.username,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": w.application_flags,
                "owner": payloads.user(owner_user or w.bot_user),
                "team": None,
                "bot": payloads.user(w.bot_user),
                "hook": True,
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "approximate_guild_count": len(w.guilds),
                "integration_types_config": {"0": {}},
            }
        )

    async def create_dm(self, request: web.Request) -> web.Response:
        """POST /users/@me/channels."""
        body, _ = await read_body(request)
        rid = body.get("recipient_id")
        if rid is None:
            errs = Errors()
            errs.add(["recipient_id"], "BASE_TYPE_REQUIRED", "This field is required")
            errs.raise_if_any()
        user = self.world.users.get(_int(rid))
        if user is None:
            raise ApiError(404, 10013, "Unknown User")
        return json_response(payloads.channel(self.world.dm_channel(user)))
