"""Guild scheduled events."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .. import payloads
from ..enums import EventEntityType
from ..limits import ApiError, Errors, missing_permissions, parse_iso
from ..state import ChannelType, Guild, Perm, ScheduledEvent
from ..world import INTENT_GUILD_SCHEDULED_EVENTS, _int
from .base import Body, Resource, json_response, no_content, read_body


class EventRoutes(Resource):
    """Guild scheduled events."""

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
        errs.choice(["entity_type"], etype, sorted(EventEntityType))
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
        if etype == EventEntityType.EXTERNAL:
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
        elif etype in (EventEntityType.STAGE_INSTANCE, EventEntityType.VOICE):
            cid = merged.get("channel_id")
            chan = guild.channels_by_id.get(_int(cid)) if cid is not None else None
            wanted = (
                ChannelType.GUILD_STAGE_VOICE
                if etype == EventEntityType.STAGE_INSTANCE
                else ChannelType.GUILD_VOICE
            )
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
            entity_metadata=body.get("entity_metadata")
            if body["entity_type"] == EventEntityType.EXTERNAL
            else None,
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
        if body.get("entity_type") == EventEntityType.EXTERNAL and "channel_id" not in body:
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
        event.entity_metadata = (
            merged.get("entity_metadata") if event.entity_type == EventEntityType.EXTERNAL else None
        )
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
