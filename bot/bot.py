"""The bot class: one `commands.Bot` subclass, built in `bot.app`."""

from __future__ import annotations

import logging
import pkgutil
import time
from typing import Any

import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord.ext import commands

import cogs
from bot.clock import Clock
from bot.db import Database
from bot.funnel import KrokarmTree
from bot.i18n import Lang, lang_of
from bot.i18n.commands import Translator
from bot.services import networks
from bot.settings import Settings

log = logging.getLogger(__name__)


def intents() -> discord.Intents:
    """Only what the bot uses. `members` is privileged: see the README for why it is needed."""
    wanted = discord.Intents.none()
    wanted.guilds = True  # channels, roles, threads and the guild itself
    wanted.members = True  # join and leave: greeting, member role, removal of leavers' data
    return wanted


def extension_names() -> list[str]:
    """Every module or package in `cogs/` whose name does not start with `_`."""
    return sorted(
        f"cogs.{m.name}" for m in pkgutil.iter_modules(cogs.__path__) if not m.name.startswith("_")
    )


class Krokarm(commands.Bot):
    """Krokarm. Everything it needs comes in through the constructor; nothing is global."""

    def __init__(
        self,
        *,
        settings: Settings,
        db: Database,
        scheduler: AsyncIOScheduler,
        clock: Clock | None = None,
        start_scheduler: bool = True,
        sync_dev_guild: bool = True,
        extensions: list[str] | None = None,
        **options: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents(),
            tree_cls=KrokarmTree,
            allowed_mentions=discord.AllowedMentions.none(),
            max_messages=None,
            chunk_guilds_at_startup=True,
            **options,
        )
        self.settings = settings
        self.db = db
        self.scheduler = scheduler
        self.clock = clock or Clock()
        self._start_scheduler = start_scheduler
        self._sync_dev_guild = sync_dev_guild
        self._extensions = extensions
        self.started_monotonic = time.monotonic()
        self.network_langs: dict[int, Lang] = {}

    async def setup_hook(self) -> None:
        self.started_monotonic = time.monotonic()
        await self.db.migrate()
        self.network_langs = await networks.languages(self.db)
        await self.tree.set_translator(Translator())
        for name in self._extensions if self._extensions is not None else extension_names():
            await self.load_extension(name)
        self._register_persistent_components()
        if self._start_scheduler:
            self.scheduler.start()
        if self._sync_dev_guild and self.settings.dev_guild_id:
            guild = discord.Object(id=self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to the development guild", len(synced))

    def _register_persistent_components(self) -> None:
        """Dynamic items and persistent views that cogs declare keep working after a restart."""
        for cog in self.cogs.values():
            items = getattr(cog, "dynamic_items", ())
            if items:
                self.add_dynamic_items(*items)
            for view in getattr(cog, "persistent_views", lambda: ())():
                self.add_view(view)

    async def close(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await super().close()

    @property
    def uptime_seconds(self) -> float:
        return time.monotonic() - self.started_monotonic

    # The network row follows the guild, so that every network has settings from the start.
    async def on_guild_available(self, guild: discord.Guild) -> None:
        await self.ensure_network(guild)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.ensure_network(guild)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await networks.mark_left(self.db, guild.id, self.clock.now().isoformat())

    async def ensure_network(self, guild: discord.Guild) -> None:
        """The guild's network exists (created the first time the bot sees the server)."""
        lang = await networks.ensure(
            self.db, guild.id, name=guild.name, preferred_locale=lang_of(guild.preferred_locale)
        )
        self.network_langs[guild.id] = lang
