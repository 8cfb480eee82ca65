"""Serialisers from sandbox entities to Discord's documented JSON payloads."""

from __future__ import annotations

from typing import Any

from .state import (
    Attachment,
    Channel,
    ChannelType,
    Guild,
    Member,
    Message,
    Role,
    ScheduledEvent,
    User,
    iso,
)


def user(u: User) -> dict[str, Any]:
    """User object."""
    out: dict[str, Any] = {
        "id": str(u.id),
        "username": u.username,
        "discriminator": "0",
        "global_name": u.global_name,
        "avatar": u.avatar,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
        "collectibles": None,
        "primary_guild": None,
    }
    if u.bot:
        out["bot"] = True
        out["global_name"] = None
    return out


def me(u: User) -> dict[str, Any]:
    """The current user, as GET /users/@me returns it."""
    out = user(u)
    out.update(
        {
            "mfa_enabled": False,
            "locale": u.locale,
            "verified": True,
            "email": None,
            "premium_type": 0,
            "bio": "",
        }
    )
    return out


def role(r: Role) -> dict[str, Any]:
    """Role object."""
    out: dict[str, Any] = {
        "id": str(r.id),
        "name": r.name,
        "color": r.color,
        "colors": {"primary_color": r.color, "secondary_color": None, "tertiary_color": None},
        "hoist": r.hoist,
        "icon": r.icon,
        "unicode_emoji": r.unicode_emoji,
        "position": r.position,
        "permissions": str(r.permissions),
        "managed": r.managed,
        "mentionable": r.mentionable,
        "flags": r.flags,
        "description": None,
    }
    if r.bot_id is not None:
        out["tags"] = {"bot_id": str(r.bot_id)}
    return out


def member(m: Member, *, with_user: bool = True) -> dict[str, Any]:
    """Guild member object."""
    out: dict[str, Any] = {
        "nick": m.nick,
        "avatar": None,
        "banner": None,
        "roles": [str(r) for r in m.roles],
        "joined_at": iso(m.joined_at),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": (
            iso(m.communication_disabled_until) if m.communication_disabled_until else None
        ),
        "avatar_decoration_data": None,
    }
    if with_user:
        out["user"] = user(m.user)
    return out


def overwrite(ow: Any) -> dict[str, Any]:
    """Permission overwrite object."""
    return {"id": str(ow.id), "type": ow.type, "allow": str(ow.allow), "deny": str(ow.deny)}


def thread_metadata(c: Channel) -> dict[str, Any]:
    """thread_metadata for a thread channel."""
    return {
        "archived": c.archived,
        "auto_archive_duration": c.auto_archive_duration,
        "archive_timestamp": iso(c.archive_timestamp or c.create_timestamp or _created(c)),
        "locked": c.locked,
        "invitable": c.invitable,
        "create_timestamp": iso(c.create_timestamp or _created(c)),
    }


def _created(c: Channel) -> Any:
    from .state import snowflake_time

    return snowflake_time(c.id)


def channel(c: Channel) -> dict[str, Any]:
    """Channel object for any channel type."""
    out: dict[str, Any] = {
        "id": str(c.id),
        "type": c.type,
        "flags": c.flags,
        "last_message_id": str(c.last_message_id) if c.last_message_id else None,
    }
    if c.type == ChannelType.DM:
        out["recipients"] = [user(u) for u in c.recipients]
        return out
    out.update(
        {
            "guild_id": str(c.guild_id) if c.guild_id else None,
            "name": c.name,
            "parent_id": str(c.parent_id) if c.parent_id else None,
            "rate_limit_per_user": c.rate_limit_per_user,
        }
    )
    if c.is_thread:
        out.update(
            {
                "owner_id": str(c.owner_id) if c.owner_id else None,
                "thread_metadata": thread_metadata(c),
                "message_count": c.message_count,
                "member_count": len(c.member_ids),
                "total_message_sent": c.total_message_sent,
                "applied_tags": [str(t) for t in c.applied_tags],
            }
        )
        return out
    out.update(
        {
            "position": c.position,
            "permission_overwrites": [overwrite(o) for o in c.overwrites.values()],
            "nsfw": c.nsfw,
        }
    )
    if c.type in (ChannelType.GUILD_TEXT, ChannelType.GUILD_ANNOUNCEMENT, 15, 16):
        out["topic"] = c.topic
        out["default_auto_archive_duration"] = c.default_auto_archive_duration
        out["default_thread_rate_limit_per_user"] = c.default_thread_rate_limit_per_user or 0
    if c.type in (ChannelType.GUILD_VOICE, ChannelType.GUILD_STAGE_VOICE):
        out["bitrate"] = c.bitrate or 64000
        out["user_limit"] = c.user_limit or 0
        out["rtc_region"] = None
        out["video_quality_mode"] = 1
    if c.type in ChannelType.FORUM_LIKE:
        out["available_tags"] = [dict(t) for t in c.available_tags]
        out["default_reaction_emoji"] = c.default_reaction_emoji
        out["default_sort_order"] = c.default_sort_order
        out["default_forum_layout"] = c.default_forum_layout or 0
    return out


