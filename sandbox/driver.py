"""The driver: what tests, the shell and the benchmark use to run a sandbox and act as users."""

# The driver API is specified with ``timeout=`` arguments, so ASYNC109 does not apply.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from aiohttp import web

from . import commands as names
from . import payloads
from .actor import Actor
from .gateway import Gateway
from .limits import ATTACHMENT_SIZE_LIMIT
from .ratelimits import RateLimitHit, RateLimits
from .reply import Choice, Modal, Reply
from .rest import RestApi
from .state import (
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    Attachment,
    Channel,
    ChannelType,
    Clock,
    Guild,
    Member,
    Message,
    Overwrite,
    Perm,
    Role,
    User,
)
from .world import InteractionRecord, RecordedError, World

UserLike = User | Member
Target = Reply | Message


class SandboxError(Exception):
    """Base class for driver errors."""


class CommandNotFound(SandboxError, LookupError):
    """The bot never synced a command by that name (or it is not usable there)."""


class InteractionFailed(SandboxError):
    """The bot did not acknowledge an interaction in time ("The application did not respond")."""


class NotConnected(SandboxError):
    """No bot is connected to the gateway."""


class Upload:
    """A file a user attaches to an attachment option."""

    def __init__(self, filename: str, data: bytes, content_type: str | None = None) -> None:
        self.filename = filename
        self.data = data
        self.content_type = content_type


def _user_of(u: UserLike) -> User:
    return u.user if isinstance(u, Member) else u


