"""The bot class: one `commands.Bot` subclass, built in `bot.app`."""

from __future__ import annotations

import asyncio
import logging
import pkgutil
import time
from collections.abc import Callable
from typing import Any

import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord.ext import commands

import cogs
from bot.clock import Clock
from bot.db import Database
from bot.features import Features, declared
from bot.funnel import KrokarmTree
from bot.i18n import Lang, lang_of, pick_lang, t
from bot.i18n.commands import Translator
from bot.jobs import Jobs
from bot.services import members, networks, privacy
from bot.services.search import analyzer as search_analyzer
from bot.settings import Settings

log = logging.getLogger(__name__)


def intents(settings: Settings | None = None) -> discord.Intents:
    """Only what the bot uses. `members` is privileged: see the README for why it is needed.
    `message_content` (privileged too) only when the settings ask for it: the bot then reads
    the first message of a post in the questions forum to suggest answers."""
    wanted = discord.Intents.none()
    wanted.guilds = True  # channels, roles, threads and the guild itself
    wanted.members = True  # join and leave: greeting, member role, removal of leavers' data
    # Not privileged: the meetings' scheduled events, and who presses "Interested" (a maybe).
    wanted.guild_scheduled_events = True
    wanted.message_content = bool(settings and settings.message_content)
    return wanted


# How long a stopping bot lets callbacks in progress finish before it closes the database.
DRAIN_SECONDS = 10.0
# The tasks discord.py runs callbacks in: commands, components, modals, event listeners.
_CALLBACK_TASKS = (
    "CommandTree-invoker",
    "discord-ui-view-dispatch-",
    "discord-ui-modal-dispatch-",
    "discord-ui-dynamic-item-",
    "discord.py: ",
)


