"""The directory's buttons, selects and modals.

`EditProfileButton` is the entry point other features use (the onboarding greeting, the
freshness DM): a persistent dynamic item, `krokarm:profile:edit` in a server or
`krokarm:profile:edit:<guild id>` in a direct message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord

from bot import ui
from bot.context import Context
from bot.errors import UserError
from bot.i18n import Lang, t
from bot.services import directory, functions, municipalities, organisations, privacy, profiles
from bot.services.audit import list_entries
from bot.services.directory import Profile
from bot.services.profiles import ProfileFields
from cogs._common import PageButton, give_member_role, pack_fields, shorten, unpack_fields
from cogs.directory._render import audit_embed, card_embed, esc, results_embed

if TYPE_CHECKING:
    from bot.bot import Krokarm


def _bot(interaction: discord.Interaction[Any]) -> Krokarm:
    return interaction.client


async def card_for(ctx: Context, profile: Profile, *, own: bool) -> discord.Embed:
    """A card as `ctx`'s user sees it, dated in the profile's network's time zone."""
    _, days = await privacy.network_periods(ctx.db, profile.guild_id)
    zone = await ctx.tz(profile.guild_id)
    return card_embed(ctx.lang, profile, ctx.now, days, own=own, zone=zone.key)


async def check_member(bot: Krokarm, guild_id: int, user_id: int) -> None:
    """Profiles are for people on the network's server (also when editing from a DM)."""
    guild = bot.get_guild(guild_id)
    if guild is None or guild.get_member(user_id) is None:
        raise UserError("profile.error.not_member")


def _values(interaction: discord.Interaction[Any]) -> list[str]:
    """The values chosen in the select that sent this interaction."""
    data: dict[str, Any] = dict(interaction.data or {})
    return [str(v) for v in data.get("values", [])]


@dataclass(frozen=True)
class ProfilePreset:
    """What `/profile edit` was given as options, saved with the modal's fields."""

    organisation_id: int | None = None
    expertise: list[str] | None = None
    languages: list[str] | None = None


# --- step 1: the modal --------------------------------------------------------------------------


class ProfileModal(ui.OwnedModal):
    """Name, title, department, e-mail and phone (a modal holds at most five inputs)."""

    kind = "profile"
    rerun = "profile edit"

    def __init__(
        self,
        ctx: Context,
        guild_id: int,
        current: Profile | None,
        default_name: str,
        preset: ProfilePreset,
    ) -> None:
        lang = ctx.lang
        super().__init__(ctx, title=t(lang, "profile.modal.title"), guild_id=guild_id)
        self.network_id = guild_id
        self.preset = preset

        def field(key: str, value: str | None, limit: int, required: bool = False) -> Any:
            item: discord.ui.TextInput[Any] = discord.ui.TextInput(
                label=t(lang, f"field.profile.{key}") if key != "email" else t(lang, "field.email"),
                custom_id=f"profile:{key}",
                default=value or None,
                max_length=limit,
                required=required,
                placeholder=shorten(t(lang, f"profile.modal.placeholder.{key}"), 100),
            )
            self.add_item(item)
            return item

        self.display_name = field(
            "display_name",
            current.display_name if current else default_name[: profiles.NAME_MAX],
            profiles.NAME_MAX,
            True,
        )
        self.job_title = field("title", current.title if current else None, profiles.TITLE_MAX)
        self.department = field(
            "department", current.department if current else None, profiles.DEPARTMENT_MAX
        )
        self.email = field("email", current.email if current else None, 254)
        self.phone = field("phone", current.phone if current else None, 40)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        await check_member(ctx.bot, self.network_id, ctx.user_id)
        profile = await profiles.save(
            ctx.db,
            self.network_id,
            ctx.user_id,
            ProfileFields(
                self.display_name.value,
                self.job_title.value,
                self.department.value,
                self.email.value,
                self.phone.value,
            ),
            now=ctx.now,
            organisation_id=self.preset.organisation_id,
            expertise=self.preset.expertise,
            languages=self.preset.languages,
        )
        if self.preset.organisation_id is not None:
            await grant_member_role(ctx.bot, self.network_id, ctx.user_id)
        await interaction.response.send_message(
            t(ctx.lang, "profile.saved"),
            embed=await card_for(ctx, profile, own=True),
            view=await details_view(ctx, profile),
            ephemeral=interaction.guild_id is not None,
        )


async def open_profile_modal(
    ctx: Context, guild_id: int, preset: ProfilePreset | None = None
) -> None:
    await check_member(ctx.bot, guild_id, ctx.user_id)
    current = await profiles.get(ctx.db, guild_id, ctx.user_id)
    guild = ctx.bot.get_guild(guild_id)
    member = guild.get_member(ctx.user_id) if guild else None
    default_name = member.display_name if member else ctx.user.display_name
    modal = ProfileModal(ctx, guild_id, current, default_name, preset or ProfilePreset())
    await ctx.interaction.response.send_modal(modal)


