"""Threads and forum posts."""

from __future__ import annotations

from aiohttp import web

from .. import payloads
from ..limits import ApiError, Errors, missing_permissions
from ..state import Channel, ChannelType, Guild, Perm
from .base import Body, Resource, json_response, no_content, read_body

MESSAGE_THREAD_PARENTS = frozenset({ChannelType.GUILD_TEXT, ChannelType.GUILD_ANNOUNCEMENT})
"""Channels whose messages can start a thread."""
THREAD_PARENTS = MESSAGE_THREAD_PARENTS | ChannelType.FORUM_LIKE
"""Channels that can hold threads (forum and media channels hold posts)."""


class ThreadRoutes(Resource):
    """Threads and forum posts."""

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
        if guild is None or parent.type not in THREAD_PARENTS:
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
                errs.choice(
                    ["type"], ttype, [ChannelType.PUBLIC_THREAD, ChannelType.PRIVATE_THREAD]
                )
                errs.raise_if_any()
        need = (
            Perm.CREATE_PRIVATE_THREADS
            if ttype == ChannelType.PRIVATE_THREAD
            else Perm.CREATE_PUBLIC_THREADS
        )
        w.require(guild, parent, Perm.VIEW_CHANNEL | need)
        thread = self._new_thread(guild, parent, body["name"], ttype, body)
        self._thread_create_event(thread)
        return json_response(payloads.channel(thread), 201)

    async def thread_from_message(self, request: web.Request) -> web.Response:
        """POST /channels/{channel_id}/messages/{message_id}/threads."""
        w = self.world
        parent = w.get_channel(request.match_info["channel_id"])
        guild = w.guild_of(parent)
        if guild is None or parent.type not in MESSAGE_THREAD_PARENTS:
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
        ttype = (
            ChannelType.ANNOUNCEMENT_THREAD
            if parent.type == ChannelType.GUILD_ANNOUNCEMENT
            else ChannelType.PUBLIC_THREAD
        )
        thread = self._new_thread(guild, parent, body["name"], ttype, body, tid=msg.id)
        msg.thread = thread
        self._thread_create_event(thread)
        return json_response(payloads.channel(thread), 201)

    async def active_threads(self, request: web.Request) -> web.Response:
        """GET /guilds/{guild_id}/threads/active."""
        guild = self.world.get_guild(request.match_info["guild_id"])
        return json_response(
            {
                "threads": [payloads.channel(t) for t in guild.threads if not t.archived],
                "members": [],
            }
        )
