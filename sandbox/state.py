"""The sandbox's in-memory Discord world: snowflakes, entities and permission maths."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

DISCORD_EPOCH_MS = 1420070400000


class Perm:
    """Discord permission bits (https://discord.com/developers/docs/topics/permissions)."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_AUDIT_LOG = 1 << 7
    PRIORITY_SPEAKER = 1 << 8
    STREAM = 1 << 9
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    SEND_TTS_MESSAGES = 1 << 12
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    VIEW_GUILD_INSIGHTS = 1 << 19
    CONNECT = 1 << 20
    SPEAK = 1 << 21
    MUTE_MEMBERS = 1 << 22
    DEAFEN_MEMBERS = 1 << 23
    MOVE_MEMBERS = 1 << 24
    USE_VAD = 1 << 25
    CHANGE_NICKNAME = 1 << 26
    MANAGE_NICKNAMES = 1 << 27
    MANAGE_ROLES = 1 << 28
    MANAGE_WEBHOOKS = 1 << 29
    MANAGE_GUILD_EXPRESSIONS = 1 << 30
    USE_APPLICATION_COMMANDS = 1 << 31
    REQUEST_TO_SPEAK = 1 << 32
    MANAGE_EVENTS = 1 << 33
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    CREATE_PRIVATE_THREADS = 1 << 36
    USE_EXTERNAL_STICKERS = 1 << 37
    SEND_MESSAGES_IN_THREADS = 1 << 38
    USE_EMBEDDED_ACTIVITIES = 1 << 39
    MODERATE_MEMBERS = 1 << 40
    VIEW_CREATOR_MONETIZATION_ANALYTICS = 1 << 41
    USE_SOUNDBOARD = 1 << 42
    CREATE_GUILD_EXPRESSIONS = 1 << 43
    CREATE_EVENTS = 1 << 44
    USE_EXTERNAL_SOUNDS = 1 << 45
    SEND_VOICE_MESSAGES = 1 << 46
    SEND_POLLS = 1 << 49
    USE_EXTERNAL_APPS = 1 << 50
    PIN_MESSAGES = 1 << 51

    ALL = (1 << 52) - 1


DEFAULT_EVERYONE_PERMISSIONS = (
    Perm.CREATE_INSTANT_INVITE
    | Perm.ADD_REACTIONS
    | Perm.STREAM
    | Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.USE_EXTERNAL_EMOJIS
    | Perm.CONNECT
    | Perm.SPEAK
    | Perm.USE_VAD
    | Perm.CHANGE_NICKNAME
    | Perm.USE_APPLICATION_COMMANDS
    | Perm.REQUEST_TO_SPEAK
    | Perm.CREATE_PUBLIC_THREADS
    | Perm.CREATE_PRIVATE_THREADS
    | Perm.USE_EXTERNAL_STICKERS
    | Perm.SEND_MESSAGES_IN_THREADS
    | Perm.USE_EMBEDDED_ACTIVITIES
    | Perm.SEND_VOICE_MESSAGES
    | Perm.SEND_POLLS
    | Perm.USE_EXTERNAL_APPS
)
"""Roughly what Discord gives @everyone in a freshly created server."""

DEFAULT_BOT_PERMISSIONS = (
    Perm.MANAGE_CHANNELS
    | Perm.MANAGE_ROLES
    | Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.SEND_MESSAGES_IN_THREADS
    | Perm.CREATE_PUBLIC_THREADS
    | Perm.MANAGE_THREADS
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.MANAGE_EVENTS
    | Perm.CREATE_EVENTS
)

# Discord's DM permission set for an app in a bot DM (what app_permissions shows there).
DM_PERMISSIONS = (
    Perm.ADD_REACTIONS
    | Perm.STREAM
    | Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.SEND_TTS_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.MENTION_EVERYONE
    | Perm.USE_EXTERNAL_EMOJIS
    | Perm.CONNECT
    | Perm.SPEAK
    | Perm.USE_VAD
    | Perm.USE_APPLICATION_COMMANDS
    | Perm.USE_EXTERNAL_STICKERS
    | Perm.SEND_VOICE_MESSAGES
    | Perm.SEND_POLLS
    | Perm.USE_EXTERNAL_APPS
)


class ChannelType:
    """Discord channel types."""

    GUILD_TEXT = 0
    DM = 1
    GUILD_VOICE = 2
    GROUP_DM = 3
    GUILD_CATEGORY = 4
    GUILD_ANNOUNCEMENT = 5
    ANNOUNCEMENT_THREAD = 10
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12
    GUILD_STAGE_VOICE = 13
    GUILD_DIRECTORY = 14
    GUILD_FORUM = 15
    GUILD_MEDIA = 16

    THREADS = frozenset({10, 11, 12})
    TEXT_LIKE = frozenset({0, 1, 2, 5, 10, 11, 12, 13})
    FORUM_LIKE = frozenset({15, 16})
    GUILD_CREATABLE = frozenset({0, 2, 4, 5, 13, 15, 16})


class MessageFlag:
    """Discord message flags used by the sandbox."""

    CROSSPOSTED = 1 << 0
    SUPPRESS_EMBEDS = 1 << 2
    EPHEMERAL = 1 << 6
    LOADING = 1 << 7
    SUPPRESS_NOTIFICATIONS = 1 << 12
    IS_COMPONENTS_V2 = 1 << 15


class SnowflakeGenerator:
    """Makes real Discord snowflakes: ms since 2015-01-01 << 22 | worker | increment.

    The timestamp comes from ``clock`` (the world's clock). Ids only ever grow, even when
    the clock stands still or is set back: the millisecond part never goes below the last
    one issued, and moves on by one when its 12-bit increment runs out.
    """

    def __init__(self, clock: Clock | None = None, worker: int = 1, process: int = 0) -> None:
        self._clock = clock or RealClock()
        self._worker = worker & 0x1F
        self._process = process & 0x1F
        self._last_ms = -1
        self._inc = 0

    def __call__(self) -> int:
        ms = int(self._clock.now().timestamp() * 1000) - DISCORD_EPOCH_MS
        if ms > self._last_ms:
            self._last_ms = ms
            self._inc = 0
        else:
            self._inc += 1
            if self._inc > 0xFFF:
                self._last_ms += 1
                self._inc = 0
        return (self._last_ms << 22) | (self._worker << 17) | (self._process << 12) | self._inc


def snowflake_time(snowflake: int) -> datetime:
    """The creation time encoded in a snowflake."""
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, tz=UTC)