class EditProfileButton(
    ui.Funnelled,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"krokarm:profile:edit(?::(?P<guild>\d+))?",
):
    """ "Fill in your profile" / "Edit": opens the profile modal. Survives restarts."""

    def __init__(
        self,
        lang: Lang = "sv",
        guild_id: int | None = None,
        *,
        label_key: str = "profile.button.edit",
    ) -> None:
        custom_id = "krokarm:profile:edit" + (f":{guild_id}" if guild_id else "")
        super().__init__(
            discord.ui.Button(
                label=t(lang, label_key),
                style=discord.ButtonStyle.primary,
                custom_id=custom_id,
                emoji="📝",
            )
        )
        self.guild_id = guild_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> EditProfileButton:
        guild = match["guild"]
        return cls(Context.of(interaction).lang, int(guild) if guild else None)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        guild_id = self.guild_id or ctx.network_id
        await open_profile_modal(ctx, guild_id)


class ConfirmProfileButton(
    ui.Funnelled,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"krokarm:profile:confirm:(?P<guild>\d+)",
):
    """ "Still correct" in the freshness reminder: the entry is confirmed as of now."""

    def __init__(self, lang: Lang, guild_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=t(lang, "freshness.button.confirm"),
                style=discord.ButtonStyle.success,
                custom_id=f"krokarm:profile:confirm:{guild_id}",
                emoji="✅",
            )
        )
        self.guild_id = guild_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ConfirmProfileButton:
        return cls(Context.of(interaction).lang, int(match["guild"]))

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        await check_member(ctx.bot, self.guild_id, ctx.user_id)
        profile = await profiles.confirm(ctx.db, self.guild_id, ctx.user_id, now=ctx.now)
        await interaction.response.edit_message(
            content=t(ctx.lang, "freshness.confirmed"),
            embed=await card_for(ctx, profile, own=True),
            view=None,
        )


def reminder_view(lang: Lang, guild_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ConfirmProfileButton(lang, guild_id))
    view.add_item(EditProfileButton(lang, guild_id))
    return view


async def grant_member_role(bot: Krokarm, guild_id: int, user_id: int) -> str | None:
    """Picking an organisation in the profile makes someone a member, as at onboarding (the
    profile can be edited from a DM, so the server is looked up by id); returns how it went."""
    guild = bot.get_guild(guild_id)
    member = guild.get_member(user_id) if guild is not None else None
    if guild is not None and member is not None:
        return await give_member_role(bot, guild, member)
    return None


# --- step 2: organisation, functions, expertise, languages, contact opt-in ----------------------
#
# Dynamic items whose custom_id names the person and the network
# (`krokarm:profile:<step>:<user>:<guild>`): the state is in the database, so the second step
# works after a restart, and nobody else, in no other network, can press it.


class _DetailsItem(ui.Owned, discord.ui.DynamicItem[discord.ui.Item[Any]], template=r"$^"):
    step = ""

    def __init__(self, item: discord.ui.Item[Any], user_id: int, guild_id: int) -> None:
        self.owner_id = user_id
        self.guild_id = guild_id
        super().__init__(item)

    @classmethod
    def id_for(cls, user_id: int, guild_id: int) -> str:
        return f"krokarm:profile:{cls.step}:{user_id}:{guild_id}"

    @classmethod
    def template_for(cls, step: str) -> str:
        return rf"krokarm:profile:{step}:(?P<user>\d+):(?P<guild>\d+)"

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> _DetailsItem:
        return cls(item, int(match["user"]), int(match["guild"]))

    @property
    def network_id(self) -> int:
        assert self.guild_id is not None
        return self.guild_id

    @property
    def user_id(self) -> int:
        assert self.owner_id is not None
        return self.owner_id

    async def _profile(self, ctx: Context) -> Profile:
        profile = await profiles.get(ctx.db, self.network_id, self.user_id)
        if profile is None:
            raise UserError("profile.error.no_profile")
        return profile

    async def show(self, ctx: Context, profile: Profile) -> None:
        await ctx.interaction.response.edit_message(
            content=t(ctx.lang, "profile.saved"),
            embed=await card_for(ctx, profile, own=True),
            view=await details_view(ctx, profile),
        )


class ProfileOrganisationSelect(_DetailsItem, template=_DetailsItem.template_for("organisation")):
    step = "organisation"

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        value = _values(interaction)[0]
        profile = await profiles.set_organisation(
            ctx.db, self.network_id, self.user_id, int(value), now=ctx.now
        )
        outcome = await grant_member_role(ctx.bot, self.network_id, self.user_id)
        await self.show(ctx, profile)
        if outcome == "refused":
            await interaction.followup.send(t(ctx.lang, "onboarding.role.refused"), ephemeral=True)