class Sandbox:
    """A local Discord: REST + gateway on 127.0.0.1 and a driver to act as users."""

    def __init__(
        self,
        *,
        privileged_intents: frozenset[str] = frozenset({"members"}),
        bot_name: str = "Krokarm",
        ack_deadline: float = 3.0,
        default_timeout: float = 10.0,
        clock: Clock | None = None,
        rate_limits: RateLimits | None = None,
    ) -> None:
        """``clock``: any object with ``now() -> datetime`` (aware); give the bot's clock so
        that both share one time. Real time by default.

        ``rate_limits``: per-route and global limits and injected 429s
        (:class:`sandbox.ratelimits.RateLimits`); None (the default) limits nothing."""
        self.world = World(
            privileged_intents=privileged_intents,
            bot_name=bot_name,
            ack_deadline=ack_deadline,
            clock=clock,
            rate_limits=rate_limits,
        )
        self.rest = RestApi(self.world)
        self.gateway = Gateway(self.world)
        self.rest.app.router.add_get("/", self.gateway.handle)
        self.default_timeout = default_timeout
        self._runner: web.AppRunner | None = None
        self.port = 0

    # Lifecycle --------------------------------------------------------------------

    @property
    def token(self) -> str:
        """The bot token the sandbox accepts."""
        return self.world.token

    @property
    def clock(self) -> Clock:
        """The clock the sandbox takes its time from (share it with the bot)."""
        return self.world.clock

    def now(self) -> datetime:
        """The sandbox's time (aware, UTC)."""
        return self.world.now()

    @property
    def rate_limited(self) -> list[RateLimitHit]:
        """Every 429 the sandbox answered (empty without ``rate_limits``)."""
        limiter = self.world.rate_limiter
        return limiter.hits if limiter is not None else []

    @property
    def bot_user(self) -> User:
        """The bot's user (its id is also the application id)."""
        return self.world.bot_user

    @property
    def application_id(self) -> int:
        """The application id (== bot user id)."""
        return self.world.application_id

    @property
    def errors(self) -> list[RecordedError]:
        """Every 4xx the emulator returned, in order."""
        return self.world.errors

    @property
    def api_base(self) -> str:
        """For ``discord.http.Route.BASE``."""
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        """For ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY``."""
        return f"ws://127.0.0.1:{self.port}/"

    @property
    def guilds(self) -> list[Guild]:
        """All guilds."""
        return list(self.world.guilds.values())

    async def start(self) -> None:
        """Serve on 127.0.0.1 on a free port."""
        self._runner = web.AppRunner(self.rest.app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self.world.base_url = f"http://127.0.0.1:{self.port}"
        self.gateway.url = self.gateway_url

    async def stop(self) -> None:
        """Close connections and the server."""
        for rec in self.world.interactions.values():
            if rec.future is not None and not rec.future.done():
                rec.future.cancel()
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def wait_until_ready(self, timeout: float = 10) -> None:
        """Until a bot has identified and been sent all its guilds."""
        deadline = time.monotonic() + timeout
        while self.gateway.latest() is None:
            if time.monotonic() > deadline:
                raise TimeoutError("no bot identified with the sandbox gateway")
            await asyncio.sleep(0.01)

    @property
    def connected(self) -> bool:
        """Whether a bot session is live."""
        return self.gateway.latest() is not None

    def clear_errors(self) -> None:
        """Forget recorded 4xx responses."""
        self.world.errors.clear()

    # World edits ------------------------------------------------------------------

    def create_user(
        self,
        username: str,
        *,
        global_name: str | None = None,
        locale: str = "en-US",
        id: int | None = None,
    ) -> User:
        """A new user (not in any guild yet); `id` to be the same user as in an earlier run."""
        return self.world.create_user(username, global_name=global_name, locale=locale, id=id)

    def create_guild(
        self,
        name: str,
        *,
        preferred_locale: str = "en-US",
        owner: User | None = None,
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
        everyone_permissions: int = DEFAULT_EVERYONE_PERMISSIONS,
        features: tuple[str, ...] = (),
        id: int | None = None,
    ) -> Guild:
        """A guild with @everyone, the bot's role and member, and #general."""
        return self.world.create_guild(
            name,
            id=id,
            owner=owner,
            preferred_locale=preferred_locale,
            bot_permissions=bot_permissions,
            everyone_permissions=everyone_permissions,
            features=features,
        )

    async def add_member(
        self,
        guild: Guild,
        user: User,
        roles: Sequence[Role] = (),
        nick: str | None = None,
    ) -> Member:
        """Join a user to a guild (GUILD_MEMBER_ADD)."""
        member = self.world.add_member(guild, user, roles=tuple(roles), nick=nick)
        await asyncio.sleep(0)
        return member

    async def remove_member(self, guild: Guild, user: UserLike) -> None:
        """A member leaves (GUILD_MEMBER_REMOVE)."""
        self.world.remove_member(guild, _user_of(user))
        await asyncio.sleep(0)

    async def remove_bot(self, guild: Guild) -> None:
        """An admin removes the bot from the server (GUILD_DELETE)."""
        self.world.remove_bot(guild)
        await asyncio.sleep(0)

    def create_role(
        self,
        guild: Guild,
        name: str,
        permissions: int = 0,
        *,
        color: int = 0,
        hoist: bool = False,
        mentionable: bool = False,
    ) -> Role:
        """A role just above @everyone (GUILD_ROLE_CREATE)."""
        return self.world.create_role(
            guild, name, permissions=permissions, color=color, hoist=hoist, mentionable=mentionable
        )

    def create_channel(
        self,
        guild: Guild,
        name: str,
        type: int = 0,
        parent: Channel | None = None,
        *,
        topic: str | None = None,
        overwrites: Sequence[Overwrite] = (),
        available_tags: Sequence[str] = (),
    ) -> Channel:
        """A guild channel (CHANNEL_CREATE); forum tags by name."""
        chan = self.world.create_channel(
            guild, name, type=type, parent=parent, topic=topic, overwrites=list(overwrites)
        )
        if available_tags:
            chan.available_tags = [
                {
                    "id": str(self.world.snowflake()),
                    "name": t,
                    "moderated": False,
                    "emoji_id": None,
                    "emoji_name": None,
                }
                for t in available_tags
            ]
        return chan

    async def delete_channel(self, channel: Channel) -> None:
        """Someone with Manage Channels deletes a channel or thread (CHANNEL_DELETE)."""
        w = self.world
        guild = w.guild_of(channel)
        if guild is None:
            raise ValueError("only a server's channels can be deleted")
        data = payloads.channel(channel)
        del guild.channels_by_id[channel.id]
        del w.channels[channel.id]
        if channel.is_thread:
            event = {"id": str(channel.id), "guild_id": str(guild.id), "type": channel.type}
            event["parent_id"] = str(channel.parent_id)
            w.dispatch("THREAD_DELETE", event)
        else:
            for child in guild.channels_by_id.values():
                if child.parent_id == channel.id and not child.is_thread:
                    child.parent_id = None
            w.dispatch("CHANNEL_DELETE", data)
        await asyncio.sleep(0)

    async def create_forum_post(
        self,
        forum: Channel,
        user: UserLike,
        name: str,
        content: str,
        *,
        tags: Sequence[int] = (),
    ) -> Channel:
        """A member makes a post in a forum by hand (THREAD_CREATE, then its starter)."""
        w = self.world
        guild = w.guild_of(forum)
        if guild is None or forum.type not in ChannelType.FORUM_LIKE:
            raise ValueError("posts are made in a server's forum")
        author = _user_of(user)
        thread = Channel(
            id=w.snowflake(),
            type=ChannelType.PUBLIC_THREAD,
            guild_id=guild.id,
            name=name,
            parent_id=forum.id,
            owner_id=author.id,
            auto_archive_duration=forum.default_auto_archive_duration or 4320,
            create_timestamp=w.now(),
            archive_timestamp=w.now(),
            applied_tags=[int(t) for t in tags],
            member_ids={author.id},
        )
        guild.channels_by_id[thread.id] = thread
        w.channels[thread.id] = thread
        w.history[thread.id] = []
        msg = w.create_message(
            thread, author, {"content": content}, [], message_id=thread.id, dispatch=False
        )
        data = payloads.channel(thread)
        data["newly_created"] = True
        w.dispatch("THREAD_CREATE", data)
        w.dispatch_message("MESSAGE_CREATE", msg)
        await asyncio.sleep(0)
        return thread

    async def delete_role(self, guild: Guild, role: Role) -> None:
        """Someone with Manage Roles deletes a role (GUILD_ROLE_DELETE)."""
        if role.is_everyone or role.managed:
            raise ValueError(f"the role {role.name!r} cannot be deleted")
        del guild.roles_by_id[role.id]
        for other in guild.roles_by_id.values():
            if other.position > role.position:
                other.position -= 1
        for member in guild.members_by_id.values():
            if role.id in member.roles:
                member.roles.remove(role.id)
        payload = {"guild_id": str(guild.id), "role_id": str(role.id)}
        self.world.dispatch("GUILD_ROLE_DELETE", payload)
        await asyncio.sleep(0)

    def set_member_roles(self, guild: Guild, user: UserLike, roles: Sequence[Role]) -> Member:
        """Replace a member's roles (GUILD_MEMBER_UPDATE)."""
        member = guild.members_by_id[_user_of(user).id]
        member.roles = [r.id for r in roles]
        self.world.dispatch_member_update(guild, member)
        return member

    async def send_message(
        self,
        channel: Channel | User,
        user: UserLike,
        content: str,
        *,
        reply_to: Message | None = None,
    ) -> Message:
        """A user posts a message (MESSAGE_CREATE to the bot)."""
        chan = self.world.dm_channel(channel) if isinstance(channel, User) else channel
        body: dict[str, Any] = {"content": content}
        if reply_to is not None:
            body["message_reference"] = {"message_id": str(reply_to.id)}
        msg = self.world.create_message(chan, _user_of(user), body, [])
        await asyncio.sleep(0)
        return msg

    # Reading ----------------------------------------------------------------------

    def find_channel(self, guild: Guild, name: str) -> Channel:
        """A guild channel or thread by name."""
        for chan in guild.channels_by_id.values():
            if chan.name == name:
                return chan
        raise LookupError(f"no channel named {name!r} in {guild.name}")

    def find_role(self, guild: Guild, name: str) -> Role:
        """A role by name."""
        for role in guild.roles_by_id.values():
            if role.name == name:
                return role
        raise LookupError(f"no role named {name!r} in {guild.name}")

    def channel_messages(self, channel: Channel) -> list[Message]:
        """Visible (non-ephemeral) messages, oldest first."""
        return self.world.channel_messages(channel)

    def dm_messages(self, user: UserLike) -> list[Message]:
        """Messages in the user's DM with the bot, oldest first."""
        u = _user_of(user)
        chan = self.world.dm_channels.get(u.id)
        return self.world.channel_messages(chan) if chan else []

    def dm_channel(self, user: UserLike) -> Channel:
        """The DM channel between a user and the bot."""
        return self.world.dm_channel(_user_of(user))

    def commands(self, guild: Guild | None = None) -> list[dict[str, Any]]:
        """Commands the bot synced in one scope (that guild's, or global if None)."""
        store = guild.commands if guild is not None else self.world.global_commands
        return list(store.values())

    def global_commands(self) -> list[dict[str, Any]]:
        """Global commands the bot synced."""
        return list(self.world.global_commands.values())

    def guild_commands(self, guild: Guild) -> list[dict[str, Any]]:
        """Commands the bot synced to one guild."""
        return list(guild.commands.values())

    def synced_commands(self, guild: Guild | None = None) -> list[dict[str, Any]]:
        """Commands a user can see in a guild (guild commands, then global) or in DMs."""
        out = list(guild.commands.values()) if guild is not None else []
        for cmd in self.world.global_commands.values():
            if guild is None:
                contexts = cmd.get("contexts")
                if not (1 in contexts if contexts is not None else cmd.get("dm_permission", True)):
                    continue
            out.append(cmd)
        return out

    async def wait_for_message(
        self,
        channel: Channel | User,
        predicate: Callable[[Message], bool] | None = None,
        timeout: float = 5,
        *,
        existing: bool = False,
    ) -> Message:
        """The next message posted in a channel (or a user's DM) matching ``predicate``.

        With ``existing=True`` an already-posted matching message (the newest) counts too.
        """
        chan = self.world.dm_channel(channel) if isinstance(channel, User) else channel
        check = predicate or (lambda _m: True)
        if existing:
            for msg in reversed(self.world.channel_messages(chan)):
                if check(msg):
                    return msg
        fut: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        entry = (chan.id, check, fut)
        self.world.message_waiters.append(entry)
        try:
            return await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            raise TimeoutError(
                f"no matching message in #{chan.name or chan.id} within {timeout}s"
            ) from None
        finally:
            if entry in self.world.message_waiters:
                self.world.message_waiters.remove(entry)

    # Interactions -----------------------------------------------------------------

    def as_user(
        self, user: UserLike, *, guild: Guild | None = None, locale: str | None = None
    ) -> Actor:
        """The driver bound to ``user`` in ``guild`` (DMs if None), optionally in ``locale``:
        ``anna = sb.as_user(world.anna, guild=world.guild); await anna.invoke("about")``."""
        u = _user_of(user)
        if guild is not None and guild.member(u.id) is None:
            raise ValueError(f"{u.username} is not a member of {guild.name}")
        return Actor(self, u, guild=guild, locale=locale)

    def _default_channel(self, guild: Guild | None, user: User) -> Channel:
        if guild is None:
            return self.world.dm_channel(user)
        for chan in guild.channels:
            if chan.type == ChannelType.GUILD_TEXT:
                return chan
        raise LookupError(f"{guild.name} has no text channel")

    def _find_command(self, name: str, ctype: int, guild: Guild | None) -> dict[str, Any]:
        scopes: list[dict[int, dict[str, Any]]] = []
        if guild is not None:
            scopes.append(guild.commands)
        scopes.append(self.world.global_commands)
        for store in scopes:
            for cmd in store.values():
                # Typed in any language, as a client offers it (`hjälp` is `help`).
                if cmd["type"] != ctype or not names.matches(cmd, name):
                    continue
                if guild is None:
                    contexts = cmd.get("contexts")
                    usable = (
                        1 in contexts if contexts is not None else cmd.get("dm_permission", True)
                    )
                    if not usable:
                        continue
                return cmd
        known = sorted(c["name"] for s in scopes for c in s.values() if c["type"] == ctype)
        where = f"guild {guild.name!r}" if guild is not None else "DMs"
        raise CommandNotFound(
            f"command {name!r} (type {ctype}) was never synced for {where}; synced: {known}"
        )

    def _check_command_perms(
        self, cmd: dict[str, Any], guild: Guild | None, member: Member | None
    ) -> None:
        required = cmd.get("default_member_permissions")
        if guild is None or member is None or required is None:
            return
        perms = self.world.member_perms(guild, member, None)
        needed = int(required)
        if perms & Perm.ADMINISTRATOR or member.user.id == guild.owner_id:
            return
        if needed == 0 or perms & needed != needed:
            raise CommandNotFound(
                f"{member.user.username} cannot see {cmd['name']!r} "
                f"(default_member_permissions={required})"
            )

    def _resolve_user(self, value: UserLike, guild: Guild | None, resolved: dict[str, Any]) -> str:
        user = _user_of(value)
        resolved.setdefault("users", {})[str(user.id)] = payloads.user(user)
        if guild is not None:
            member = guild.member(user.id)
            if member is not None:
                data = payloads.member(member, with_user=False)
                data["permissions"] = str(self.world.member_perms(guild, member, None))
                resolved.setdefault("members", {})[str(user.id)] = data
        return str(user.id)

    def _resolve_channel(
        self, chan: Channel, guild: Guild | None, member: Member | None, resolved: dict[str, Any]
    ) -> str:
        data: dict[str, Any] = {
            "id": str(chan.id),
            "name": chan.name,
            "type": chan.type,
            "permissions": str(self.world.member_perms(guild, member, chan)),
            "parent_id": str(chan.parent_id) if chan.parent_id else None,
        }
        if chan.is_thread:
            data["thread_metadata"] = payloads.thread_metadata(chan)
        resolved.setdefault("channels", {})[str(chan.id)] = data
        return str(chan.id)

    def _resolve_role(self, role: Role, resolved: dict[str, Any]) -> str:
        resolved.setdefault("roles", {})[str(role.id)] = payloads.role(role)
        return str(role.id)

    def _resolve_attachment(self, value: Any, resolved: dict[str, Any]) -> str:
        if isinstance(value, Attachment):
            att = value
        else:
            if isinstance(value, Upload):
                filename, data, ctype = value.filename, value.data, value.content_type
            elif isinstance(value, tuple) and len(value) in (2, 3):
                filename, data = value[0], value[1]
                ctype = value[2] if len(value) == 3 else None
            else:
                raise TypeError(
                    "attachment options take Upload(filename, data) or (filename, bytes)"
                )
            aid = self.world.snowflake()
            att = Attachment(id=aid, filename=filename, data=bytes(data), content_type=ctype)
            att.url = f"{self.world.base_url}/attachments/0/{aid}/{filename}"
        if att.size > ATTACHMENT_SIZE_LIMIT:
            raise ValueError(f"{att.filename} is larger than the upload limit")
        self.world.loose_attachments[att.id] = att
        data_out = payloads.attachment(att)
        data_out["ephemeral"] = True
        resolved.setdefault("attachments", {})[str(att.id)] = data_out
        return str(att.id)

    def _option_value(
        self,
        opt: dict[str, Any],
        value: Any,
        guild: Guild | None,
        member: Member | None,
        resolved: dict[str, Any],
        *,
        loose: bool = False,
    ) -> Any:
        otype = opt["type"]
        name = opt["name"]
        if opt.get("choices") and not loose and isinstance(value, str):
            # A choice by its name in any language (`dold` is `hidden`), whatever its type.
            named = names.find_choice(opt, value)
            if named is not None:
                return named["value"]
        if otype == 3:
            out: Any = str(value)
            if not loose:
                lo, hi = opt.get("min_length"), opt.get("max_length")
                if (lo is not None and len(out) < lo) or (hi is not None and len(out) > hi):
                    raise ValueError(f"option {name!r}: length must be within {lo}..{hi}")
        elif otype == 4:
            out = int(value)
        elif otype == 5:
            out = bool(value)
        elif otype == 10:
            out = float(value) if not isinstance(value, int) else value
        elif otype == 6:
            if not isinstance(value, User | Member):
                raise TypeError(f"option {name!r} takes a sandbox User or Member")
            return self._resolve_user(value, guild, resolved)
        elif otype == 7:
            if not isinstance(value, Channel):
                raise TypeError(f"option {name!r} takes a sandbox Channel")
            allowed = opt.get("channel_types")
            if allowed and value.type not in allowed:
                raise ValueError(f"option {name!r} only accepts channel types {allowed}")
            return self._resolve_channel(value, guild, member, resolved)
        elif otype == 8:
            if not isinstance(value, Role):
                raise TypeError(f"option {name!r} takes a sandbox Role")
            return self._resolve_role(value, resolved)
        elif otype == 9:
            if isinstance(value, Role):
                return self._resolve_role(value, resolved)
            return self._resolve_user(value, guild, resolved)
        elif otype == 11:
            return self._resolve_attachment(value, resolved)
        else:
            raise ValueError(f"option {name!r} has unsupported type {otype}")
        if otype in (4, 10) and not loose:
            lo, hi = opt.get("min_value"), opt.get("max_value")
            if (lo is not None and out < lo) or (hi is not None and out > hi):
                raise ValueError(f"option {name!r}: value must be within {lo}..{hi}")
        if opt.get("choices") and not loose:
            choice = names.find_choice(opt, out)
            if choice is None:
                values = [c["value"] for c in opt["choices"]]
                raise ValueError(f"option {name!r}: {value!r} is not one of {values}")
            return choice["value"]
        return out

    def _build_command_data(
        self,
        path: str,
        options: Mapping[str, Any],
        guild: Guild | None,
        member: Member | None,
        user: User,
        *,
        focused: str | None = None,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        parts = path.split()
        if not parts:
            raise ValueError("empty command path")
        cmd = self._find_command(parts[0], 1, guild)
        self._check_command_perms(cmd, guild, member)
        data: dict[str, Any] = {"id": cmd["id"], "name": cmd["name"], "type": 1}
        if "guild_id" in cmd:
            data["guild_id"] = cmd["guild_id"]
        node = cmd
        container = data
        for part in parts[1:]:
            sub = next((o for o in names.branches(node) if names.matches(o, part)), None)
            if sub is None:
                known = [o["name"] for o in names.branches(node)]
                raise CommandNotFound(f"{path!r}: no subcommand {part!r} (have {known})")
            entry: dict[str, Any] = {"type": sub["type"], "name": sub["name"], "options": []}
            container.setdefault("options", []).append(entry)
            container = entry
            node = sub
        defs = node.get("options") or []
        if names.branches(node):
            raise ValueError(f"{path!r} is a group; name a subcommand")
        resolved: dict[str, Any] = {}
        out_opts: list[dict[str, Any]] = []
        given: set[str] = set()
        focused_opt = names.find_option(node, focused) if focused is not None else None
        for key, value in options.items():
            opt = names.find_option(node, key)
            if opt is None:
                known = [o["name"] for o in defs]
                raise ValueError(f"{path!r} has no option {key!r} (has {known})")
            given.add(opt["name"])
            if focused_opt is not None and opt["name"] == focused_opt["name"]:
                out_opts.append(
                    {"type": opt["type"], "name": opt["name"], "value": str(value), "focused": True}
                )
                continue
            out_opts.append(
                {
                    "type": opt["type"],
                    "name": opt["name"],
                    "value": self._option_value(
                        opt, value, guild, member, resolved, loose=focused is not None
                    ),
                }
            )
        if focused is None:
            missing = [p.option["name"] for p in names.missing(node, given)]
            if missing:
                raise ValueError(f"{path!r}: required options missing: {missing}")
        elif focused_opt is None:
            raise ValueError(f"{path!r} has no option {focused!r}")
        container["options"] = out_opts
        if resolved:
            data["resolved"] = resolved
        return data, cmd

    def _member_for(self, guild: Guild | None, user: UserLike) -> tuple[User, Member | None]:
        u = _user_of(user)
        if guild is None:
            return u, None
        member = guild.member(u.id)
        if member is None:
            raise ValueError(f"{u.username} is not a member of {guild.name}")
        return u, member

    def _interaction_payload(
        self,
        rec: InteractionRecord,
        data: dict[str, Any],
        locale: str,
        message: Message | None,
    ) -> dict[str, Any]:
        w = self.world
        guild, chan, member = rec.guild, rec.channel, rec.member
        chan_data = payloads.channel(chan)
        chan_data["permissions"] = str(w.member_perms(guild, member, chan))
        payload: dict[str, Any] = {
            "id": str(rec.id),
            "application_id": str(w.application_id),
            "type": rec.type,
            "data": data,
            "channel": chan_data,
            "channel_id": str(chan.id),
            "token": rec.token,
            "version": 1,
            "app_permissions": str(w.bot_perms(guild, chan)),
            "locale": locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "authorizing_integration_owners": w.authorizing_owners(guild),
            "context": 0 if guild is not None else 1,
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if guild is not None and member is not None:
            member_data = payloads.member(member)
            member_data["permissions"] = str(w.member_perms(guild, member, chan))
            payload.update(
                {
                    "guild_id": str(guild.id),
                    "guild": {
                        "id": str(guild.id),
                        "locale": guild.preferred_locale,
                        "features": list(guild.features),
                    },
                    "guild_locale": guild.preferred_locale,
                    "member": member_data,
                }
            )
        else:
            payload["user"] = payloads.user(rec.user)
        if message is not None:
            payload["message"] = w.render(message)
        return payload

    async def _run(
        self,
        *,
        itype: int,
        name: str,
        data: dict[str, Any],
        user: User,
        member: Member | None,
        guild: Guild | None,
        channel: Channel,
        locale: str | None,
        timeout: float | None,
        command_type: int | None = None,
        message: Message | None = None,
        from_modal_of: InteractionRecord | None = None,
    ) -> Reply:
        session = self.gateway.latest()
        if session is None:
            raise NotConnected("no bot is connected to the sandbox gateway")
        w = self.world
        rec = InteractionRecord(
            id=w.snowflake(),
            token=f"aW50ZXJhY3Rpb24.{secrets.token_urlsafe(48)}",
            type=itype,
            name=name,
            payload={},
            user=user,
            member=member,
            guild=guild,
            channel=channel,
            created=time.monotonic(),
            created_at=w.now(),
            command_type=command_type,
            source_message=message,
            from_modal_of=from_modal_of,
        )
        rec.future = asyncio.get_running_loop().create_future()
        rec.payload = self._interaction_payload(rec, data, locale or user.locale, message)
        w.add_interaction(rec)
        session.send_dispatch("INTERACTION_CREATE", rec.payload)
        return await self._await_reply(
            rec, timeout if timeout is not None else self.default_timeout
        )

    async def _await_reply(self, rec: InteractionRecord, timeout: float) -> Reply:
        assert rec.future is not None
        what = self._describe(rec)
        ack_wait = self.world.ack_deadline - rec.age + 0.05
        done, _ = await asyncio.wait({rec.future}, timeout=max(ack_wait, 0))
        if not done and not rec.responded:
            rec.future.cancel()
            errors = [e for e in self.world.errors if str(rec.id) in e.path]
            detail = f"; rejected responses: {[e.body for e in errors]}" if errors else ""
            raise InteractionFailed(
                f"{what}: the bot did not acknowledge within {self.world.ack_deadline}s"
                f' ("The application did not respond"){detail}'
            )
        try:
            return await asyncio.wait_for(asyncio.shield(rec.future), max(timeout - rec.age, 0.01))
        except TimeoutError:
            raise TimeoutError(
                f"{what}: acknowledged with type {rec.response_type} but no settled response "
                f"within {timeout}s"
            ) from None

    @staticmethod
    def _describe(rec: InteractionRecord) -> str:
        kinds = {2: "command", 3: "component", 4: "autocomplete", 5: "modal"}
        return f"{kinds.get(rec.type, 'interaction')} {rec.name!r}"

    async def invoke(
        self,
        command: str,
        options: Mapping[str, Any] | None = None,
        *,
        user: UserLike,
        guild: Guild | None = None,
        channel: Channel | None = None,
        locale: str | None = None,
        timeout: float | None = None,
    ) -> Reply:
        """Run a slash command (``"group sub"`` paths for subcommands).

        Command, subcommand, option and choice names may be given in any language the command
        is localized in, as a client offers them: ``"nätverk kommuner lista"``,
        ``{"typ": "kommun"}``.
        """
        u, member = self._member_for(guild, user)
        chan = channel or self._default_channel(guild, u)
        data, _ = self._build_command_data(command, options or {}, guild, member, u)
        return await self._run(
            itype=2,
            name=command,
            data=data,
            user=u,
            member=member,
            guild=guild,
            channel=chan,
            locale=locale,
            timeout=timeout,
            command_type=1,
        )

    async def autocomplete(
        self,
        command: str,
        options: Mapping[str, Any],
        *,
        focused: str,
        user: UserLike,
        guild: Guild | None = None,
        channel: Channel | None = None,
        locale: str | None = None,
        timeout: float | None = None,
    ) -> list[Choice]:
        """The choices the bot offers while the user types into ``focused``."""
        u, member = self._member_for(guild, user)
        chan = channel or self._default_channel(guild, u)
        opts = dict(options)
        opts.setdefault(focused, "")
        data, _ = self._build_command_data(command, opts, guild, member, u, focused=focused)
        reply = await self._run(
            itype=4,
            name=command,
            data=data,
            user=u,
            member=member,
            guild=guild,
            channel=chan,
            locale=locale,
            timeout=timeout,
            command_type=1,
        )
        return reply.choices

    async def invoke_user_command(
        self,
        name: str,
        *,
        target: UserLike,
        user: UserLike,
        guild: Guild | None = None,
        channel: Channel | None = None,
        locale: str | None = None,
        timeout: float | None = None,
    ) -> Reply:
        """Run a USER context-menu command on ``target``."""
        u, member = self._member_for(guild, user)
        chan = channel or self._default_channel(guild, u)
        resolved: dict[str, Any] = {}
        target_id = self._resolve_user(target, guild, resolved)
        return await self._context_menu(
            name, 2, target_id, resolved, u, member, guild, chan, locale, timeout
        )

    async def invoke_message_command(
        self,
        name: str,
        *,
        target: Message,
        user: UserLike,
        locale: str | None = None,
        timeout: float | None = None,
    ) -> Reply:
        """Run a MESSAGE context-menu command on ``target``."""
        chan = self.world.channels[target.channel_id]
        guild = self.world.guild_of(chan)
        u, member = self._member_for(guild, user)
        resolved = {"messages": {str(target.id): self.world.render(target)}}
        return await self._context_menu(
            name, 3, str(target.id), resolved, u, member, guild, chan, locale, timeout
        )

    async def _context_menu(
        self,
        name: str,
        command_type: int,
        target_id: str,
        resolved: dict[str, Any],
        user: User,
        member: Member | None,
        guild: Guild | None,
        channel: Channel,
        locale: str | None,
        timeout: float | None,
    ) -> Reply:
        cmd = self._find_command(name, command_type, guild)
        self._check_command_perms(cmd, guild, member)
        data: dict[str, Any] = {
            "id": cmd["id"],
            "name": cmd["name"],
            "type": command_type,
            "target_id": target_id,
            "resolved": resolved,
        }
        if "guild_id" in cmd:
            data["guild_id"] = cmd["guild_id"]
        return await self._run(
            itype=2,
            name=name,
            data=data,
            user=user,
            member=member,
            guild=guild,
            channel=channel,
            locale=locale,
            timeout=timeout,
            command_type=command_type,
        )

    def _message_of(self, target: Target) -> Message:
        if isinstance(target, Message):
            msg = target
        else:
            if target.message is None:
                raise ValueError(f"a {target.kind!r} reply has no message to interact with")
            msg = target.message
        if msg.deleted:
            raise ValueError("the message was deleted")
        return msg

    @staticmethod
    def _walk(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for comp in components:
            out.append(comp)
            out.extend(Sandbox._walk(comp.get("components") or []))
            for key in ("accessory", "component"):
                if isinstance(comp.get(key), dict):
                    out.extend(Sandbox._walk([comp[key]]))
        return out

    def _component_context(
        self, msg: Message, user: UserLike
    ) -> tuple[User, Member | None, Guild | None, Channel]:
        chan = self.world.channels[msg.channel_id]
        guild = self.world.guild_of(chan)
        u, member = self._member_for(guild, user)
        return u, member, guild, chan

    async def click(
        self,
        target: Target,
        button: str,
        *,
        user: UserLike,
        locale: str | None = None,
        timeout: float | None = None,
    ) -> Reply:
        """Press a button (by custom_id, else by label) on a reply or message."""
        msg = self._message_of(target)
        buttons = [c for c in self._walk(msg.components) if c.get("type") == 2]
        comp = next((c for c in buttons if c.get("custom_id") == button), None)
        if comp is None:
            comp = next((c for c in buttons if c.get("label") == button), None)
        if comp is None:
            shown = [c.get("label") or c.get("custom_id") for c in buttons]
            raise LookupError(f"no button {button!r} on the message (buttons: {shown})")
        if comp.get("disabled"):
            raise ValueError(f"button {button!r} is disabled")
        if comp.get("style") == 5 or comp.get("custom_id") is None:
            raise ValueError(
                f"button {button!r} is a link button; clicking opens {comp.get('url')}"
            )
        u, member, guild, chan = self._component_context(msg, user)
        data: dict[str, Any] = {"custom_id": comp["custom_id"], "component_type": 2}
        if comp.get("id") is not None:
            data["id"] = comp["id"]
        return await self._run(
            itype=3,
            name=str(comp.get("label") or comp["custom_id"]),
            data=data,
            user=u,
            member=member,
            guild=guild,
            channel=chan,
            locale=locale,
            timeout=timeout,
            message=msg,
        )

    async def select(
        self,
        target: Target,
        custom_id: str,
        values: Sequence[Any],
        *,
        user: UserLike,
        locale: str | None = None,
        timeout: float | None = None,
    ) -> Reply:
        """Choose values in a select menu (string values, or sandbox objects for entity selects)."""
        msg = self._message_of(target)
        selects = [c for c in self._walk(msg.components) if c.get("type") in (3, 5, 6, 7, 8)]
        comp = next((c for c in selects if c.get("custom_id") == custom_id), None)
        if comp is None:
            comp = next((c for c in selects if c.get("placeholder") == custom_id), None)
        if comp is None:
            shown = [c.get("custom_id") for c in selects]
            raise LookupError(f"no select {custom_id!r} on the message (selects: {shown})")
        if comp.get("disabled"):
            raise ValueError(f"select {custom_id!r} is disabled")
        lo, hi = comp.get("min_values", 1), comp.get("max_values", 1)
        if not lo <= len(values) <= hi:
            raise ValueError(f"select {custom_id!r} takes {lo}..{hi} values, got {len(values)}")
        u, member, guild, chan = self._component_context(msg, user)
        data: dict[str, Any] = {"custom_id": comp["custom_id"], "component_type": comp["type"]}
        data["values"] = self._select_values(comp, values, guild, member, data)
        return await self._run(
            itype=3,
            name=comp["custom_id"],
            data=data,
            user=u,
            member=member,
            guild=guild,
            channel=chan,
            locale=locale,
            timeout=timeout,
            message=msg,
        )

    def _select_values(
        self,
        comp: dict[str, Any],
        values: Sequence[Any],
        guild: Guild | None,
        member: Member | None,
        data: dict[str, Any],
    ) -> list[str]:
        ctype = comp.get("type", 3)
        if ctype == 3:
            options = comp.get("options") or []
            by_label = {o["label"]: o["value"] for o in options}
            valid = {o["value"] for o in options}
            out = []
            for v in values:
                v = str(v)
                if v not in valid and v in by_label:
                    v = by_label[v]
                if v not in valid:
                    raise ValueError(f"{v!r} is not an option of {comp.get('custom_id')!r}")
                out.append(v)
            return out
        resolved: dict[str, Any] = {}
        out = []
        for v in values:
            # 5 user, 6 role, 7 mentionable (users and roles), 8 channel.
            if isinstance(v, Role) and ctype in (6, 7):
                out.append(self._resolve_role(v, resolved))
            elif isinstance(v, User | Member) and ctype in (5, 7):
                out.append(self._resolve_user(v, guild, resolved))
            elif isinstance(v, Channel) and ctype == 8:
                types = comp.get("channel_types")
                if types and v.type not in types:
                    raise ValueError(f"channel {v.name} is not an allowed type {types}")
                out.append(self._resolve_channel(v, guild, member, resolved))
            else:
                raise TypeError(f"{v!r} cannot be chosen in a select of type {ctype}")
        data["resolved"] = resolved
        return out

    async def submit_modal(
        self,
        target: Reply,
        values: Mapping[str, Any],
        *,
        user: UserLike,
        locale: str | None = None,
        timeout: float | None = None,
    ) -> Reply:
        """Fill in and submit a modal the bot opened (keys: custom_ids or labels)."""
        if target.kind != "modal" or target.modal is None:
            raise ValueError(f"the reply is a {target.kind!r}, not a modal")
        opener = self.world.interactions.get(target.interaction_id)
        if opener is None:
            raise ValueError("unknown interaction for this modal")
        modal: Modal = target.modal
        known = {f.custom_id for f in modal.fields} | {f.label for f in modal.fields if f.label}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"modal {modal.title!r} has no fields {sorted(unknown)}")
        submitted: dict[str, Any] = {}
        for f in modal.fields:
            if f.custom_id in values:
                raw = values[f.custom_id]
            elif f.label is not None and f.label in values:
                raw = values[f.label]
            else:
                raw = f.value if f.type == 4 else [o.value for o in f.options if o.default]
            if f.type == 4:
                text = "" if raw is None else str(raw)
                if f.required and not text:
                    raise ValueError(f"modal field {f.label or f.custom_id!r} is required")
                if text and f.min_length is not None and len(text) < f.min_length:
                    raise ValueError(f"modal field {f.label!r} needs at least {f.min_length} chars")
                if len(text) > (f.max_length if f.max_length is not None else 4000):
                    raise ValueError(f"modal field {f.label!r} allows at most {f.max_length} chars")
                submitted[f.custom_id] = text
            else:
                chosen = list(raw) if isinstance(raw, list | tuple) else [raw]
                submitted[f.custom_id] = [str(v) for v in chosen]
        components: list[dict[str, Any]] = []
        for comp in modal.components:
            if comp.get("type") == 1:
                children = []
                for child in comp.get("components") or []:
                    cid = child.get("custom_id")
                    children.append(
                        {
                            "type": child.get("type", 4),
                            "custom_id": cid,
                            "value": submitted.get(cid, ""),
                            **({"id": child["id"]} if "id" in child else {}),
                        }
                    )
                components.append({"type": 1, "components": children})
            elif comp.get("type") == 18:
                child = comp.get("component") or {}
                cid = str(child.get("custom_id"))
                inner: dict[str, Any] = {"type": child.get("type", 4), "custom_id": cid}
                if child.get("id") is not None:
                    inner["id"] = child["id"]
                if inner["type"] == 4:
                    inner["value"] = submitted.get(cid, "")
                else:
                    inner["values"] = submitted.get(cid, [])
                out: dict[str, Any] = {"type": 18, "component": inner}
                if comp.get("id") is not None:
                    out["id"] = comp["id"]
                components.append(out)
            elif comp.get("type") == 10:
                components.append({"type": 10, **({"id": comp["id"]} if "id" in comp else {})})
        u, member = self._member_for(opener.guild, user)
        data = {"custom_id": modal.custom_id, "components": components}
        return await self._run(
            itype=5,
            name=modal.custom_id,
            data=data,
            user=u,
            member=member,
            guild=opener.guild,
            channel=opener.channel,
            locale=locale,
            timeout=timeout,
            message=opener.source_message,
            from_modal_of=opener,
        )

    async def wait_for_followup(self, reply: Reply, count: int = 1, timeout: float = 5) -> Message:
        """Until ``reply`` has at least ``count`` followups; returns the latest."""
        deadline = time.monotonic() + timeout
        while len(reply.followups) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {len(reply.followups)} followups after {timeout}s")
            await asyncio.sleep(0.01)
        return reply.followups[count - 1]

    def cancel_pending(self) -> None:
        """Cancel every interaction still waiting for a reply."""
        for rec in self.world.interactions.values():
            if rec.future is not None and not rec.future.done():
                with contextlib.suppress(Exception):
                    rec.future.cancel()
