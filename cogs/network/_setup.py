"""`/network setup`: read the server, show the plan, apply it on Confirm.

The server is read over REST when the plan is made and again when it is applied (under a lock
per guild), so the plan applied is always the one that fits the server at that moment, and two
Confirms at once cannot build things twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord

from bot.embeds import fit
from bot.errors import UserError
from bot.i18n import Lang, t, tn
from bot.permissions import describe_role_problems, role_problems
from bot.services import network
from bot.services.setup_plan import (
    ChannelKind,
    ChannelStep,
    ExistingChannel,
    ExistingRole,
    ExistingTag,
    OverwriteSpec,
    Plan,
    Snapshot,
    desired_structure,
    make_plan,
    required_permissions,
)
from cogs._common import EMBED_COLOUR, shorten

if TYPE_CHECKING:
    from bot.bot import Krokarm

log = logging.getLogger(__name__)

_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)


def missing_permissions(guild: discord.Guild, lang: Lang) -> list[str]:
    """The permissions setup needs that the bot lacks on `guild`, in Discord's order."""
    have = guild.me.guild_permissions
    if have.administrator:
        return []
    needed = required_permissions(desired_structure(lang, guild.name))
    return [
        name for name, _ in discord.Permissions.all() if name in needed and not getattr(have, name)
    ]


def require_permissions(guild: discord.Guild, lang: Lang) -> None:
    missing = missing_permissions(guild, lang)
    if missing:
        names = ", ".join(t(lang, f"permission.{name}") for name in missing)
        raise UserError("network.setup.missing_permissions", permissions=names)


def _kind(channel: discord.abc.GuildChannel) -> ChannelKind:
    if isinstance(channel, discord.CategoryChannel):
        return "category"
    if isinstance(channel, discord.ForumChannel):
        return "forum"
    if isinstance(channel, discord.VoiceChannel):
        return "voice"
    if isinstance(channel, discord.TextChannel):
        return "text"
    return "other"


async def read_snapshot(
    guild: discord.Guild, settings: network.NetworkSettings
) -> tuple[Snapshot, dict[int, discord.abc.GuildChannel], dict[int, discord.Role]]:
    """The server as it is now (over REST), as plain data plus the objects by id."""
    channels: dict[int, discord.abc.GuildChannel] = {c.id: c for c in await guild.fetch_channels()}
    roles = {r.id: r for r in await guild.fetch_roles()}
    snapshot = Snapshot(
        guild_id=guild.id,
        bot_user_id=guild.me.id,
        channels=tuple(
            ExistingChannel(
                id=c.id,
                name=c.name,
                kind=_kind(c),
                parent_id=c.category_id,
                tags=tuple(
                    ExistingTag(tag.id, tag.name)
                    for tag in (c.available_tags if isinstance(c, discord.ForumChannel) else ())
                ),
                overwrite_ids=frozenset(target.id for target in c.overwrites),
            )
            for c in channels.values()
        ),
        roles=tuple(
            ExistingRole(
                r.id,
                r.name,
                assignable=not (r.is_default() or r.managed),
                safe=not role_problems(r, guild.me),
            )
            for r in roles.values()
        ),
        remembered_channels=settings.channels,
        remembered_roles={
            purpose: role_id
            for purpose in network.ROLE_PURPOSES
            if (role_id := settings.role_id(purpose)) is not None
        },
        remembered_tags=settings.forum_tags,
    )
    return snapshot, channels, roles


async def current_plan(guild: discord.Guild, settings: network.NetworkSettings) -> Plan:
    snapshot, _, _ = await read_snapshot(guild, settings)
    return make_plan(desired_structure(settings.lang, settings.name), snapshot)


# --- rendering ----------------------------------------------------------------------------------


def _step_line(lang: Lang, step: ChannelStep, verbs: str) -> str:
    desired = step.channel
    name = desired.name if step.existing is None else step.existing.name
    prefix = "#" if desired.kind in ("text", "forum") else ""
    line = t(
        lang,
        f"{verbs}.{step.action}",
        what=t(lang, f"network.setup.kind.{desired.kind}"),
        name=f"{prefix}{name}",
    )
    extras: list[str] = []
    if step.tags_to_create:
        extras.append(
            t(
                lang,
                "network.setup.line.tags",
                tags=", ".join(tag.name for tag in step.tags_to_create),
            )
        )
    if step.action != "create" and step.overwrites_to_add:
        extras.append(tn(lang, "network.setup.line.missing", len(step.overwrites_to_add)))
    if step.tags_over_limit:
        extras.append(tn(lang, "network.setup.line.no_room", len(step.tags_over_limit)))
    if desired.purpose != "category":
        extras.append(t(lang, f"network.setup.access.{desired.purpose}"))
    return "\n".join([line, *(f"  ↳ {e}" for e in extras)])


