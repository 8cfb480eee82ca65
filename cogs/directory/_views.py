"""The directory's buttons, selects and modals.

`EditProfileButton` is the entry point other features use (the onboarding greeting, the
freshness DM): a persistent dynamic item, `krokarm:profile:edit` in a server or
`krokarm:profile:edit:<guild id>` in a direct message.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot import ui
from bot.errors import UserError
from bot.funnel import lang_for
from bot.i18n import Lang, t
from bot.services import directory, functions, organisations, privacy, profiles
from bot.services.audit import list_entries
from bot.services.directory import Profile
from bot.services.profiles import ProfileFields
from cogs._common import give_member_role, shorten
from cogs.directory._render import audit_embed, card_embed, results_embed

if TYPE_CHECKING:
    from bot.bot import Krokarm

VIEW_TIMEOUT = 600


def _bot(interaction: discord.Interaction[Any]) -> Krokarm:
    return interaction.client


async def card_for(bot: Krokarm, lang: Lang, profile: Profile, *, own: bool) -> discord.Embed:
    _, days = await privacy.network_periods(bot.db, profile.guild_id)
    return card_embed(lang, profile, bot.clock.now(), days, own=own)


async def check_member(bot: Krokarm, guild_id: int, user_id: int) -> None:
    """Profiles are for people on the network's server (also when editing from a DM)."""
    guild = bot.get_guild(guild_id)
    if guild is None or guild.get_member(user_id) is None:
        raise UserError("profile.error.not_member")


def _values(interaction: discord.Interaction[Any]) -> list[str]:
    """The values chosen in the select that sent this interaction."""
    data: dict[str, Any] = dict(interaction.data or {})
    return [str(v) for v in data.get("values", [])]


# --- step 1: the modal --------------------------------------------------------------------------


class ProfileModal(ui.Modal):
    """Name, title, department, e-mail and phone (a modal holds at most five inputs)."""

    def __init__(
        self,
        lang: Lang,
        guild_id: int,
        current: Profile | None,
        default_name: str,
        *,
        organisation_id: int | None = None,
        expertise: list[str] | None = None,
        languages: list[str] | None = None,
    ) -> None:
        super().__init__(title=t(lang, "profile.modal.title"), custom_id="krokarm:profile:modal")
        self.guild_id = guild_id
        self.organisation_id = organisation_id
        self.expertise = expertise
        self.languages = languages

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
        bot = _bot(interaction)
        lang = lang_for(interaction)
        await check_member(bot, self.guild_id, interaction.user.id)
        profile = await profiles.save(
            bot.db,
            self.guild_id,
            interaction.user.id,
            ProfileFields(
                self.display_name.value,
                self.job_title.value,
                self.department.value,
                self.email.value,
                self.phone.value,
            ),
            now=bot.clock.now(),
            organisation_id=self.organisation_id,
            expertise=self.expertise,
            languages=self.languages,
        )
        if self.organisation_id is not None:
            await grant_member_role(bot, self.guild_id, interaction.user.id)
        view = await DetailsView.build(bot, lang, profile)
        await interaction.response.send_message(
            t(lang, "profile.saved"),
            embed=await card_for(bot, lang, profile, own=True),
            view=view,
            ephemeral=interaction.guild_id is not None,
        )