def iso(dt: datetime) -> str:
    """ISO8601 with an explicit +00:00 offset, the way Discord writes timestamps."""
    return dt.astimezone(UTC).isoformat()


def now() -> datetime:
    """The current UTC time (wall clock; the world's own clock is ``World.now``)."""
    return datetime.now(UTC)


class Clock(Protocol):
    """Anything that tells the time: ``now()`` returns an aware datetime.

    The bot's ``bot.clock.Clock`` and ``FixedClock`` fit; the sandbox imports nothing of the bot.
    """

    def now(self) -> datetime: ...


class RealClock:
    """The wall clock, in UTC (the default)."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class User:
    """A Discord user (people and the bot)."""

    id: int
    username: str
    global_name: str | None = None
    locale: str = "en-US"
    bot: bool = False
    avatar: str | None = None

    @property
    def display_name(self) -> str:
        """What Discord shows for this user outside a guild."""
        return self.global_name or self.username


@dataclass
class Role:
    """A guild role."""

    id: int
    guild_id: int
    name: str
    permissions: int = 0
    position: int = 0
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    managed: bool = False
    bot_id: int | None = None
    icon: str | None = None
    unicode_emoji: str | None = None
    flags: int = 0

    @property
    def is_everyone(self) -> bool:
        """Whether this is the guild's @everyone role (its id equals the guild id)."""
        return self.id == self.guild_id