def _passed_over(lang: Lang, guild: discord.Guild | None, role: ExistingRole) -> str:
    """Why a role of the right name was not adopted (its problems, when the server is known)."""
    found = guild.get_role(role.id) if guild is not None else None
    problems = role_problems(found, guild.me) if found is not None and guild is not None else []
    return t(
        lang,
        "network.setup.role_passed_over",
        name=discord.utils.escape_markdown(role.name),
        problems=describe_role_problems(lang, role.name, problems) if problems else "",
    ).strip()


def plan_embed(
    lang: Lang, plan: Plan, *, report: bool = False, guild: discord.Guild | None = None
) -> discord.Embed:
    """The plan, or after applying the report: what is (was) created, adopted and kept."""
    if report:
        title = "report.title" if plan.changes_anything else "report.nothing"
    else:
        title = "plan.title" if plan.changes_anything else "plan.nothing"
    verbs = "network.setup.did" if report else "network.setup.line"
    embed = discord.Embed(title=t(lang, f"network.setup.{title}"), colour=EMBED_COLOUR)
    embed.description = t(
        lang,
        "network.setup.report.summary" if report else "network.setup.plan.summary",
        create=plan.count("create"),
        adopt=plan.count("adopt"),
        keep=plan.count("keep"),
    )
    role_lines = [
        t(
            lang,
            f"{verbs}.{s.action}",
            what=t(lang, "network.setup.kind.role"),
            name=s.existing.name if s.existing else s.role.name,
        )
        + f"\n  ↳ {t(lang, f'network.setup.role_does.{s.role.purpose}')}"
        + (f"\n  ⚠ {_passed_over(lang, guild, s.passed_over)}" if s.passed_over else "")
        for s in plan.roles
    ]
    embed.add_field(
        name=t(lang, "network.setup.plan.roles"),
        value=shorten("\n".join(role_lines), 1024),
        inline=False,
    )
    lines = [_step_line(lang, s, verbs) for s in plan.channels]
    # Several fields, each within Discord's 1024 characters.
    chunk: list[str] = []
    for line in lines:
        if sum(len(x) + 1 for x in chunk) + len(line) > 1000:
            embed.add_field(name="\u200b", value="\n".join(chunk), inline=False)
            chunk = []
        chunk.append(shorten(line, 1000))
    if chunk:
        embed.add_field(
            name=t(lang, "network.setup.plan.channels"), value="\n".join(chunk), inline=False
        )
    embed.set_footer(text=t(lang, "network.setup.plan.footer"))
    return fit(embed)


# --- applying -----------------------------------------------------------------------------------


@dataclass
class Applied:
    """What one apply did, remembered as it goes so a failure half-way loses nothing."""

    channels: dict[str, int] = field(default_factory=dict)
    roles: dict[str, int] = field(default_factory=dict)
    tags: dict[tuple[str, str], int] = field(default_factory=dict)


_OVERWRITE_ORDER = {"bot": 0, "admin": 1, "member": 2, "everyone": 3}


def _overwrite(spec: OverwriteSpec) -> discord.PermissionOverwrite:
    values: dict[str, bool | None] = dict.fromkeys(spec.allow, True)
    values.update(dict.fromkeys(spec.deny, False))
    return discord.PermissionOverwrite(**values)


