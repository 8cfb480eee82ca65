"""The world's operations: entity creation, permissions, messages and dispatch."""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from . import payloads
from .enums import CommandType, InteractionType, MessageType
from .limits import (
    ATTACHMENT_SIZE_LIMIT,
    ApiError,
    Errors,
    empty_message,
    missing_permissions,
    validate_message_fields,
)
from .ratelimits import RateLimiter, RateLimits
from .reply import Reply
from .state import (
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    DM_PERMISSIONS,
    Attachment,
    Channel,
    ChannelType,
    Clock,
    Guild,
    Member,
    Message,
    MessageFlag,
    Overwrite,
    Perm,
    RealClock,
    Role,
    SnowflakeGenerator,
    User,
    channel_permissions,
)

INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
INTENT_GUILD_SCHEDULED_EVENTS = 1 << 16

PRIVILEGED_INTENTS = {
    "members": INTENT_GUILD_MEMBERS,
    "presences": INTENT_GUILD_PRESENCES,
    "message_content": INTENT_MESSAGE_CONTENT,
}

APP_FLAG_GATEWAY_PRESENCE_LIMITED = 1 << 13
APP_FLAG_GATEWAY_GUILD_MEMBERS_LIMITED = 1 << 15
APP_FLAG_GATEWAY_MESSAGE_CONTENT_LIMITED = 1 << 19
APP_FLAG_APPLICATION_COMMAND_BADGE = 1 << 23

NONCE_WINDOW_S = 300.0
INTERACTION_TOKEN_TTL_S = 15 * 60.0

_USER_MENTION = re.compile(r"<@!?(\d{15,21})>")
_ROLE_MENTION = re.compile(r"<@&(\d{15,21})>")


@dataclass
class Upload:
    """A file uploaded with a request (multipart ``files[n]``)."""

    index: int
    filename: str
    data: bytes
    content_type: str | None = None


@dataclass
class RecordedError:
    """A 4xx the emulator returned."""

    method: str
    path: str
    status: int
    body: dict[str, Any]


@dataclass
class InteractionRecord:
    """An interaction the driver sent, and what the bot did with it."""

    id: int
    token: str
    type: int
    name: str
    payload: dict[str, Any]
    user: User
    member: Member | None
    guild: Guild | None
    channel: Channel
    created: float
    """When the driver sent it (time.monotonic): the 3-second rule is judged in real time."""
    created_at: datetime
    """When it was sent by the world's clock: the token's 15 minutes are judged on that clock."""
    command_type: int | None = None
    acked: float | None = None
    """When the callback arrived (time.monotonic), for latency figures."""
    source_message: Message | None = None
    from_modal_of: InteractionRecord | None = None
    responded: bool = False
    response_type: int | None = None
    original_message_id: int | None = None
    ephemeral: bool = False
    followups: list[Message] = field(default_factory=list)
    future: asyncio.Future[Reply] | None = None

    @property
    def age(self) -> float:
        """Seconds since the interaction was sent."""
        return time.monotonic() - self.created


