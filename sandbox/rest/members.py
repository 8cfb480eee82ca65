"""Members, their nicknames, roles and timeouts."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from .. import payloads
from ..limits import ApiError, Errors, missing_access, missing_permissions, parse_iso
from ..state import Guild, Member, Perm
from ..world import _int
from .base import Resource, json_response, no_content, read_body


class MemberRoutes(Resource):
    """Members, their nicknames, roles and timeouts."""

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