async def apply(bot: Krokarm, guild: discord.Guild, lang: Lang) -> tuple[Plan, bool]:
    """Build what the server lacks; returns the plan applied and whether it was the first setup.

    Runs under the guild's lock and re-reads the server, so a second Confirm finds nothing to do.
    """
    async with _locks[guild.id]:
        settings = await network.get(bot.db, guild.id)
        require_permissions(guild, lang)
        snapshot, channels, roles = await read_snapshot(guild, settings)
        plan = make_plan(desired_structure(settings.lang, settings.name), snapshot)
        done = Applied()
        finished = False
        try:
            await _apply(guild, plan, channels, roles, done)
            finished = True
        except discord.Forbidden as exc:
            # E.g. a role moved above the bot's, or permissions taken away half-way.
            log.warning("setup in guild %s stopped: %s", guild.id, exc)
            raise UserError("network.setup.forbidden") from exc
        finally:
            await network.record_setup(
                bot.db,
                guild.id,
                channels=done.channels,
                roles=done.roles,
                tags=done.tags,
                when=bot.clock.now() if finished else None,
            )
        return plan, settings.set_up_at is None


async def _apply(
    guild: discord.Guild,
    plan: Plan,
    channels: dict[int, discord.abc.GuildChannel],
    roles: dict[int, discord.Role],
    done: Applied,
) -> None:
    reason = "Krokarm /network setup"
    targets: dict[str, discord.Role | discord.Member] = {
        "everyone": guild.default_role,
        "bot": guild.me,
    }
    for role_step in plan.roles:
        if role_step.existing is not None:
            role = roles[role_step.existing.id]
        else:
            role = await guild.create_role(
                name=role_step.role.name,
                permissions=discord.Permissions.none(),
                colour=discord.Colour(role_step.role.colour),
                hoist=role_step.role.hoist,
                # The meeting reminders ping the member role on purpose; Discord notifies a
                # role the bot mentions only when the role is mentionable.
                mentionable=role_step.role.purpose == "member",
                reason=reason,
            )
        targets[role_step.role.purpose] = role
        done.roles[role_step.role.purpose] = role.id

    category: discord.CategoryChannel | None = None
    for step in plan.channels:
        desired = step.channel
        overwrites = {targets[ow.target]: _overwrite(ow) for ow in desired.overwrites}
        channel: discord.abc.GuildChannel
        if step.existing is None:
            channel = await _create(guild, step, category, overwrites, reason)
        else:
            channel = channels[step.existing.id]
            # The bot's own overwrite first and @everyone's last: Discord only lets the bot grant
            # what it holds in the channel at that moment.
            for ow in sorted(step.overwrites_to_add, key=lambda o: _OVERWRITE_ORDER[o.target]):
                await channel.set_permissions(
                    targets[ow.target], overwrite=_overwrite(ow), reason=reason
                )
            if step.tags_to_create and isinstance(channel, discord.ForumChannel):
                new_tags = [discord.ForumTag(name=tag.name) for tag in step.tags_to_create]
                edited = await channel.edit(
                    available_tags=[*channel.available_tags, *new_tags], reason=reason
                )
                channel = edited or channel
        done.channels[desired.purpose] = channel.id
        if isinstance(channel, discord.CategoryChannel):
            category = channel
        if isinstance(channel, discord.ForumChannel):
            _remember_tags(step, channel, done)


async def _create(
    guild: discord.Guild,
    step: ChannelStep,
    category: discord.CategoryChannel | None,
    overwrites: dict[Any, discord.PermissionOverwrite],
    reason: str,
) -> discord.abc.GuildChannel:
    desired = step.channel
    if desired.kind == "category":
        return await guild.create_category(desired.name, overwrites=overwrites, reason=reason)
    if desired.kind == "forum":
        return await guild.create_forum(
            desired.name,
            category=category,
            overwrites=overwrites,
            topic=desired.topic or "",
            available_tags=[discord.ForumTag(name=tag.name) for tag in step.tags_to_create],
            reason=reason,
        )
    if desired.kind == "voice":
        return await guild.create_voice_channel(
            desired.name, category=category, overwrites=overwrites, reason=reason
        )
    return await guild.create_text_channel(
        desired.name,
        category=category,
        overwrites=overwrites,
        topic=desired.topic or "",
        reason=reason,
    )


def _remember_tags(step: ChannelStep, forum: discord.ForumChannel, done: Applied) -> None:
    """Tag ids by key: kept and adopted ones from the plan, created ones by name."""
    by_name = {tag.name: tag.id for tag in forum.available_tags}
    for tag_step in step.tags:
        if tag_step.existing is not None:
            tag_id: int | None = tag_step.existing.id
        else:
            tag_id = by_name.get(tag_step.tag.name)
        if tag_id is not None:
            done.tags[(step.channel.purpose, tag_step.tag.key)] = tag_id