def attachment(a: Attachment) -> dict[str, Any]:
    """Attachment object."""
    out: dict[str, Any] = {
        "id": str(a.id),
        "filename": a.filename,
        "size": a.size,
        "url": a.url,
        "proxy_url": a.url,
        "content_type": a.content_type,
    }
    if a.description is not None:
        out["description"] = a.description
    if a.title is not None:
        out["title"] = a.title
    return out


def message(m: Message, *, referenced: Message | None = None, users: Any = None) -> dict[str, Any]:
    """Message object. ``users`` maps user ids to Users for the mentions array."""
    mentions = []
    for uid in m.mention_user_ids:
        u = users.get(uid) if users is not None else None
        if u is not None:
            mentions.append(user(u))
    out: dict[str, Any] = {
        "id": str(m.id),
        "channel_id": str(m.channel_id),
        "author": user(m.author),
        "content": m.content,
        "timestamp": iso(m.timestamp),
        "edited_timestamp": iso(m.edited_timestamp) if m.edited_timestamp else None,
        "tts": m.tts,
        "mention_everyone": m.mention_everyone,
        "mentions": mentions,
        "mention_roles": [str(r) for r in m.mention_role_ids],
        "attachments": [attachment(a) for a in m.attachments],
        "embeds": [dict(e) for e in m.embeds],
        "components": [dict(c) for c in m.components],
        "pinned": m.pinned,
        "type": m.type,
        "flags": m.flags,
    }
    if m.nonce is not None:
        out["nonce"] = m.nonce
    if m.webhook_id is not None:
        out["webhook_id"] = str(m.webhook_id)
    if m.application_id is not None:
        out["application_id"] = str(m.application_id)
    if m.interaction_metadata is not None:
        out["interaction_metadata"] = m.interaction_metadata
    if m.message_reference is not None:
        out["message_reference"] = m.message_reference
        out["referenced_message"] = message(referenced, users=users) if referenced else None
    if m.thread is not None:
        out["thread"] = channel(m.thread)
    if m.poll is not None:
        out["poll"] = m.poll
    if m.sticker_ids:
        out["sticker_items"] = [
            {"id": str(s), "name": "sticker", "format_type": 1} for s in m.sticker_ids
        ]
    return out


def scheduled_event(e: ScheduledEvent, creator: User | None = None) -> dict[str, Any]:
    """Guild scheduled event object."""
    out: dict[str, Any] = {
        "id": str(e.id),
        "guild_id": str(e.guild_id),
        "channel_id": str(e.channel_id) if e.channel_id else None,
        "creator_id": str(e.creator_id) if e.creator_id else None,
        "name": e.name,
        "description": e.description,
        "scheduled_start_time": iso(e.scheduled_start_time),
        "scheduled_end_time": iso(e.scheduled_end_time) if e.scheduled_end_time else None,
        "privacy_level": e.privacy_level,
        "status": e.status,
        "entity_type": e.entity_type,
        "entity_id": None,
        "entity_metadata": e.entity_metadata,
        "user_count": e.user_count,
        "image": e.image,
        "recurrence_rule": e.recurrence_rule,
    }
    if creator is not None:
        out["creator"] = user(creator)
    return out


def guild(g: Guild) -> dict[str, Any]:
    """Guild object (as GET /guilds/{id} returns it)."""
    return {
        "id": str(g.id),
        "name": g.name,
        "icon": None,
        "icon_hash": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": str(g.owner_id),
        "region": None,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "widget_enabled": False,
        "widget_channel_id": None,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "roles": [role(r) for r in g.roles],
        "emojis": [],
        "stickers": [],
        "features": list(g.features),
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": str(g.system_channel_id) if g.system_channel_id else None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "max_presences": None,
        "max_members": 500000,
        "vanity_url_code": None,
        "description": g.description,
        "banner": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": g.preferred_locale,
        "public_updates_channel_id": None,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "approximate_member_count": len(g.members_by_id),
        "approximate_presence_count": 0,
        "nsfw_level": 0,
        "nsfw": False,
        "premium_progress_bar_enabled": False,
        "safety_alerts_channel_id": None,
        "incidents_data": None,
    }


def guild_create(g: Guild, *, include_members: bool, bot_id: int) -> dict[str, Any]:
    """The GUILD_CREATE gateway payload: a guild with everything in it."""
    out = guild(g)
    out.pop("approximate_member_count")
    out.pop("approximate_presence_count")
    members = g.members if include_members else [m for m in g.members if m.user.id == bot_id]
    out.update(
        {
            "joined_at": iso(g.joined_at),
            "large": len(g.members_by_id) > 250,
            "unavailable": False,
            "member_count": len(g.members_by_id),
            "voice_states": [],
            "members": [member(m) for m in members],
            "channels": [channel(c) for c in g.channels],
            "threads": [channel(c) for c in g.threads if not c.archived],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [scheduled_event(e) for e in g.scheduled_events],
            "soundboard_sounds": [],
        }
    )
    return out
