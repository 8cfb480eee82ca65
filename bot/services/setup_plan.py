"""What `/network setup` builds, and the plan to get there from what a server already has.

Pure: the desired structure (in the network's language) and a snapshot of the server as plain
data go in; a plan comes out. Each channel and role is *kept* (the bot remembers its id),
*adopted* (found by name and type: created by hand, or remembered id gone) or *created*.
Forum tags and permission overwrites missing on kept or adopted channels are added; nothing is
ever deleted or overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from bot.i18n import LANGS, Lang, t
from bot.services.network import CHANNEL_PURPOSES, ROLE_PURPOSES
from bot.services.text import is_invisible
from bot.services.textnorm import fold

ChannelKind = Literal["category", "text", "forum", "voice", "other"]
Action = Literal["create", "adopt", "keep"]
Target = Literal["everyone", "member", "admin", "bot"]

MAX_FORUM_TAGS: Final = 20  # Discord's limit per forum
TAG_NAME_MAX: Final = 20

PRACTICE_TAGS: Final = (
    "work",
    "language",
    "school",
    "health",
    "civic",
    "housing",
    "leisure",
    "competence",
    "coordination",
    "unaccompanied",
)
QUESTION_TAGS: Final = ("answered",)

# Permission overwrites by channel, in discord.py's permission names. Every name here is one
# the bot holds (bot/permissions.py): Discord refuses overwrites granting what the bot lacks.
_POST = frozenset({"send_messages", "send_messages_in_threads", "create_public_threads"})
_FORUM_POST = frozenset({"send_messages", "send_messages_in_threads"})
_BOT = frozenset(
    {
        "view_channel",
        "send_messages",
        "send_messages_in_threads",
        "create_public_threads",
        "manage_threads",
        "embed_links",
        "attach_files",
        "read_message_history",
    }
)


@dataclass(frozen=True, slots=True)
class OverwriteSpec:
    """Allow/deny for one target on one channel."""

    target: Target
    allow: frozenset[str] = frozenset()
    deny: frozenset[str] = frozenset()


_OVERWRITES: Final[Mapping[str, tuple[OverwriteSpec, ...]]] = {
    "category": (),
    # Only the bot posts greetings; everyone, members or not, can read them.
    "welcome": (
        OverwriteSpec(
            "everyone", allow=frozenset({"view_channel", "read_message_history"}), deny=_POST
        ),
        OverwriteSpec("bot", allow=_BOT),
    ),
    # Members (who have picked their organisation) talk; newcomers read until they have.
    "general": (
        OverwriteSpec("everyone", deny=_POST),
        OverwriteSpec("member", allow=_POST),
        OverwriteSpec("admin", allow=_POST),
        OverwriteSpec("bot", allow=_BOT),
    ),
    # Announcements: only admins and the bot post; members discuss in threads.
    "meetings": (
        OverwriteSpec("everyone", deny=_POST),
        OverwriteSpec("member", allow=frozenset({"send_messages_in_threads"})),
        OverwriteSpec("admin", allow=_POST | {"embed_links", "attach_files"}),
        OverwriteSpec("bot", allow=_BOT),
    ),
    "tips": (
        OverwriteSpec("everyone", deny=_POST),
        OverwriteSpec("member", allow=_POST),
        OverwriteSpec("admin", allow=_POST),
        OverwriteSpec("bot", allow=_BOT),
    ),
    # Forums: members create posts and answer; admins also tidy up (tags, closing).
    "practices": (
        OverwriteSpec("everyone", deny=_FORUM_POST),
        OverwriteSpec("member", allow=_FORUM_POST),
        OverwriteSpec("admin", allow=_FORUM_POST | {"manage_threads"}),
        OverwriteSpec("bot", allow=_BOT),
    ),
    "questions": (
        OverwriteSpec("everyone", deny=_FORUM_POST),
        OverwriteSpec("member", allow=_FORUM_POST),
        OverwriteSpec("admin", allow=_FORUM_POST | {"manage_threads"}),
        OverwriteSpec("bot", allow=_BOT),
    ),
    # The meeting room is open to everyone on the server.
    "voice": (),
}
_KINDS: Final[Mapping[str, ChannelKind]] = {
    "category": "category",
    "welcome": "text",
    "general": "text",
    "meetings": "text",
    "tips": "text",
    "practices": "forum",
    "questions": "forum",
    "voice": "voice",
}
_TAGS: Final[Mapping[str, tuple[str, ...]]] = {
    "practices": PRACTICE_TAGS,
    "questions": QUESTION_TAGS,
}


# --- the desired structure ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DesiredTag:
    key: str
    name: str
    aliases: frozenset[str] = frozenset()  # folded names in every language, for adoption


@dataclass(frozen=True, slots=True)
class DesiredChannel:
    purpose: str
    kind: ChannelKind
    name: str
    topic: str | None
    overwrites: tuple[OverwriteSpec, ...]
    tags: tuple[DesiredTag, ...] = ()
    aliases: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class DesiredRole:
    purpose: str
    name: str
    hoist: bool
    colour: int
    aliases: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Structure:
    channels: tuple[DesiredChannel, ...]
    roles: tuple[DesiredRole, ...]


def name_key(name: str) -> str:
    """How names are compared: case, diacritics, '#', hyphens, underscores and spaces ignored."""
    return "".join(ch for ch in fold(name) if ch.isalnum())


def _aliases(key: str) -> frozenset[str]:
    return frozenset(name_key(t(lang, key)) for lang in LANGS)


def desired_structure(lang: Lang, network_name: str) -> Structure:
    """The channels, forum tags and roles of a network, named in `lang`.

    The category carries the network's name (a default one if it shows nothing, as a server's
    name may); everything else the catalogue's names.
    """
    if is_invisible(network_name):
        network_name = t(lang, "security.network.default_name")
    channels: list[DesiredChannel] = []
    for purpose in CHANNEL_PURPOSES:
        tags = tuple(
            DesiredTag(
                key,
                t(lang, f"network.setup.tag.{purpose}.{key}"),
                _aliases(f"network.setup.tag.{purpose}.{key}"),
            )
            for key in _TAGS.get(purpose, ())
        )
        if purpose == "category":
            name, aliases = network_name, frozenset({name_key(network_name)})
        else:
            name, aliases = (
                t(lang, f"network.setup.name.{purpose}"),
                _aliases(f"network.setup.name.{purpose}"),
            )
        topic = (
            None if purpose in ("category", "voice") else t(lang, f"network.setup.topic.{purpose}")
        )
        channels.append(
            DesiredChannel(
                purpose, _KINDS[purpose], name, topic, _OVERWRITES[purpose], tags, aliases
            )
        )
    roles = tuple(
        DesiredRole(
            purpose,
            t(lang, f"network.setup.role.{purpose}"),
            hoist=purpose == "admin",
            colour=0x2E7D6B if purpose == "admin" else 0x5B8DB8,
            aliases=_aliases(f"network.setup.role.{purpose}"),
        )
        for purpose in ROLE_PURPOSES
    )
    return Structure(tuple(channels), roles)


def required_permissions(structure: Structure) -> frozenset[str]:
    """What the bot needs on the server to build `structure` (discord.py permission names)."""
    needed = {"manage_channels", "manage_roles", "view_channel"}
    for channel in structure.channels:
        for ow in channel.overwrites:
            needed |= ow.allow | ow.deny
    return frozenset(needed)


# --- the server as it is ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExistingTag:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class ExistingChannel:
    id: int
    name: str
    kind: ChannelKind
    parent_id: int | None = None
    tags: tuple[ExistingTag, ...] = ()
    overwrite_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class ExistingRole:
    id: int
    name: str
    assignable: bool = True  # False: @everyone, managed roles (bots, boosts)
    safe: bool = True  # False: grants more than members need, or lies above the bot


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A server as setup sees it, and what the bot remembers of it."""

    guild_id: int
    bot_user_id: int
    channels: tuple[ExistingChannel, ...]
    roles: tuple[ExistingRole, ...]
    remembered_channels: Mapping[str, int] = field(default_factory=dict)
    remembered_roles: Mapping[str, int] = field(default_factory=dict)
    remembered_tags: Mapping[tuple[str, str], int] = field(default_factory=dict)