@dataclass
class Member:
    """A user's membership of a guild."""

    user: User
    guild_id: int
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: datetime = field(default_factory=now)
    communication_disabled_until: datetime | None = None

    @property
    def id(self) -> int:
        """The member's user id."""
        return self.user.id

    @property
    def display_name(self) -> str:
        """Nick, else global name, else username."""
        return self.nick or self.user.display_name


@dataclass
class Overwrite:
    """A channel permission overwrite; type 0 is a role, 1 a member."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0


@dataclass
class Channel:
    """Any channel: guild channels, threads, forum posts and DMs."""

    id: int
    type: int
    guild_id: int | None = None
    name: str | None = None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    nsfw: bool = False
    overwrites: dict[int, Overwrite] = field(default_factory=dict)
    rate_limit_per_user: int = 0
    bitrate: int | None = None
    user_limit: int | None = None
    flags: int = 0
    last_message_id: int | None = None
    default_auto_archive_duration: int | None = None
    available_tags: list[dict[str, Any]] = field(default_factory=list)
    default_reaction_emoji: dict[str, Any] | None = None
    default_thread_rate_limit_per_user: int | None = None
    default_sort_order: int | None = None
    default_forum_layout: int | None = None
    recipients: list[User] = field(default_factory=list)
    # Thread fields.
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    invitable: bool = True
    auto_archive_duration: int = 1440
    archive_timestamp: datetime | None = None
    create_timestamp: datetime | None = None
    applied_tags: list[int] = field(default_factory=list)
    message_count: int = 0
    total_message_sent: int = 0
    member_ids: set[int] = field(default_factory=set)

    @property
    def is_thread(self) -> bool:
        """Whether this channel is a thread or forum post."""
        return self.type in ChannelType.THREADS


@dataclass
class Attachment:
    """A file attached to a message."""

    id: int
    filename: str
    data: bytes
    content_type: str | None = None
    description: str | None = None
    title: str | None = None
    url: str = ""

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)


@dataclass
class Message:
    """A message as the sandbox stores it; edits update it in place."""

    id: int
    channel_id: int
    author: User
    guild_id: int | None = None
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    timestamp: datetime = field(default_factory=now)
    edited_timestamp: datetime | None = None
    tts: bool = False
    nonce: str | int | None = None
    message_reference: dict[str, Any] | None = None
    referenced_message_id: int | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    interaction_id: int | None = None
    sticker_ids: list[int] = field(default_factory=list)
    poll: dict[str, Any] | None = None
    pinned: bool = False
    mention_user_ids: list[int] = field(default_factory=list)
    mention_role_ids: list[int] = field(default_factory=list)
    mention_everyone: bool = False
    # Who actually got a notification (what tests assert on).
    pinged_user_ids: set[int] = field(default_factory=set)
    pinged_role_ids: set[int] = field(default_factory=set)
    pinged_everyone: bool = False
    thread: Channel | None = None
    deleted: bool = False

    @property
    def author_id(self) -> int:
        """The author's user id."""
        return self.author.id

    @property
    def ephemeral(self) -> bool:
        """Whether only the invoking user can see this message."""
        return bool(self.flags & MessageFlag.EPHEMERAL)


@dataclass
class ScheduledEvent:
    """A guild scheduled event."""

    id: int
    guild_id: int
    name: str
    scheduled_start_time: datetime
    entity_type: int
    privacy_level: int = 2
    status: int = 1
    channel_id: int | None = None
    creator_id: int | None = None
    description: str | None = None
    scheduled_end_time: datetime | None = None
    entity_metadata: dict[str, Any] | None = None
    image: str | None = None
    recurrence_rule: dict[str, Any] | None = None
    user_count: int = 0


