"""The guild object."""

from __future__ import annotations

from aiohttp import web

from .. import payloads
from .base import Resource, json_response


class GuildRoutes(Resource):
    """The guild object."""

    async def get_guild(self, request: web.Request) -> web.Response:
        """GET /guilds/{guild_id}."""
        guild = self.world.get_guild(request.match_info["guild_id"])
        return json_response(payloads.guild(guild))
