"""`python -m bot try`: the bot against the sandbox, with a terminal to use it as a member.

Type slash commands as in Discord; the replies are rendered readably (embeds, numbered buttons,
selects, modals asked field by field) along with what the bot posts in channels. Works with piped
standard input, so a script can drive it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import shlex
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console, Group
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.clock import ShiftedClock
from bot.i18n import Lang, format_datetime, lang_of, t
from bot.settings import Settings
from bot.shell import demo
from bot.shell.running import running_bot
from sandbox import Sandbox
from sandbox.reply import buttons_of, selects_of

log = logging.getLogger(__name__)

SUBCOMMAND, GROUP = 1, 2
_TRUE = {"true", "yes", "ja", "1", "sant"}
_FALSE = {"false", "no", "nej", "0", "falskt"}
_TEXT_TYPES = ("text/", "application/json", "application/xml")
# discord.py uploads files without a content type, so text files are also known by name.
_TEXT_SUFFIXES = (".json", ".csv", ".md", ".txt", ".ics", ".html")


_MENTION = re.compile(r"<(@!?|@&|#)(\d+)>")


def discord_markdown(text: str, names: Callable[[str, int], str | None] | None = None) -> Markdown:
    """Discord's markdown, where a single newline is a line break (unlike CommonMark), with
    mentions shown as the client shows them (@name, #channel) when `names` knows them."""
    if names is not None:

        def name(match: re.Match[str]) -> str:
            kind, ident = match.group(1), int(match.group(2))
            found = names(kind, ident)
            return match.group(0) if found is None else found

        text = _MENTION.sub(name, text)
    return Markdown(text.replace("\n", "  \n"))


def render_fields(
    fields: list[dict[str, Any]], names: Callable[[str, int], str | None]
) -> list[Any]:
    """Embed fields as Discord lays them out: inline ones up to three side by side."""
    out: list[Any] = []
    row: list[dict[str, Any]] = []

    def flush() -> None:
        if row:
            grid = Table.grid(padding=(0, 3))
            for _ in row:
                grid.add_column()
            grid.add_row(
                *(
                    Group(Text(f["name"], style="bold"), discord_markdown(f["value"], names))
                    for f in row
                )
            )
            out.append(grid)
            row.clear()

    for field in fields:
        if not field.get("inline"):
            flush()
            out.append(
                Group(Text(field["name"], style="bold"), discord_markdown(field["value"], names))
            )
            continue
        row.append(field)
        if len(row) == 3:
            flush()
    flush()
    return out


class ShellError(Exception):
    """A mistake in what was typed; shown, and the shell goes on."""


class Shell:
    """One terminal session: a current user and language, the last reply, what was already shown."""

    def __init__(
        self, console: Console, sandbox: Sandbox, world: demo.DemoWorld, interactive: bool
    ) -> None:
        self.console = console
        self.sandbox = sandbox
        self.world = world
        self.interactive = interactive
        self.handle = "anna"
        self.locales: dict[str, str] = {h: p.locale for h, p in world.people.items()}
        self.last: Any = None
        self.seen: set[int] = set()
        self.errors_seen = 0

    # --- who and which language ---------------------------------------------------------------

    @property
    def user(self) -> Any:
        return self.world.users[self.handle]

    @property
    def locale(self) -> str:
        return self.locales.get(self.handle, "sv-SE")

    @property
    def lang(self) -> Lang:
        return lang_of(self.locale) or "sv"

    def say(self, key: str, **params: Any) -> None:
        self.console.print(Text(t(self.lang, key, **params), style="dim"))

    def prompt(self) -> str:
        return f"{self.handle} ({self.lang})> "

    # --- the loop ---------------------------------------------------------------------------

    async def read_line(self, prompt: str) -> str | None:
        if self.interactive:
            try:
                return await asyncio.to_thread(input, prompt)
            except EOFError:
                return None
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            return None
        line = line.rstrip("\n")
        self.console.print(Text(prompt + line, style="bold"))
        return line

    async def run(self) -> None:
        self.mark_seen()
        self.say(
            "shell.banner",
            guild=self.world.guild.name,
            name=self.user.global_name,
            handle=self.handle,
        )
        while True:
            line = await self.read_line(self.prompt())
            if line is None:
                break
            try:
                if not await self.handle_line(line.strip()):
                    break
            except ShellError as exc:
                self.console.print(Text(str(exc), style="yellow"))
            except TimeoutError as exc:
                self.console.print(
                    Text(t(self.lang, "shell.timeout", detail=str(exc)), style="red")
                )
            self.show_new_posts()
            self.show_sandbox_errors()

    async def handle_line(self, line: str) -> bool:
        if not line or line.startswith("#"):
            return True
        if line.startswith("/"):
            await self.slash(line[1:])
            return True
        if not line.startswith(":"):
            raise ShellError(t(self.lang, "shell.what"))
        words = shlex.split(line[1:])
        if not words:
            raise ShellError(t(self.lang, "shell.what"))
        name, args = words[0].lower(), words[1:]
        if name in ("quit", "exit", "q"):
            return False
        handler = getattr(self, f"cmd_{name}", None)
        if handler is None:
            raise ShellError(t(self.lang, "shell.unknown", name=name))
        await handler(args)
        return True

    # --- shell commands ---------------------------------------------------------------------

    async def cmd_help(self, args: list[str]) -> None:
        self.console.print(Markdown(t(self.lang, "shell.help")))

    async def cmd_user(self, args: list[str]) -> None:
        if not args or args[0].lstrip("@") not in self.world.users:
            raise ShellError(t(self.lang, "shell.no_such_user", names=", ".join(self.world.users)))
        self.handle = args[0].lstrip("@")
        self.say("shell.now_user", name=self.user.global_name, handle=self.handle)

    async def cmd_users(self, args: list[str]) -> None:
        table = Table(show_header=False, box=None)
        for handle, user in self.world.users.items():
            member = handle_in_guild = self.world.guild.member(user.id)
            table.add_row(
                ("→ " if handle == self.handle else "  ") + handle,
                user.global_name or handle,
                self.locales.get(handle, "sv-SE"),
                "" if handle_in_guild else t(self.lang, "shell.not_member"),
                ", ".join(
                    r.name for r in self.world.guild.roles if member and r.id in member.roles
                ),
            )
        self.console.print(table)

    async def cmd_lang(self, args: list[str]) -> None:
        if not args or lang_of(args[0]) is None:
            raise ShellError(t(self.lang, "shell.lang_usage"))
        self.locales[self.handle] = "sv-SE" if lang_of(args[0]) == "sv" else "en-US"
        self.say("shell.now_lang", locale=self.locale)

    async def cmd_press(self, args: list[str]) -> None:
        reply = self.require_last()
        buttons = buttons_of(reply.components)
        if not args:
            raise ShellError(t(self.lang, "shell.press_usage"))
        button = self.pick(buttons, args[0], lambda b: b.label)
        if button.url:
            self.say("shell.link", url=button.url)
            return
        await self.present(
            await self.sandbox.click(reply, button.custom_id, user=self.user, locale=self.locale)
        )

    async def cmd_choose(self, args: list[str]) -> None:
        reply = self.require_last()
        if len(args) < 2:
            raise ShellError(t(self.lang, "shell.choose_usage"))
        select = self.pick(selects_of(reply.components), args[0], lambda s: s.placeholder)
        values = (
            [self.pick(select.options, a, lambda o: o.label).value for a in args[1:]]
            if (select.options)
            else args[1:]
        )
        await self.present(
            await self.sandbox.select(
                reply, select.custom_id, values, user=self.user, locale=self.locale
            )
        )

    async def cmd_read(self, args: list[str]) -> None:
        if not args:
            raise ShellError(t(self.lang, "shell.read_usage"))
        channel = self.channel(args[0])
        messages = self.sandbox.channel_messages(channel)[-10:]
        if not messages:
            self.say("shell.empty_channel", channel=channel.name)
        for message in messages:
            self.seen.add(message.id)
            self.show_message(message, where=f"#{channel.name}")

    async def cmd_channels(self, args: list[str]) -> None:
        table = Table(show_header=False, box=None)
        for channel in self.world.guild.channels:
            table.add_row(f"#{channel.name}", str(len(self.sandbox.channel_messages(channel))))
        self.console.print(table)

    # The running bot, for `:clock` (set by `run_shell`).
    bot: Any = None

    async def cmd_clock(self, args: list[str]) -> None:
        """`:clock +2d`, `:clock +3h`, `:clock +30m`, `:clock 2026-12-03 12:55` (the network's
        time zone): move the bot's clock forward and run what is due, as the scheduler would."""
        clock = getattr(self.bot, "clock", None)
        if clock is None or not hasattr(clock, "advance"):
            raise ShellError(t(self.lang, "shell.clock.usage"))
        now = clock.now()
        if args:
            target = parse_clock(" ".join(args), now, self.bot.settings.zone)
            if target is None or target < now:
                raise ShellError(t(self.lang, "shell.clock.usage"))
            clock.advance(target - now)
        runs = await self.bot.jobs.run_due()
        await asyncio.sleep(0.2)  # let what the jobs sent arrive before it is shown
        self.say(
            "shell.clock.moved",
            when=format_datetime(self.lang, clock.now(), self.bot.settings.zone),
            count=len(runs),
        )

    async def cmd_dms(self, args: list[str]) -> None:
        messages = self.sandbox.dm_messages(self.user)
        if not messages:
            self.say("shell.no_dms")
        for message in messages[-10:]:
            self.seen.add(message.id)
            self.show_message(message, where=t(self.lang, "shell.dm"))

    async def cmd_join(self, args: list[str]) -> None:
        if not args:
            raise ShellError(t(self.lang, "shell.join_usage"))
        handle = args[0].lstrip("@").lower()
        user = self.world.users.get(handle)
        if user is None:
            name = " ".join(args[1:]) or handle.capitalize()
            user = self.sandbox.create_user(handle, global_name=name, locale=self.locale)
            self.world.users[handle] = user
            self.world.people[handle] = demo.Person(handle, name, self.locale)
            self.locales[handle] = self.locale
        await self.sandbox.add_member(self.world.guild, user)
        self.handle = handle
        self.say("shell.joined", name=user.global_name, handle=handle)
        await asyncio.sleep(0.3)  # let the bot greet before showing what it posted

    async def cmd_leave(self, args: list[str]) -> None:
        handle = (args[0] if args else self.handle).lstrip("@")
        if handle not in self.world.users:
            raise ShellError(t(self.lang, "shell.no_such_user", names=", ".join(self.world.users)))
        await self.sandbox.remove_member(self.world.guild, self.world.users[handle])
        self.say("shell.left", handle=handle)

    async def cmd_menu(self, args: list[str]) -> None:
        if len(args) != 2:
            raise ShellError(t(self.lang, "shell.menu_usage"))
        name, target = args
        user = self.world.users.get(target.lstrip("@"))
        if user is None:
            raise ShellError(t(self.lang, "shell.no_such_user", names=", ".join(self.world.users)))
        command = self.find_menu(name)
        await self.present(
            await self.sandbox.invoke_user_command(
                command, target=user, user=self.user, guild=self.world.guild, locale=self.locale
            )
        )

    # --- slash commands -----------------------------------------------------------------------

    async def slash(self, text: str) -> None:
        try:
            words = shlex.split(text)
        except ValueError as exc:
            raise ShellError(str(exc)) from None
        path, leaf, rest = self.resolve_command(words)
        options: dict[str, Any] = {}
        for word in rest:
            key, sep, value = word.partition(":")
            if not sep:
                raise ShellError(t(self.lang, "shell.option_syntax", word=word))
            option = self.find_option(leaf, key)
            options[option["name"]] = self.convert(option, value)
        await self.present(
            await self.sandbox.invoke(
                " ".join(path), options, user=self.user, guild=self.world.guild, locale=self.locale
            )
        )

    async def present(self, reply: Any) -> None:
        """Show a reply; a modal is then asked field by field and submitted."""
        self.show(reply)
        if reply.kind == "modal":
            await self.fill_modal(reply)

    def commands(self) -> list[dict[str, Any]]:
        return list(self.sandbox.synced_commands(self.world.guild))

    def resolve_command(self, words: list[str]) -> tuple[list[str], dict[str, Any], list[str]]:
        """The base-name path, the leaf command/subcommand and the option words."""
        candidates = [c for c in self.commands() if c.get("type", 1) == 1]
        path: list[str] = []
        node: dict[str, Any] | None = None
        index = 0
        while index < len(words) and ":" not in words[index]:
            word = words[index].lower()
            match = next((c for c in candidates if self.names(c) & {word}), None)
            if match is None:
                break
            path.append(match["name"])
            node = match
            index += 1
            candidates = [o for o in match.get("options", []) if o["type"] in (SUBCOMMAND, GROUP)]
            if not candidates:
                break
        if node is None or any(o["type"] in (SUBCOMMAND, GROUP) for o in node.get("options", [])):
            raise ShellError(
                t(self.lang, "shell.unknown_command", text=" ".join(words[: index + 1]))
            )
        return path, node, words[index:]

    @staticmethod
    def names(entry: dict[str, Any]) -> set[str]:
        return {entry["name"], *(entry.get("name_localizations") or {}).values()}

    def find_option(self, leaf: dict[str, Any], key: str) -> dict[str, Any]:
        for option in leaf.get("options", []):
            if key.lower() in self.names(option):
                return option
        known = ", ".join(o["name"] for o in leaf.get("options", [])) or "–"
        raise ShellError(t(self.lang, "shell.unknown_option", name=key, known=known))

    def convert(self, option: dict[str, Any], value: str) -> Any:
        kind = option["type"]
        try:
            if kind == 4:
                return int(value)
            if kind == 10:
                return float(value.replace(",", "."))
        except ValueError:
            raise ShellError(t(self.lang, "shell.not_a_number", value=value)) from None
        if kind == 5:
            if value.lower() in _TRUE:
                return True
            if value.lower() in _FALSE:
                return False
            raise ShellError(t(self.lang, "shell.not_a_boolean", value=value))
        if kind in (6, 9):
            user = self.world.users.get(value.lstrip("@"))
            if user is None:
                raise ShellError(
                    t(self.lang, "shell.no_such_user", names=", ".join(self.world.users))
                )
            return user
        if kind == 7:
            return self.channel(value)
        return value

    def find_menu(self, name: str) -> str:
        for command in self.commands():
            if command.get("type") == 2 and name.lower() in {
                n.lower() for n in self.names(command)
            }:
                return str(command["name"])
        raise ShellError(t(self.lang, "shell.unknown_command", text=name))

    def channel(self, name: str) -> Any:
        wanted = name.lstrip("#").lower()
        for channel in [*self.world.guild.channels, *self.world.guild.threads]:
            if channel.name.lower() == wanted:
                return channel
        raise ShellError(t(self.lang, "shell.no_such_channel", name=name))

    async def fill_modal(self, reply: Any) -> None:
        """Ask each field of a modal in turn, then submit it."""
        modal = reply.modal
        values: dict[str, Any] = {}
        for field in modal.fields:
            hint = t(self.lang, "shell.required" if field.required else "shell.optional")
            if field.max_length:
                hint += ", " + t(self.lang, "shell.max_chars", max=field.max_length)
            if field.options:
                for n, option in enumerate(field.options, start=1):
                    self.console.print(f"   {n}) {option.label}")
            current = f" [{field.value}]" if field.value else ""
            answer = await self.read_line(f"  {field.label or field.custom_id} ({hint}){current}: ")
            if answer is None:
                self.say("shell.modal_cancelled")
                return
            if field.options:
                picks = [
                    self.pick(field.options, a, lambda o: o.label).value for a in answer.split()
                ]
                values[field.custom_id] = picks
            else:
                values[field.custom_id] = answer if answer else (field.value or "")
        await self.present(
            await self.sandbox.submit_modal(reply, values, user=self.user, locale=self.locale)
        )

    # --- rendering ----------------------------------------------------------------------------

    def require_last(self) -> Any:
        if self.last is None:
            raise ShellError(t(self.lang, "shell.nothing_yet"))
        return self.last

    def pick(self, items: list[Any], choice: str, label: Any) -> Any:
        if choice.isdigit() and 1 <= int(choice) <= len(items):
            return items[int(choice) - 1]
        for item in items:
            if str(label(item) or "").lower() == choice.lower():
                return item
        raise ShellError(t(self.lang, "shell.no_such_choice", choice=choice, count=len(items)))

    def show(self, reply: Any) -> None:
        if reply.kind != "autocomplete":
            self.last = reply
        if reply.message is not None:
            self.seen.add(reply.message.id)
        for message in reply.followups:
            self.seen.add(message.id)
        if reply.kind == "modal":
            self.console.print(
                Panel(
                    Text(reply.modal.title, style="bold"),
                    title=t(self.lang, "shell.modal"),
                    border_style="magenta",
                )
            )
            return
        if reply.kind == "autocomplete":
            for n, choice in enumerate(reply.choices, start=1):
                self.console.print(f"  {n}) {choice.name}")
            return
        title = t(self.lang, "shell.only_you" if reply.ephemeral else "shell.reply")
        self.console.print(
            self.render(reply.content, reply.embeds, reply.components, reply.attachments, title)
        )
        for message in (
            reply.followups[1:] if reply.followups and reply.message is None else reply.followups
        ):
            if reply.message is not None and message.id == reply.message.id:
                continue
            self.show_message(message, where=t(self.lang, "shell.followup"))

    def show_message(self, message: Any, where: str) -> None:
        if message.components:
            self.last = message  # :press and :choose act on what was shown last
        self.console.print(
            self.render(
                message.content, message.embeds, message.components, message.attachments, where
            )
        )

    def render(
        self,
        content: str,
        embeds: list[dict[str, Any]],
        components: list[dict[str, Any]],
        attachments: list[Any],
        title: str,
    ) -> Panel:
        parts: list[Any] = []
        if content:
            parts.append(discord_markdown(content, self.mention_name))
        for embed in embeds:
            inner: list[Any] = []
            if embed.get("author", {}).get("name"):
                inner.append(Text(embed["author"]["name"], style="italic"))
            if embed.get("description"):
                inner.append(discord_markdown(embed["description"], self.mention_name))
            inner.extend(render_fields(embed.get("fields", []), self.mention_name))
            parts.append(
                Panel(
                    Group(*inner) if inner else Text(""),
                    title=embed.get("title"),
                    subtitle=(embed.get("footer") or {}).get("text"),
                    border_style="cyan",
                    title_align="left",
                )
            )
        buttons = buttons_of(components)
        if buttons:
            line = Text()
            for n, button in enumerate(buttons, start=1):
                style = "dim" if button.disabled else "bold green"
                label = button.label or (button.emoji or {}).get("name") or "?"
                line.append(f"[{n}] {label}" + (" ↗" if button.url else "") + "  ", style=style)
            parts.append(line)
        for n, select in enumerate(selects_of(components), start=1):
            options = " · ".join(f"{i}) {o.label}" for i, o in enumerate(select.options, start=1))
            parts.append(Text(f"⟨{n}⟩ {select.placeholder or ''}: {options}", style="green"))
        for attachment in attachments:
            parts.append(Text(f"📎 {attachment.filename} ({len(attachment.data)} B)", style="blue"))
            if (attachment.content_type or "").startswith(_TEXT_TYPES) or (
                attachment.filename.lower().endswith(_TEXT_SUFFIXES)
            ):
                preview = attachment.data.decode("utf-8", "replace").splitlines()[:15]
                parts.append(Text("\n".join(preview), style="dim"))
        return Panel(Group(*parts), title=title, title_align="left", border_style="white")

    def mention_name(self, kind: str, ident: int) -> str | None:
        """How the Discord client shows a mention: @display name, @role, #channel."""
        if kind.startswith("@") and kind != "@&":
            for user in self.world.users.values():
                if user.id == ident:
                    return f"@{user.global_name or user.username}"
            return None
        guild = self.world.guild
        if kind == "@&":
            role = next((r for r in guild.roles if r.id == ident), None)
            return None if role is None else f"@{role.name}"
        channel = next((c for c in [*guild.channels, *guild.threads] if c.id == ident), None)
        return None if channel is None else f"#{channel.name}"

    def mark_seen(self) -> None:
        for channel in [*self.world.guild.channels, *self.world.guild.threads]:
            for message in self.sandbox.channel_messages(channel):
                self.seen.add(message.id)

    def show_new_posts(self) -> None:
        """What the bot posted in channels, and in the current user's DMs, since last shown."""
        for channel in [*self.world.guild.channels, *self.world.guild.threads]:
            for message in self.sandbox.channel_messages(channel):
                if message.id not in self.seen:
                    self.seen.add(message.id)
                    self.show_message(message, where=f"#{channel.name}")
        for message in self.sandbox.dm_messages(self.user):
            if message.id not in self.seen:
                self.seen.add(message.id)
                self.show_message(message, where=t(self.lang, "shell.dm"))

    def show_sandbox_errors(self) -> None:
        for error in self.sandbox.errors[self.errors_seen :]:
            self.console.print(
                Text(t(self.lang, "shell.sandbox_error", detail=str(error)), style="red")
            )
        self.errors_seen = len(self.sandbox.errors)


_SHIFT = re.compile(r"^\+(\d{1,4})\s*([wdhm])$")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}