class ProfileFunctionsSelect(_DetailsItem, template=_DetailsItem.template_for("functions")):
    step = "functions"

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        values = _values(interaction)
        current = await self._profile(ctx)
        if current.organisation_id is None:
            raise UserError("profile.error.no_profile")
        await functions.set_own(
            ctx.db,
            self.network_id,
            self.user_id,
            current.organisation_id,
            [int(v) for v in values],
            now=ctx.now,
        )
        await self.show(ctx, await self._profile(ctx))


class ProfileMoreButton(_DetailsItem, template=_DetailsItem.template_for("more")):
    step = "more"

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        profile = await self._profile(ctx)
        await interaction.response.send_modal(DetailsModal(ctx, profile))


class ProfileContactButton(_DetailsItem, template=_DetailsItem.template_for("contact")):
    step = "contact"

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        current = await self._profile(ctx)
        profile = await profiles.set_details(
            ctx.db, self.network_id, self.user_id, now=ctx.now, contact_ok=not current.contact_ok
        )
        await self.show(ctx, profile)


class ProfileDoneButton(_DetailsItem, template=_DetailsItem.template_for("done")):
    step = "done"

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        profile = await self._profile(ctx)
        await interaction.response.edit_message(
            content=t(ctx.lang, "profile.done"),
            embed=await card_for(ctx, profile, own=True),
            view=None,
        )


DETAILS_ITEMS = (
    ProfileOrganisationSelect,
    ProfileFunctionsSelect,
    ProfileMoreButton,
    ProfileContactButton,
    ProfileDoneButton,
)


async def details_view(ctx: Context, profile: Profile) -> discord.ui.View:
    """After the modal: the organisation and functions selects and the remaining fields."""
    lang = ctx.lang
    user_id, guild_id = profile.user_id, profile.guild_id
    view = discord.ui.View(timeout=None)
    orgs = await organisations.list_organisations(ctx.db, guild_id)
    if orgs:
        shown = orgs[:25]
        if profile.organisation_id and all(o.id != profile.organisation_id for o in shown):
            shown = [o for o in orgs if o.id == profile.organisation_id] + orgs[:24]
        select: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=ProfileOrganisationSelect.id_for(user_id, guild_id),
            placeholder=t(lang, "profile.details.organisation"),
            options=[
                discord.SelectOption(
                    label=shorten(o.name, 100),
                    value=str(o.id),
                    default=o.id == profile.organisation_id,
                )
                for o in shown
            ],
            row=0,
        )
        view.add_item(ProfileOrganisationSelect(select, user_id, guild_id))
    if profile.organisation_id:
        own_org = await functions.list_functions(
            ctx.db, guild_id, organisation_id=profile.organisation_id
        )
        choosable = [f for f in own_org if f.holder_user_id in (None, user_id)][:25]
        if choosable:
            fselect: discord.ui.Select[Any] = discord.ui.Select(
                custom_id=ProfileFunctionsSelect.id_for(user_id, guild_id),
                placeholder=t(lang, "profile.details.functions"),
                min_values=0,
                max_values=len(choosable),
                options=[
                    discord.SelectOption(
                        label=shorten(f.name, 100),
                        value=str(f.id),
                        description=t(
                            lang,
                            "profile.details.function_vacant"
                            if f.vacant
                            else "profile.details.function_yours",
                        ),
                        default=f.holder_user_id == user_id,
                    )
                    for f in choosable
                ],
                row=1,
            )
            view.add_item(ProfileFunctionsSelect(fselect, user_id, guild_id))
    more = discord.ui.Button[Any](
        label=t(lang, "profile.details.more"),
        style=discord.ButtonStyle.primary,
        custom_id=ProfileMoreButton.id_for(user_id, guild_id),
        row=2,
    )
    view.add_item(ProfileMoreButton(more, user_id, guild_id))
    toggle = discord.ui.Button[Any](
        label=t(
            lang,
            "profile.details.contact_on" if profile.contact_ok else "profile.details.contact_off",
        ),
        style=discord.ButtonStyle.success if profile.contact_ok else discord.ButtonStyle.secondary,
        custom_id=ProfileContactButton.id_for(user_id, guild_id),
        row=2,
    )
    view.add_item(ProfileContactButton(toggle, user_id, guild_id))
    done = discord.ui.Button[Any](
        label=t(lang, "profile.details.done"),
        style=discord.ButtonStyle.secondary,
        custom_id=ProfileDoneButton.id_for(user_id, guild_id),
        row=2,
    )
    view.add_item(ProfileDoneButton(done, user_id, guild_id))
    return view


