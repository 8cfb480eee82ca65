"""The REST API (``/api/v10``), built on aiohttp: one module of handlers per resource.

:class:`RestApi` combines them, holds the route table, and runs every request through one
middleware: authorisation, rate limits (:mod:`sandbox.ratelimits`), and Discord's error bodies.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..limits import ApiError
from ..ratelimits import Refused
from ..world import RecordedError, World
from .base import API_PREFIX, Body, Handler, json_response, no_content, read_body
from .cdn import CdnRoutes
from .channels import ChannelRoutes
from .commands import CommandRoutes
from .events import EventRoutes
from .guilds import GuildRoutes
from .interactions import InteractionRoutes
from .members import MemberRoutes
from .messages import MessageRoutes
from .roles import RoleRoutes
from .threads import ThreadRoutes
from .users import UserRoutes

__all__ = ["API_PREFIX", "Body", "RestApi", "json_response", "no_content", "read_body"]


class RestApi(
    UserRoutes,
    CommandRoutes,
    InteractionRoutes,
    MessageRoutes,
    ChannelRoutes,
    ThreadRoutes,
    GuildRoutes,
    RoleRoutes,
    MemberRoutes,
    EventRoutes,
    CdnRoutes,
):
    """Route handlers over a :class:`World`."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024**2)
        self._routes()

    # Plumbing ---------------------------------------------------------------------

    def _add(self, method: str, path: str, handler: Handler) -> None:
        self.app.router.add_route(method, API_PREFIX + path, handler)

    def _record(self, request: web.Request, status: int, body: dict[str, Any]) -> None:
        self.world.errors.append(RecordedError(request.method, request.path, status, body))

    def _rate_limit(self, request: web.Request) -> dict[str, str]:
        """Count the request against its bucket and the global limit: its headers, or 429."""
        limiter = self.world.rate_limiter
        if limiter is None:
            return {}
        resource = getattr(request.match_info.route, "resource", None)
        if resource is None:
            return {}
        template = resource.canonical[len(API_PREFIX) :]
        return limiter.check(request.method, template, request.match_info, request.path)

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        limit_headers: dict[str, str] = {}
        try:
            if path.startswith(API_PREFIX):
                if not self._auth_exempt(path):
                    auth = request.headers.get("Authorization", "")
                    if auth != f"Bot {self.world.token}":
                        raise ApiError(401, 0, "401: Unauthorized")
                limit_headers = self._rate_limit(request)
            response = await handler(request)
            response.headers.update(limit_headers)
            return response
        except Refused as refused:
            # Not an error of the bot's: kept in the limiter's hits, not in world.errors.
            return json_response(refused.body, 429, refused.headers)
        except ApiError as exc:
            body = exc.body()
            if 400 <= exc.status < 500:
                self._record(request, exc.status, body)
            return json_response(body, exc.status, {**limit_headers, **exc.headers})
        except web.HTTPNotFound:
            body = {"message": "404: Not Found", "code": 0}
            self._record(request, 404, body)
            return json_response(body, 404)
        except web.HTTPMethodNotAllowed:
            body = {"message": "405: Method Not Allowed", "code": 0}
            self._record(request, 405, body)
            return json_response(body, 405)

    @staticmethod
    def _auth_exempt(path: str) -> bool:
        rest = path[len(API_PREFIX) :]
        return rest.startswith(("/webhooks/", "/interactions/"))

    def _routes(self) -> None:
        a = self._add
        a("GET", "/gateway", self.get_gateway)
        a("GET", "/gateway/bot", self.get_gateway_bot)
        a("GET", "/users/@me", self.get_me)
        a("POST", "/users/@me/channels", self.create_dm)
        a("GET", "/users/{user_id}", self.get_user)
        a("GET", "/oauth2/applications/@me", self.get_application)
        a("GET", "/applications/@me", self.get_application)
        for scope in ("", "/guilds/{guild_id}"):
            base = "/applications/{app_id}" + scope + "/commands"
            a("GET", base, self.list_commands)
            a("PUT", base, self.bulk_commands)
            a("POST", base, self.create_command)
            a("GET", base + "/permissions", self.command_permissions)
            a("GET", base + "/{command_id}", self.get_command)
            a("PATCH", base + "/{command_id}", self.edit_command)
            a("DELETE", base + "/{command_id}", self.delete_command)
        a("POST", "/interactions/{interaction_id}/{token}/callback", self.interaction_callback)
        a("POST", "/webhooks/{app_id}/{token}", self.webhook_execute)
        a("GET", "/webhooks/{app_id}/{token}/messages/{message_id}", self.webhook_get)
        a("PATCH", "/webhooks/{app_id}/{token}/messages/{message_id}", self.webhook_edit)
        a("DELETE", "/webhooks/{app_id}/{token}/messages/{message_id}", self.webhook_delete)
        a("GET", "/channels/{channel_id}", self.get_channel)
        a("PATCH", "/channels/{channel_id}", self.edit_channel)
        a("DELETE", "/channels/{channel_id}", self.delete_channel)
        a("GET", "/channels/{channel_id}/messages", self.list_messages)
        a("POST", "/channels/{channel_id}/messages", self.post_message)
        a("GET", "/channels/{channel_id}/messages/{message_id}", self.get_message)
        a("PATCH", "/channels/{channel_id}/messages/{message_id}", self.edit_message)
        a("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message)
        a("POST", "/channels/{channel_id}/messages/{message_id}/threads", self.thread_from_message)
        a("POST", "/channels/{channel_id}/threads", self.create_thread)
        a("POST", "/channels/{channel_id}/typing", self.typing)
        a("PUT", "/channels/{channel_id}/permissions/{target_id}", self.put_overwrite)
        a("DELETE", "/channels/{channel_id}/permissions/{target_id}", self.delete_overwrite)
        a("PUT", "/channels/{channel_id}/thread-members/@me", self.join_thread)
        a("DELETE", "/channels/{channel_id}/thread-members/@me", self.leave_thread)
        a("GET", "/guilds/{guild_id}", self.get_guild)
        a("GET", "/guilds/{guild_id}/channels", self.list_channels)
        a("POST", "/guilds/{guild_id}/channels", self.create_channel)
        a("PATCH", "/guilds/{guild_id}/channels", self.channel_positions)
        a("GET", "/guilds/{guild_id}/threads/active", self.active_threads)
        a("GET", "/guilds/{guild_id}/roles", self.list_roles)
        a("POST", "/guilds/{guild_id}/roles", self.create_role)
        a("PATCH", "/guilds/{guild_id}/roles", self.role_positions)
        a("GET", "/guilds/{guild_id}/roles/{role_id}", self.get_role)
        a("PATCH", "/guilds/{guild_id}/roles/{role_id}", self.edit_role)
        a("DELETE", "/guilds/{guild_id}/roles/{role_id}", self.delete_role)
        a("GET", "/guilds/{guild_id}/members", self.list_members)
        a("GET", "/guilds/{guild_id}/members/search", self.search_members)
        a("PATCH", "/guilds/{guild_id}/members/@me", self.edit_me)
        a("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member)
        a("PATCH", "/guilds/{guild_id}/members/{user_id}", self.edit_member)
        a("DELETE", "/guilds/{guild_id}/members/{user_id}", self.kick_member)
        a("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self.add_member_role)
        a("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self.remove_member_role)
        a("GET", "/guilds/{guild_id}/scheduled-events", self.list_events)
        a("POST", "/guilds/{guild_id}/scheduled-events", self.create_event)
        a("GET", "/guilds/{guild_id}/scheduled-events/{event_id}", self.get_event)
        a("PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}", self.edit_event)
        a("DELETE", "/guilds/{guild_id}/scheduled-events/{event_id}", self.delete_event)
        a("GET", "/guilds/{guild_id}/scheduled-events/{event_id}/users", self.event_users)
        self.app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self.cdn)