def parse_clock(text: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """`+2d`, `+3h`, `+30m`, `+1w`, or a wall-clock time `2026-12-03 12:55` in `zone`."""
    text = text.strip().lower()
    shift = _SHIFT.match(text)
    if shift:
        return now + timedelta(**{_UNITS[shift.group(2)]: int(shift.group(1))})
    try:
        when = datetime.strptime(text, "%Y-%m-%d %H:%M")
    except ValueError:
        return None
    return when.replace(tzinfo=zone)


def fresh_database(settings: Settings, database: Path | None) -> Path:
    """The demo's own SQLite file: the one asked for, or data/try.db started afresh each time
    (the sandbox's ids are new at every start, so yesterday's demo data would not match)."""
    if database is not None:
        return database
    path = settings.database_path.parent / "try.db"
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()
    return path


async def run_shell(path: Path) -> None:
    interactive = sys.stdin.isatty()
    console = Console(highlight=False, width=None if interactive else 100)
    sandbox = Sandbox()
    await sandbox.start()
    try:
        world = await demo.build_world(sandbox)
        async with running_bot(sandbox, path, clock=ShiftedClock()) as bot:
            await demo.seed(bot, sandbox, world)
            shell = Shell(console, sandbox, world, interactive)
            shell.bot = bot
            await shell.run()
    finally:
        await sandbox.stop()


def main(settings: Settings, database: Path | None = None) -> int:
    """Entry point of `python -m bot try`."""
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    path = fresh_database(settings, database)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_shell(path))
    return 0
