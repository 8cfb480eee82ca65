"""File bytes of attachments (the CDN)."""

from __future__ import annotations

from aiohttp import web

from ..world import _int
from .base import Resource


class CdnRoutes(Resource):
    """File bytes of attachments (the CDN)."""

    async def cdn(self, request: web.Request) -> web.Response:
        """GET /attachments/{channel_id}/{attachment_id}/{filename} (file bytes)."""
        aid = _int(request.match_info["attachment_id"])
        att = self.world.loose_attachments.get(aid) or self.world.attachments.get(aid)
        if att is None:
            return web.Response(status=404)
        return web.Response(
            body=att.data,
            headers={"Content-Type": att.content_type or "application/octet-stream"},
        )