class World:
    """All sandbox state plus the operations the REST API and the driver share."""

    def __init__(
        self,
        *,
        privileged_intents: frozenset[str] = frozenset({"members"}),
        bot_name: str = "Krokarm",
        ack_deadline: float = 3.0,
        clock: Clock | None = None,
        rate_limits: RateLimits | None = None,
    ) -> None:
        unknown_intents = set(privileged_intents) - set(PRIVILEGED_INTENTS)
        if unknown_intents:
            raise ValueError(f"unknown privileged intents: {sorted(unknown_intents)}")
        self.clock: Clock = clock or RealClock()
        self.rate_limiter = RateLimiter(rate_limits) if rate_limits is not None else None
        """Per-route and global limits on the bot's requests (None: no limits, no headers)."""
        self.snowflake = SnowflakeGenerator(self)
        self.privileged_intents = frozenset(privileged_intents)
        self.ack_deadline = ack_deadline
        self.bot_user = User(id=self.snowflake(), username=bot_name, bot=True)
        self.application_id = self.bot_user.id
        self.token = f"sandbox.{secrets.token_urlsafe(24)}"
        self.users: dict[int, User] = {self.bot_user.id: self.bot_user}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.history: dict[int, list[int]] = {}
        self.dm_channels: dict[int, Channel] = {}
        self.global_commands: dict[int, dict[str, Any]] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self.interactions_by_token: dict[str, InteractionRecord] = {}
        """The same records by token, so that a followup finds its interaction at once."""
        self.errors: list[RecordedError] = []
        self.nonces: dict[tuple[int, int, str], tuple[int, float]] = {}
        self.base_url = ""
        self.loose_attachments: dict[int, Attachment] = {}
        """Files users attached to command options (not part of any message)."""
        self.attachments: dict[int, Attachment] = {}
        """Files attached to messages, by attachment id (what the CDN serves)."""
        self.dispatcher: Callable[..., None] | None = None
        self.message_waiters: list[
            tuple[int, Callable[[Message], bool], asyncio.Future[Message]]
        ] = []

    # Time -------------------------------------------------------------------------

    def now(self) -> datetime:
        """The world's time (aware, UTC), from its clock."""
        when = self.clock.now()
        if when.tzinfo is None:
            raise ValueError("the sandbox's clock must return an aware datetime")
        return when.astimezone(UTC)

    # Application ------------------------------------------------------------------

    @property
    def intents_allowed(self) -> int:
        """Privileged intent bits the application may request."""
        bits = 0
        for name in self.privileged_intents:
            bits |= PRIVILEGED_INTENTS[name]
        return bits

    @property
    def application_flags(self) -> int:
        """Application flags, advertising which privileged intents are allowed."""
        flags = APP_FLAG_APPLICATION_COMMAND_BADGE
        if "members" in self.privileged_intents:
            flags |= APP_FLAG_GATEWAY_GUILD_MEMBERS_LIMITED
        if "presences" in self.privileged_intents:
            flags |= APP_FLAG_GATEWAY_PRESENCE_LIMITED
        if "message_content" in self.privileged_intents:
            flags |= APP_FLAG_GATEWAY_MESSAGE_CONTENT_LIMITED
        return flags

    # Dispatch ---------------------------------------------------------------------

    def dispatch(
        self,
        event: str,
        data: dict[str, Any],
        *,
        intent: int | None = INTENT_GUILDS,
        exempt_content: bool = True,
    ) -> None:
        """Send a gateway event to every connected bot session that should get it."""
        if self.dispatcher is not None:
            self.dispatcher(event, data, intent=intent, exempt_content=exempt_content)

    # Entities ---------------------------------------------------------------------

    def create_user(
        self,
        username: str,
        *,
        global_name: str | None = None,
        locale: str = "en-US",
        id: int | None = None,
    ) -> User:
        """A new (human) user (with `id`, the same user as in an earlier run)."""
        user = User(
            id=id or self.snowflake(), username=username, global_name=global_name, locale=locale
        )
        self.users[user.id] = user
        return user

    def create_guild(
        self,
        name: str,
        *,
        owner: User | None = None,
        preferred_locale: str = "en-US",
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
        everyone_permissions: int = DEFAULT_EVERYONE_PERMISSIONS,
        features: tuple[str, ...] = (),
        id: int | None = None,
    ) -> Guild:
        """A guild with @everyone, the bot's managed role and member, and #general."""
        if owner is None:
            owner = self.create_user(f"{name.lower().replace(' ', '_')[:20]}_owner")
        gid = id or self.snowflake()
        guild = Guild(
            id=gid,
            name=name,
            owner_id=owner.id,
            preferred_locale=preferred_locale,
            features=list(features),
            joined_at=self.now(),
        )
        guild.roles_by_id[gid] = Role(
            id=gid, guild_id=gid, name="@everyone", permissions=everyone_permissions, position=0
        )
        bot_role = Role(
            id=self.snowflake(),
            guild_id=gid,
            name=self.bot_user.username,
            permissions=bot_permissions,
            position=1,
            managed=True,
            bot_id=self.bot_user.id,
        )
        guild.roles_by_id[bot_role.id] = bot_role
        guild.members_by_id[owner.id] = Member(user=owner, guild_id=gid, joined_at=self.now())
        guild.members_by_id[self.bot_user.id] = Member(
            user=self.bot_user, guild_id=gid, roles=[bot_role.id], joined_at=self.now()
        )
        self.guilds[gid] = guild
        general = self._new_channel(guild, "general", ChannelType.GUILD_TEXT)
        guild.system_channel_id = general.id
        self.dispatch(
            "GUILD_CREATE",
            {"__guild_create__": gid},
            intent=None,
        )
        return guild

    def _new_channel(
        self,
        guild: Guild,
        name: str,
        ctype: int,
        *,
        parent_id: int | None = None,
        position: int | None = None,
        **fields: Any,
    ) -> Channel:
        if position is None:
            category = ChannelType.GUILD_CATEGORY
            same = [c for c in guild.channels if (c.type == category) == (ctype == category)]
            position = max((c.position for c in same), default=-1) + 1
        chan = Channel(
            id=self.snowflake(),
            type=ctype,
            guild_id=guild.id,
            name=name,
            parent_id=parent_id,
            position=position,
            **fields,
        )
        guild.channels_by_id[chan.id] = chan
        self.channels[chan.id] = chan
        self.history[chan.id] = []
        return chan

    def create_channel(
        self,
        guild: Guild,
        name: str,
        *,
        type: int = 0,
        parent: Channel | None = None,
        topic: str | None = None,
        overwrites: list[Overwrite] | None = None,
        **fields: Any,
    ) -> Channel:
        """A new guild channel (dispatches CHANNEL_CREATE)."""
        chan = self._new_channel(
            guild,
            name,
            type,
            parent_id=parent.id if parent else None,
            topic=topic,
            **fields,
        )
        for ow in overwrites or []:
            chan.overwrites[ow.id] = ow
        self.dispatch("CHANNEL_CREATE", payloads.channel(chan))
        return chan

    def create_role(
        self,
        guild: Guild,
        name: str,
        *,
        permissions: int = 0,
        color: int = 0,
        hoist: bool = False,
        mentionable: bool = False,
    ) -> Role:
        """A new role just above @everyone, as Discord places new roles."""
        for r in guild.roles_by_id.values():
            if r.position >= 1:
                r.position += 1
        role = Role(
            id=self.snowflake(),
            guild_id=guild.id,
            name=name,
            permissions=permissions,
            position=1,
            color=color,
            hoist=hoist,
            mentionable=mentionable,
        )
        guild.roles_by_id[role.id] = role
        self.dispatch("GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": payloads.role(role)})
        return role

    def add_member(
        self, guild: Guild, user: User, *, roles: tuple[Role, ...] = (), nick: str | None = None
    ) -> Member:
        """Join a user to a guild (dispatches GUILD_MEMBER_ADD)."""
        member = Member(
            user=user,
            guild_id=guild.id,
            roles=[r.id for r in roles],
            nick=nick,
            joined_at=self.now(),
        )
        guild.members_by_id[user.id] = member
        data = payloads.member(member)
        data["guild_id"] = str(guild.id)
        self.dispatch("GUILD_MEMBER_ADD", data, intent=INTENT_GUILD_MEMBERS)
        return member

    def remove_member(self, guild: Guild, user: User) -> None:
        """Remove a user from a guild (dispatches GUILD_MEMBER_REMOVE)."""
        if guild.members_by_id.pop(user.id, None) is None:
            raise KeyError(f"{user.username} is not a member of {guild.name}")
        self.dispatch(
            "GUILD_MEMBER_REMOVE",
            {"guild_id": str(guild.id), "user": payloads.user(user)},
            intent=INTENT_GUILD_MEMBERS,
        )

    def remove_bot(self, guild: Guild) -> None:
        """The bot is kicked from (or leaves) a guild: GUILD_DELETE without `unavailable`."""
        if self.guilds.pop(guild.id, None) is None:
            raise KeyError(f"the bot is not in {guild.name}")
        self.dispatch("GUILD_DELETE", {"id": str(guild.id)})

    def dispatch_member_update(self, guild: Guild, member: Member) -> None:
        """GUILD_MEMBER_UPDATE for a changed member."""
        data = payloads.member(member)
        data["guild_id"] = str(guild.id)
        self.dispatch("GUILD_MEMBER_UPDATE", data, intent=INTENT_GUILD_MEMBERS)

    def dm_channel(self, user: User) -> Channel:
        """The bot's DM channel with a user, created on first use."""
        chan = self.dm_channels.get(user.id)
        if chan is None:
            chan = Channel(id=self.snowflake(), type=ChannelType.DM, recipients=[user])
            self.dm_channels[user.id] = chan
            self.channels[chan.id] = chan
            self.history[chan.id] = []
        return chan

    # Lookups ----------------------------------------------------------------------

    def guild_of(self, chan: Channel) -> Guild | None:
        """The guild a channel belongs to (None for DMs)."""
        return self.guilds.get(chan.guild_id) if chan.guild_id else None

    def get_guild(self, guild_id: str | int) -> Guild:
        """A guild the bot is in, or 404 10004."""
        guild = self.guilds.get(_int(guild_id))
        if guild is None:
            raise ApiError(404, 10004, "Unknown Guild")
        return guild

    def get_channel(self, channel_id: str | int) -> Channel:
        """A channel the bot can see, or 404 10003 / 403 50001."""
        chan = self.channels.get(_int(channel_id))
        if chan is None:
            raise ApiError(404, 10003, "Unknown Channel")
        guild = self.guild_of(chan)
        if guild is not None and not self.bot_perms(guild, chan) & Perm.VIEW_CHANNEL:
            raise ApiError(403, 50001, "Missing Access")
        return chan

    def get_message(self, chan: Channel, message_id: str | int) -> Message:
        """A (non-ephemeral) message in a channel, or 404 10008."""
        msg = self.messages.get(_int(message_id))
        if msg is None or msg.channel_id != chan.id or msg.deleted or msg.ephemeral:
            raise ApiError(404, 10008, "Unknown Message")
        return msg

    def bot_member(self, guild: Guild) -> Member:
        """The bot's own member in a guild."""
        return guild.members_by_id[self.bot_user.id]

    def bot_perms(self, guild: Guild | None, chan: Channel | None = None) -> int:
        """The bot's permissions in a guild or one of its channels."""
        if guild is None:
            return DM_PERMISSIONS
        return channel_permissions(guild, self.bot_member(guild), chan, self.now())

    def member_perms(self, guild: Guild | None, member: Member | None, chan: Channel | None) -> int:
        """Any member's permissions in a channel."""
        if guild is None or member is None:
            return DM_PERMISSIONS
        return channel_permissions(guild, member, chan, self.now())

    def require(self, guild: Guild | None, chan: Channel | None, bits: int) -> None:
        """403 50013 unless the bot has all ``bits``."""
        if guild is None:
            return
        if self.bot_perms(guild, chan) & bits != bits:
            raise missing_permissions()

    def bot_top_position(self, guild: Guild) -> int:
        """Position of the bot's highest role."""
        if self.bot_user.id == guild.owner_id:
            return 1 << 30
        return guild.top_role_position(self.bot_member(guild))

    # Messages ---------------------------------------------------------------------

    def render(self, msg: Message) -> dict[str, Any]:
        """The message object as the API returns it."""
        referenced = (
            self.messages.get(msg.referenced_message_id) if msg.referenced_message_id else None
        )
        return payloads.message(msg, referenced=referenced, users=self.users)

    def render_event(self, msg: Message) -> dict[str, Any]:
        """The message object as MESSAGE_CREATE/UPDATE carry it (with guild_id, member)."""
        data = self.render(msg)
        guild = self.guilds.get(msg.guild_id) if msg.guild_id else None
        if guild is not None:
            data["guild_id"] = str(guild.id)
            author = guild.member(msg.author.id)
            if author is not None and msg.webhook_id is None:
                data["member"] = payloads.member(author, with_user=False)
            for mention in data["mentions"]:
                m = guild.member(int(mention["id"]))
                if m is not None:
                    mention["member"] = payloads.member(m, with_user=False)
        return data

    def _content_exempt(self, msg: Message) -> bool:
        # Without MESSAGE_CONTENT a bot still sees its own messages, DMs, and mentions of it.
        return (
            msg.author.id == self.bot_user.id
            or msg.guild_id is None
            or self.bot_user.id in msg.mention_user_ids
        )

    def _message_intent(self, msg: Message) -> int:
        return INTENT_DIRECT_MESSAGES if msg.guild_id is None else INTENT_GUILD_MESSAGES

    def dispatch_message(self, event: str, msg: Message) -> None:
        """MESSAGE_CREATE/UPDATE for a visible message."""
        if msg.ephemeral:
            return
        self.dispatch(
            event,
            self.render_event(msg),
            intent=self._message_intent(msg),
            exempt_content=self._content_exempt(msg),
        )

    def check_message_body(self, body: dict[str, Any], uploads: list[Upload]) -> None:
        """Field limits, then the size limit on uploads."""
        errs = Errors()
        validate_message_fields(errs, body)
        errs.raise_if_any()
        for up in uploads:
            if len(up.data) > ATTACHMENT_SIZE_LIMIT:
                raise ApiError(413, 40005, "Request entity too large")

    def _attachments_for(
        self,
        chan: Channel,
        body: dict[str, Any],
        uploads: list[Upload],
        existing: list[Attachment],
    ) -> list[Attachment] | None:
        """The message's attachments after this request (None: leave unchanged)."""
        by_index = {up.index: up for up in uploads}
        listed = body.get("attachments")
        if listed is None:
            if not uploads:
                return None
            kept = list(existing)
            return kept + [self._store_upload(chan, up, None) for up in uploads]
        out: list[Attachment] = []
        used: set[int] = set()
        errs = Errors()
        old = {a.id: a for a in existing}
        for i, item in enumerate(listed):
            if not isinstance(item, dict):
                continue
            aid = _int(item.get("id", -1))
            if aid in old:
                out.append(old[aid])
            elif aid in by_index:
                used.add(aid)
                out.append(self._store_upload(chan, by_index[aid], item))
            else:
                errs.add(["attachments", i, "id"], "ATTACHMENT_NOT_FOUND", "Unknown attachment")
        errs.raise_if_any()
        # Files that the attachments array does not list are still attached, as Discord does.
        out.extend(self._store_upload(chan, up, None) for up in uploads if up.index not in used)
        return out

    def _store_upload(self, chan: Channel, up: Upload, meta: dict[str, Any] | None) -> Attachment:
        aid = self.snowflake()
        filename = (meta or {}).get("filename") or up.filename
        att = Attachment(
            id=aid,
            filename=filename,
            data=up.data,
            content_type=up.content_type,
            description=(meta or {}).get("description"),
            title=(meta or {}).get("title"),
        )
        att.url = f"{self.base_url}/attachments/{chan.id}/{aid}/{filename}"
        self.attachments[aid] = att
        return att

    def _compute_pings(
        self,
        msg: Message,
        allowed_mentions: dict[str, Any] | None,
        author_perms: int,
    ) -> None:
        """Who this message notifies, from content + allowed_mentions, as Discord does."""
        msg.pinged_user_ids = set()
        msg.pinged_role_ids = set()
        msg.pinged_everyone = False
        msg.mention_user_ids = []
        msg.mention_role_ids = []
        msg.mention_everyone = False
        if msg.ephemeral:
            return
        guild = self.guilds.get(msg.guild_id) if msg.guild_id else None
        if allowed_mentions is None:
            parse = {"users", "roles", "everyone"}
            explicit_users: set[int] = set()
            explicit_roles: set[int] = set()
            replied_user = True
        else:
            parse = set(allowed_mentions.get("parse") or [])
            explicit_users = {_int(u) for u in allowed_mentions.get("users") or []}
            explicit_roles = {_int(r) for r in allowed_mentions.get("roles") or []}
            replied_user = bool(allowed_mentions.get("replied_user", False))
        content = msg.content or ""
        for raw in _USER_MENTION.findall(content):
            uid = int(raw)
            if uid not in self.users:
                continue
            if ("users" in parse or uid in explicit_users) and uid not in msg.mention_user_ids:
                msg.mention_user_ids.append(uid)
                msg.pinged_user_ids.add(uid)
        if guild is not None:
            for raw in _ROLE_MENTION.findall(content):
                rid = int(raw)
                role = guild.roles_by_id.get(rid)
                if role is None or role.is_everyone:
                    continue
                if not role.mentionable and not author_perms & Perm.MENTION_EVERYONE:
                    continue
                if ("roles" in parse or rid in explicit_roles) and rid not in msg.mention_role_ids:
                    msg.mention_role_ids.append(rid)
                    msg.pinged_role_ids.add(rid)
            if (
                ("@everyone" in content or "@here" in content)
                and "everyone" in parse
                and author_perms & Perm.MENTION_EVERYONE
            ):
                msg.mention_everyone = True
                msg.pinged_everyone = True
        if msg.referenced_message_id and replied_user:
            ref = self.messages.get(msg.referenced_message_id)
            if ref is not None and ref.author.id != msg.author.id:
                if ref.author.id not in msg.mention_user_ids:
                    msg.mention_user_ids.append(ref.author.id)
                msg.pinged_user_ids.add(ref.author.id)

    @staticmethod
    def _is_empty(
        content: str, embeds: list[Any], components: list[Any], attachments: list[Any], extra: bool
    ) -> bool:
        return not (content.strip() or embeds or components or attachments or extra)

    def create_message(
        self,
        chan: Channel,
        author: User,
        body: dict[str, Any],
        uploads: list[Upload],
        *,
        mtype: int = 0,
        interaction: InteractionRecord | None = None,
        extra_flags: int = 0,
        message_id: int | None = None,
        allow_empty: bool = False,
        dispatch: bool = True,
    ) -> Message:
        """Validate and store a new message, then dispatch MESSAGE_CREATE."""
        self.check_message_body(body, uploads)
        guild = self.guild_of(chan)
        flags = (body.get("flags") or 0) & (
            MessageFlag.SUPPRESS_EMBEDS
            | MessageFlag.SUPPRESS_NOTIFICATIONS
            | MessageFlag.IS_COMPONENTS_V2
            | (MessageFlag.EPHEMERAL if interaction is not None else 0)
        )
        flags |= extra_flags
        content = body.get("content") or ""
        embeds = list(body.get("embeds") or [])
        components = list(body.get("components") or [])
        attachments = self._attachments_for(chan, body, uploads, []) or []
        if not allow_empty and self._is_empty(
            content,
            embeds,
            components,
            attachments,
            bool(body.get("sticker_ids") or body.get("poll")),
        ):
            raise empty_message()
        ref = body.get("message_reference")
        ref_id: int | None = None
        reference: dict[str, Any] | None = None
        if isinstance(ref, dict) and ref.get("message_id") is not None:
            target = self.messages.get(_int(ref["message_id"]))
            ref_channel = _int(ref.get("channel_id", chan.id))
            if target is None or target.deleted or target.channel_id != ref_channel:
                if ref.get("fail_if_not_exists", True):
                    errs = Errors()
                    errs.add(
                        ["message_reference"],
                        "REPLIES_UNKNOWN_MESSAGE",
                        "Unknown message",
                    )
                    errs.raise_if_any()
            else:
                ref_id = target.id
                reference = {
                    "type": ref.get("type", 0),
                    "message_id": str(target.id),
                    "channel_id": str(target.channel_id),
                }
                if target.guild_id:
                    reference["guild_id"] = str(target.guild_id)
                if mtype == MessageType.DEFAULT:
                    mtype = MessageType.REPLY
        msg = Message(
            id=message_id or self.snowflake(),
            channel_id=chan.id,
            guild_id=chan.guild_id,
            author=author,
            content=content,
            embeds=embeds,
            components=components,
            attachments=attachments,
            flags=flags,
            type=mtype,
            tts=bool(body.get("tts", False)),
            nonce=body.get("nonce"),
            message_reference=reference,
            referenced_message_id=ref_id,
            sticker_ids=[_int(s) for s in body.get("sticker_ids") or []],
            poll=body.get("poll"),
            timestamp=self.now(),
        )
        if interaction is not None:
            msg.webhook_id = self.application_id
            msg.application_id = self.application_id
            msg.interaction_id = interaction.id
            msg.interaction_metadata = self.interaction_metadata(interaction)
        author_member = guild.member(author.id) if guild else None
        author_perms = (
            self.member_perms(guild, author_member, chan) if author_member else DM_PERMISSIONS
        )
        if guild is None:
            author_perms = 0
        self._compute_pings(msg, body.get("allowed_mentions"), author_perms)
        self.messages[msg.id] = msg
        if not msg.ephemeral:
            self.history.setdefault(chan.id, []).append(msg.id)
            chan.last_message_id = msg.id
            if chan.is_thread:
                chan.message_count += 1
                chan.total_message_sent += 1
        if dispatch:
            self.dispatch_message("MESSAGE_CREATE", msg)
        self._notify_waiters(msg)
        return msg

    def edit_message(
        self,
        msg: Message,
        body: dict[str, Any],
        uploads: list[Upload],
        *,
        clear_loading: bool = False,
    ) -> Message:
        """Apply a message edit (content, embeds, components, attachments, flags)."""
        self.check_message_body(body, uploads)
        content = body.get("content", msg.content) or ""
        embeds = list(body["embeds"] or []) if "embeds" in body else msg.embeds
        components = list(body["components"] or []) if "components" in body else msg.components
        chan = self.channels[msg.channel_id]
        new_attachments = self._attachments_for(chan, body, uploads, msg.attachments)
        attachments = msg.attachments if new_attachments is None else new_attachments
        if self._is_empty(
            content, embeds, components, attachments, bool(msg.sticker_ids or msg.poll)
        ):
            raise empty_message()
        msg.content = content
        msg.embeds = embeds
        msg.components = components
        msg.attachments = attachments
        if "flags" in body and body["flags"] is not None:
            # Only SUPPRESS_EMBEDS can be toggled on edit; V2 can be set, not unset.
            flags = int(body["flags"])
            msg.flags = (msg.flags & ~MessageFlag.SUPPRESS_EMBEDS) | (
                flags & MessageFlag.SUPPRESS_EMBEDS
            )
            msg.flags |= flags & MessageFlag.IS_COMPONENTS_V2
        if clear_loading and msg.flags & MessageFlag.LOADING:
            # Completing a deferred "thinking" message is not an edit in Discord's eyes.
            msg.flags &= ~MessageFlag.LOADING
        else:
            msg.edited_timestamp = self.now()
        guild = self.guild_of(chan)
        author_member = guild.member(msg.author.id) if guild else None
        perms = self.member_perms(guild, author_member, chan) if guild and author_member else 0
        if "content" in body or "allowed_mentions" in body:
            self._compute_pings(msg, body.get("allowed_mentions"), perms)
        self.dispatch_message("MESSAGE_UPDATE", msg)
        return msg

    def delete_message(self, msg: Message) -> None:
        """Delete a message (dispatches MESSAGE_DELETE)."""
        msg.deleted = True
        ids = self.history.get(msg.channel_id, [])
        if msg.id in ids:
            ids.remove(msg.id)
        if msg.ephemeral:
            return
        data: dict[str, Any] = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
        if msg.guild_id:
            data["guild_id"] = str(msg.guild_id)
        self.dispatch("MESSAGE_DELETE", data, intent=self._message_intent(msg), exempt_content=True)

    def channel_messages(self, chan: Channel) -> list[Message]:
        """A channel's visible messages, oldest first."""
        return [self.messages[i] for i in self.history.get(chan.id, [])]

    def _notify_waiters(self, msg: Message) -> None:
        for entry in list(self.message_waiters):
            chan_id, predicate, fut = entry
            if fut.done():
                self.message_waiters.remove(entry)
                continue
            if chan_id == msg.channel_id and predicate(msg):
                fut.set_result(msg)
                self.message_waiters.remove(entry)

    def dedupe_nonce(self, chan: Channel, author: User, body: dict[str, Any]) -> Message | None:
        """With enforce_nonce, the message this author already sent with this nonce."""
        nonce = body.get("nonce")
        if not body.get("enforce_nonce") or nonce is None:
            return None
        key = (author.id, chan.id, str(nonce))
        seen = self.nonces.get(key)
        if seen is not None and time.monotonic() - seen[1] < NONCE_WINDOW_S:
            msg = self.messages.get(seen[0])
            if msg is not None and not msg.deleted:
                return msg
        return None

    def remember_nonce(
        self, chan: Channel, author: User, body: dict[str, Any], msg: Message
    ) -> None:
        """Record a nonce for enforce_nonce de-duplication."""
        if body.get("enforce_nonce") and body.get("nonce") is not None:
            self.nonces[(author.id, chan.id, str(body["nonce"]))] = (msg.id, time.monotonic())

    # Interactions -----------------------------------------------------------------

    def add_interaction(self, rec: InteractionRecord) -> None:
        """Record an interaction the driver is about to send, by id and by token."""
        self.interactions[rec.id] = rec
        self.interactions_by_token[rec.token] = rec

    def interaction_by_token(self, token: str) -> InteractionRecord | None:
        """The interaction a webhook token belongs to (one dict lookup)."""
        return self.interactions_by_token.get(token)

    def token_expired(self, rec: InteractionRecord) -> bool:
        """Whether the interaction's token is past its 15 minutes.

        Judged on the world's clock (a test that moves the clock sees the token expire) and in
        real time (a long shell session does too).
        """
        ttl = timedelta(seconds=INTERACTION_TOKEN_TTL_S)
        return rec.age > INTERACTION_TOKEN_TTL_S or self.now() - rec.created_at > ttl

    def interaction_metadata(self, rec: InteractionRecord) -> dict[str, Any]:
        """message.interaction_metadata for messages created by an interaction."""
        owners = self.authorizing_owners(rec.guild)
        meta: dict[str, Any] = {
            "id": str(rec.id),
            "type": rec.type,
            "user": payloads.user(rec.user),
            "authorizing_integration_owners": owners,
        }
        if rec.type == InteractionType.APPLICATION_COMMAND:
            meta["name"] = rec.name
            meta["command_type"] = rec.command_type or CommandType.CHAT_INPUT
            if rec.command_type == CommandType.USER:
                target = rec.payload.get("data", {}).get("target_id")
                if target:
                    meta["target_user"] = payloads.user(self.users[int(target)])
        if rec.original_message_id is not None:
            meta["original_response_message_id"] = str(rec.original_message_id)
        if rec.type == InteractionType.MESSAGE_COMPONENT and rec.source_message is not None:
            meta["interacted_message_id"] = str(rec.source_message.id)
        if rec.type == InteractionType.MODAL_SUBMIT and rec.from_modal_of is not None:
            meta["triggering_interaction_metadata"] = self.interaction_metadata(rec.from_modal_of)
        return meta

    def authorizing_owners(self, guild: Guild | None) -> dict[str, str]:
        """authorizing_integration_owners for a guild-installed app."""
        return {"0": str(guild.id) if guild else "0"}


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(404, 0, "404: Not Found") from None