async def open_profile_modal(
    interaction: discord.Interaction[Any],
    guild_id: int,
    **preset: Any,
) -> None:
    bot = _bot(interaction)
    await check_member(bot, guild_id, interaction.user.id)
    current = await profiles.get(bot.db, guild_id, interaction.user.id)
    guild = bot.get_guild(guild_id)
    member = guild.get_member(interaction.user.id) if guild else None
    default_name = member.display_name if member else interaction.user.display_name
    modal = ProfileModal(lang_for(interaction), guild_id, current, default_name, **preset)
    await interaction.response.send_modal(modal)


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
        return cls(lang_for(interaction), int(guild) if guild else None)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = self.guild_id or interaction.guild_id
        if guild_id is None:
            raise UserError("errors.guild_only")
        await open_profile_modal(interaction, guild_id)


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
        return cls(lang_for(interaction), int(match["guild"]))

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        bot = _bot(interaction)
        lang = lang_for(interaction)
        await check_member(bot, self.guild_id, interaction.user.id)
        profile = await profiles.confirm(
            bot.db, self.guild_id, interaction.user.id, now=bot.clock.now()
        )
        await interaction.response.edit_message(
            content=t(lang, "freshness.confirmed"),
            embed=await card_for(bot, lang, profile, own=True),
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


class DetailsView(ui.View):
    """After the modal: the organisation and functions selects and the remaining fields."""

    def __init__(self, lang: Lang, profile: Profile) -> None:
        super().__init__(timeout=VIEW_TIMEOUT)
        self.lang = lang
        self.guild_id = profile.guild_id
        self.user_id = profile.user_id

    @classmethod
    async def build(cls, bot: Krokarm, lang: Lang, profile: Profile) -> DetailsView:
        view = cls(lang, profile)
        orgs = await organisations.list_organisations(bot.db, profile.guild_id)
        if orgs:
            shown = orgs[:25]
            if profile.organisation_id and all(o.id != profile.organisation_id for o in shown):
                shown = [o for o in orgs if o.id == profile.organisation_id] + orgs[:24]
            select: discord.ui.Select[Any] = discord.ui.Select(
                custom_id="krokarm:profile:organisation",
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
            select.callback = view.pick_organisation  # type: ignore[method-assign]
            view.add_item(select)
        if profile.organisation_id:
            own_org = await functions.list_functions(
                bot.db, profile.guild_id, organisation_id=profile.organisation_id
            )
            choosable = [f for f in own_org if f.holder_user_id in (None, profile.user_id)][:25]
            if choosable:
                fselect: discord.ui.Select[Any] = discord.ui.Select(
                    custom_id="krokarm:profile:functions",
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
                            default=f.holder_user_id == profile.user_id,
                        )
                        for f in choosable
                    ],
                    row=1,
                )
                fselect.callback = view.pick_functions  # type: ignore[method-assign]
                view.add_item(fselect)
        more = discord.ui.Button[Any](
            label=t(lang, "profile.details.more"),
            style=discord.ButtonStyle.primary,
            custom_id="krokarm:profile:more",
            row=2,
        )
        more.callback = view.open_more  # type: ignore[method-assign]
        view.add_item(more)
        toggle = discord.ui.Button[Any](
            label=t(
                lang,
                "profile.details.contact_on"
                if profile.contact_ok
                else "profile.details.contact_off",
            ),
            style=discord.ButtonStyle.success
            if profile.contact_ok
            else discord.ButtonStyle.secondary,
            custom_id="krokarm:profile:contact",
            row=2,
        )
        toggle.callback = view.toggle_contact  # type: ignore[method-assign]
        view.add_item(toggle)
        done = discord.ui.Button[Any](
            label=t(lang, "profile.details.done"),
            style=discord.ButtonStyle.secondary,
            custom_id="krokarm:profile:done",
            row=2,
        )
        done.callback = view.finish  # type: ignore[method-assign]
        view.add_item(done)
        return view

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id != self.user_id:
            raise UserError("errors.not_yours")
        return True

    async def _show(self, interaction: discord.Interaction[Any], profile: Profile) -> None:
        bot = _bot(interaction)
        lang = lang_for(interaction)
        await interaction.response.edit_message(
            content=t(lang, "profile.saved"),
            embed=await card_for(bot, lang, profile, own=True),
            view=await DetailsView.build(bot, lang, profile),
        )

    async def pick_organisation(self, interaction: discord.Interaction[Any]) -> None:
        bot = _bot(interaction)
        value = _values(interaction)[0]
        profile = await profiles.set_organisation(
            bot.db, self.guild_id, self.user_id, int(value), now=bot.clock.now()
        )
        outcome = await grant_member_role(bot, self.guild_id, self.user_id)
        await self._show(interaction, profile)
        if outcome == "refused":
            lang = lang_for(interaction)
            await interaction.followup.send(t(lang, "onboarding.role.refused"), ephemeral=True)

    async def pick_functions(self, interaction: discord.Interaction[Any]) -> None:
        bot = _bot(interaction)
        values = _values(interaction)
        current = await profiles.get(bot.db, self.guild_id, self.user_id)
        if current is None or current.organisation_id is None:
            raise UserError("profile.error.no_profile")
        await functions.set_own(
            bot.db,
            self.guild_id,
            self.user_id,
            current.organisation_id,
            [int(v) for v in values],
            now=bot.clock.now(),
        )
        profile = await profiles.get(bot.db, self.guild_id, self.user_id)
        assert profile is not None
        await self._show(interaction, profile)

    async def open_more(self, interaction: discord.Interaction[Any]) -> None:
        bot = _bot(interaction)
        profile = await profiles.get(bot.db, self.guild_id, self.user_id)
        if profile is None:
            raise UserError("profile.error.no_profile")
        await interaction.response.send_modal(DetailsModal(lang_for(interaction), profile))

    async def toggle_contact(self, interaction: discord.Interaction[Any]) -> None:
        bot = _bot(interaction)
        current = await profiles.get(bot.db, self.guild_id, self.user_id)
        if current is None:
            raise UserError("profile.error.no_profile")
        profile = await profiles.set_details(
            bot.db,
            self.guild_id,
            self.user_id,
            now=bot.clock.now(),
            contact_ok=not current.contact_ok,
        )
        await self._show(interaction, profile)

    async def finish(self, interaction: discord.Interaction[Any]) -> None:
        bot = _bot(interaction)
        lang = lang_for(interaction)
        profile = await profiles.get(bot.db, self.guild_id, self.user_id)
        if profile is None:
            raise UserError("profile.error.no_profile")
        await interaction.response.edit_message(
            content=t(lang, "profile.done"),
            embed=await card_for(bot, lang, profile, own=True),
            view=None,
        )
        self.stop()