# --- the plan -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoleStep:
    role: DesiredRole
    action: Action
    existing: ExistingRole | None = None
    # A role with the right name that is not adopted because it is not safe to hand out.
    passed_over: ExistingRole | None = None


@dataclass(frozen=True, slots=True)
class TagStep:
    tag: DesiredTag
    action: Action
    existing: ExistingTag | None = None


@dataclass(frozen=True, slots=True)
class ChannelStep:
    channel: DesiredChannel
    action: Action
    existing: ExistingChannel | None = None
    tags: tuple[TagStep, ...] = ()
    overwrites_to_add: tuple[OverwriteSpec, ...] = ()  # on kept/adopted channels
    tags_over_limit: tuple[DesiredTag, ...] = ()  # would exceed Discord's 20 tags

    @property
    def tags_to_create(self) -> tuple[DesiredTag, ...]:
        return tuple(s.tag for s in self.tags if s.action == "create")


@dataclass(frozen=True, slots=True)
class Plan:
    roles: tuple[RoleStep, ...]
    channels: tuple[ChannelStep, ...]

    def count(self, action: Action) -> int:
        steps: tuple[RoleStep | ChannelStep, ...] = (*self.roles, *self.channels)
        return sum(step.action == action for step in steps)

    @property
    def tags_to_create(self) -> int:
        return sum(len(s.tags_to_create) for s in self.channels)

    @property
    def overwrites_to_add(self) -> int:
        return sum(len(s.overwrites_to_add) for s in self.channels)

    @property
    def changes_anything(self) -> bool:
        """Whether applying would create, adopt or add anything (a repeat run does not)."""
        return bool(
            self.count("create")
            or self.count("adopt")
            or self.tags_to_create
            or self.overwrites_to_add
            or any(s.action != "keep" for c in self.channels for s in c.tags)
        )

    def channel(self, purpose: str) -> ChannelStep:
        return next(s for s in self.channels if s.channel.purpose == purpose)

    def role(self, purpose: str) -> RoleStep:
        return next(s for s in self.roles if s.role.purpose == purpose)


