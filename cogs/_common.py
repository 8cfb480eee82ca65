"""Helpers shared by cogs (not an extension: the leading underscore keeps it from loading)."""

from __future__ import annotations

import logging
import weakref
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot import ui
from bot.errors import InvalidInput, UserError
from bot.funnel import lang_for
from bot.i18n import Lang, t
from bot.permissions import RoleProblem, describe_role_problems, role_problems
from bot.services import municipalities, network, networks, privacy

T = TypeVar("T")
log = logging.getLogger(__name__)

EMBED_COLOUR = discord.Colour(0x2E7D6B)

# Discord's limits (embeds and choices), in one place for the cogs.
MAX_CHOICES = 25
CHOICE_NAME_LIMIT = 100
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELD_VALUE_LIMIT = 1024
EMBED_TITLE_LIMIT = 256


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with an ellipsis when something was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def municipality_label(municipality: municipalities.Municipality, lang: Lang) -> str:
    """ "Halmstad (Hallands län)" in Swedish, "Halmstad (Halland County)" in English."""
    county = municipalities.County(municipality.county_code, municipality.county)
    county_name = county.name if lang == "sv" else municipalities.county_name_en(county)
    return f"{municipality.name} ({county_name})"


async def municipality_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Autocomplete for a municipality option: value is the four-digit SCB code.

    Fuzzy and ASCII-tolerant ("Soderhamn", "goteborg", "Halmstads kommun", "varbreg") through
    `municipalities.search`; names are Swedish, with the county in the user's language.
    """
    lang = lang_for(interaction)
    return [
        app_commands.Choice(
            name=shorten(municipality_label(m, lang), CHOICE_NAME_LIMIT), value=m.code
        )
        for m in municipalities.search(current, limit=MAX_CHOICES)
    ]


def paginate_lines(lines: list[str], limit: int = EMBED_DESCRIPTION_LIMIT) -> list[str]:
    """Join lines into pages of at most `limit` characters; an over-long line is shortened."""
    pages: list[str] = []
    page = ""
    for line in lines:
        line = shorten(line, limit)
        candidate = f"{page}\n{line}" if page else line
        if len(candidate) > limit:
            pages.append(page)
            page = line
        else:
            page = candidate
    if page or not pages:
        pages.append(page)
    return pages


class Pager(ui.View):
    """Previous/Next over a list of embeds, for the person who asked (the reply is theirs)."""

    def __init__(self, pages: list[discord.Embed], user_id: int, lang: Lang) -> None:
        super().__init__(timeout=600)
        self.pages = pages
        self.user_id = user_id
        self.index = 0
        self.previous.label = t(lang, "pager.previous")
        self.next.label = t(lang, "pager.next")
        self._show_page(lang)

    @property
    def current(self) -> discord.Embed:
        return self.pages[self.index]

    def _show_page(self, lang: Lang) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index == len(self.pages) - 1
        self.current.set_footer(
            text=t(lang, "pager.page", page=self.index + 1, pages=len(self.pages))
        )

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id != self.user_id:
            raise UserError("errors.not_yours")
        return True

    async def _turn(self, interaction: discord.Interaction[Any], step: int) -> None:
        self.index = max(0, min(len(self.pages) - 1, self.index + step))
        self._show_page(lang_for(interaction))
        await interaction.response.edit_message(embed=self.current, view=self)

    @discord.ui.button(label="◀", style=discord.ButtonStyle.secondary)
    async def previous(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="▶", style=discord.ButtonStyle.secondary)
    async def next(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        await self._turn(interaction, 1)


def usable_role(interaction: discord.Interaction[Any], field: str, role: discord.Role) -> int:
    """The id of a role an admin chose as the network's member or admin role, or InvalidInput
    saying why it cannot be (too many permissions, above the chooser or the bot, or a role the
    chooser could not give themselves)."""
    guild = role.guild
    invoker = interaction.user
    if not isinstance(invoker, discord.Member):
        raise UserError("errors.guild_only")
    if role.is_default() or role.managed:
        raise UserError("network.settings.role_not_assignable", role=role.name)
    problems = role_problems(role, guild.me, invoker)
    if problems:
        lang = lang_for(interaction)
        raise InvalidInput(
            field,
            "security.role.refused",
            problems=describe_role_problems(lang, role.name, problems),
        )
    return role.id


async def give_member_role(bot: Any, guild: discord.Guild, member: discord.Member | None) -> str:
    """Give the network's member role to someone who picked an organisation (at onboarding or in
    their profile); returns how it went, as a catalogue key suffix under `onboarding.role.`.

    The role is checked again now (`bot.permissions.role_problems`): its permissions or position
    may have changed since it was chosen. A role that is not safe to give is not given — "refused"
    when it grants more than members need, "failed" when the bot cannot give it — and the
    network's admins are told by DM.
    """
    settings = await network.get(bot.db, guild.id)
    role = guild.get_role(settings.member_role_id) if settings.member_role_id else None
    if role is None or member is None:
        log.info("guild %s has no member role (setup has not run): none given", guild.id)
        return "no_role"
    if any(r.id == role.id for r in member.roles):
        return "already"
    problems = role_problems(role, guild.me)
    if problems:
        log.warning(
            "guild %s: member role %s not given (%s)",
            guild.id,
            role.id,
            ", ".join(p.key for p in problems),
        )
        await tell_admins_role_refused(bot, guild, settings, role, problems)
        # The member hears what it means for them: a role that grants too much is refused; a
        # role the bot cannot give (above it, or no Manage Roles) is a missing permission.
        excess = any(p.key == "security.role.permissions" for p in problems)
        return "refused" if excess else "failed"
    try:
        await member.add_roles(role, reason="Krokarm: picked an organisation")
    except discord.Forbidden:
        log.warning("cannot give the member role in guild %s: missing permission", guild.id)
        return "failed"
    return "given"


# Which unsafe states of a member role the admins were told about, per bot: told once for each
# state (the role's permissions and position), not once per newcomer.
_TOLD: weakref.WeakKeyDictionary[Any, set[tuple[int, int, int, int]]] = weakref.WeakKeyDictionary()
MAX_ADMIN_DMS = 10


def network_admins(guild: discord.Guild, admin_role_id: int | None) -> list[discord.Member]:
    """Who is told about the network's problems: the owner, then holders of the admin role."""
    found: dict[int, discord.Member] = {}
    owner = guild.get_member(guild.owner_id) if guild.owner_id else None
    if owner is not None and not owner.bot:
        found[owner.id] = owner
    role = guild.get_role(admin_role_id) if admin_role_id else None
    for m in role.members if role is not None else ():
        if not m.bot:
            found.setdefault(m.id, m)
    return list(found.values())[:MAX_ADMIN_DMS]


