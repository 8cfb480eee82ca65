"""Helpers shared by cogs (not an extension: the leading underscore keeps it from loading)."""

from __future__ import annotations

import logging
import re
import secrets
import weakref
from typing import Any, ClassVar, TypeVar
from urllib.parse import unquote

import discord
from discord import app_commands

from bot import pick, ui
from bot.context import Context
from bot.embeds import fit
from bot.errors import InvalidInput, UserError
from bot.funnel import lang_for
from bot.i18n import Lang, t
from bot.permissions import RoleProblem, describe_role_problems, role_problems
from bot.services import functions, municipalities, network, networks, organisations, privacy

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
    lang = Context.of(interaction).lang
    return [
        app_commands.Choice(
            name=shorten(municipality_label(m, lang), CHOICE_NAME_LIMIT), value=m.code
        )
        for m in municipalities.search(current, limit=MAX_CHOICES)
    ]


# --- options that name a row: one resolver (bot/pick.py), one kind per thing named ----------


async def _organisation_candidates(
    ctx: Context,
) -> list[pick.Candidate[organisations.Organisation]]:
    lang = ctx.lang
    found = []
    for o in await organisations.list_organisations(ctx.db, ctx.network_id):
        kind = t(lang, f"network.kind.{o.kind}")
        names: tuple[str, ...] = (o.name,)
        if o.kind == "municipality":
            names += (f"{o.name} kommun", f"{o.name}s kommun", f"{o.name} municipality")
        where = municipalities.by_code(o.municipality_code) if o.municipality_code else None
        description = (
            kind if where is None or o.kind == "municipality" else f"{kind} · {where.name}"
        )
        found.append(
            pick.Candidate(
                o.id, shorten(f"{o.name} ({kind})", CHOICE_NAME_LIMIT), names, o, description
            )
        )
    return found


async def _function_candidates(ctx: Context) -> list[pick.Candidate[functions.Function]]:
    lang = ctx.lang
    found = []
    for f in await functions.list_functions(ctx.db, ctx.network_id):
        vacant = f" ({t(lang, 'function.vacant')})" if f.vacant else ""
        label = shorten(f"{f.name} – {f.organisation_name}{vacant}", CHOICE_NAME_LIMIT)
        names = (f.name, f"{f.name} {f.organisation_name}", f"{f.organisation_name} {f.name}")
        found.append(pick.Candidate(f.id, label, names, f, shorten(f.organisation_name, 100)))
    return found


def organisation_kind(field: str, unknown: str) -> pick.Kind[organisations.Organisation]:
    """An option naming one of the network's (non-archived) organisations."""
    return pick.Kind("o", field, unknown, _organisation_candidates)


def function_kind(field: str, unknown: str) -> pick.Kind[functions.Function]:
    """An option naming one of the network's functions."""
    return pick.Kind("f", field, unknown, _function_candidates)


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


class PageButton(ui.Owned, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"$^"):
    """The one pager: ◀ and ▶ under a list that only its asker can page.

    Its state lives in the custom_id, `krokarm:pg:<kind>:<user>:<page>:<state>` (user in base
    36), so paging works after the 15 minutes of an in-memory view and after a restart: each
    press runs the list's query again for the page asked for. A feature subclasses it with its
    own `kind` (one letter or word) and template, implements `render`, and lists the subclass in
    its cog's `dynamic_items`. State that does not fit the 100 characters of a custom_id is kept
    in memory under a short key; after a restart that one answers that it has expired.
    """

    kind: ClassVar[str] = ""
    rerun: ClassVar[str] = ""  # the command that shows the list again

    def __init__(
        self,
        owner_id: int,
        page: int,
        state: str,
        *,
        label: str = "▶",
        disabled: bool = False,
    ) -> None:
        self.owner_id = owner_id
        self.page = page
        self.state = state
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=self.custom_id_for(owner_id, page, state),
                disabled=disabled,
            )
        )

    @classmethod
    def pattern(cls, kind: str) -> str:
        """The template of a pager of `kind` (for the subclass's `template=`)."""
        return rf"krokarm:pg:{kind}:(?P<user>[0-9a-z]+):(?P<page>\d{{1,6}}):(?P<state>.*)"

    @classmethod
    def custom_id_for(cls, owner_id: int, page: int, state: str) -> str:
        return f"krokarm:pg:{cls.kind}:{_base36(owner_id)}:{page}:{state}"

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PageButton:
        return cls(int(match["user"], 36), int(match["page"]), match["state"])

    @classmethod
    def pack(cls, client: Any, state: str, owner_id: int) -> str:
        """`state` as it goes into the custom_id (a memory key when it is too long)."""
        room = 100 - len(cls.custom_id_for(owner_id, 999999, ""))
        if len(state) <= room and not state.startswith("~"):
            return state
        key = "~" + secrets.token_hex(6)
        _long_states(client)[key] = state
        return key

    @classmethod
    def unpack(cls, client: Any, state: str) -> str | None:
        """The state a custom_id carries; None when it was kept by a bot that has stopped."""
        if not state.startswith("~"):
            return state
        return _long_states(client).get(state)

    @classmethod
    def buttons(
        cls, lang: Lang, owner_id: int, page: int, pages: int, state: str, client: Any
    ) -> ui.View:
        """◀ and ▶ for page `page` (from 0) of `pages`."""
        packed = cls.pack(client, state, owner_id)
        view = ui.View(timeout=None)
        view.add_item(
            cls(
                owner_id,
                max(page - 1, 0),
                packed,
                label=t(lang, "pager.previous"),
                disabled=page <= 0,
            )
        )
        view.add_item(
            cls(owner_id, page + 1, packed, label=t(lang, "pager.next"), disabled=page >= pages - 1)
        )
        return view

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        state = self.unpack(ctx.bot, self.state)
        if state is None:
            raise UserError("ui.expired.run", command=ui.command_text(ctx.lang, self.rerun))
        embed, page, pages = await self.render(ctx, state, self.page)
        owner = ctx.user_id
        view = self.buttons(ctx.lang, owner, page, pages, state, ctx.bot) if pages > 1 else None
        await interaction.response.edit_message(embed=fit(embed), view=view)

    async def render(self, ctx: Context, state: str, page: int) -> tuple[discord.Embed, int, int]:
        """Page `page` of the list that `state` describes: the embed, the page shown, pages."""
        raise NotImplementedError


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


_LONG_STATES: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()


def _long_states(client: Any) -> dict[str, str]:
    """Pager states too long for a custom_id, per running bot (lost on restart, on purpose)."""
    return _LONG_STATES.setdefault(client, {})


def pack_fields(*fields: str | None) -> str:
    """Several texts as one custom_id part: `|`-separated, `%` and `|` escaped, "" for None."""
    return "|".join((f or "").replace("%", "%25").replace("|", "%7C") for f in fields)


def unpack_fields(state: str, count: int) -> list[str | None]:
    parts = state.split("|")
    parts += [""] * (count - len(parts))
    return [unquote(p) or None for p in parts[:count]]


def page_embeds(title: str, lines: list[str], empty: str, limit: int) -> list[discord.Embed]:
    """A long list as embeds of at most `limit` characters each."""
    return [
        fit(discord.Embed(title=title, description=page or empty, colour=EMBED_COLOUR))
        for page in paginate_lines(lines, limit)
    ]


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
