"""A minimal discord.py bot exercising everything the sandbox emulates (not the project's bot)."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import AsyncIterator
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from sandbox import Sandbox

MUNICIPALITIES = ["Lysekil", "Sotenäs", "Södertälje", "Stockholm", "Strömstad"]


class PersistentView(discord.ui.View):
    """A view that survives restarts (fixed custom_id, no timeout)."""

    def __init__(self, generation: int) -> None:
        super().__init__(timeout=None)
        self.generation = generation

    @discord.ui.button(label="Ping", custom_id="persist:ping", style=discord.ButtonStyle.primary)
    async def ping(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.send_message(f"pong from generation {self.generation}")


class RegisterModal(discord.ui.Modal, title="Registrera"):
    """A modal with a classic text input row and a Label-wrapped input."""

    name: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Name", custom_id="name", max_length=50
    )
    email: discord.ui.Label[Any] = discord.ui.Label(
        text="Email",
        description="Where we reach you",
        component=discord.ui.TextInput(custom_id="email", placeholder="you@example.org"),
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        email_input = self.email.component
        assert isinstance(email_input, discord.ui.TextInput)
        await interaction.response.send_message(
            f"Thanks {self.name.value} <{email_input.value}>", ephemeral=True
        )


class PanelView(discord.ui.View):
    """Buttons and a select."""

    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.button(label="Refresh", custom_id="panel:refresh")
    async def refresh(
        self, interaction: discord.Interaction, button: discord.ui.Button[Any]
    ) -> None:
        await interaction.response.edit_message(content="Refreshed", view=self)

    @discord.ui.button(label="Register", custom_id="panel:register")
    async def register(
        self, interaction: discord.Interaction, button: discord.ui.Button[Any]
    ) -> None:
        await interaction.response.send_modal(RegisterModal())

    @discord.ui.button(label="Later", custom_id="panel:later")
    async def later(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.defer()
        await asyncio.sleep(0.05)
        await interaction.edit_original_response(content="Updated later", view=None)

    @discord.ui.select(
        custom_id="panel:pick",
        placeholder="Pick municipalities",
        min_values=1,
        max_values=2,
        options=[discord.SelectOption(label=m, value=m.lower()) for m in MUNICIPALITIES],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select[Any]) -> None:
        await interaction.response.edit_message(content=f"Picked {', '.join(select.values)}")

    @discord.ui.select(cls=discord.ui.UserSelect, custom_id="panel:who")
    async def who(
        self, interaction: discord.Interaction, select: discord.ui.UserSelect[Any]
    ) -> None:
        names = ", ".join(u.display_name for u in select.values)
        await interaction.response.send_message(f"Chosen: {names}", ephemeral=True)


class Network(app_commands.Group):
    """/network …"""

    municipalities = app_commands.Group(name="municipalities", description="Municipalities")

    @municipalities.command(name="add", description="Add a municipality")
    @app_commands.describe(name="Municipality name")
    async def add(self, interaction: discord.Interaction, name: str) -> None:
        if interaction.locale is discord.Locale.swedish:
            text = f"Kommunen {name} har lagts till"
        else:
            text = f"Municipality {name} added"
        await interaction.response.send_message(text)

    @app_commands.command(name="info", description="Network info")
    async def info(self, interaction: discord.Interaction, verbose: bool = False) -> None:
        await interaction.response.send_message(f"verbose={verbose}")


class Contact(app_commands.Group):
    """/contact …"""

    @app_commands.command(name="find", description="Find a contact")
    async def find(
        self, interaction: discord.Interaction, municipality: str, limit: int = 5
    ) -> None:
        await interaction.response.send_message(f"Contacts in {municipality} (max {limit})")

    @find.autocomplete("municipality")
    async def find_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=m, value=m)
            for m in MUNICIPALITIES
            if m.lower().startswith(current.lower())
        ]


class ProbeBot(commands.Bot):
    """The bot under test; records what it sees."""

    def __init__(self, generation: int = 1, *, members: bool = True) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.members = members
        intents.guild_messages = True
        intents.dm_messages = True
        intents.guild_scheduled_events = True
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.1)
        self.generation = generation
        self.seen: list[tuple[str, Any]] = []
        self.callback_errors: list[BaseException] = []
        self.event_signal = asyncio.Event()

    def record(self, name: str, value: Any) -> None:
        self.seen.append((name, value))
        self.event_signal.set()

    async def wait_seen(self, name: str, within: float = 5) -> Any:
        async with asyncio.timeout(within):
            while True:
                for seen, value in self.seen:
                    if seen == name:
                        return value
                self.event_signal.clear()
                await self.event_signal.wait()

    async def setup_hook(self) -> None:
        self.add_view(PersistentView(self.generation))
        self.tree.add_command(Network(name="network", description="Network admin"))
        self.tree.add_command(Contact(name="contact", description="Contacts"))
        tree = self.tree

        @tree.command(name="about", description="About the bot")
        async def about(interaction: discord.Interaction) -> None:
            embed = discord.Embed(title="Krokarm", description=f"locale {interaction.locale}")
            embed.add_field(name="Guild locale", value=str(interaction.guild_locale))
            await interaction.response.send_message("About", embed=embed)

        @tree.command(name="slow", description="Deferred work")
        async def slow(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await asyncio.sleep(0.1)
            await interaction.followup.send("Klart!")
            await interaction.followup.send("Second message")

        @tree.command(name="panel", description="Buttons and selects")
        async def panel(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Panel", view=PanelView())

        @tree.command(name="upload", description="Sends a file")
        async def upload(interaction: discord.Interaction) -> None:
            file = discord.File(io.BytesIO(b"hello file"), filename="hello.txt")
            await interaction.response.send_message("Here you go", file=file)

        @tree.command(name="echofile", description="Reads an attachment")
        async def echofile(interaction: discord.Interaction, file: discord.Attachment) -> None:
            data = await file.read()
            await interaction.response.send_message(f"Got {file.filename}: {data.decode()}")

        @tree.command(name="dmme", description="DMs you")
        async def dmme(interaction: discord.Interaction) -> None:
            await interaction.user.send("Hej i DM")
            await interaction.response.send_message("Sent", ephemeral=True)

        @tree.command(name="sleepy", description="Too slow")
        async def sleepy(interaction: discord.Interaction) -> None:
            await asyncio.sleep(3.2)
            try:
                await interaction.response.send_message("too late")
            except discord.HTTPException as exc:
                self.record("late", exc)

        @tree.command(name="persist", description="Posts a persistent button")
        async def persist(interaction: discord.Interaction) -> None:
            assert interaction.channel is not None
            await interaction.channel.send("Persistent", view=PersistentView(self.generation))  # type: ignore[union-attr]
            await interaction.response.send_message("Posted", ephemeral=True)

        @tree.command(name="say", description="Echo user text")
        async def say(interaction: discord.Interaction, text: str) -> None:
            await interaction.response.send_message(
                text, allowed_mentions=discord.AllowedMentions.none()
            )

        @tree.command(name="modalcmd", description="Opens a modal from a command")
        async def modalcmd(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(RegisterModal())

        @tree.context_menu(name="Contact card")
        async def contact_card(interaction: discord.Interaction, member: discord.Member) -> None:
            await interaction.response.send_message(
                f"Card for {member.display_name}", ephemeral=True
            )

        @tree.error
        async def on_tree_error(
            interaction: discord.Interaction, error: app_commands.AppCommandError
        ) -> None:
            self.callback_errors.append(error)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        self.record("guild_join", guild)

    async def on_member_join(self, member: discord.Member) -> None:
        self.record("join", member)

    async def on_member_remove(self, member: discord.Member) -> None:
        self.record("remove", member)

    async def on_scheduled_event_create(self, event: discord.ScheduledEvent) -> None:
        self.record("event_create", event)

    async def on_guild_channel_create(self, channel: discord.abc.GuildChannel) -> None:
        self.record("channel_create", channel)

    async def on_thread_create(self, thread: discord.Thread) -> None:
        self.record("thread_create", thread)

    async def on_message(self, message: discord.Message) -> None:
        self.record("message", message)


@contextlib.asynccontextmanager
async def running(
    sb: Sandbox, bot: ProbeBot | None = None, *, sync: bool = True
) -> AsyncIterator[ProbeBot]:
    """Run a bot against the sandbox until the block ends."""
    bot = bot or ProbeBot()
    task = asyncio.create_task(bot.start(sb.token))
    try:
        async with asyncio.timeout(10):
            while not bot.is_ready():
                if task.done():
                    task.result()
                await asyncio.sleep(0.01)
        await sb.wait_until_ready()
        if sync:
            await bot.tree.sync()
        yield bot
    finally:
        await bot.close()
        with contextlib.suppress(Exception):
            await task
