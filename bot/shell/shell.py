"""`python -m bot try`: the bot against the sandbox, with a terminal to use it as a member.

Type slash commands as in Discord, in either language; the replies are rendered readably (embeds,
numbered buttons, selects, forms) along with what the bot posts in channels. At a terminal,
prompt_toolkit gives history and tab completion, and forms are asked field by field; from piped
standard input (a script) forms wait for `:fill`. A mistake is explained and the shell goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import shutil
import sys
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
from bot.services import network
from bot.settings import Settings
from bot.shell import demo, keep
from bot.shell.forms import Forms
from bot.shell.lines import Lines
from bot.shell.render import TEXT_SUFFIXES, TEXT_TYPES, discord_markdown, render_fields
from bot.shell.running import running_bot
from bot.shell.slash import (
    Parsed,
    ShellError,
    choices_text,
    convert_basic,
    label,
    parse,
    problem_text,
    split,
)
from sandbox import Perm, Sandbox, SandboxError
from sandbox import commands as names
from sandbox.reply import buttons_of, selects_of

log = logging.getLogger(__name__)

__all__ = ["Shell", "ShellError", "main"]
_PICK = re.compile(r"(.*)#(\d{1,2})", re.S)


class Shell:
    """One terminal session: a current user and language, the last reply, what was already shown."""

    def __init__(
        self,
        console: Console,
        sandbox: Sandbox,
        world: demo.DemoWorld,
        interactive: bool,
        history: Path | None = None,
    ) -> None:
        self.console = console
        self.sandbox = sandbox
        self.world = world
        self.interactive = interactive
        self.handle = "anna"
        self.locales: dict[str, str] = {h: p.locale for h, p in world.people.items()}
        self.last: Any = None
        self.modal: Any = None  # a modal waiting for :fill
        self.watched: list[Any] = []  # replies whose followups may still come (deferred work)
        self.seen: set[int] = set()
        self.errors_seen = 0
        self.lines = Lines(interactive, self.commands, self.echo, history)
        self.forms = Forms(self)

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

    def echo(self, line: str) -> None:
        if len(line) > 300:
            line = f"{line[:280]}… ({len(line)})"
        self.console.print(Text(line, style="bold"))

    def prompt(self) -> str:
        return f"{self.handle} ({self.lang})> "

    # --- the loop ---------------------------------------------------------------------------

    async def read_line(self, prompt: str, *, complete: bool = True) -> str | None:
        return await self.lines.read(prompt, complete=complete)

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
            if not await self.step(line):
                break
        await self.settle()
        if self.modal is not None:
            self.say("shell.modal.closed", title=self.modal.modal.title)

    def shown_count(self) -> int:
        guild = self.world.guild
        channels = [*guild.channels, *guild.threads]
        posts = sum(len(self.sandbox.channel_messages(c)) for c in channels)
        return posts + sum(len(r.followups) for r in self.watched)

    async def settle(self, quiet: float = 1.0, limit: float = 20.0) -> None:
        """At the end of a script: until the bot has posted nothing new for `quiet` seconds
        (work it deferred, such as building the server), so that it is shown and not cut off."""
        loop = asyncio.get_running_loop()
        start = last_change = loop.time()
        count = self.shown_count()
        while loop.time() - last_change < quiet and loop.time() - start < limit:
            await asyncio.sleep(0.1)
            if self.shown_count() != count:
                count, last_change = self.shown_count(), loop.time()
        self.show_new_posts()

    async def step(self, line: str) -> bool:
        """One line; every mistake is shown and the shell goes on. False when asked to stop."""
        try:
            return await self.handle_line(line.strip())
        except ShellError as exc:
            self.console.print(Text(str(exc), style="yellow"))
        except TimeoutError as exc:
            self.console.print(Text(t(self.lang, "shell.timeout", detail=str(exc)), style="red"))
        except (SandboxError, LookupError, ValueError, TypeError) as exc:
            # What the sandbox refuses as Discord would (a disabled button, a bad value …).
            self.console.print(Text(t(self.lang, "shell.refused", detail=str(exc)), style="yellow"))
        except Exception as exc:
            log.debug("shell line failed", exc_info=True)
            self.console.print(
                Text(t(self.lang, "shell.failed", kind=type(exc).__name__, detail=str(exc)), "red")
            )
        finally:
            self.show_new_posts()
            self.show_sandbox_errors()
        return True

    async def handle_line(self, line: str) -> bool:
        if not line or line.startswith("#"):
            return True
        if self.modal is not None and not line.startswith((":fill", ":cancel", ":help")):
            # As in Discord: doing anything else closes an open form without sending it.
            self.say("shell.modal.closed", title=self.modal.modal.title)
            self.modal = None
        if line.startswith("/"):
            await self.slash(line[1:])
            return True
        if not line.startswith(":"):
            raise ShellError(t(self.lang, "shell.what"))
        words = split(self.lang, line[1:])
        if not words:
            raise ShellError(t(self.lang, "shell.what"))
        name, args = words[0].lower(), words[1:]
        if name in ("quit", "exit", "q"):
            return False
        handler = getattr(self, f"cmd_{name.replace('-', '_')}", None)
        if handler is None:
            raise ShellError(t(self.lang, "shell.unknown", name=name))
        await handler(args)
        return True

    # --- shell commands ---------------------------------------------------------------------

    async def cmd_help(self, args: list[str]) -> None:
        self.console.print(Markdown(t(self.lang, "shell.help")))
        self.console.print(Markdown(t(self.lang, "shell.help_more")))

    async def cmd_user(self, args: list[str]) -> None:
        if not args or args[0].lstrip("@") not in self.world.users:
            raise ShellError(t(self.lang, "shell.no_such_user", names=", ".join(self.world.users)))
        self.handle = args[0].lstrip("@")
        self.say("shell.now_user", name=self.user.global_name, handle=self.handle)

    def admin_reason(self, member: Any) -> str:
        """Why a member is an admin of the network, as a short note (empty when not)."""
        guild = self.world.guild
        if member is None:
            return ""
        if member.user.id == guild.owner_id:
            return t(self.lang, "shell.admin.owner")
        perms = self.sandbox.world.member_perms(guild, member, None)
        if perms & (Perm.ADMINISTRATOR | Perm.MANAGE_GUILD):
            return t(self.lang, "shell.admin.manage")
        if self.admin_role_id is not None and self.admin_role_id in member.roles:
            return t(self.lang, "shell.admin.role")
        return ""

    admin_role_id: int | None = None
    db: Any = None  # the bot's database, to read the network's admin role

    async def cmd_users(self, args: list[str]) -> None:
        if self.db is not None:
            self.admin_role_id = (await network.get(self.db, self.world.guild.id)).admin_role_id
        table = Table(box=None)
        for key in ("user", "name", "language", "admin", "roles"):
            table.add_column(
                t(self.lang, f"shell.users.{key}"), style="bold" if key == "admin" else None
            )
        for handle, user in self.world.users.items():
            member = self.world.guild.member(user.id)
            table.add_row(
                ("→ " if handle == self.handle else "  ") + handle,
                user.global_name or handle,
                self.locales.get(handle, "sv-SE"),
                self.admin_reason(member) if member else t(self.lang, "shell.not_member"),
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
        button = self.pick(buttons, " ".join(args), lambda b: b.label)
        if button.url:
            self.say("shell.link", url=button.url)
            return
        if button.disabled:
            raise ShellError(t(self.lang, "shell.disabled", label=button.label or "?"))
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

    async def cmd_delete_channel(self, args: list[str]) -> None:
        """An admin deletes a channel in Discord, e.g. to see `/network setup` put it back."""
        if not args:
            raise ShellError(t(self.lang, "shell.delete_channel_usage"))
        channel = self.channel(args[0])
        await self.sandbox.delete_channel(channel)
        self.say("shell.channel_deleted", channel=channel.name)

    async def cmd_reset_server(self, args: list[str]) -> None:
        """Every channel but the first and every role the server's people made, deleted:
        `/network setup` then proposes the whole structure again, with Confirm."""
        guild = self.world.guild
        keep = guild.system_channel_id
        channels = [c for c in guild.channels if c.id != keep and c.parent_id is None]
        channels += [c for c in guild.channels if c.id != keep and c.parent_id is not None]
        for channel in sorted(channels, key=lambda c: c.parent_id is None):
            if channel.id in guild.channels_by_id:
                await self.sandbox.delete_channel(channel)
        roles = [r for r in guild.roles if not r.managed and r.id != guild.id]
        for role in roles:
            await self.sandbox.delete_role(guild, role)
        self.say("shell.server_reset", channels=len(channels), roles=len(roles))

    async def cmd_fill(self, args: list[str]) -> None:
        """Fill the open form on one line: `:fill Namn="Åsa" Titel=…` (by label or custom_id)."""
        if self.modal is None:
            raise ShellError(t(self.lang, "shell.modal.none"))
        modal = self.modal.modal
        values: dict[str, str] = {}
        for word in args:
            key, sep, value = word.partition("=")
            if not sep:
                raise ShellError(t(self.lang, "shell.modal.fill_syntax", word=word))
            field = self.forms.modal_field(modal, key)
            values[field.custom_id] = value
        await self.forms.submit(self.modal, values)

    async def cmd_cancel(self, args: list[str]) -> None:
        if self.modal is None:
            raise ShellError(t(self.lang, "shell.modal.none"))
        self.say("shell.modal_cancelled")
        self.modal = None

    # --- slash commands -----------------------------------------------------------------------

    async def slash(self, text: str) -> None:
        parsed = parse(
            self.lang, self.locale, self.commands(), text, lambda o, v: self.convert(o, v)
        )
        path = " ".join(parsed.path)
        for option in parsed.asked:
            await self.list_values(parsed, option)
        if parsed.asked:
            return
        for option in parsed.dropped:
            self.say("shell.dropped", option=label(option, self.locale))
        for option in parsed.autocomplete:
            parsed.options[option["name"]] = await self.autocomplete(parsed, option)
        await self.present(
            await self.sandbox.invoke(
                path, parsed.options, user=self.user, guild=self.world.guild, locale=self.locale
            )
        )

    async def suggestions(self, parsed: Parsed, option: dict[str, Any], typed: str) -> list[Any]:
        others = {k: v for k, v in parsed.options.items() if k != option["name"]}
        return await self.sandbox.autocomplete(
            " ".join(parsed.path),
            {**others, option["name"]: typed},
            focused=option["name"],
            user=self.user,
            guild=self.world.guild,
            locale=self.locale,
        )

    async def list_values(self, parsed: Parsed, option: dict[str, Any]) -> None:
        """`option:?` — the choices, or what the bot's autocomplete suggests."""
        name = label(option, self.locale)
        if option.get("choices"):
            self.say("shell.choices", option=name, choices=choices_text(option, self.locale))
        elif option.get("autocomplete"):
            found = await self.suggestions(parsed, option, parsed.raw.get(option["name"], ""))
            self.say("shell.suggestions", option=name)
            for n, choice in enumerate(found, start=1):
                self.console.print(f"  {n}) {choice.name}")
        else:
            self.say("shell.free_value", option=name)

    async def autocomplete(self, parsed: Parsed, option: dict[str, Any]) -> Any:
        """As Discord's client: what was typed goes to the bot's autocomplete, and the person
        picks a suggestion; a suggestion named exactly as typed is taken, otherwise (or when no
        one picks) the text is sent as typed."""
        typed = parsed.raw[option["name"]]
        name = label(option, self.locale)
        number: int | None = None
        numbered = _PICK.fullmatch(typed)
        if numbered:  # `funktion:samordn#2`: the second suggestion for "samordn"
            typed, number = numbered.group(1), int(numbered.group(2))
        found = await self.suggestions(parsed, option, typed)
        wanted = typed.strip().casefold()
        exact = next(
            (c for c in found if c.name.casefold() == wanted or str(c.value) == typed), None
        )
        chosen: Any = None
        if number is not None:
            if not 1 <= number <= len(found):
                raise ShellError(
                    t(
                        self.lang,
                        "shell.no_suggestion",
                        option=name,
                        number=number,
                        count=len(found),
                    )
                )
            chosen = found[number - 1]
        elif exact is not None:
            chosen = exact
        elif found:
            self.say("shell.suggestions", option=name)
            for n, choice in enumerate(found, start=1):
                self.console.print(f"  {n}) {choice.name}")
            if self.interactive:
                answer = await self.read_line(
                    t(self.lang, "shell.pick_suggestion", count=len(found)), complete=False
                )
                if answer and answer.strip().isdigit() and 1 <= int(answer) <= len(found):
                    chosen = found[int(answer) - 1]
        if chosen is not None:
            self.say("shell.picked", option=name, choice=chosen.name)
            return chosen.value
        self.say("shell.as_typed", option=name, value=typed)
        value, problem = names.check(option, self.convert(option, typed))
        if problem is not None:
            raise ShellError(problem_text(self.lang, self.locale, problem))
        return value

    async def present(self, reply: Any) -> None:
        """Show a reply; a modal is then asked field by field (at a terminal) or waits for
        `:fill` (from a script)."""
        self.show(reply)
        if reply.kind != "modal":
            return
        self.modal = reply
        self.forms.describe_modal(reply.modal)
        if self.interactive:
            await self.forms.fill_modal(reply)
        else:
            self.say("shell.modal.fill_hint")

    def commands(self) -> list[dict[str, Any]]:
        return list(self.sandbox.synced_commands(self.world.guild))

    def convert(self, option: dict[str, Any], value: str) -> Any:
        kind = option["type"]
        if kind in (6, 9):
            user = self.world.users.get(value.lstrip("@"))
            if user is None:
                raise ShellError(
                    t(self.lang, "shell.no_such_user", names=", ".join(self.world.users))
                )
            return user
        if kind == 7:
            return self.channel(value)
        return convert_basic(self.lang, option, value)

    def find_menu(self, name: str) -> str:
        found = names.find_command(self.commands(), name, command_type=2)
        if found is None:
            raise ShellError(t(self.lang, "shell.unknown_command", text=name))
        return str(found["name"])

    def channel(self, name: str) -> Any:
        wanted = name.lstrip("#").lower()
        for channel in [*self.world.guild.channels, *self.world.guild.threads]:
            if channel.name.lower() == wanted:
                return channel
        raise ShellError(t(self.lang, "shell.no_such_channel", name=name))

    # --- rendering ----------------------------------------------------------------------------

    def require_last(self) -> Any:
        if self.last is None:
            raise ShellError(t(self.lang, "shell.nothing_yet"))
        return self.last

    def pick(self, items: list[Any], choice: str, label: Any) -> Any:
        if not items:
            raise ShellError(t(self.lang, "shell.nothing_to_pick"))
        if choice.isdigit() and 1 <= int(choice) <= len(items):
            return items[int(choice) - 1]
        for item in items:
            if str(label(item) or "").lower() == choice.lower():
                return item
        raise ShellError(t(self.lang, "shell.no_such_choice", choice=choice, count=len(items)))

    def show(self, reply: Any) -> None:
        self.watched = [*self.watched[-19:], reply]
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
            footer = (embed.get("footer") or {}).get("text")
            if footer:
                # Inside the panel, wrapped to the width: a subtitle would be cut at the border.
                inner.append(Text(footer, style="dim"))
            parts.append(
                Panel(
                    Group(*inner) if inner else Text(""),
                    title=embed.get("title"),
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
            if (attachment.content_type or "").startswith(TEXT_TYPES) or (
                attachment.filename.lower().endswith(TEXT_SUFFIXES)
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
        """What the bot posted in channels, and in the current user's DMs, since last shown,
        and followups of earlier replies (work the bot deferred)."""
        for reply in self.watched:
            for message in list(reply.followups):
                if message.id not in self.seen:
                    self.seen.add(message.id)
                    self.show_message(message, where=t(self.lang, "shell.followup"))
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
    """The demo's own SQLite file: the one asked for (kept from run to run, see `keep`), or
    data/try.db started afresh each time."""
    if database is not None:
        return database
    path = settings.database_path.parent / "try.db"
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()
    return path


async def run_shell(path: Path, keep_demo: bool) -> None:
    interactive = sys.stdin.isatty()
    # At a terminal rich follows its width; from a pipe, the terminal's if there is one.
    width = None if interactive else max(shutil.get_terminal_size((100, 24)).columns, 60)
    console = Console(highlight=False, width=width)
    clock = ShiftedClock()
    sandbox = Sandbox(clock=clock)
    await sandbox.start()
    try:
        ids = keep.saved_ids(path) if keep_demo else None
        world = await (keep.rebuild_world(sandbox, ids) if ids else demo.build_world(sandbox))
        async with running_bot(sandbox, path, clock=clock) as bot:
            if ids:
                await keep.rebuild_server(sandbox, world)
                console.print(Text(t("sv", "shell.kept_demo", path=str(path)), style="dim"))
            else:
                await demo.seed(bot, sandbox, world)
            if keep_demo:
                keep.save_ids(path, world)
            shell = Shell(console, sandbox, world, interactive, history=_history(path))
            shell.db = bot.db
            shell.bot = bot
            try:
                await shell.run()
            finally:
                if keep_demo:
                    keep.save_ids(path, world)
    finally:
        await sandbox.stop()


def _history(path: Path) -> Path | None:
    """Line history beside the demo database, when the folder can be written."""
    folder = path.parent
    return folder / "try-history.txt" if folder.is_dir() else None


def main(settings: Settings, database: Path | None = None) -> int:
    """Entry point of `python -m bot try`."""
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    path = fresh_database(settings, database)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_shell(path, keep_demo=database is not None))
    return 0
