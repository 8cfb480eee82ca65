"""The permissions Krokarm needs on a server — the invite URL asks for exactly these."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.i18n import Lang, has, t

REQUIRED = discord.Permissions(
    view_channel=True,  # see the channels it posts in
    send_messages=True,  # greetings, meeting announcements, reminders
    send_messages_in_threads=True,  # discussion in practice and question forum posts
    create_public_threads=True,  # a forum post per practice
    manage_threads=True,  # tags on forum posts, closing answered questions
    embed_links=True,  # replies are embeds
    attach_files=True,  # exports, calendar files, /privacy mydata
    read_message_history=True,  # refresh its own messages with buttons
    manage_channels=True,  # /network setup builds channels and forums
    manage_roles=True,  # the network's admin and member roles
    manage_events=True,  # scheduled events for network meetings
    create_events=True,
)


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(
        application_id, permissions=REQUIRED, scopes=("bot", "applications.commands")
    )


# --- roles the bot hands out -------------------------------------------------------------------

# Everything a member of the network's chat space needs, and nothing more: what Discord gives
# @everyone in a new server. A role the bot gives out (the member role) or that makes someone a
# network admin must carry nothing beyond this — no Administrator, no Manage *, no Kick/Ban, no
# Mention @everyone, no moderation — or a network admin could make the bot hand out power they do
# not have themselves. An allow-list, so that permissions Discord adds later are refused too.
MEMBER_PERMISSIONS = discord.Permissions(
    create_instant_invite=True,
    add_reactions=True,
    stream=True,
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    external_emojis=True,
    external_stickers=True,
    connect=True,
    speak=True,
    use_voice_activation=True,
    change_nickname=True,
    use_application_commands=True,
    request_to_speak=True,
    create_public_threads=True,
    create_private_threads=True,
    send_messages_in_threads=True,
    use_embedded_activities=True,
    use_soundboard=True,
    use_external_sounds=True,
    send_voice_messages=True,
    send_polls=True,
    use_external_apps=True,
)

# discord.py's canonical name for a flag where the catalogue uses Discord's API name.
_CATALOGUE_NAME = {"read_messages": "view_channel"}


def excess_permissions(permissions: discord.Permissions) -> list[str]:
    """The permissions beyond `MEMBER_PERMISSIONS` (catalogue names, in Discord's bit order);
    a bit discord.py does not know yet is named ``bit<N>``."""
    extra = permissions.value & ~MEMBER_PERMISSIONS.value
    names: list[str] = []
    known = 0
    for name, value in discord.Permissions(extra):
        flag = discord.Permissions.VALID_FLAGS[name]
        known |= flag
        if value:
            names.append(_CATALOGUE_NAME.get(name, name))
    unknown = extra & ~known
    names.extend(f"bit{bit}" for bit in range(unknown.bit_length()) if unknown >> bit & 1)
    return names


@dataclass(frozen=True, slots=True)
class RoleProblem:
    """Why a role may not be used: `key` names the catalogue text; the rest fills it in."""

    key: str
    permissions: tuple[str, ...] = ()
    other_role: str = ""


def role_problems(
    role: discord.Role, me: discord.Member, invoker: discord.Member | None = None
) -> list[RoleProblem]:
    """Everything that forbids the bot from using `role` as a member or admin role.

    The role must grant nothing beyond what members need, lie below the bot's top role (Discord's
    rule for giving a role: Manage Roles and a higher top role; the owner is above everyone), and,
    when `invoker` chooses it, be a role the invoker could give themselves by the same rules.
    """
    guild = role.guild
    if role.is_default() or role.managed:
        return [RoleProblem("network.settings.role_not_assignable")]
    problems: list[RoleProblem] = []
    extra = excess_permissions(role.permissions)
    if extra:
        problems.append(RoleProblem("security.role.permissions", permissions=tuple(extra)))
    if invoker is not None and invoker.id != guild.owner_id:
        if not invoker.guild_permissions.manage_roles:
            problems.append(RoleProblem("security.role.invoker_cannot_assign"))
        elif not role < invoker.top_role:
            problems.append(
                RoleProblem("security.role.above_invoker", other_role=invoker.top_role.name)
            )
    if me.id != guild.owner_id:
        if not me.guild_permissions.manage_roles:
            problems.append(RoleProblem("security.role.bot_cannot_assign"))
        elif not role < me.top_role:
            problems.append(RoleProblem("security.role.above_bot", other_role=me.top_role.name))
    return problems


def permission_names(lang: Lang, names: tuple[str, ...] | list[str]) -> str:
    """Permission names as Discord shows them in `lang`, comma-separated."""
    shown = []
    for name in names:
        if name.startswith("bit"):
            shown.append(t(lang, "security.permission.unknown", bit=name[3:]))
        elif has(lang, f"permission.{name}"):
            shown.append(t(lang, f"permission.{name}"))
        else:
            shown.append(name)
    return ", ".join(shown)


def describe_role_problems(lang: Lang, role_name: str, problems: list[RoleProblem]) -> str:
    """One line per problem, each naming the role (markdown in its name shown as typed)."""
    role = discord.utils.escape_mentions(discord.utils.escape_markdown(role_name))
    lines = []
    for p in problems:
        other = discord.utils.escape_mentions(discord.utils.escape_markdown(p.other_role))
        lines.append(
            t(
                lang,
                p.key,
                role=role,
                permissions=permission_names(lang, p.permissions),
                other_role=other,
                manage_roles=t(lang, "permission.manage_roles"),
            )
        )
    return "\n".join(lines)