def make_plan(structure: Structure, snapshot: Snapshot) -> Plan:
    """How to get from `snapshot` to `structure` without deleting or changing anything."""
    role_steps = _plan_roles(structure.roles, snapshot)
    role_ids = {s.role.purpose: s.existing.id for s in role_steps if s.existing is not None}
    target_ids: dict[Target, int | None] = {
        "everyone": snapshot.guild_id,
        "bot": snapshot.bot_user_id,
        "member": role_ids.get("member"),
        "admin": role_ids.get("admin"),
    }
    claimed: set[int] = set()
    steps: list[ChannelStep] = []
    category_id: int | None = None
    for desired in structure.channels:
        action, existing = _match_channel(desired, snapshot, claimed, category_id)
        if existing is None:
            steps.append(ChannelStep(desired, "create", tags=_create_tags(desired)))
            continue
        claimed.add(existing.id)
        if desired.purpose == "category":
            category_id = existing.id
        tags, over = _plan_tags(desired, existing, snapshot)
        missing = tuple(
            ow
            for ow in desired.overwrites
            if target_ids[ow.target] is None or target_ids[ow.target] not in existing.overwrite_ids
        )
        steps.append(ChannelStep(desired, action, existing, tags, missing, over))
    return Plan(tuple(role_steps), tuple(steps))


def _plan_roles(roles: Iterable[DesiredRole], snapshot: Snapshot) -> list[RoleStep]:
    by_id = {r.id: r for r in snapshot.roles if r.assignable}
    claimed: set[int] = set()
    steps: list[RoleStep] = []
    for desired in roles:
        remembered = by_id.get(snapshot.remembered_roles.get(desired.purpose, 0))
        if remembered is not None and remembered.id not in claimed:
            claimed.add(remembered.id)
            steps.append(RoleStep(desired, "keep", remembered))
            continue
        same_name = [
            r for r in by_id.values() if r.id not in claimed and name_key(r.name) in desired.aliases
        ]
        named = next((r for r in same_name if r.safe), None)
        if named is not None:
            claimed.add(named.id)
            steps.append(RoleStep(desired, "adopt", named))
        else:
            # A role of that name that grants too much (or that the bot cannot give) is never
            # adopted: the network gets a role of its own, and the plan says why.
            steps.append(RoleStep(desired, "create", passed_over=next(iter(same_name), None)))
    return steps


def _match_channel(
    desired: DesiredChannel, snapshot: Snapshot, claimed: set[int], category_id: int | None
) -> tuple[Action, ExistingChannel | None]:
    candidates = [c for c in snapshot.channels if c.kind == desired.kind and c.id not in claimed]
    remembered_id = snapshot.remembered_channels.get(desired.purpose)
    for channel in candidates:
        if channel.id == remembered_id:
            return "keep", channel
    named = [c for c in candidates if name_key(c.name) in desired.aliases]
    # A channel of that name inside the network's category wins over one elsewhere.
    named.sort(key=lambda c: (category_id is None or c.parent_id != category_id, c.id))
    if named:
        return "adopt", named[0]
    return "create", None


def _create_tags(desired: DesiredChannel) -> tuple[TagStep, ...]:
    return tuple(TagStep(tag, "create") for tag in desired.tags[:MAX_FORUM_TAGS])


def _plan_tags(
    desired: DesiredChannel, existing: ExistingChannel, snapshot: Snapshot
) -> tuple[tuple[TagStep, ...], tuple[DesiredTag, ...]]:
    if desired.kind != "forum":
        return (), ()
    by_id = {tag.id: tag for tag in existing.tags}
    claimed: set[int] = set()
    steps: list[TagStep] = []
    over: list[DesiredTag] = []
    room = MAX_FORUM_TAGS - len(existing.tags)
    for tag in desired.tags:
        remembered = by_id.get(snapshot.remembered_tags.get((desired.purpose, tag.key), 0))
        if remembered is not None and remembered.id not in claimed:
            claimed.add(remembered.id)
            steps.append(TagStep(tag, "keep", remembered))
            continue
        named = next(
            (x for x in existing.tags if x.id not in claimed and name_key(x.name) in tag.aliases),
            None,
        )
        if named is not None:
            claimed.add(named.id)
            steps.append(TagStep(tag, "adopt", named))
        elif room > 0:
            room -= 1
            steps.append(TagStep(tag, "create"))
        else:
            over.append(tag)
    return tuple(steps), tuple(over)
