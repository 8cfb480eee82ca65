"""Roles."""

from __future__ import annotations

from aiohttp import web

from .. import payloads
from ..limits import ApiError, Errors, missing_permissions
from ..state import Guild, Perm, Role
from .base import Body, Resource, _perm_int, json_response, no_content, read_body


class RoleRoutes(Resource):
    """Roles."""

    async def list_roles(self, request: web.Request) -> web.Response:
        """GET /guilds/{guild_id}/roles."""
        guild = self.world.get_guild(request.match_info["guild_id"])
        return json_response([payloads.role(r) for r in guild.roles])

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
