"""Application commands, global and per guild."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..enums import CommandType
from ..limits import ApiError, Errors, validate_command, validate_command_set
from ..state import Guild
from ..world import _int
from .base import Body, Resource, json_response, no_content, read_body


class CommandRoutes(Resource):
    """Application commands, global and per guild."""

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
        ctype = cmd.get("type", CommandType.CHAT_INPUT)
        stored: dict[str, Any] = {
            "id": existing["id"] if existing else str(self.world.snowflake()),
            "application_id": str(self.world.application_id),
            "version": str(self.world.snowflake()),
            "type": ctype,
            "name": cmd["name"],
            "name_localizations": cmd.get("name_localizations"),
            "description": cmd.get("description", "") if ctype == CommandType.CHAT_INPUT else "",
            "description_localizations": cmd.get("description_localizations"),
            "default_member_permissions": cmd.get("default_member_permissions"),
            "dm_permission": cmd.get("dm_permission", True),
            "nsfw": bool(cmd.get("nsfw", False)),
        }
        if ctype == CommandType.CHAT_INPUT:
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
            stored = self._stored_command(
                cmd, guild, by_key.get((cmd.get("type", CommandType.CHAT_INPUT), cmd["name"]))
            )
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
                if c["type"] == body.get("type", CommandType.CHAT_INPUT)
                and c["name"] == body["name"]
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