def extension_names() -> list[str]:
    """Every module or package in `cogs/` whose name does not start with `_` (each must be
    some feature's extension: a test holds `bot.features` to that)."""
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
        features: Features | None = None,
        drain_seconds: float = DRAIN_SECONDS,
        **options: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents(settings),
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
        self.features = features if features is not None else declared()
        self.jobs = Jobs(db, self.clock, scheduler, self.features.job_kinds)
        # Set once the jobs have run at start (after the servers' members were compared).
        self.jobs_started = asyncio.Event()
        self._start_scheduler = start_scheduler
        self._sync_dev_guild = sync_dev_guild
        self._extensions = extensions
        self.drain_seconds = drain_seconds
        self._stopping = False
        self._arrivals: dict[int, asyncio.Task[None]] = {}
        self._answering: set[asyncio.Task[None]] = set()
        self.started_monotonic = time.monotonic()
        self.network_langs: dict[int, Lang] = {}

    async def setup_hook(self) -> None:
        self.started_monotonic = time.monotonic()
        await self.db.migrate()
        # The search's Swedish word list takes about a second to load: load it now, off the
        # event loop, not inside the first member's 3 seconds to answer a form.
        await asyncio.to_thread(search_analyzer.warm)
        self.network_langs = await networks.languages(self.db)
        await self.tree.set_translator(Translator())
        extensions = self._extensions if self._extensions is not None else self.features.extensions
        for name in extensions:
            await self.load_extension(name)
        self._register_persistent_components()
        self._hold_interactions_while_stopping()
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

    async def on_ready(self) -> None:
        """Once per run: when every server's members have been compared with the database, the
        jobs that fell due while the bot was down run, and the schedule is armed. The
        database's search processes start (/ask searches in the bot's threads until then)."""
        self.db.start_processes()
        if self.jobs_started.is_set() or not self._start_scheduler:
            return
        for guild in self.guilds:
            if guild.id not in self._arrivals:
                # No guild_available event for it (yet): compared here, errors logged here.
                self._arrivals[guild.id] = asyncio.ensure_future(self._arrive_logged(guild))
        # A server whose comparison failed was logged where it failed (its own event); the
        # jobs run all the same, so that one broken server does not stop everyone's purge.
        await asyncio.gather(*self._arrivals.values(), return_exceptions=True)
        if self._stopping:
            return
        runs = await self.jobs.start(self)
        self.jobs_started.set()
        log.info("jobs started; %d ran at start", len(runs))

    # --- stopping ---------------------------------------------------------------------------

    def _hold_interactions_while_stopping(self) -> None:
        """Interactions that arrive while the bot stops are not dispatched: the user is told, in
        their language, that the bot is restarting. discord.py has no public hook that sees
        every interaction (commands, components and modals) before it is dispatched, so the
        connection's INTERACTION_CREATE parser is wrapped."""
        parsers: dict[str, Callable[[Any], None]] = self._connection.parsers
        dispatch = parsers["INTERACTION_CREATE"]

        def parse(data: Any) -> None:
            if not self._stopping:
                dispatch(data)
                return
            interaction: discord.Interaction[Any] = discord.Interaction(
                data=data, state=self._connection
            )
            task = asyncio.ensure_future(self._answer_restarting(interaction))
            self._answering.add(task)
            task.add_done_callback(self._answering.discard)

        parsers["INTERACTION_CREATE"] = parse

    async def _answer_restarting(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if interaction.type is discord.InteractionType.autocomplete:
                await interaction.response.autocomplete([])
                return
            lang = pick_lang(
                interaction.locale,
                self.network_langs.get(interaction.guild_id or 0),
                interaction.guild_locale,
            )
            await interaction.response.send_message(t(lang, "bot.restarting"), ephemeral=True)
        except discord.HTTPException as exc:
            log.info("could not tell a user that the bot is restarting: %s", exc)

    async def close(self) -> None:
        """Stop taking interactions, let callbacks in progress finish (within the bound), stop
        the jobs, then close the connection. The database is closed after this, by `open_bot`."""
        if not self._stopping:
            self._stopping = True
            await self._drain()
            await self.jobs.stop(grace=self.drain_seconds)
            if self._answering:  # "restarting" answers on their way out
                await asyncio.wait(set(self._answering), timeout=2.0)
        await super().close()

    async def _drain(self) -> None:
        current = asyncio.current_task()
        running = [
            task
            for task in asyncio.all_tasks()
            if task is not current
            and not task.done()
            and task.get_name().startswith(_CALLBACK_TASKS)
            and not task.get_name().endswith(("on_ready", "close"))
        ]
        if not running:
            return
        _, late = await asyncio.wait(running, timeout=self.drain_seconds)
        if late:
            log.warning(
                "%d callbacks were still running %s s after the bot began to stop",
                len(late),
                self.drain_seconds,
            )

    @property
    def uptime_seconds(self) -> float:
        return time.monotonic() - self.started_monotonic

    # The network row follows the guild, so that every network has settings from the start.
    async def on_guild_available(self, guild: discord.Guild) -> None:
        task = asyncio.ensure_future(self._arrive(guild))
        self._arrivals[guild.id] = task
        await task

    async def on_guild_join(self, guild: discord.Guild) -> None:
        # Invited (back): a network whose server had removed the bot keeps everything, and
        # whoever left or came back while the bot was out is noticed.
        await self._arrive(guild)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        # The network's data is deleted by the `networks:purge` job after its grace period.
        await networks.mark_left(self.db, guild.id, self.clock.now().isoformat())

    async def ensure_network(self, guild: discord.Guild) -> None:
        """The guild's network exists (created the first time the bot sees the server)."""
        lang = await networks.ensure(
            self.db, guild.id, name=guild.name, preferred_locale=lang_of(guild.preferred_locale)
        )
        self.network_langs[guild.id] = lang

    async def _arrive_logged(self, guild: discord.Guild) -> None:
        try:
            await self._arrive(guild)
        except Exception:
            log.exception("network %s: comparing the members at start failed", guild.id)

    async def _arrive(self, guild: discord.Guild) -> None:
        """A server is there (at start or after an outage): its network exists, and departures
        and returns that happened while the bot was away count from now, so that nobody's grace
        period is skipped and nobody who came back is forgotten."""
        await self.ensure_network(guild)
        if not guild.chunked:
            # A partial member list would make people who are still here look departed.
            log.warning("network %s: member list incomplete, departures not checked", guild.id)
            return
        differences = await members.compare_with_server(
            self.db, guild.id, [m.id for m in guild.members]
        )
        now = self.clock.now()
        data = self.features.privacy
        for user_id in differences.departed:
            await privacy.member_left(self.db, data, guild.id, user_id, now=now)
        for user_id in differences.returned:
            await members.mark_joined(self.db, guild.id, user_id, now)
        if differences.departed or differences.returned:
            log.info(
                "network %s: %d departed and %d returned while the bot was offline",
                guild.id,
                len(differences.departed),
                len(differences.returned),
            )