class DetailsModal(ui.OwnedModal):
    """Expertise and languages, comma-separated, pre-filled."""

    kind = "pdetails"
    rerun = "profile edit"

    def __init__(self, ctx: Context, profile: Profile) -> None:
        lang = ctx.lang
        super().__init__(
            ctx, title=t(lang, "profile.details.modal_title"), guild_id=profile.guild_id
        )
        self.network_id = profile.guild_id
        self.expertise: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=t(lang, "field.profile.expertise"),
            custom_id="profile:expertise",
            style=discord.TextStyle.paragraph,
            default=", ".join(profile.expertise) or None,
            required=False,
            max_length=profiles.LIST_INPUT_MAX,
            placeholder=t(lang, "profile.modal.placeholder.expertise"),
        )
        self.languages: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=t(lang, "field.profile.languages"),
            custom_id="profile:languages",
            default=", ".join(directory.language_name(c, lang) for c in profile.languages) or None,
            required=False,
            max_length=300,
            placeholder=t(lang, "profile.modal.placeholder.languages"),
        )
        self.add_item(self.expertise)
        self.add_item(self.languages)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        profile = await profiles.set_details(
            ctx.db,
            self.network_id,
            ctx.user_id,
            now=ctx.now,
            expertise=self.expertise.value,
            languages=self.languages.value,
        )
        embed = await card_for(ctx, profile, own=True)
        view = await details_view(ctx, profile)
        if interaction.message is not None:
            await interaction.response.edit_message(
                content=t(ctx.lang, "profile.saved"), embed=embed, view=view
            )
        else:
            await interaction.response.send_message(
                t(ctx.lang, "profile.saved"), embed=embed, view=view, ephemeral=True
            )


# --- paging -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindCriteria:
    """What `/contact find` was asked: it travels in the pager's custom_id."""

    query: str | None = None
    municipality_code: str | None = None
    expertise: str | None = None

    def pack(self) -> str:
        return pack_fields(self.municipality_code, self.query, self.expertise)

    @classmethod
    def unpack(cls, state: str) -> FindCriteria:
        code, query, expertise = unpack_fields(state, 3)
        return cls(query=query, municipality_code=code, expertise=expertise)

    def header(self, lang: Lang) -> str:
        """The criteria as the result's description says them."""
        place = municipalities.by_code(self.municipality_code) if self.municipality_code else None
        parts = []
        if self.query:
            parts.append(t(lang, "directory.find.query", value=esc(shorten(self.query, 100))))
        if place:
            parts.append(t(lang, "directory.find.municipality", value=place.name))
        if self.expertise:
            parts.append(
                t(lang, "directory.find.expertise", value=esc(shorten(self.expertise, 100)))
            )
        return " · ".join(parts)


async def results_page(
    ctx: Context, criteria: FindCriteria, page: int = 0
) -> tuple[discord.Embed, int, int]:
    """One page of `/contact find` in `ctx`'s network: the embed, the page shown, the pages."""
    guild_id = ctx.network_id
    result = await directory.search(
        ctx.db,
        guild_id,
        query=criteria.query,
        municipality_code=criteria.municipality_code,
        expertise=criteria.expertise,
        page=page,
    )
    place = (
        municipalities.by_code(criteria.municipality_code) if criteria.municipality_code else None
    )
    zone = await ctx.tz()
    embed = results_embed(
        ctx.lang,
        result,
        ctx.now,
        criteria.header(ctx.lang),
        place.name if place else None,
        zone.key,
    )
    return embed, result.page, result.pages


class ResultsPager(PageButton, template=PageButton.pattern("f")):
    """Pages of `/contact find`; the criteria are in the custom_id."""

    kind = "f"
    rerun = "contact find"

    async def render(self, ctx: Context, state: str, page: int) -> tuple[discord.Embed, int, int]:
        return await results_page(ctx, FindCriteria.unpack(state), page)


async def audit_page(
    ctx: Context, user_id: int | None, page: int = 0
) -> tuple[discord.Embed, int, int]:
    result = await list_entries(ctx.db, ctx.network_id, user_id=user_id, page=page)
    zone = await ctx.tz()
    return audit_embed(ctx.lang, result, zone.key), result.page, result.pages


class AuditPager(PageButton, template=PageButton.pattern("a")):
    """Pages of `/directory audit`; the member asked about (if any) is in the custom_id."""

    kind = "a"
    rerun = "directory audit"

    async def check(self, interaction: discord.Interaction[Any]) -> None:
        from bot.checks import require_network_admin

        await super().check(interaction)
        await require_network_admin(_bot(interaction).db, interaction)

    async def render(self, ctx: Context, state: str, page: int) -> tuple[discord.Embed, int, int]:
        return await audit_page(ctx, int(state) if state else None, page)
