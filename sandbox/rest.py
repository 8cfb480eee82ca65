"""The REST API (``/api/v10``), built on aiohttp."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from aiohttp import BodyPartReader, web

from . import payloads
from .limits import (
    ApiError,
    Errors,
    missing_access,
    missing_permissions,
    parse_iso,
    validate_autocomplete,
    validate_channel_fields,
    validate_command,
    validate_command_set,
    validate_modal,
)
from .reply import Choice, Reply, modal_from_payload
from .state import (
    Channel,
    ChannelType,
    Guild,
    Member,
    Message,
    MessageFlag,
    Overwrite,
    Perm,
    Role,
    ScheduledEvent,
)
from .world import (
    INTENT_GUILD_SCHEDULED_EVENTS,
    InteractionRecord,
    RecordedError,
    Upload,
    World,
    _int,
)

API_PREFIX = "/api/v10"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Body = dict[str, Any]


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """A JSON response with Content-Type exactly ``application/json`` (discord.py checks it)."""
    if status == 204:
        return web.Response(status=204)
    hdrs = {"Content-Type": "application/json"}
    hdrs.update(headers or {})
    return web.Response(body=json.dumps(data).encode(), status=status, headers=hdrs)


def no_content() -> web.Response:
    """204."""
    return web.Response(status=204)


async def read_body(request: web.Request) -> tuple[Body, list[Upload]]:
    """JSON body, or multipart ``payload_json`` + ``files[n]``."""
    ctype = request.headers.get("Content-Type", "")
    if ctype.startswith("multipart/"):
        body: Body = {}
        uploads: list[Upload] = []
        reader = await request.multipart()
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader):
                continue
            name = part.name or ""
            raw = await part.read()
            if name == "payload_json":
                try:
                    body = json.loads(raw.decode())
                except ValueError:
                    raise ApiError(400, 50109, "The request body contains invalid JSON.") from None
            elif name.startswith("files[") and name.endswith("]"):
                index = int(name[6:-1])
                filename = part.filename or f"file{index}"
                content_type = part.headers.get("Content-Type")
                uploads.append(Upload(index, filename, bytes(raw), content_type))
            elif name.startswith("file"):
                uploads.append(
                    Upload(
                        len(uploads),
                        part.filename or name,
                        bytes(raw),
                        part.headers.get("Content-Type"),
                    )
                )
        if not isinstance(body, dict):
            raise ApiError(400, 50109, "The request body contains invalid JSON.")
        return body, uploads
    raw_text = await request.text()
    if not raw_text.strip():
        return {}, []
    try:
        data = json.loads(raw_text)
    except ValueError:
        raise ApiError(400, 50109, "The request body contains invalid JSON.") from None
    if not isinstance(data, dict | list):
        raise ApiError(400, 50109, "The request body contains invalid JSON.")
    if isinstance(data, list):
        return {"__list__": data}, []
    return data, []


def _flag(request: web.Request, name: str) -> bool:
    return request.query.get(name, "").lower() in ("1", "true")


def _perm_int(value: Any, path: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        errs = Errors()
        errs.add([path], "NUMBER_TYPE_COERCE", f'Value "{value}" is not int.')
        errs.raise_if_any()
        raise AssertionError("unreachable") from None


class RestApi:
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

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        try:
            if path.startswith(API_PREFIX) and not self._auth_exempt(path):
                auth = request.headers.get("Authorization", "")
                if auth != f"Bot {self.world.token}":
                    raise ApiError(401, 0, "401: Unauthorized")
            return await handler(request)
        except ApiError as exc:
            body = exc.body()
            if 400 <= exc.status < 500:
                self._record(request, exc.status, body)
            return json_response(body, exc.status, exc.headers)
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

    # Users and application ----------------------------------------------------------

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

    # Application commands ---------------------------------------------------------

    def _command_scope(
        self, request: web.Request
    ) -> tuple[dict[int, dict[str, Any]], Guild | None]:
        if _int(request.match_info["app_id"]) != self.world.application_id:
            raise ApiError(403, 50001, "Missing Access")
        gid = request.match_info.get("guild_id")
        if gid is None:
            return self.world.global_commands, None
        guild = self.world.guilds.get(_int(gid))
        if guild is None:
            raise ApiError(403, 50001, "Missing Access")
        return guild.commands, guild

    def _stored_command(
        self, cmd: Body, guild: Guild | None, existing: dict[str, Any] | None
    ) -> dict[str, Any]:
        ctype = cmd.get("type", 1)
        stored: dict[str, Any] = {
            "id": existing["id"] if existing else str(self.world.snowflake()),
            "application_id": str(self.world.application_id),
            "version": str(self.world.snowflake()),
            "type": ctype,
            "name": cmd["name"],
            "name_localizations": cmd.get("name_localizations"),
            "description": cmd.get("description", "") if ctype == 1 else "",
            "description_localizations": cmd.get("description_localizations"),
            "default_member_permissions": cmd.get("default_member_permissions"),
            "dm_permission": cmd.get("dm_permission", True),
            "nsfw": bool(cmd.get("nsfw", False)),
        }
        if ctype == 1:
            stored["options"] = cmd.get("options") or []
        if guild is not None:
            stored["guild_id"] = str(guild.id)
        else:
            stored["integration_types"] = cmd.get("integration_types") or [0]
            stored["contexts"] = cmd.get("contexts")
        return stored

    async def list_commands(self, request: web.Request) -> web.Response:
        """GET /applications/{app_id}[/guilds/{guild_id}]/commands."""
        store, _ = self._command_scope(request)
        return json_response(list(store.values()))

    async def command_permissions(self, request: web.Request) -> web.Response:
        """GET /applications/{app_id}[/guilds/{guild_id}]/commands/permissions."""
        self._command_scope(request)
        return json_response([])

    async def bulk_commands(self, request: web.Request) -> web.Response:
        """PUT /applications/{app_id}[/guilds/{guild_id}]/commands."""
        store, guild = self._command_scope(request)
        body, _ = await read_body(request)
        commands = body.get("__list__")
        if not isinstance(commands, list):
            raise ApiError(
                400,
                50035,
                "Invalid Form Body",
                {
                    "_errors": [
                        {
                            "code": "LIST_TYPE_CONVERT",
                            "message": "Only iterables may be used in a ListType",
                        }
                    ]
                },
            )
        errs = Errors()
        for i, cmd in enumerate(commands):
            validate_command(errs, [i], cmd)
        validate_command_set(errs, commands)
        errs.raise_if_any()
        by_key = {(c["type"], c["name"]): c for c in store.values()}
        new: dict[int, dict[str, Any]] = {}
        for cmd in commands:
            stored = self._stored_command(cmd, guild, by_key.get((cmd.get("type", 1), cmd["name"])))
            new[int(stored["id"])] = stored
        store.clear()
        store.update(new)
        return json_response(list(store.values()))

    async def create_command(self, request: web.Request) -> web.Response:
        """POST /applications/{app_id}[/guilds/{guild_id}]/commands."""
        store, guild = self._command_scope(request)
        body, _ = await read_body(request)
        errs = Errors()
        validate_command(errs, [], body)
        errs.raise_if_any()
        existing = next(
            (
                c
                for c in store.values()
                if c["type"] == body.get("type", 1) and c["name"] == body["name"]
            ),
            None,
        )
        stored = self._stored_command(body, guild, existing)
        others = [c for c in store.values() if c is not existing]
        errs = Errors()
        validate_command_set(errs, [*others, stored])
        if errs:
            raise ApiError(400, 30032, "Maximum number of application commands reached")
        store[int(stored["id"])] = stored
        return json_response(stored, 200 if existing else 201)

    def _find_command(
        self, request: web.Request
    ) -> tuple[dict[int, dict[str, Any]], Guild | None, dict[str, Any]]:
        store, guild = self._command_scope(request)
        cmd = store.get(_int(request.match_info["command_id"]))
        if cmd is None:
            raise ApiError(404, 10063, "Unknown application command")
        return store, guild, cmd

    async def get_command(self, request: web.Request) -> web.Response:
        """GET /applications/{app_id}[/guilds/{guild_id}]/commands/{command_id}."""
        _, _, cmd = self._find_command(request)
        return json_response(cmd)

    async def edit_command(self, request: web.Request) -> web.Response:
        """PATCH /applications/{app_id}[/guilds/{guild_id}]/commands/{command_id}."""
        store, guild, cmd = self._find_command(request)
        body, _ = await read_body(request)
        merged = {k: v for k, v in cmd.items() if k not in ("id", "application_id", "version")}
        merged.update(body)
        errs = Errors()
        validate_command(errs, [], merged)
        errs.raise_if_any()
        stored = self._stored_command(merged, guild, cmd)
        store[int(stored["id"])] = stored
        return json_response(stored)

    async def delete_command(self, request: web.Request) -> web.Response:
        """DELETE /applications/{app_id}[/guilds/{guild_id}]/commands/{command_id}."""
        store, _, cmd = self._find_command(request)
        del store[int(cmd["id"])]
        return no_content()

    # Interactions -----------------------------------------------------------------

    def _settle(self, rec: InteractionRecord, reply: Reply) -> None:
        if rec.acked is not None:
            reply.acked_after = rec.acked - rec.created
        if rec.future is not None and not rec.future.done():
            rec.future.set_result(reply)

    def _message_type(self, rec: InteractionRecord) -> int:
        if rec.type == 2:
            return 20 if (rec.command_type or 1) == 1 else 23
        return 0

    async def interaction_callback(self, request: web.Request) -> web.Response:
        """POST /interactions/{interaction_id}/{token}/callback."""
        w = self.world
        # Read the body first so that the deadline check and the acknowledgement happen
        # with no await in between (the driver judges the deadline the same way).
        body, uploads = await read_body(request)
        rec = w.interactions.get(_int(request.match_info["interaction_id"]))
        if rec is None or rec.token != request.match_info["token"]:
            raise ApiError(404, 10062, "Unknown interaction")
        if rec.responded:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        if rec.age > w.ack_deadline:
            raise ApiError(404, 10062, "Unknown interaction")
        rtype = body.get("type")
        allowed = {2: [4, 5, 9], 3: [4, 5, 6, 7, 9], 4: [8], 5: [4, 5, 6, 7]}[rec.type]
        if rec.type == 5 and rec.source_message is None:
            # A modal opened by a command has no message to update.
            allowed = [4, 5]
        if rtype not in allowed:
            errs = Errors()
            errs.choice(["type"], rtype, allowed)
            errs.raise_if_any()
        data = body.get("data") or {}
        if not isinstance(data, dict):
            errs = Errors()
            errs.add(["data"], "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            errs.raise_if_any()
        try:
            return self._respond(rec, int(rtype or 0), data, uploads)
        except ApiError as exc:
            # Field errors in a callback are reported under "data", as Discord does.
            if exc.errors is not None and exc.code == 50035 and "data" not in exc.errors:
                exc.errors = {"data": exc.errors}
            raise

    def _respond(
        self, rec: InteractionRecord, rtype: int, data: Body, uploads: list[Upload]
    ) -> web.Response:
        w = self.world
        msg: Message | None = None
        if rtype == 4:
            msg = w.create_message(
                rec.channel,
                w.bot_user,
                data,
                uploads,
                mtype=self._message_type(rec),
                interaction=rec,
            )
            rec.original_message_id = msg.id
            rec.ephemeral = msg.ephemeral
            self._mark(rec, rtype)
            self._settle(rec, Reply.from_message("message", rec.id, msg, rec.followups, rtype))
        elif rtype == 5:
            flags = (data.get("flags") or 0) & MessageFlag.EPHEMERAL
            msg = w.create_message(
                rec.channel,
                w.bot_user,
                {"flags": flags},
                [],
                mtype=self._message_type(rec),
                interaction=rec,
                extra_flags=MessageFlag.LOADING,
                allow_empty=True,
            )
            rec.original_message_id = msg.id
            rec.ephemeral = msg.ephemeral
            self._mark(rec, rtype)
        elif rtype == 6:
            assert rec.source_message is not None
            rec.original_message_id = rec.source_message.id
            self._mark(rec, rtype)
        elif rtype == 7:
            assert rec.source_message is not None
            msg = w.edit_message(rec.source_message, data, uploads)
            rec.original_message_id = msg.id
            self._mark(rec, rtype)
            self._settle(rec, Reply.from_message("update", rec.id, msg, rec.followups, rtype))
        elif rtype == 8:
            errs = Errors()
            validate_autocomplete(errs, data)
            errs.raise_if_any()
            self._mark(rec, rtype)
            choices = [
                Choice(c["name"], c["value"], c.get("name_localizations")) for c in data["choices"]
            ]
            self._settle(
                rec,
                Reply(kind="autocomplete", interaction_id=rec.id, choices=choices, response_type=8),
            )
        elif rtype == 9:
            errs = Errors()
            validate_modal(errs, data)
            errs.raise_if_any()
            self._mark(rec, rtype)
            self._settle(
                rec,
                Reply(
                    kind="modal",
                    interaction_id=rec.id,
                    modal=modal_from_payload(data),
                    message=rec.source_message,
                    response_type=9,
                ),
            )
        out: dict[str, Any] = {
            "interaction": {
                "id": str(rec.id),
                "type": rec.type,
                "response_message_id": str(msg.id) if msg else None,
                "response_message_loading": rtype == 5,
                "response_message_ephemeral": bool(msg and msg.ephemeral),
            },
            "resource": {"type": rtype},
        }
        if msg is not None:
            out["resource"]["message"] = w.render(msg)
        return json_response(out)

    @staticmethod
    def _mark(rec: InteractionRecord, rtype: int) -> None:
        rec.responded = True
        rec.response_type = rtype
        rec.acked = time.monotonic()

    def _webhook_rec(self, request: web.Request) -> InteractionRecord:
        if _int(request.match_info["app_id"]) != self.world.application_id:
            raise ApiError(404, 10015, "Unknown Webhook")
        rec = self.world.interaction_by_token(request.match_info["token"])
        if rec is None:
            raise ApiError(404, 10015, "Unknown Webhook")
        if self.world.token_expired(rec):
            raise ApiError(401, 50027, "Invalid Webhook Token")
        if not rec.responded:
            raise ApiError(404, 10015, "Unknown Webhook")
        return rec

    def _webhook_message(self, rec: InteractionRecord, message_id: str) -> Message:
        if message_id == "@original":
            mid = rec.original_message_id
        else:
            mid = _int(message_id)
            if mid != rec.original_message_id and mid not in {m.id for m in rec.followups}:
                mid = None
        msg = self.world.messages.get(mid) if mid is not None else None
        if msg is None or msg.deleted:
            raise ApiError(404, 10008, "Unknown Message")
        return msg

    async def webhook_execute(self, request: web.Request) -> web.Response:
        """POST /webhooks/{app_id}/{token}."""
        w = self.world
        rec = self._webhook_rec(request)
        body, uploads = await read_body(request)
        original = w.messages.get(rec.original_message_id) if rec.original_message_id else None
        if (
            rec.response_type == 5
            and original is not None
            and original.flags & MessageFlag.LOADING
            and not original.deleted
        ):
            # The first followup after a deferred response replaces the "thinking" message.
            edit = {k: v for k, v in body.items() if k != "flags"}
            msg = w.edit_message(original, edit, uploads, clear_loading=True)
            self._settle(rec, Reply.from_message("message", rec.id, msg, rec.followups, 5))
        else:
            msg = w.create_message(
                rec.channel,
                w.bot_user,
                body,
                uploads,
                mtype=self._message_type(rec),
                interaction=rec,
            )
            rec.followups.append(msg)
            kind = "message"
            self._settle(
                rec, Reply.from_message(kind, rec.id, msg, rec.followups, rec.response_type or 0)
            )
        if not _flag(request, "wait"):
            return no_content()
        return json_response(w.render(msg))

    async def webhook_get(self, request: web.Request) -> web.Response:
        """GET /webhooks/{app_id}/{token}/messages/{message_id}."""
        rec = self._webhook_rec(request)
        msg = self._webhook_message(rec, request.match_info["message_id"])
        return json_response(self.world.render(msg))

    async def webhook_edit(self, request: web.Request) -> web.Response:
        """PATCH /webhooks/{app_id}/{token}/messages/{message_id}."""
        w = self.world
        rec = self._webhook_rec(request)
        msg = self._webhook_message(rec, request.match_info["message_id"])
        body, uploads = await read_body(request)
        loading = bool(msg.flags & MessageFlag.LOADING)
        msg = w.edit_message(msg, body, uploads, clear_loading=loading)
        if msg.id == rec.original_message_id:
            kind = "update" if rec.response_type in (6, 7) else "message"
            self._settle(
                rec, Reply.from_message(kind, rec.id, msg, rec.followups, rec.response_type or 0)
            )
        return json_response(w.render(msg))

    async def webhook_delete(self, request: web.Request) -> web.Response:
        """DELETE /webhooks/{app_id}/{token}/messages/{message_id}."""
        rec = self._webhook_rec(request)
        msg = self._webhook_message(rec, request.match_info["message_id"])
        self.world.delete_message(msg)
        if msg.id == rec.original_message_id:
            kind = "update" if rec.response_type in (6, 7) else "message"
            self._settle(
                rec, Reply.from_message(kind, rec.id, msg, rec.followups, rec.response_type or 0)
            )
        return no_content()

    # Channels and messages --------------------------------------------------------

    def _check_send(self, chan: Channel, uploads: list[Upload], body: Body) -> None:
        w = self.world
        guild = w.guild_of(chan)
        if chan.type in (ChannelType.GUILD_CATEGORY, *ChannelType.FORUM_LIKE):
            raise ApiError(400, 50008, "Cannot send messages in a non-text channel")
        if guild is None:
            recipient = chan.recipients[0] if chan.recipients else None
            if recipient is None or not any(
                recipient.id in g.members_by_id for g in w.guilds.values()
            ):
                raise ApiError(403, 50007, "Cannot send messages to this user")
            return
        needed = Perm.VIEW_CHANNEL | (
            Perm.SEND_MESSAGES_IN_THREADS if chan.is_thread else Perm.SEND_MESSAGES
        )
        if uploads:
            needed |= Perm.ATTACH_FILES
        if body.get("message_reference"):
            needed |= Perm.READ_MESSAGE_HISTORY
        w.require(guild, chan, needed)
        if chan.is_thread and chan.archived:
            if chan.locked and not w.bot_perms(guild, chan) & Perm.MANAGE_THREADS:
                raise ApiError(400, 50083, "Thread is archived")
            chan.archived = False
            chan.archive_timestamp = self.world.now()
            self._thread_update(chan)

    def _thread_update(self, chan: Channel) -> None:
        self.world.dispatch("THREAD_UPDATE", payloads.channel(chan))

    async def typing(self, request: web.Request) -> web.Response:
        """POST /channels/{channel_id}/typing."""
        self.world.get_channel(request.match_info["channel_id"])
        return no_content()

    async def post_message(self, request: web.Request) -> web.Response:
        """POST /channels/{channel_id}/messages."""
        w = self.world
        chan = w.get_channel(request.match_info["channel_id"])
        body, uploads = await read_body(request)
        self._check_send(chan, uploads, body)
        existing = w.dedupe_nonce(chan, w.bot_user, body)
        if existing is not None:
            return json_response(w.render(existing))
        msg = w.create_message(chan, w.bot_user, body, uploads)
        w.remember_nonce(chan, w.bot_user, body, msg)
        return json_response(w.render(msg))

    def _can_read_history(self, chan: Channel) -> bool:
        guild = self.world.guild_of(chan)
        return guild is None or bool(self.world.bot_perms(guild, chan) & Perm.READ_MESSAGE_HISTORY)

    async def list_messages(self, request: web.Request) -> web.Response:
        """GET /channels/{channel_id}/messages."""
        w = self.world
        chan = w.get_channel(request.match_info["channel_id"])
        if not self._can_read_history(chan):
            return json_response([])
        try:
            limit = int(request.query.get("limit", "50"))
        except ValueError:
            limit = 50
        if not 1 <= limit <= 100:
            errs = Errors()
            errs.integer(["limit"], limit, 1, 100)
            errs.raise_if_any()
        msgs = w.channel_messages(chan)
        q = request.query
        if "before" in q:
            msgs = [m for m in msgs if m.id < _int(q["before"])]
            msgs = msgs[-limit:]
        elif "after" in q:
            msgs = [m for m in msgs if m.id > _int(q["after"])][:limit]
        elif "around" in q:
            pivot = _int(q["around"])
            older = [m for m in msgs if m.id <= pivot][-((limit + 1) // 2) :]
            newer = [m for m in msgs if m.id > pivot][: limit // 2]
            msgs = older + newer
        else:
            msgs = msgs[-limit:]
        return json_response([w.render(m) for m in reversed(msgs)])

    async def get_message(self, request: web.Request) -> web.Response:
        """GET /channels/{channel_id}/messages/{message_id}."""
        w = self.world
        chan = w.get_channel(request.match_info["channel_id"])
        if not self._can_read_history(chan):
            raise missing_access()
        return json_response(w.render(w.get_message(chan, request.match_info["message_id"])))

    async def edit_message(self, request: web.Request) -> web.Response:
        """PATCH /channels/{channel_id}/messages/{message_id}."""
        w = self.world
        chan = w.get_channel(request.match_info["channel_id"])
        msg = w.get_message(chan, request.match_info["message_id"])
        body, uploads = await read_body(request)
        if msg.author.id != w.bot_user.id or msg.webhook_id is not None:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        if uploads:
            w.require(w.guild_of(chan), chan, Perm.ATTACH_FILES)
        return json_response(w.render(w.edit_message(msg, body, uploads)))

    async def delete_message(self, request: web.Request) -> web.Response:
        """DELETE /channels/{channel_id}/messages/{message_id}."""
        w = self.world
        chan = w.get_channel(request.match_info["channel_id"])
        msg = w.get_message(chan, request.match_info["message_id"])
        if msg.author.id != w.bot_user.id:
            w.require(w.guild_of(chan), chan, Perm.MANAGE_MESSAGES)
        w.delete_message(msg)
        return no_content()

    async def get_channel(self, request: web.Request) -> web.Response:
        """GET /channels/{channel_id}."""
        return json_response(
            payloads.channel(self.world.get_channel(request.match_info["channel_id"]))
        )

    def _overwrites_from(self, guild: Guild, raw: Any, limit_to: int) -> dict[int, Overwrite]:
        out: dict[int, Overwrite] = {}
        for i, ow in enumerate(raw or []):
            if not isinstance(ow, dict):
                continue
            oid = _int(ow.get("id"))
            otype = ow.get("type")
            if otype == 0 and oid not in guild.roles_by_id:
                errs = Errors()
                errs.add(["permission_overwrites", i, "id"], "UNKNOWN_ROLE", "Unknown role")
                errs.raise_if_any()
            allow = _perm_int(ow.get("allow", 0) or 0, "allow")
            deny = _perm_int(ow.get("deny", 0) or 0, "deny")
            if (allow | deny) & ~limit_to:
                raise missing_permissions()
            out[oid] = Overwrite(id=oid, type=int(otype or 0), allow=allow, deny=deny)
        return out

    def _tags(self, raw: Any, old: list[dict[str, Any]]) -> list[dict[str, Any]]:
        known = {t["id"] for t in old}
        out = []
        for tag in raw or []:
            tid = str(tag.get("id")) if tag.get("id") and str(tag.get("id")) in known else None
            out.append(
                {
                    "id": tid or str(self.world.snowflake()),
                    "name": tag["name"],
                    "moderated": bool(tag.get("moderated", False)),
                    "emoji_id": str(tag["emoji_id"]) if tag.get("emoji_id") else None,
                    "emoji_name": tag.get("emoji_name"),
                }
            )
        return out

    async def edit_channel(self, request: web.Request) -> web.Response:
        """PATCH /channels/{channel_id}."""
        w = self.world
        chan = w.get_channel(request.match_info["channel_id"])
        guild = w.guild_of(chan)
        body, _ = await read_body(request)
        if guild is None:
            raise ApiError(403, 50003, "Cannot execute action on a DM channel")
        if chan.is_thread:
            return await self._edit_thread(guild, chan, body)
        w.require(guild, chan, Perm.MANAGE_CHANNELS)
        errs = Errors()
        validate_channel_fields(errs, body, body.get("type", chan.type), create=False)
        errs.raise_if_any()
        if "permission_overwrites" in body:
            w.require(guild, chan, Perm.MANAGE_ROLES)
            chan.overwrites = self._overwrites_from(
                guild, body["permission_overwrites"], w.bot_perms(guild, chan)
            )
        if "parent_id" in body:
            chan.parent_id = self._parent(guild, body["parent_id"], chan.type)
        for key in (
            "name",
            "topic",
            "position",
            "nsfw",
            "rate_limit_per_user",
            "bitrate",
            "user_limit",
            "default_auto_archive_duration",
            "default_thread_rate_limit_per_user",
            "default_sort_order",
            "default_forum_layout",
            "default_reaction_emoji",
            "flags",
        ):
            if key in body:
                setattr(chan, key, body[key])
        if "type" in body and body["type"] != chan.type:
            if {chan.type, body["type"]} != {0, 5}:
                errs = Errors()
                errs.add(["type"], "CHANNEL_TYPE_INVALID", "Cannot change the channel type")
                errs.raise_if_any()
            chan.type = body["type"]
        if "available_tags" in body:
            if chan.type not in ChannelType.FORUM_LIKE:
                errs = Errors()
                errs.add(["available_tags"], "BASE_TYPE_INVALID", "Only forum channels have tags")
                errs.raise_if_any()
            chan.available_tags = self._tags(body["available_tags"], chan.available_tags)
        w.dispatch("CHANNEL_UPDATE", payloads.channel(chan))
        return json_response(payloads.channel(chan))

    async def _edit_thread(self, guild: Guild, chan: Channel, body: Body) -> web.Response:
        w = self.world
        perms = w.bot_perms(guild, chan)
        manage = bool(perms & Perm.MANAGE_THREADS)
        owner = chan.owner_id == w.bot_user.id
        if not manage:
            if "locked" in body or "invitable" in body or "rate_limit_per_user" in body:
                raise missing_permissions()
            if not owner:
                raise missing_permissions()
            if chan.locked:
                raise ApiError(400, 50083, "Thread is archived")
        errs = Errors()
        if "name" in body:
            errs.length(["name"], body.get("name"), 1, 100)
        if body.get("auto_archive_duration") is not None:
            errs.choice(
                ["auto_archive_duration"], body["auto_archive_duration"], [60, 1440, 4320, 10080]
            )
        parent = guild.channels_by_id.get(chan.parent_id or 0)
        if "applied_tags" in body:
            tags = body.get("applied_tags") or []
            errs.max_items(["applied_tags"], tags, 5)
            valid = {t["id"] for t in parent.available_tags} if parent else set()
            for i, t in enumerate(tags):
                if str(t) not in valid:
                    errs.add(["applied_tags", i], "TAG_INVALID", "Unknown tag")
        errs.raise_if_any()
        if "name" in body:
            chan.name = body["name"]
        if "archived" in body:
            if bool(body["archived"]) != chan.archived:
                chan.archive_timestamp = self.world.now()
            chan.archived = bool(body["archived"])
        if "locked" in body:
            chan.locked = bool(body["locked"])
        if "invitable" in body:
            chan.invitable = bool(body["invitable"])
        if body.get("auto_archive_duration") is not None:
            chan.auto_archive_duration = body["auto_archive_duration"]
        if "rate_limit_per_user" in body:
            chan.rate_limit_per_user = int(body["rate_limit_per_user"] or 0)
        if "applied_tags" in body:
            chan.applied_tags = [int(t) for t in body.get("applied_tags") or []]
        if "flags" in body:
            chan.flags = int(body["flags"] or 0)
        self._thread_update(chan)
        return json_response(payloads.channel(chan))

    async def delete_channel(self, request: web.Request) -> web.Response:
        """DELETE /channels/{channel_id}."""
        w = self.world
        chan = w.get_channel(request.match_info["channel_id"])
        guild = w.guild_of(chan)
        if guild is None:
            return json_response(payloads.channel(chan))
        w.require(guild, chan, Perm.MANAGE_THREADS if chan.is_thread else Perm.MANAGE_CHANNELS)
        data = payloads.channel(chan)
        del guild.channels_by_id[chan.id]
        del w.channels[chan.id]
        if chan.is_thread:
            w.dispatch(
                "THREAD_DELETE",
                {
                    "id": str(chan.id),
                    "guild_id": str(guild.id),
                    "parent_id": str(chan.parent_id),
                    "type": chan.type,
                },
            )
        else:
            for child in guild.channels_by_id.values():
                if child.parent_id == chan.id and not child.is_thread:
                    child.parent_id = None
            w.dispatch("CHANNEL_DELETE", data)
        return json_response(data)

    async def put_overwrite(self, request: web.Request) -> web.Response:
        """PUT /channels/{channel_id}/permissions/{target_id}."""
        w = self.world
        chan = w.get_channel(request.match_info["channel_id"])
        guild = w.guild_of(chan)
        if guild is None or chan.is_thread:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        body, _ = await read_body(request)
        w.require(guild, chan, Perm.MANAGE_ROLES)
        errs = Errors()
        errs.choice(["type"], body.get("type"), [0, 1])
        errs.raise_if_any()
        tid = _int(request.match_info["target_id"])
        if body["type"] == 0 and tid not in guild.roles_by_id:
            raise ApiError(404, 10011, "Unknown Role")
        allow = _perm_int(body.get("allow", 0) or 0, "allow")
        deny = _perm_int(body.get("deny", 0) or 0, "deny")
        if (allow | deny) & ~w.bot_perms(guild, chan):
            raise missing_permissions()
        chan.overwrites[tid] = Overwrite(id=tid, type=body["type"], allow=allow, deny=deny)
        w.dispatch("CHANNEL_UPDATE", payloads.channel(chan))
        return no_content()

    async def delete_overwrite(self, request: web.Request) -> web.Response:
        """DELETE /channels/{channel_id}/permissions/{target_id}."""
        w = self.world
        chan = w.get_channel(request.match_info["channel_id"])
        guild = w.guild_of(chan)
        if guild is None:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        w.require(guild, chan, Perm.MANAGE_ROLES)
        chan.overwrites.pop(_int(request.match_info["target_id"]), None)
        w.dispatch("CHANNEL_UPDATE", payloads.channel(chan))
        return no_content()

    async def join_thread(self, request: web.Request) -> web.Response:
        """PUT /channels/{channel_id}/thread-members/@me."""
        chan = self.world.get_channel(request.match_info["channel_id"])
        chan.member_ids.add(self.world.bot_user.id)
        return no_content()

    async def leave_thread(self, request: web.Request) -> web.Response:
        """DELETE /channels/{channel_id}/thread-members/@me."""
        chan = self.world.get_channel(request.match_info["channel_id"])
        chan.member_ids.discard(self.world.bot_user.id)
        return no_content()

    # Threads ----------------------------------------------------------------------

    def _new_thread(
        self,
        guild: Guild,
        parent: Channel,
        name: str,
        ttype: int,
        body: Body,
        tid: int | None = None,
    ) -> Channel:
        w = self.world
        thread = Channel(
            id=tid or w.snowflake(),
            type=ttype,
            guild_id=guild.id,
            name=name,
            parent_id=parent.id,
            owner_id=w.bot_user.id,
            auto_archive_duration=body.get("auto_archive_duration")
            or parent.default_auto_archive_duration
            or 4320,
            rate_limit_per_user=int(body.get("rate_limit_per_user") or 0),
            invitable=bool(body.get("invitable", True)),
            create_timestamp=self.world.now(),
            archive_timestamp=self.world.now(),
            applied_tags=[int(t) for t in body.get("applied_tags") or []],
            member_ids={w.bot_user.id},
        )
        guild.channels_by_id[thread.id] = thread
        w.channels[thread.id] = thread
        w.history[thread.id] = []
        return thread

    def _thread_create_event(self, thread: Channel) -> None:
        data = payloads.channel(thread)
        data["newly_created"] = True
        data["member"] = {
            "id": str(thread.id),
            "user_id": str(self.world.bot_user.id),
            "join_timestamp": payloads.iso(self.world.now()),
            "flags": 0,
        }
        self.world.dispatch("THREAD_CREATE", data)

    async def create_thread(self, request: web.Request) -> web.Response:
        """POST /channels/{channel_id}/threads."""
        w = self.world
        parent = w.get_channel(request.match_info["channel_id"])
        guild = w.guild_of(parent)
        body, uploads = await read_body(request)
        if guild is None or parent.type not in (0, 5, 15, 16):
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        errs = Errors()
        errs.length(["name"], body.get("name"), 1, 100)
        if body.get("auto_archive_duration") is not None:
            errs.choice(
                ["auto_archive_duration"], body["auto_archive_duration"], [60, 1440, 4320, 10080]
            )
        if parent.type in ChannelType.FORUM_LIKE:
            tags = body.get("applied_tags") or []
            errs.max_items(["applied_tags"], tags, 5)
            valid = {t["id"] for t in parent.available_tags}
            for i, t in enumerate(tags):
                if str(t) not in valid:
                    errs.add(["applied_tags", i], "TAG_INVALID", "Unknown tag")
            if parent.flags & (1 << 4) and not tags:
                errs.add(["applied_tags"], "BASE_TYPE_REQUIRED", "A tag is required")
            message = body.get("message")
            if not isinstance(message, dict):
                errs.add(["message"], "BASE_TYPE_REQUIRED", "This field is required")
            errs.raise_if_any()
            assert isinstance(message, dict)
            w.require(guild, parent, Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES)
            if uploads:
                w.require(guild, parent, Perm.ATTACH_FILES)
            # Validate the starter message before creating anything.
            w.check_message_body(message, uploads)
            thread = self._new_thread(guild, parent, body["name"], ChannelType.PUBLIC_THREAD, body)
            try:
                msg = w.create_message(
                    thread, w.bot_user, message, uploads, message_id=thread.id, dispatch=False
                )
            except ApiError:
                del guild.channels_by_id[thread.id]
                del w.channels[thread.id]
                raise
            self._thread_create_event(thread)
            w.dispatch_message("MESSAGE_CREATE", msg)
            out = payloads.channel(thread)
            out["message"] = w.render(msg)
            return json_response(out, 201)
        errs.raise_if_any()
        if parent.type == ChannelType.GUILD_ANNOUNCEMENT:
            ttype = ChannelType.ANNOUNCEMENT_THREAD
        else:
            ttype = body.get("type", ChannelType.PRIVATE_THREAD)
            if ttype not in (ChannelType.PUBLIC_THREAD, ChannelType.PRIVATE_THREAD):
                errs.choice(["type"], ttype, [11, 12])
                errs.raise_if_any()
        need = Perm.CREATE_PRIVATE_THREADS if ttype == 12 else Perm.CREATE_PUBLIC_THREADS
        w.require(guild, parent, Perm.VIEW_CHANNEL | need)
        thread = self._new_thread(guild, parent, body["name"], ttype, body)
        self._thread_create_event(thread)
        return json_response(payloads.channel(thread), 201)

    async def thread_from_message(self, request: web.Request) -> web.Response:
        """POST /channels/{channel_id}/messages/{message_id}/threads."""
        w = self.world
        parent = w.get_channel(request.match_info["channel_id"])
        guild = w.guild_of(parent)
        if guild is None or parent.type not in (0, 5):
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        msg = w.get_message(parent, request.match_info["message_id"])
        body, _ = await read_body(request)
        errs = Errors()
        errs.length(["name"], body.get("name"), 1, 100)
        if body.get("auto_archive_duration") is not None:
            errs.choice(
                ["auto_archive_duration"], body["auto_archive_duration"], [60, 1440, 4320, 10080]
            )
        errs.raise_if_any()
        w.require(
            guild,
            parent,
            Perm.VIEW_CHANNEL | Perm.CREATE_PUBLIC_THREADS | Perm.READ_MESSAGE_HISTORY,
        )
        if msg.thread is not None:
            raise ApiError(400, 160004, "A thread has already been created for this message")
        ttype = 10 if parent.type == 5 else 11
        thread = self._new_thread(guild, parent, body["name"], ttype, body, tid=msg.id)
        msg.thread = thread
        self._thread_create_event(thread)
        return json_response(payloads.channel(thread), 201)

    # Guild structure --------------------------------------------------------------

    async def get_guild(self, request: web.Request) -> web.Response:
        """GET /guilds/{guild_id}."""
        guild = self.world.get_guild(request.match_info["guild_id"])
        return json_response(payloads.guild(guild))

    async def list_channels(self, request: web.Request) -> web.Response:
        """GET /guilds/{guild_id}/channels."""
        guild = self.world.get_guild(request.match_info["guild_id"])
        return json_response([payloads.channel(c) for c in guild.channels])

    def _parent(self, guild: Guild, raw: Any, ctype: int) -> int | None:
        if raw is None:
            return None
        parent = guild.channels_by_id.get(_int(raw))
        if parent is None or parent.type != ChannelType.GUILD_CATEGORY or ctype == 4:
            errs = Errors()
            errs.add(["parent_id"], "CHANNEL_PARENT_INVALID", "Not a category")
            errs.raise_if_any()
            return None
        return parent.id

    async def create_channel(self, request: web.Request) -> web.Response:
        """POST /guilds/{guild_id}/channels."""
        w = self.world
        guild = w.get_guild(request.match_info["guild_id"])
        body, _ = await read_body(request)
        ctype = body.get("type", 0) if body.get("type") is not None else 0
        errs = Errors()
        errs.choice(["type"], ctype, sorted(ChannelType.GUILD_CREATABLE))
        validate_channel_fields(errs, body, ctype, create=True)
        errs.raise_if_any()
        parent_id = self._parent(guild, body.get("parent_id"), ctype)
        parent = guild.channels_by_id.get(parent_id) if parent_id else None
        w.require(guild, parent, Perm.MANAGE_CHANNELS)
        if len(guild.channels) >= 500:
            raise ApiError(400, 30013, "Maximum number of guild channels reached (500)")
        overwrites = self._overwrites_from(
            guild, body.get("permission_overwrites"), w.bot_perms(guild, parent)
        )
        chan = w._new_channel(
            guild,
            body["name"],
            ctype,
            parent_id=parent_id,
            position=body.get("position"),
            topic=body.get("topic"),
            nsfw=bool(body.get("nsfw", False)),
            rate_limit_per_user=int(body.get("rate_limit_per_user") or 0),
            bitrate=body.get("bitrate"),
            user_limit=body.get("user_limit"),
            default_auto_archive_duration=body.get("default_auto_archive_duration"),
            default_reaction_emoji=body.get("default_reaction_emoji"),
            default_thread_rate_limit_per_user=body.get("default_thread_rate_limit_per_user"),
            default_sort_order=body.get("default_sort_order"),
            default_forum_layout=body.get("default_forum_layout"),
        )
        chan.overwrites = overwrites
        if ctype in ChannelType.FORUM_LIKE:
            chan.available_tags = self._tags(body.get("available_tags"), [])
        elif body.get("available_tags"):
            pass
        w.dispatch("CHANNEL_CREATE", payloads.channel(chan))
        return json_response(payloads.channel(chan), 201)

    async def channel_positions(self, request: web.Request) -> web.Response:
        """PATCH /guilds/{guild_id}/channels."""
        w = self.world
        guild = w.get_guild(request.match_info["guild_id"])
        body, _ = await read_body(request)
        w.require(guild, None, Perm.MANAGE_CHANNELS)
        items = body.get("__list__") or []
        changed: list[Channel] = []
        for item in items:
            chan = guild.channels_by_id.get(_int(item.get("id")))
            if chan is None or chan.is_thread:
                raise ApiError(404, 10003, "Unknown Channel")
            if item.get("position") is not None:
                chan.position = int(item["position"])
            if "parent_id" in item:
                chan.parent_id = self._parent(guild, item["parent_id"], chan.type)
                if item.get("lock_permissions") and chan.parent_id:
                    chan.overwrites = dict(guild.channels_by_id[chan.parent_id].overwrites)
            changed.append(chan)
        for chan in changed:
            w.dispatch("CHANNEL_UPDATE", payloads.channel(chan))
        return no_content()

    async def active_threads(self, request: web.Request) -> web.Response:
        """GET /guilds/{guild_id}/threads/active."""
        guild = self.world.get_guild(request.match_info["guild_id"])
        return json_response(
            {
                "threads": [payloads.channel(t) for t in guild.threads if not t.archived],
                "members": [],
            }
        )

    # Roles ------------------------------------------------------------------------

    async def list_roles(self, request: web.Request) -> web.Response:
        """GET /guilds/{guild_id}/roles."""
        guild = self.world.get_guild(request.match_info["guild_id"])
        return json_response([payloads.role(r) for r in guild.roles])

    def _role(self, guild: Guild, raw: str) -> Role:
        role = guild.roles_by_id.get(_int(raw))
        if role is None:
            raise ApiError(404, 10011, "Unknown Role")
        return role

    async def get_role(self, request: web.Request) -> web.Response:
        """GET /guilds/{guild_id}/roles/{role_id}."""
        guild = self.world.get_guild(request.match_info["guild_id"])
        return json_response(payloads.role(self._role(guild, request.match_info["role_id"])))

    def _role_fields(self, guild: Guild, body: Body) -> int | None:
        w = self.world
        errs = Errors()
        if "name" in body:
            errs.length(["name"], body.get("name"), 1, 100)
        if body.get("color") is not None:
            errs.integer(["color"], body["color"], 0, 0xFFFFFF)
        errs.raise_if_any()
        perms = None
        if body.get("permissions") is not None:
            perms = _perm_int(body["permissions"], "permissions")
            if perms & ~w.bot_perms(guild):
                raise missing_permissions()
        return perms

    async def create_role(self, request: web.Request) -> web.Response:
        """POST /guilds/{guild_id}/roles."""
        w = self.world
        guild = w.get_guild(request.match_info["guild_id"])
        body, _ = await read_body(request)
        w.require(guild, None, Perm.MANAGE_ROLES)
        perms = self._role_fields(guild, body)
        if len(guild.roles_by_id) >= 250:
            raise ApiError(400, 30005, "Maximum number of guild roles reached (250)")
        role = w.create_role(
            guild,
            body.get("name") or "new role",
            permissions=perms if perms is not None else guild.everyone_role.permissions,
            color=int(body.get("color") or 0),
            hoist=bool(body.get("hoist", False)),
            mentionable=bool(body.get("mentionable", False)),
        )
        role.unicode_emoji = body.get("unicode_emoji")
        return json_response(payloads.role(role))

    def _check_hierarchy(self, guild: Guild, role: Role) -> None:
        if role.position >= self.world.bot_top_position(guild):
            raise missing_permissions()

    async def edit_role(self, request: web.Request) -> web.Response:
        """PATCH /guilds/{guild_id}/roles/{role_id}."""
        w = self.world
        guild = w.get_guild(request.match_info["guild_id"])
        role = self._role(guild, request.match_info["role_id"])
        body, _ = await read_body(request)
        w.require(guild, None, Perm.MANAGE_ROLES)
        if not role.is_everyone:
            self._check_hierarchy(guild, role)
        perms = self._role_fields(guild, body)
        if perms is not None:
            role.permissions = perms
        for key in ("name", "color", "hoist", "mentionable", "unicode_emoji", "icon"):
            if key in body and not (role.is_everyone and key == "name"):
                setattr(role, key, body[key] if body[key] is not None else getattr(role, key))
        w.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": payloads.role(role)})
        return json_response(payloads.role(role))

    async def delete_role(self, request: web.Request) -> web.Response:
        """DELETE /guilds/{guild_id}/roles/{role_id}."""
        w = self.world
        guild = w.get_guild(request.match_info["guild_id"])
        role = self._role(guild, request.match_info["role_id"])
        w.require(guild, None, Perm.MANAGE_ROLES)
        if role.is_everyone:
            raise ApiError(400, 50028, "Invalid Role")
        self._check_hierarchy(guild, role)
        if role.managed:
            raise ApiError(400, 50028, "Invalid Role")
        del guild.roles_by_id[role.id]
        for r in guild.roles_by_id.values():
            if r.position > role.position:
                r.position -= 1
        for m in guild.members_by_id.values():
            if role.id in m.roles:
                m.roles.remove(role.id)
        w.dispatch("GUILD_ROLE_DELETE", {"guild_id": str(guild.id), "role_id": str(role.id)})
        return no_content()

    async def role_positions(self, request: web.Request) -> web.Response:
        """PATCH /guilds/{guild_id}/roles."""
        w = self.world
        guild = w.get_guild(request.match_info["guild_id"])
        body, _ = await read_body(request)
        w.require(guild, None, Perm.MANAGE_ROLES)
        top = w.bot_top_position(guild)
        moves: dict[int, int] = {}
        for item in body.get("__list__") or []:
            role = self._role(guild, str(item.get("id")))
            pos = item.get("position")
            if pos is None or role.is_everyone:
                continue
            if role.position >= top or int(pos) >= top:
                raise missing_permissions()
            moves[role.id] = int(pos)
        # Re-rank: moved roles take their requested slots; the rest keep their order.
        ordered = [r for r in guild.roles if not r.is_everyone and r.id not in moves]
        for rid, pos in sorted(moves.items(), key=lambda kv: kv[1]):
            ordered.insert(max(pos - 1, 0), guild.roles_by_id[rid])
        changed = []
        for i, r in enumerate(ordered, start=1):
            if r.position != i:
                r.position = i
                changed.append(r)
        for r in changed:
            w.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": payloads.role(r)})
        return json_response([payloads.role(r) for r in guild.roles])

    # Members ----------------------------------------------------------------------

    def _member(self, guild: Guild, raw: str) -> Member:
        member = guild.member(_int(raw))
        if member is None:
            raise ApiError(404, 10007, "Unknown Member")
        return member

    async def list_members(self, request: web.Request) -> web.Response:
        """GET /guilds/{guild_id}/members."""
        w = self.world
        guild = w.get_guild(request.match_info["guild_id"])
        if "members" not in w.privileged_intents:
            raise missing_access()
        limit = int(request.query.get("limit", "1"))
        if not 1 <= limit <= 1000:
            errs = Errors()
            errs.integer(["limit"], limit, 1, 1000)
            errs.raise_if_any()
        after = int(request.query.get("after", "0"))
        members = sorted((m for m in guild.members if m.user.id > after), key=lambda m: m.user.id)
        return json_response([payloads.member(m) for m in members[:limit]])

    async def search_members(self, request: web.Request) -> web.Response:
        """GET /guilds/{guild_id}/members/search."""
        guild = self.world.get_guild(request.match_info["guild_id"])
        query = request.query.get("query", "").lower()
        limit = int(request.query.get("limit", "1"))
        found = [
            m
            for m in guild.members
            if m.user.username.lower().startswith(query)
            or (m.nick or "").lower().startswith(query)
            or (m.user.global_name or "").lower().startswith(query)
        ]
        return json_response([payloads.member(m) for m in found[:limit]])

    async def get_member(self, request: web.Request) -> web.Response:
        """GET /guilds/{guild_id}/members/{user_id}."""
        guild = self.world.get_guild(request.match_info["guild_id"])
        return json_response(payloads.member(self._member(guild, request.match_info["user_id"])))

    def _check_member_hierarchy(self, guild: Guild, member: Member) -> None:
        w = self.world
        if member.user.id == w.bot_user.id:
            return
        if member.user.id == guild.owner_id or guild.top_role_position(
            member
        ) >= w.bot_top_position(guild):
            raise missing_permissions()

    def _set_roles(self, guild: Guild, member: Member, new_ids: list[int]) -> None:
        w = self.world
        w.require(guild, None, Perm.MANAGE_ROLES)
        top = w.bot_top_position(guild)
        old = set(member.roles)
        new = set(new_ids)
        for rid in old ^ new:
            role = guild.roles_by_id.get(rid)
            if role is None:
                raise ApiError(404, 10011, "Unknown Role")
            if role.managed or role.is_everyone:
                raise ApiError(400, 50028, "Invalid Role")
            if role.position >= top:
                raise missing_permissions()
        member.roles = [r for r in new_ids if r in guild.roles_by_id]

    async def edit_member(self, request: web.Request) -> web.Response:
        """PATCH /guilds/{guild_id}/members/{user_id}."""
        w = self.world
        guild = w.get_guild(request.match_info["guild_id"])
        member = self._member(guild, request.match_info["user_id"])
        body, _ = await read_body(request)
        if "nick" in body:
            errs = Errors()
            errs.max_len(["nick"], body["nick"], 32)
            errs.raise_if_any()
            if member.user.id == w.bot_user.id:
                w.require(guild, None, Perm.CHANGE_NICKNAME)
            else:
                w.require(guild, None, Perm.MANAGE_NICKNAMES)
                self._check_member_hierarchy(guild, member)
        if "roles" in body:
            self._set_roles(guild, member, [_int(r) for r in body["roles"] or []])
        if "communication_disabled_until" in body:
            w.require(guild, None, Perm.MODERATE_MEMBERS)
            self._check_member_hierarchy(guild, member)
            raw = body["communication_disabled_until"]
            if raw is None:
                member.communication_disabled_until = None
            else:
                errs = Errors()
                until = parse_iso(errs, ["communication_disabled_until"], raw)
                if until is not None and until > self.world.now() + timedelta(days=28):
                    errs.add(["communication_disabled_until"], "BASE_TYPE_BAD_VALUE", "Too far")
                errs.raise_if_any()
                member.communication_disabled_until = until
        if "nick" in body:
            member.nick = body["nick"] or None
        w.dispatch_member_update(guild, member)
        return json_response(payloads.member(member))

    async def edit_me(self, request: web.Request) -> web.Response:
        """PATCH /guilds/{guild_id}/members/@me."""
        w = self.world
        guild = w.get_guild(request.match_info["guild_id"])
        member = w.bot_member(guild)
        body, _ = await read_body(request)
        if "nick" in body:
            errs = Errors()
            errs.max_len(["nick"], body["nick"], 32)
            errs.raise_if_any()
            w.require(guild, None, Perm.CHANGE_NICKNAME)
            member.nick = body["nick"] or None
        w.dispatch_member_update(guild, member)
        return json_response(payloads.member(member))

    async def kick_member(self, request: web.Request) -> web.Response:
        """DELETE /guilds/{guild_id}/members/{user_id}."""
        w = self.world
        guild = w.get_guild(request.match_info["guild_id"])
        member = self._member(guild, request.match_info["user_id"])
        w.require(guild, None, Perm.KICK_MEMBERS)
        self._check_member_hierarchy(guild, member)
        w.remove_member(guild, member.user)
        return no_content()

    async def add_member_role(self, request: web.Request) -> web.Response:
        """PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}."""
        w = self.world
        guild = w.get_guild(request.match_info["guild_id"])
        member = self._member(guild, request.match_info["user_id"])
        role = self._role(guild, request.match_info["role_id"])
        if role.id not in member.roles:
            self._set_roles(guild, member, [*member.roles, role.id])
            w.dispatch_member_update(guild, member)
        return no_content()

    async def remove_member_role(self, request: web.Request) -> web.Response:
        """DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}."""
        w = self.world
        guild = w.get_guild(request.match_info["guild_id"])
        member = self._member(guild, request.match_info["user_id"])
        role = self._role(guild, request.match_info["role_id"])
        if role.id in member.roles:
            self._set_roles(guild, member, [r for r in member.roles if r != role.id])
            w.dispatch_member_update(guild, member)
        return no_content()

    # Scheduled events -------------------------------------------------------------

    def _event(self, guild: Guild, raw: str) -> ScheduledEvent:
        event = guild.events_by_id.get(_int(raw))
        if event is None:
            raise ApiError(404, 10070, "Unknown Guild Scheduled Event")
        return event

    def _event_payload(self, event: ScheduledEvent) -> dict[str, Any]:
        creator = self.world.users.get(event.creator_id) if event.creator_id else None
        return payloads.scheduled_event(event, creator)

    def _dispatch_event(self, name: str, event: ScheduledEvent) -> None:
        self.world.dispatch(name, self._event_payload(event), intent=INTENT_GUILD_SCHEDULED_EVENTS)

    async def list_events(self, request: web.Request) -> web.Response:
        """GET /guilds/{guild_id}/scheduled-events."""
        guild = self.world.get_guild(request.match_info["guild_id"])
        return json_response([self._event_payload(e) for e in guild.scheduled_events])

    async def get_event(self, request: web.Request) -> web.Response:
        """GET /guilds/{guild_id}/scheduled-events/{event_id}."""
        guild = self.world.get_guild(request.match_info["guild_id"])
        return json_response(
            self._event_payload(self._event(guild, request.match_info["event_id"]))
        )

    async def event_users(self, request: web.Request) -> web.Response:
        """GET /guilds/{guild_id}/scheduled-events/{event_id}/users."""
        guild = self.world.get_guild(request.match_info["guild_id"])
        self._event(guild, request.match_info["event_id"])
        return json_response([])

    def _validate_event(self, guild: Guild, merged: Body, errs: Errors, *, create: bool) -> None:
        errs.length(["name"], merged.get("name"), 1, 100)
        if merged.get("description") is not None:
            errs.max_len(["description"], merged.get("description"), 1000)
        errs.choice(["privacy_level"], merged.get("privacy_level"), [2])
        etype = merged.get("entity_type")
        errs.choice(["entity_type"], etype, [1, 2, 3])
        start = parse_iso(errs, ["scheduled_start_time"], merged.get("scheduled_start_time"))
        end = None
        if merged.get("scheduled_end_time") is not None:
            end = parse_iso(errs, ["scheduled_end_time"], merged.get("scheduled_end_time"))
        if create and start is not None and start <= self.world.now():
            errs.add(
                ["scheduled_start_time"],
                "GUILD_SCHEDULED_EVENT_SCHEDULED_START_TIME_TO_PAST",
                "Cannot schedule event in the past.",
            )
        if start is not None and end is not None and end <= start:
            errs.add(
                ["scheduled_end_time"],
                "GUILD_SCHEDULED_EVENT_END_TIME_BEFORE_START_TIME",
                "Cannot schedule event to end before starting.",
            )
        if etype == 3:
            if merged.get("channel_id") is not None:
                errs.add(
                    ["channel_id"],
                    "GUILD_SCHEDULED_EVENT_CHANNEL_ID_INVALID",
                    "channel_id must be null for EXTERNAL events",
                )
            location = (merged.get("entity_metadata") or {}).get("location")
            if location is None:
                errs.add(
                    ["entity_metadata", "location"], "BASE_TYPE_REQUIRED", "This field is required"
                )
            else:
                errs.length(["entity_metadata", "location"], location, 1, 100)
            if merged.get("scheduled_end_time") is None:
                errs.add(["scheduled_end_time"], "BASE_TYPE_REQUIRED", "This field is required")
        elif etype in (1, 2):
            cid = merged.get("channel_id")
            chan = guild.channels_by_id.get(_int(cid)) if cid is not None else None
            wanted = ChannelType.GUILD_STAGE_VOICE if etype == 1 else ChannelType.GUILD_VOICE
            if chan is None or chan.type != wanted:
                errs.add(
                    ["channel_id"],
                    "GUILD_SCHEDULED_EVENT_CHANNEL_ID_INVALID",
                    "A channel of the right type is required",
                )

    def _require_event_perms(self, guild: Guild, body: Body, event: ScheduledEvent | None) -> None:
        w = self.world
        perms = w.bot_perms(guild)
        if event is None or event.creator_id != w.bot_user.id:
            ok = perms & Perm.MANAGE_EVENTS or (event is None and perms & Perm.CREATE_EVENTS)
        else:
            ok = perms & (Perm.MANAGE_EVENTS | Perm.CREATE_EVENTS)
        if not ok:
            raise missing_permissions()
        cid = body.get("channel_id")
        if cid is not None:
            chan = guild.channels_by_id.get(_int(cid))
            if chan is not None:
                w.require(guild, chan, Perm.VIEW_CHANNEL | Perm.CONNECT)

    async def create_event(self, request: web.Request) -> web.Response:
        """POST /guilds/{guild_id}/scheduled-events."""
        w = self.world
        guild = w.get_guild(request.match_info["guild_id"])
        body, _ = await read_body(request)
        errs = Errors()
        self._validate_event(guild, body, errs, create=True)
        errs.raise_if_any()
        self._require_event_perms(guild, body, None)
        errs = Errors()
        start = parse_iso(errs, [], body["scheduled_start_time"])
        end = (
            parse_iso(errs, [], body["scheduled_end_time"])
            if body.get("scheduled_end_time")
            else None
        )
        assert start is not None
        event = ScheduledEvent(
            id=w.snowflake(),
            guild_id=guild.id,
            name=body["name"],
            scheduled_start_time=start,
            scheduled_end_time=end,
            entity_type=body["entity_type"],
            privacy_level=body["privacy_level"],
            channel_id=_int(body["channel_id"]) if body.get("channel_id") else None,
            creator_id=w.bot_user.id,
            description=body.get("description"),
            entity_metadata=body.get("entity_metadata") if body["entity_type"] == 3 else None,
            image=None,
            recurrence_rule=body.get("recurrence_rule"),
        )
        guild.events_by_id[event.id] = event
        self._dispatch_event("GUILD_SCHEDULED_EVENT_CREATE", event)
        return json_response(self._event_payload(event))

    async def edit_event(self, request: web.Request) -> web.Response:
        """PATCH /guilds/{guild_id}/scheduled-events/{event_id}."""
        w = self.world
        guild = w.get_guild(request.match_info["guild_id"])
        event = self._event(guild, request.match_info["event_id"])
        body, _ = await read_body(request)
        current = self._event_payload(event)
        merged = {**current, **body}
        if body.get("entity_type") == 3 and "channel_id" not in body:
            merged["channel_id"] = None
        errs = Errors()
        self._validate_event(guild, merged, errs, create="scheduled_start_time" in body)
        if "status" in body:
            allowed = {1: [2, 4], 2: [3]}.get(event.status, [])
            if body["status"] != event.status and body["status"] not in allowed:
                errs.add(
                    ["status"],
                    "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION",
                    "Invalid status transition",
                )
        errs.raise_if_any()
        self._require_event_perms(guild, body, event)
        errs = Errors()
        event.name = merged["name"]
        event.description = merged.get("description")
        event.privacy_level = merged["privacy_level"]
        event.entity_type = merged["entity_type"]
        event.channel_id = _int(merged["channel_id"]) if merged.get("channel_id") else None
        event.entity_metadata = merged.get("entity_metadata") if event.entity_type == 3 else None
        start = parse_iso(errs, [], merged["scheduled_start_time"])
        assert start is not None
        event.scheduled_start_time = start
        end_raw = merged.get("scheduled_end_time")
        event.scheduled_end_time = parse_iso(errs, [], end_raw) if end_raw else None
        if "status" in body:
            event.status = body["status"]
        self._dispatch_event("GUILD_SCHEDULED_EVENT_UPDATE", event)
        return json_response(self._event_payload(event))

    async def delete_event(self, request: web.Request) -> web.Response:
        """DELETE /guilds/{guild_id}/scheduled-events/{event_id}."""
        w = self.world
        guild = w.get_guild(request.match_info["guild_id"])
        event = self._event(guild, request.match_info["event_id"])
        self._require_event_perms(guild, {}, event)
        del guild.events_by_id[event.id]
        self._dispatch_event("GUILD_SCHEDULED_EVENT_DELETE", event)
        return no_content()

    # CDN --------------------------------------------------------------------------

    async def cdn(self, request: web.Request) -> web.Response:
        """GET /attachments/{channel_id}/{attachment_id}/{filename} (file bytes)."""
        aid = _int(request.match_info["attachment_id"])
        loose = self.world.loose_attachments.get(aid)
        if loose is not None:
            return web.Response(
                body=loose.data,
                headers={"Content-Type": loose.content_type or "application/octet-stream"},
            )
        for msg in self.world.messages.values():
            for att in msg.attachments:
                if att.id == aid:
                    return web.Response(
                        body=att.data,
                        headers={"Content-Type": att.content_type or "application/octet-stream"},
                    )
        return web.Response(status=404)
