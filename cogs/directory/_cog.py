"""`/contact`, `/profile`, `/function`, `/directory` and the "Contact card" context menu."""

from __future__ import annotations

from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot import pick
from bot.bot import Krokarm
from bot.checks import network_admin
from bot.context import Context
from bot.embeds import fit
from bot.errors import InvalidInput, UserError
from bot.i18n import t, tn
from bot.services import directory, functions, municipalities, organisations, profiles
from cogs._common import (
    MAX_CHOICES,
    function_kind,
    municipality_autocomplete,
    organisation_kind,
    shorten,
)
from cogs.directory._render import esc, vacant_line
from cogs.directory._views import (
    DETAILS_ITEMS,
    AuditPager,
    ConfirmProfileButton,
    EditProfileButton,
    FindCriteria,
    ProfilePreset,
    ResultsPager,
    audit_page,
    card_for,
    open_profile_modal,
    results_page,
)

T = TypeVar("T")


def resolve_municipality(text: str) -> municipalities.Municipality:
    """An autocomplete value (SCB code) or whatever the user typed instead, fuzzily."""
    found = municipalities.resolve(text)
    if found is None:
        raise InvalidInput(
            "contact.municipality", "directory.error.unknown_municipality", value=shorten(text, 60)
        )
    return found


async def _expertise_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Suggest tags the network already uses; completes the last of comma-separated tags."""
    if interaction.guild_id is None:
        return []
    head, _, last = current.rpartition(",")
    prefix = f"{head}, " if head else ""
    tags = await profiles.expertise_suggestions(interaction.client.db, interaction.guild_id, last)
    choices = []
    for tag in tags:
        value = (prefix + tag)[:100]
        choices.append(app_commands.Choice(name=value, value=value))
    return choices[:MAX_CHOICES]


PROFILE_ORGANISATION = organisation_kind("profile.organisation", "pick.unknown.organisation")
FUNCTION_ORGANISATION = organisation_kind("function.organisation", "pick.unknown.organisation")
FUNCTION = function_kind("function.function", "pick.unknown.function")


async def _organisation_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    return await pick.suggest(interaction, PROFILE_ORGANISATION, current)


async def _function_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    return await pick.suggest(interaction, FUNCTION, current)


class Directory(commands.Cog):
    """Who is who: the directory, profiles and functions."""

    dynamic_items = (
        EditProfileButton,
        ConfirmProfileButton,
        *DETAILS_ITEMS,
        ResultsPager,
        AuditPager,
    )

    contact = app_commands.Group(
        name="contact", description="Find people in the network", guild_only=True
    )
    profile = app_commands.Group(
        name="profile", description="Your entry in the network's directory", guild_only=True
    )
    function = app_commands.Group(
        name="function", description="Functions in the network's organisations", guild_only=True
    )
    directory_group = app_commands.Group(
        name="directory", description="Look after the directory (admins)", guild_only=True
    )

    def __init__(self, bot: Krokarm) -> None:
        self.bot = bot
        self.card_menu = app_commands.ContextMenu(name="Contact card", callback=self._card_menu)
        self.card_menu.guild_only = True

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.card_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.card_menu.name, type=self.card_menu.type)

    # --- /contact ---------------------------------------------------------------------------

    @contact.command(name="find", description="Search the directory")
    @app_commands.describe(
        query="Name, title, organisation, function or expertise",
        municipality="Only people in this municipality",
        expertise="Only people with this expertise",
    )
    @app_commands.autocomplete(
        municipality=municipality_autocomplete, expertise=_expertise_autocomplete
    )
    async def find(
        self,
        interaction: discord.Interaction[Krokarm],
        query: app_commands.Range[str, 0, 200] | None = None,
        municipality: app_commands.Range[str, 0, 100] | None = None,
        expertise: app_commands.Range[str, 0, 100] | None = None,
    ) -> None:
        ctx = Context.of(interaction)
        lang = ctx.lang
        place = (
            resolve_municipality(municipality) if municipality and municipality.strip() else None
        )
        criteria = FindCriteria(
            query=query or None,
            municipality_code=place.code if place else None,
            expertise=expertise or None,
        )
        # Searching 10,000 entries takes tens of milliseconds: acknowledge first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        embed, page, pages = await results_page(ctx, criteria)
        if pages > 1:
            view = ResultsPager.buttons(lang, ctx.user_id, page, pages, criteria.pack(), self.bot)
            await interaction.followup.send(embed=embed, view=view, ephemeral=True)
        else:
            await interaction.followup.send(embed=embed, ephemeral=True)

    @contact.command(name="card", description="One person's contact card")
    @app_commands.describe(member="Whose card")
    async def card(self, interaction: discord.Interaction[Krokarm], member: discord.Member) -> None:
        await self._send_card(interaction, member)

    async def _card_menu(
        self, interaction: discord.Interaction[Krokarm], member: discord.Member
    ) -> None:
        await self._send_card(interaction, member)

    async def _send_card(
        self, interaction: discord.Interaction[Krokarm], member: discord.abc.User
    ) -> None:
        ctx = Context.of(interaction)
        guild_id = ctx.network_id
        profile = await profiles.get(self.bot.db, guild_id, member.id)
        own = member.id == interaction.user.id
        if profile is None or (profile.hidden and not own):
            raise UserError(
                "directory.error.no_card", name=esc(getattr(member, "display_name", ""))
            )
        await interaction.response.send_message(
            embed=await card_for(ctx, profile, own=own), ephemeral=True
        )

    # --- /profile ---------------------------------------------------------------------------

    @profile.command(name="edit", description="Fill in or change your profile")
    @app_commands.describe(
        organisation="Your organisation",
        expertise="What you know about, comma-separated, at most 40 characters each",
        languages="Languages you speak, comma-separated",
    )
    @app_commands.autocomplete(
        organisation=_organisation_autocomplete, expertise=_expertise_autocomplete
    )
    async def edit(
        self,
        interaction: discord.Interaction[Krokarm],
        organisation: str | None = None,
        expertise: app_commands.Range[str, 0, 1000] | None = None,
        languages: app_commands.Range[str, 0, 300] | None = None,
    ) -> None:
        ctx = Context.of(interaction)
        parsed_expertise = profiles.parse_expertise(expertise) if expertise is not None else None
        parsed_languages = profiles.parse_languages(languages) if languages is not None else None

        async def edit(ctx: Context, org: organisations.Organisation | None) -> None:
            preset = ProfilePreset(
                organisation_id=org.id if org is not None else None,
                expertise=parsed_expertise,
                languages=parsed_languages,
            )
            await open_profile_modal(ctx, ctx.network_id, preset)

        if organisation:
            await pick.choose(ctx, PROFILE_ORGANISATION, organisation, edit)
        else:
            await edit(ctx, None)

    @profile.command(name="show", description="Your profile as others see it")
    async def show(self, interaction: discord.Interaction[Krokarm]) -> None:
        ctx = Context.of(interaction)
        lang, guild_id = ctx.lang, ctx.network_id
        profile = await profiles.get(self.bot.db, guild_id, interaction.user.id)
        view = discord.ui.View(timeout=None)
        if profile is None:
            view.add_item(EditProfileButton(lang, label_key="profile.button.create"))
            await interaction.response.send_message(
                t(lang, "profile.none"), view=view, ephemeral=True
            )
            return
        view.add_item(EditProfileButton(lang))
        await interaction.response.send_message(
            embed=await card_for(ctx, profile, own=True), view=view, ephemeral=True
        )

    @profile.command(name="visibility", description="Show your profile to the network, or hide it")
    @app_commands.describe(visibility="Who sees your entry in the directory")
    @app_commands.choices(
        visibility=[
            app_commands.Choice(name="Network members", value="members"),
            app_commands.Choice(name="Hidden", value="hidden"),
        ]
    )
    async def visibility(self, interaction: discord.Interaction[Krokarm], visibility: str) -> None:
        ctx = Context.of(interaction)
        lang, guild_id = ctx.lang, ctx.network_id
        profile = await profiles.set_visibility(
            self.bot.db, guild_id, interaction.user.id, visibility, now=ctx.now
        )
        await interaction.response.send_message(
            t(lang, f"profile.visibility.set.{profile.visibility}"), ephemeral=True
        )

    @profile.command(
        name="questions", description="Whether /ask may ping you when a question fits you"
    )
    @app_commands.describe(ping="Ping me when a question fits my expertise or function")
    @app_commands.choices(
        ping=[
            app_commands.Choice(name="Yes, ping me", value="yes"),
            app_commands.Choice(name="No, only name me", value="no"),
        ]
    )
    async def questions(self, interaction: discord.Interaction[Krokarm], ping: str) -> None:
        ctx = Context.of(interaction)
        await profiles.set_ask_opt_in(ctx.db, ctx.network_id, ctx.user_id, ping == "yes")
        await interaction.response.send_message(
            t(ctx.lang, f"profile.questions.set.{'yes' if ping == 'yes' else 'no'}"),
            ephemeral=True,
        )

    # --- /function --------------------------------------------------------------------------

    @function.command(name="add", description="Add a function to an organisation")
    @app_commands.describe(
        organisation="The organisation", name="The function, e.g. integration coordinator"
    )
    @app_commands.autocomplete(organisation=_organisation_autocomplete)
    @network_admin()
    async def function_add(
        self,
        interaction: discord.Interaction[Krokarm],
        organisation: str,
        name: app_commands.Range[str, 1, 200],
    ) -> None:
        async def add(ctx: Context, org: organisations.Organisation) -> None:
            added = await functions.add(ctx.db, ctx.network_id, org.id, name, now=ctx.now)
            await pick.answer(
                ctx,
                t(
                    ctx.lang,
                    "function.added",
                    function=esc(added.name),
                    organisation=esc(added.organisation_name),
                ),
            )

        await pick.choose(Context.of(interaction), FUNCTION_ORGANISATION, organisation, add)

    @function.command(name="assign", description="Give a function to a member")
    @app_commands.describe(function="The function", member="Who holds it from now on")
    @app_commands.autocomplete(function=_function_autocomplete)
    @network_admin()
    async def function_assign(
        self, interaction: discord.Interaction[Krokarm], function: str, member: discord.Member
    ) -> None:
        if member.bot:
            raise InvalidInput("function.member", "function.error.bot")

        async def assign(ctx: Context, function: functions.Function) -> None:
            before = await functions.get(ctx.db, ctx.network_id, function.id)
            done = await functions.assign(
                ctx.db, ctx.network_id, function.id, member.id, actor_id=ctx.user_id, now=ctx.now
            )
            text = t(
                ctx.lang,
                "function.assigned",
                function=esc(done.name),
                organisation=esc(done.organisation_name),
                member=member.mention,
            )
            previous = before.holder_user_id
            if previous is not None and previous != member.id:
                told = await self._tell_previous_holder(ctx, done, previous)
                text += "\n" + t(
                    ctx.lang,
                    "function.taken.admin" if told else "function.taken.admin_untold",
                    member=f"<@{previous}>",
                )
            await pick.answer(ctx, text)

        await pick.choose(Context.of(interaction), FUNCTION, function, assign)

    async def _tell_previous_holder(
        self, ctx: Context, function: functions.Function, user_id: int
    ) -> bool:
        """A DM to whoever held `function` before an admin gave it to someone else; False when
        it could not be sent (left the server, DMs closed)."""
        guild = ctx.interaction.guild
        holder = guild.get_member(user_id) if guild is not None else None
        if holder is None:
            return False
        settings = await ctx.settings()
        try:
            await holder.send(
                t(
                    settings.lang,
                    "function.taken.dm",
                    function=esc(function.name),
                    organisation=esc(function.organisation_name),
                    network=esc(settings.name),
                ),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException:
            return False
        return True

    @function.command(
        name="vacate", description="Take a function from its holder; it stays, vacant"
    )
    @app_commands.describe(function="The function")
    @app_commands.autocomplete(function=_function_autocomplete)
    @network_admin()
    async def function_vacate(
        self, interaction: discord.Interaction[Krokarm], function: str
    ) -> None:
        async def vacate(ctx: Context, function: functions.Function) -> None:
            done = await functions.vacate(
                ctx.db, ctx.network_id, function.id, actor_id=ctx.user_id, now=ctx.now
            )
            await pick.answer(
                ctx,
                t(
                    ctx.lang,
                    "function.vacated",
                    function=esc(done.name),
                    organisation=esc(done.organisation_name),
                ),
            )

        await pick.choose(Context.of(interaction), FUNCTION, function, vacate)

    @function.command(name="remove", description="Remove a function that no longer exists")
    @app_commands.describe(function="The function")
    @app_commands.autocomplete(function=_function_autocomplete)
    @network_admin()
    async def function_remove(
        self, interaction: discord.Interaction[Krokarm], function: str
    ) -> None:
        async def archive(ctx: Context, function: functions.Function) -> None:
            done = await functions.archive(ctx.db, ctx.network_id, function.id, now=ctx.now)
            await pick.answer(
                ctx,
                t(
                    ctx.lang,
                    "function.removed",
                    function=esc(done.name),
                    organisation=esc(done.organisation_name),
                ),
            )

        await pick.choose(Context.of(interaction), FUNCTION, function, archive)

    @function.command(name="list", description="The network's functions and who holds them")
    @app_commands.describe(municipality="Only this municipality's organisations")
    @app_commands.autocomplete(municipality=municipality_autocomplete)
    async def function_list(
        self,
        interaction: discord.Interaction[Krokarm],
        municipality: app_commands.Range[str, 0, 100] | None = None,
    ) -> None:
        ctx = Context.of(interaction)
        lang, guild_id = ctx.lang, ctx.network_id
        place = (
            resolve_municipality(municipality) if municipality and municipality.strip() else None
        )
        found = await functions.list_functions(
            self.bot.db, guild_id, municipality_code=place.code if place else None
        )
        zone = (await ctx.tz()).key
        lines = []
        for f in found:
            if f.vacant:
                lines.append(
                    vacant_line(
                        lang,
                        directory.VacantFunction(f.id, f.name, f.organisation_name, f.vacated_at),
                        zone,
                    )
                )
            else:
                lines.append(
                    t(
                        lang,
                        "function.line.held",
                        function=f"**{esc(f.name)}** ({esc(f.organisation_name)})",
                        member=f"<@{f.holder_user_id}>",
                    )
                )
        body = "\n".join(lines) if lines else t(lang, "function.none")
        embed = discord.Embed(
            title=tn(lang, "function.list.title", len(found)),
            description=shorten(body, 4096),
            colour=discord.Colour(0x2E7D6B),
        )
        await interaction.response.send_message(embed=fit(embed), ephemeral=True)

    # --- /directory (admins) ----------------------------------------------------------------

    @directory_group.command(name="audit", description="Changes admins made to other people's data")
    @app_commands.describe(member="Only changes by or to this member")
    @network_admin()
    async def audit_log(
        self, interaction: discord.Interaction[Krokarm], member: discord.Member | None = None
    ) -> None:
        ctx = Context.of(interaction)
        user_id = member.id if member else None
        embed, page, pages = await audit_page(ctx, user_id)
        if pages > 1:
            state = str(user_id) if user_id else ""
            view = AuditPager.buttons(ctx.lang, ctx.user_id, page, pages, state, self.bot)
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
        else:
            await interaction.response.send_message(embed=embed, ephemeral=True)

    @directory_group.command(name="hide", description="Hide a member's entry from the directory")
    @app_commands.describe(member="Whose entry")
    @network_admin()
    async def hide(self, interaction: discord.Interaction[Krokarm], member: discord.Member) -> None:
        ctx = Context.of(interaction)
        lang, guild_id = ctx.lang, ctx.network_id
        if member.id != ctx.user_id and await profiles.get(ctx.db, guild_id, member.id) is None:
            # Said from the admin's side: it is the member who has no profile, not the admin.
            raise UserError("directory.hide.no_profile", member=esc(member.display_name))
        await profiles.set_visibility(
            self.bot.db,
            guild_id,
            member.id,
            "hidden",
            now=ctx.now,
            actor_id=interaction.user.id,
        )
        await interaction.response.send_message(
            t(lang, "directory.hidden", member=member.mention), ephemeral=True
        )
