"""The websocket gateway (v10, JSON, uncompressed text frames)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from typing import Any

from aiohttp import WSMsgType, web

from . import payloads
from .world import (
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_PRESENCES,
    INTENT_GUILDS,
    INTENT_MESSAGE_CONTENT,
    World,
)

log = logging.getLogger(__name__)

OP_DISPATCH = 0
OP_HEARTBEAT = 1
OP_IDENTIFY = 2
OP_PRESENCE_UPDATE = 3
OP_VOICE_STATE_UPDATE = 4
OP_RESUME = 6
OP_RECONNECT = 7
OP_REQUEST_GUILD_MEMBERS = 8
OP_INVALID_SESSION = 9
OP_HELLO = 10
OP_HEARTBEAT_ACK = 11

HEARTBEAT_INTERVAL_MS = 41250

CLOSE_UNKNOWN_OPCODE = 4001
CLOSE_DECODE_ERROR = 4002
CLOSE_NOT_AUTHENTICATED = 4003
CLOSE_AUTHENTICATION_FAILED = 4004
CLOSE_ALREADY_AUTHENTICATED = 4005
CLOSE_INVALID_API_VERSION = 4012
CLOSE_INVALID_INTENTS = 4013
CLOSE_DISALLOWED_INTENTS = 4014

_CONTENT_FIELDS = ("content", "embeds", "attachments", "components", "poll")


class Session:
    """One bot connection."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.session_id = secrets.token_hex(16)
        self.seq = 0
        self.intents = 0
        self.identified = False
        self.ready = False
        self.closed = False
        self.queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self.writer: asyncio.Task[None] | None = None

    def send(self, payload: dict[str, Any]) -> None:
        """Queue a frame; the writer task sends frames in order."""
        if not self.closed:
            self.queue.put_nowait(payload)

    def send_dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Queue a DISPATCH with the next sequence number."""
        self.seq += 1
        self.send({"op": OP_DISPATCH, "t": event, "s": self.seq, "d": data})

    async def write_loop(self) -> None:
        """Send queued frames until told to stop."""
        while True:
            payload = await self.queue.get()
            if payload is None or self.ws.closed:
                return
            try:
                await self.ws.send_str(json.dumps(payload))
            except (ConnectionResetError, RuntimeError):
                return


class Gateway:
    """Accepts bot connections and fans out events to them."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.sessions: list[Session] = []
        self.url = ""
        world.dispatcher = self.dispatch

    def live_sessions(self) -> list[Session]:
        """Open, identified sessions."""
        return [s for s in self.sessions if s.identified and not s.closed]

    def latest(self) -> Session | None:
        """The most recently identified open session (where interactions go)."""
        live = [s for s in self.live_sessions() if s.ready]
        return live[-1] if live else None

    def dispatch(
        self,
        event: str,
        data: dict[str, Any],
        *,
        intent: int | None = INTENT_GUILDS,
        exempt_content: bool = True,
    ) -> None:
        """Send an event to every session whose intents cover it."""
        for session in self.live_sessions():
            if intent is not None and not session.intents & intent:
                continue
            if event == "GUILD_CREATE" and "__guild_create__" in data:
                guild = self.world.guilds.get(int(data["__guild_create__"]))
                if guild is None:
                    continue
                payload = self._guild_create(session, guild.id)
                # A guild joined after READY comes without "unavailable" (as on Discord),
                # which is how clients tell a join from a lazily loaded guild.
                payload.pop("unavailable", None)
                session.send_dispatch(event, payload)
                continue
            out = data
            if not exempt_content and not session.intents & INTENT_MESSAGE_CONTENT:
                out = dict(data)
                for key in _CONTENT_FIELDS:
                    if key in out:
                        out[key] = "" if key == "content" else []
            session.send_dispatch(event, out)

    def _guild_create(self, session: Session, guild_id: int) -> dict[str, Any]:
        guild = self.world.guilds[guild_id]
        return payloads.guild_create(
            guild,
            include_members=bool(session.intents & INTENT_GUILD_MEMBERS),
            bot_id=self.world.bot_user.id,
        )

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """The websocket endpoint."""
        ws = web.WebSocketResponse(heartbeat=None, max_msg_size=0)
        await ws.prepare(request)
        session = Session(ws)
        self.sessions.append(session)
        session.writer = asyncio.create_task(session.write_loop())
        version = request.query.get("v", "10")
        if version != "10":
            await self._close(session, CLOSE_INVALID_API_VERSION, "Invalid API version")
            return ws
        session.send(
            {
                "op": OP_HELLO,
                "s": None,
                "t": None,
                "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS},
            }
        )
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    if msg.type in (WSMsgType.ERROR, WSMsgType.CLOSE):
                        break
                    await self._close(session, CLOSE_DECODE_ERROR, "Decode error")
                    break
                try:
                    frame = json.loads(msg.data)
                except ValueError:
                    await self._close(session, CLOSE_DECODE_ERROR, "Decode error")
                    break
                if not await self._on_frame(session, frame):
                    break
        finally:
            session.closed = True
            session.queue.put_nowait(None)
            if session.writer is not None:
                with contextlib.suppress(Exception):
                    await session.writer
        return ws

    async def _close(self, session: Session, code: int, reason: str) -> None:
        session.closed = True
        session.queue.put_nowait(None)
        if session.writer is not None:
            with contextlib.suppress(Exception):
                await session.writer
        await session.ws.close(code=code, message=reason.encode())

    async def _on_frame(self, session: Session, frame: dict[str, Any]) -> bool:
        op = frame.get("op")
        data = frame.get("d")
        if op == OP_HEARTBEAT:
            session.send({"op": OP_HEARTBEAT_ACK, "s": None, "t": None, "d": None})
            return True
        if op == OP_IDENTIFY:
            return await self._identify(session, data or {})
        if op == OP_RESUME:
            # Sessions are not resumable here; discord.py then identifies afresh.
            session.send({"op": OP_INVALID_SESSION, "s": None, "t": None, "d": False})
            return True
        if not session.identified:
            await self._close(session, CLOSE_NOT_AUTHENTICATED, "Not authenticated.")
            return False
        if op == OP_REQUEST_GUILD_MEMBERS:
            self._request_members(session, data or {})
            return True
        if op in (OP_PRESENCE_UPDATE, OP_VOICE_STATE_UPDATE):
            return True
        await self._close(session, CLOSE_UNKNOWN_OPCODE, "Unknown opcode.")
        return False

    async def _identify(self, session: Session, data: dict[str, Any]) -> bool:
        if session.identified:
            await self._close(session, CLOSE_ALREADY_AUTHENTICATED, "Already authenticated.")
            return False
        token = str(data.get("token", ""))
        if token.startswith("Bot "):
            token = token[4:]
        if token != self.world.token:
            await self._close(session, CLOSE_AUTHENTICATION_FAILED, "Authentication failed.")
            return False
        intents = data.get("intents")
        if not isinstance(intents, int) or intents < 0 or intents >= 1 << 26:
            await self._close(session, CLOSE_INVALID_INTENTS, "Invalid intent(s).")
            return False
        privileged = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT
        if intents & privileged & ~self.world.intents_allowed:
            await self._close(session, CLOSE_DISALLOWED_INTENTS, "Disallowed intent(s).")
            return False
        session.intents = intents
        session.identified = True
        world = self.world
        session.send_dispatch(
            "READY",
            {
                "v": 10,
                "user": {**payloads.me(world.bot_user), "verified": True},
                "guilds": [{"id": str(g), "unavailable": True} for g in world.guilds],
                "session_id": session.session_id,
                "resume_gateway_url": self.url,
                "shard": list(data.get("shard") or [0, 1]),
                "application": {"id": str(world.application_id), "flags": world.application_flags},
                "private_channels": [],
                "presences": [],
                "relationships": [],
                "guild_join_requests": [],
                "user_settings": {},
                "geo_ordered_rtc_regions": [],
                "session_type": "normal",
                "auth_session_id_hash": secrets.token_hex(8),
            },
        )
        if intents & INTENT_GUILDS:
            for gid in list(world.guilds):
                session.send_dispatch("GUILD_CREATE", self._guild_create(session, gid))
        session.ready = True
        return True

    def _request_members(self, session: Session, data: dict[str, Any]) -> None:
        guild = self.world.guilds.get(int(data.get("guild_id", 0) or 0))
        if guild is None:
            return
        members = guild.members
        if data.get("user_ids"):
            wanted = data["user_ids"]
            ids = {int(u) for u in (wanted if isinstance(wanted, list) else [wanted])}
            members = [m for m in members if m.user.id in ids]
        else:
            if not session.intents & INTENT_GUILD_MEMBERS:
                return
            query = str(data.get("query") or "").lower()
            members = [
                m
                for m in members
                if m.user.username.lower().startswith(query)
                or (m.nick or "").lower().startswith(query)
            ]
            limit = int(data.get("limit") or 0)
            if limit:
                members = members[:limit]
        chunk: dict[str, Any] = {
            "guild_id": str(guild.id),
            "members": [payloads.member(m) for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("presences"):
            chunk["presences"] = []
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        session.send_dispatch("GUILD_MEMBERS_CHUNK", chunk)

    async def close_all(self) -> None:
        """Close every connection (server shutdown)."""
        for session in list(self.sessions):
            if not session.closed:
                with contextlib.suppress(Exception):
                    await self._close(session, 1001, "Going away")