class DetailsModal(ui.Modal):
    """Expertise and languages, comma-separated, pre-filled."""

    def __init__(self, lang: Lang, profile: Profile) -> None:
        super().__init__(
            title=t(lang, "profile.details.modal_title"), custom_id="krokarm:profile:details"
        )
        self.guild_id = profile.guild_id
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
        bot = _bot(interaction)
        lang = lang_for(interaction)
        profile = await profiles.set_details(
            bot.db,
            self.guild_id,
            interaction.user.id,
            now=bot.clock.now(),
            expertise=self.expertise.value,
            languages=self.languages.value,
        )
        embed = await card_for(bot, lang, profile, own=True)
        view = await DetailsView.build(bot, lang, profile)
        if interaction.message is not None:
            await interaction.response.edit_message(
                content=t(lang, "profile.saved"), embed=embed, view=view
            )
        else:
            await interaction.response.send_message(
                t(lang, "profile.saved"), embed=embed, view=view, ephemeral=True
            )


# --- paging -------------------------------------------------------------------------------------


class _Pager(ui.View):
    """Previous / next under a result only its asker can page."""

    def __init__(self, lang: Lang, owner_id: int, page: int, pages: int) -> None:
        super().__init__(timeout=VIEW_TIMEOUT)
        self.owner_id = owner_id
        self.page = page
        self.previous.label = t(lang, "pager.previous")
        self.next.label = t(lang, "pager.next")
        self.previous.disabled = page <= 0
        self.next.disabled = page >= pages - 1

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id != self.owner_id:
            raise UserError("errors.not_yours")
        return True

    async def render(self, interaction: discord.Interaction[Any], page: int) -> None:
        raise NotImplementedError

    @discord.ui.button(
        label="◀", style=discord.ButtonStyle.secondary, custom_id="krokarm:page:prev"
    )
    async def previous(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        await self.render(interaction, self.page - 1)

    @discord.ui.button(
        label="▶", style=discord.ButtonStyle.secondary, custom_id="krokarm:page:next"
    )
    async def next(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        await self.render(interaction, self.page + 1)


class ResultsPager(_Pager):
    def __init__(
        self,
        lang: Lang,
        owner_id: int,
        guild_id: int,
        criteria: dict[str, Any],
        header: str,
        municipality: str | None,
        page: int,
        pages: int,
    ) -> None:
        super().__init__(lang, owner_id, page, pages)
        self.guild_id = guild_id
        self.criteria = criteria
        self.header = header
        self.municipality = municipality

    async def render(self, interaction: discord.Interaction[Any], page: int) -> None:
        bot = _bot(interaction)
        lang = lang_for(interaction)
        result = await directory.search(bot.db, self.guild_id, page=page, **self.criteria)
        embed = results_embed(lang, result, bot.clock.now(), self.header, self.municipality)
        view = ResultsPager(
            lang,
            self.owner_id,
            self.guild_id,
            self.criteria,
            self.header,
            self.municipality,
            result.page,
            result.pages,
        )
        await interaction.response.edit_message(embed=embed, view=view)


class AuditPager(_Pager):
    def __init__(
        self, lang: Lang, owner_id: int, guild_id: int, user_id: int | None, page: int, pages: int
    ) -> None:
        super().__init__(lang, owner_id, page, pages)
        self.guild_id = guild_id
        self.user_id = user_id

    async def render(self, interaction: discord.Interaction[Any], page: int) -> None:
        from bot.checks import require_network_admin

        bot = _bot(interaction)
        await require_network_admin(bot.db, interaction)
        lang = lang_for(interaction)
        result = await list_entries(bot.db, self.guild_id, user_id=self.user_id, page=page)
        view = AuditPager(
            lang, self.owner_id, self.guild_id, self.user_id, result.page, result.pages
        )
        await interaction.response.edit_message(embed=audit_embed(lang, result), view=view)