@dataclass
class Guild:
    """A guild (server) and everything in it."""

    id: int
    name: str
    owner_id: int
    preferred_locale: str = "en-US"
    features: list[str] = field(default_factory=list)
    joined_at: datetime = field(default_factory=now)
    description: str | None = None
    system_channel_id: int | None = None
    roles_by_id: dict[int, Role] = field(default_factory=dict)
    members_by_id: dict[int, Member] = field(default_factory=dict)
    channels_by_id: dict[int, Channel] = field(default_factory=dict)
    events_by_id: dict[int, ScheduledEvent] = field(default_factory=dict)
    commands: dict[int, dict[str, Any]] = field(default_factory=dict)
    """Guild application commands the bot synced, by command id."""

    @property
    def roles(self) -> list[Role]:
        """Roles, lowest position first."""
        return sorted(self.roles_by_id.values(), key=lambda r: (r.position, r.id))

    @property
    def members(self) -> list[Member]:
        """Members in join order."""
        return list(self.members_by_id.values())

    @property
    def channels(self) -> list[Channel]:
        """Guild channels (not threads), by position."""
        return sorted(
            (c for c in self.channels_by_id.values() if not c.is_thread),
            key=lambda c: (c.position, c.id),
        )

    @property
    def threads(self) -> list[Channel]:
        """Threads and forum posts."""
        return [c for c in self.channels_by_id.values() if c.is_thread]

    @property
    def scheduled_events(self) -> list[ScheduledEvent]:
        """Scheduled events, by start time."""
        return sorted(self.events_by_id.values(), key=lambda e: e.scheduled_start_time)

    @property
    def everyone_role(self) -> Role:
        """The @everyone role."""
        return self.roles_by_id[self.id]

    def member(self, user_id: int) -> Member | None:
        """The member with this user id, if any."""
        return self.members_by_id.get(user_id)

    def top_role_position(self, member: Member) -> int:
        """The position of the member's highest role (0 for @everyone only)."""
        positions = [self.roles_by_id[r].position for r in member.roles if r in self.roles_by_id]
        return max(positions, default=0)


def base_permissions(guild: Guild, member: Member) -> int:
    """Guild-level permissions, as in Discord's documented algorithm."""
    if member.user.id == guild.owner_id:
        return Perm.ALL
    perms = guild.everyone_role.permissions
    for role_id in member.roles:
        role = guild.roles_by_id.get(role_id)
        if role is not None:
            perms |= role.permissions
    if perms & Perm.ADMINISTRATOR:
        return Perm.ALL
    return perms


def channel_permissions(
    guild: Guild, member: Member, channel: Channel | None, at: datetime | None = None
) -> int:
    """Permissions in a channel: base, then @everyone, role and member overwrites.

    ``at`` is the moment a timeout is judged against (the world's clock; wall time if None).
    """
    base = base_permissions(guild, member)
    if base & Perm.ADMINISTRATOR or channel is None:
        return base
    # Threads take their permissions from the parent channel.
    target = channel
    if channel.is_thread and channel.parent_id is not None:
        target = guild.channels_by_id.get(channel.parent_id, channel)
    perms = base
    everyone = target.overwrites.get(guild.id)
    if everyone is not None:
        perms &= ~everyone.deny
        perms |= everyone.allow
    allow = deny = 0
    for role_id in member.roles:
        ow = target.overwrites.get(role_id)
        if ow is not None and ow.type == 0:
            allow |= ow.allow
            deny |= ow.deny
    perms &= ~deny
    perms |= allow
    mine = target.overwrites.get(member.user.id)
    if mine is not None and mine.type == 1:
        perms &= ~mine.deny
        perms |= mine.allow
    # Implicit denials: no View Channel means nothing, no Send Messages means no
    # message-dependent permissions (Discord documents this as implicit permissions).
    if not perms & Perm.VIEW_CHANNEL:
        return 0
    if not perms & Perm.SEND_MESSAGES and not channel.is_thread:
        perms &= ~(
            Perm.MENTION_EVERYONE | Perm.SEND_TTS_MESSAGES | Perm.ATTACH_FILES | Perm.EMBED_LINKS
        )
    if member.communication_disabled_until and member.communication_disabled_until > (at or now()):
        perms &= Perm.VIEW_CHANNEL | Perm.READ_MESSAGE_HISTORY
    return perms
