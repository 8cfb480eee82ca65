"""Messages in channels and DMs."""

from __future__ import annotations

from aiohttp import web

from ..limits import ApiError, Errors, missing_access
from ..state import Channel, ChannelType, Perm
from ..world import Upload, _int
from .base import Body, Resource, json_response, no_content, read_body


class MessageRoutes(Resource):
    """Messages in channels and DMs."""

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
