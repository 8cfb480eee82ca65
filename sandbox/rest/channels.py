"""Channels: a guild's list, create, edit, delete, positions and permission overwrites."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .. import payloads
from ..enums import OverwriteType
from ..limits import ApiError, Errors, missing_permissions, validate_channel_fields
from ..state import Channel, ChannelType, Guild, Overwrite, Perm
from ..world import _int
from .base import _perm_int, json_response, no_content, read_body
from .threads import ThreadRoutes


class ChannelRoutes(ThreadRoutes):
    """Channels: a guild's list, create, edit, delete, positions and permission overwrites."""

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
            if otype == OverwriteType.ROLE and oid not in guild.roles_by_id:
                errs = Errors()
                errs.add(["permission_overwrites", i, "id"], "UNKNOWN_ROLE", "Unknown role")
                errs.raise_if_any()
            allow = _perm_int(ow.get("allow", 0) or 0, "allow")
            deny = _perm_int(ow.get("deny", 0) or 0, "deny")
            if (allow | deny) & ~limit_to:
                raise missing_permissions()
            out[oid] = Overwrite(
                id=oid, type=int(otype or OverwriteType.ROLE), allow=allow, deny=deny
            )
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
        errs.choice(["type"], body.get("type"), sorted(OverwriteType))
        errs.raise_if_any()
        tid = _int(request.match_info["target_id"])
        if body["type"] == OverwriteType.ROLE and tid not in guild.roles_by_id:
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

    async def list_channels(self, request: web.Request) -> web.Response:
        """GET /guilds/{guild_id}/channels."""
        guild = self.world.get_guild(request.match_info["guild_id"])
        return json_response([payloads.channel(c) for c in guild.channels])

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
