"""What every resource's handlers share: reading bodies, answering JSON, the world."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import BodyPartReader, web

from .. import payloads
from ..limits import ApiError, Errors
from ..state import Channel, ChannelType, Guild, Role
from ..world import Upload, World, _int

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


class Resource:
    """Base of the per-resource handler classes; :class:`RestApi` combines them."""

    world: World

    def _thread_update(self, chan: Channel) -> None:
        self.world.dispatch("THREAD_UPDATE", payloads.channel(chan))

    def _role(self, guild: Guild, raw: str) -> Role:
        role = guild.roles_by_id.get(_int(raw))
        if role is None:
            raise ApiError(404, 10011, "Unknown Role")
        return role

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