async def tell_admins_role_refused(
    bot: Any,
    guild: discord.Guild,
    settings: network.NetworkSettings,
    role: discord.Role,
    problems: list[RoleProblem],
) -> None:
    """DM the network's admins that the member role was not given, and why.

    DMs rather than a channel: every member reads the network's channels, and a message there
    would tell all of them which role grants too much; only the owner and the network's admins
    can (and must) fix it.
    """
    state = (guild.id, role.id, role.permissions.value, role.position)
    told = _TOLD.setdefault(bot, set())
    if state in told:
        return
    told.add(state)
    lang = settings.lang
    text = t(
        lang,
        "security.admins.member_role_refused",
        network=discord.utils.escape_markdown(settings.name),
        problems=describe_role_problems(lang, role.name, problems),
    )
    reached = 0
    for admin in network_admins(guild, settings.admin_role_id):
        try:
            await admin.send(shorten(text, 2000), allowed_mentions=discord.AllowedMentions.none())
            reached += 1
        except discord.HTTPException:
            continue  # DMs closed: the others are still told
    if not reached:
        log.warning("guild %s: no admin could be told that the member role is unsafe", guild.id)


async def privacy_notice(bot: Any, guild_id: int, network_name: str, lang: Lang) -> str:
    """The notice members see: the network's own text, or the default one in `lang` with the
    network's name and retention periods filled in."""
    custom = await privacy.custom_notice(bot.db, guild_id)
    return custom or await default_privacy_notice(bot, guild_id, network_name, lang)


async def default_privacy_notice(bot: Any, guild_id: int, network_name: str, lang: Lang) -> str:
    """The built-in notice (controller, purpose, legal basis, retention, recipients, rights)."""
    grace, confirm = await privacy.network_periods(bot.db, guild_id)
    return t(
        lang,
        "privacy.notice.default",
        network=network_name,
        grace_days=grace,
        confirm_days=confirm,
        removal_days=await networks.removal_grace_days(bot.db, guild_id),
    )
