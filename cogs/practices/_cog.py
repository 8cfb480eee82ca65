"""`/practice`: the network's inventory of good practice, and its forum mirror."""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import replace
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.bot import Krokarm
from bot.checks import is_network_admin, network_admin
from bot.context import Context
from bot.errors import InvalidInput, NotAllowed, UserError
from bot.funnel import describe
from bot.i18n import t, tn
from bot.services import functions, municipalities
from bot.services.practices import exchange, model, transfer
from bot.services.practices.model import FUNDING, STATUSES, TARGETS, THEMES, Fields
from bot.services.practices.search import Criteria, resolve, titles_matching
from bot.services.search.query import MAX_QUERY_CHARS
from bot.services.text import parse_id
from cogs._common import MAX_CHOICES, PageButton, municipality_autocomplete, shorten
from cogs.practices import _forum, _render
from cogs.practices._views import (
    AdoptButton,
    Draft,
    FreshnessButton,
    InterestButton,
    PracticeModal,
    RegisterButton,
    ResultsPager,
    StepView,
    record_interest,
    results_page,
    send_import_report,
)

log = logging.getLogger(__name__)

# Seconds a search may take before `/practice find` defers its answer (Discord allows 3).
ANSWER_AT_ONCE_WITHIN = 1.0


def _choices(keys: tuple[str, ...]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=_english(k), value=k) for k in keys]


_ENGLISH = {
    # English base names of choices; the catalogues localize them (choice.<slug>).
    "work": "Work and internships",
    "language": "Language",
    "school": "School and education",
    "health": "Health and trauma",
    "civic": "Civic orientation",
    "housing": "Housing",
    "leisure": "Leisure and clubs",
    "competence": "Staff competence",
    "coordination": "Coordination",
    "unaccompanied": "Unaccompanied minors",
    "planned": "Planned",
    "ongoing": "Ongoing",
    "ended": "Ended",
    "newly_arrived_adults": "Newly arrived adults",
    "families_children": "Families and children",
    "women": "Women",
    "far_from_labour_market": "Far from the labour market",
    "staff": "Staff",
    "state_refugee_funds": "State refugee funds",
    "esf": "ESF",
    "arvsfonden": "Arvsfonden",
    "municipal": "Municipal",
    "other": "Other funding",
}
_TARGET_CHOICES = {**_ENGLISH, "unaccompanied_minors": "Unaccompanied children and youth"}


def _english(key: str) -> str:
    return _ENGLISH[key]


async def practice_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Practices of this network whose title holds the words typed (value "p:<id>")."""
    if interaction.guild_id is None:
        return []
    found = await titles_matching(
        interaction.client.db, interaction.guild_id, current[:MAX_QUERY_CHARS]
    )
    return [
        app_commands.Choice(name=shorten(title, 100), value=f"p:{pid}") for pid, title in found
    ][:MAX_CHOICES]


async def county_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    lang = Context.of(interaction).lang
    out = []
    for county in municipalities.counties():
        name = county.name if lang == "sv" else municipalities.county_name_en(county)
        if municipalities_match(current, name):
            out.append(app_commands.Choice(name=name, value=county.code))
    return out[:MAX_CHOICES]


def resolve_county(text: str) -> str | None:
    """A county's two-digit code from its code or its Swedish or English name."""
    from bot.services.textnorm import fold

    value = fold(text.strip())
    for county in municipalities.counties():
        if value == county.code:
            return county.code
        for name in (county.name, municipalities.county_name_en(county)):
            key = fold(name)
            short = key.replace(" lan", "").replace(" county", "").replace("s lan", "")
            if value in (key, short) or (len(value) >= 4 and key.startswith(value)):
                return county.code
    return None


def municipalities_match(current: str, name: str) -> bool:
    from bot.services.textnorm import fold

    return fold(current.strip()) in fold(name)


async def function_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """The network's functions ("Integrationssamordnare – Lysekils kommun"), value its id."""
    if interaction.guild_id is None:
        return []
    found = await functions.matching(interaction.client.db, interaction.guild_id, current)
    return [
        app_commands.Choice(name=shorten(f"{f.name} – {f.organisation_name}", 100), value=str(f.id))
        for f in found
    ][:MAX_CHOICES]


async def _contact(
    ctx: Context, member: discord.Member | None, function: str | None
) -> tuple[int | None, int | None]:
    """(person, function) chosen as the contact; a function typed by name is looked up."""
    function_id = None
    if function:
        function_id = parse_id(function)
        if function_id is None:
            found = await functions.matching(ctx.db, ctx.network_id, function, limit=2)
            if len(found) != 1:
                raise InvalidInput(
                    "practice.contact",
                    "practice.error.unknown_function_named",
                    value=shorten(function, 60),
                )
            function_id = found[0].id
        ok = await ctx.db.fetchval(
            "SELECT 1 FROM functions WHERE id = ? AND guild_id = ? AND archived_at IS NULL",
            (function_id, ctx.network_id),
        )
        if not ok:
            raise InvalidInput(
                "practice.contact",
                "practice.error.unknown_function_named",
                value=shorten(function, 60),
            )
    if member is not None and member.bot:
        raise InvalidInput("practice.contact", "practice.error.contact_bot")
    return (member.id if member is not None else None), function_id


async def _practice(ctx: Context, value: str) -> model.Practice:
    pid = await resolve(ctx.db, ctx.network_id, value)
    if pid is None:
        raise InvalidInput("practice.practice", "practice.error.unknown", value=shorten(value, 60))
    return await model.get(ctx.db, ctx.network_id, pid)


def _criteria(
    query: str | None,
    municipality: str | None,
    county: str | None,
    theme: str | None,
    status: str | None,
    target: str | None,
    funding: str | None,
) -> Criteria:
    code = None
    if municipality:
        found = municipalities.resolve(municipality)
        if found is None:
            raise InvalidInput(
                "practice.municipality",
                "practice.error.unknown_municipality",
                value=shorten(municipality, 60),
            )
        code = found.code
    county_code = None
    if county:
        county_code = resolve_county(county)
        if county_code is None:
            raise InvalidInput(
                "practice.county", "practice.error.unknown_county", value=shorten(county, 60)
            )
    if query is not None and len(query) > MAX_QUERY_CHARS:
        raise InvalidInput(
            "practice.query", "errors.text.too_long", max=MAX_QUERY_CHARS, length=len(query)
        )
    return Criteria(query or None, code, county_code, theme, status, target, funding)


class Practices(commands.Cog):
    """The good-practice inventory."""

    dynamic_items = (InterestButton, AdoptButton, RegisterButton, FreshnessButton, ResultsPager)

    practice = app_commands.Group(
        name="practice", description="The network's inventory of good practice", guild_only=True
    )

    def __init__(self, bot: Krokarm) -> None:
        self.bot = bot

    @practice.command(name="add", description="Add a practice to the inventory")
    @app_commands.describe(
        contact="Its contact person (you, if no function is given)",
        function="A function as its contact: it stays when the person leaves",
    )
    @app_commands.autocomplete(function=function_autocomplete)
    async def add(
        self,
        interaction: discord.Interaction[Any],
        contact: discord.Member | None = None,
        function: str | None = None,
    ) -> None:
        ctx = Context.of(interaction)
        user_id, function_id = await _contact(ctx, contact, function)
        fields = Fields(
            title="",
            summary="",
            contact_user_id=user_id if (user_id or function_id) else ctx.user_id,
            contact_function_id=function_id,
        )
        await interaction.response.send_modal(PracticeModal(ctx, Draft(fields)))

    @practice.command(name="find", description="Search the inventory")
    @app_commands.describe(
        query="Words to search for",
        municipality="Only practices in this municipality",
        county="Only practices in this county",
        theme="Only practices with this theme",
        status="Only practices with this status",
        target="Only practices for this target group",
        funding="Only practices with this funding",
    )
    @app_commands.autocomplete(municipality=municipality_autocomplete, county=county_autocomplete)
    @app_commands.choices(
        theme=_choices(THEMES),
        status=_choices(STATUSES),
        target=[app_commands.Choice(name=_TARGET_CHOICES[k], value=k) for k in TARGETS],
        funding=_choices(FUNDING),
    )
    async def find(
        self,
        interaction: discord.Interaction[Any],
        query: str | None = None,
        municipality: str | None = None,
        county: str | None = None,
        theme: str | None = None,
        status: str | None = None,
        target: str | None = None,
        funding: str | None = None,
    ) -> None:
        ctx = Context.of(interaction)
        criteria = _criteria(query, municipality, county, theme, status, target, funding)
        # A search takes milliseconds: answer at once, in one request. Should it ever take
        # long (a busy machine), defer in time for Discord's 3 seconds and follow up.
        work = asyncio.ensure_future(results_page(ctx, criteria, 0))
        done, _ = await asyncio.wait({work}, timeout=ANSWER_AT_ONCE_WITHIN)
        if not done:
            await interaction.response.defer(ephemeral=True)
        embed, page, pages = await work
        view: Any = (
            ResultsPager.buttons(ctx.lang, ctx.user_id, page, pages, criteria.pack(), ctx.bot)
            if pages > 1
            else discord.utils.MISSING
        )
        if interaction.response.is_done():
            await interaction.followup.send(embed=embed, view=view, ephemeral=True)
        else:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    @practice.command(name="show", description="Show a practice")
    @app_commands.describe(practice="The practice (type words of its title)")
    @app_commands.autocomplete(practice=practice_autocomplete)
    async def show(self, interaction: discord.Interaction[Any], practice: str) -> None:
        ctx = Context.of(interaction)
        p = await _practice(ctx, practice)
        await interaction.response.defer(ephemeral=True)
        # A post deleted or archived by hand comes back now.
        await _forum.sync(self.bot, interaction.guild, p)
        p = await model.get(ctx.db, ctx.network_id, p.id)
        contact = await model.contact_of(ctx.db, p)
        embed = _render.card(ctx.lang, p, contact)
        view = _forum.buttons(ctx.lang, p.id)
        content = (
            t(ctx.lang, "practice.saved.post", post=f"<#{p.thread_id}>") if p.thread_id else ""
        )
        await interaction.followup.send(content=content, embed=embed, view=view, ephemeral=True)

    @practice.command(
        name="edit", description="Change a practice (its contact, creator or an admin)"
    )
    @app_commands.describe(
        practice="The practice (type words of its title)",
        contact="A new contact person",
        function="A function as its contact: it stays when the person leaves",
    )
    @app_commands.autocomplete(practice=practice_autocomplete, function=function_autocomplete)
    async def edit(
        self,
        interaction: discord.Interaction[Any],
        practice: str,
        contact: discord.Member | None = None,
        function: str | None = None,
    ) -> None:
        ctx = Context.of(interaction)
        p = await _practice(ctx, practice)
        admin = await is_network_admin(ctx.db, interaction)
        if not await model.may_edit(ctx.db, p, ctx.user_id, admin=admin):
            raise NotAllowed("practice.error.not_allowed")
        fields = Fields.of(p)
        if contact is not None or function is not None:
            user_id, function_id = await _contact(ctx, contact, function)
            fields = replace(fields, contact_user_id=user_id, contact_function_id=function_id)
        draft = Draft(fields, mode="edit", practice_id=p.id)
        await interaction.response.send_message(
            t(ctx.lang, "practice.step.edit_text", title=_render.esc(shorten(p.title, 100))),
            view=StepView(ctx, draft),
            ephemeral=True,
        )

    @practice.command(name="remove", description="Archive a practice and close its post (admins)")
    @app_commands.describe(practice="The practice (type words of its title)")
    @app_commands.autocomplete(practice=practice_autocomplete)
    @network_admin()
    async def remove(self, interaction: discord.Interaction[Any], practice: str) -> None:
        ctx = Context.of(interaction)
        p = await _practice(ctx, practice)
        await interaction.response.defer(ephemeral=True)
        archived = await model.archive(
            ctx.db, ctx.network_id, p.id, user_id=ctx.user_id, now=ctx.now
        )
        await _forum.close(self.bot, interaction.guild, archived)
        await interaction.followup.send(
            t(ctx.lang, "practice.removed", title=_render.esc(p.title)), ephemeral=True
        )

    @practice.command(
        name="interest", description="Register (or withdraw) your organisation's interest"
    )
    @app_commands.describe(practice="The practice (type words of its title)")
    @app_commands.autocomplete(practice=practice_autocomplete)
    async def interest(self, interaction: discord.Interaction[Any], practice: str) -> None:
        ctx = Context.of(interaction)
        p = await _practice(ctx, practice)
        await record_interest(interaction, ctx, p.id, "interest")

    @practice.command(name="export", description="The inventory as a file (same filters as find)")
    @app_commands.describe(
        format="The file's format",
        query="Words to search for",
        municipality="Only practices in this municipality",
        county="Only practices in this county",
        theme="Only practices with this theme",
        status="Only practices with this status",
        target="Only practices for this target group",
        funding="Only practices with this funding",
    )
    @app_commands.autocomplete(municipality=municipality_autocomplete, county=county_autocomplete)
    @app_commands.choices(
        format=[
            app_commands.Choice(name="Markdown", value="markdown"),
            app_commands.Choice(name="CSV", value="csv"),
            app_commands.Choice(name="Excel (XLSX)", value="xlsx"),
            app_commands.Choice(name="Web page (HTML)", value="html"),
        ],
        theme=_choices(THEMES),
        status=_choices(STATUSES),
        target=[app_commands.Choice(name=_TARGET_CHOICES[k], value=k) for k in TARGETS],
        funding=_choices(FUNDING),
    )
    async def export(
        self,
        interaction: discord.Interaction[Any],
        format: str = "csv",
        query: str | None = None,
        municipality: str | None = None,
        county: str | None = None,
        theme: str | None = None,
        status: str | None = None,
        target: str | None = None,
        funding: str | None = None,
    ) -> None:
        ctx = Context.of(interaction)
        criteria = _criteria(query, municipality, county, theme, status, target, funding)
        if format not in transfer.FORMATS:
            raise InvalidInput("practice.format", "practice.error.choice", value=format[:20])
        await interaction.response.defer(ephemeral=True)
        settings = await ctx.settings()
        name, data, count = await transfer.export(
            ctx.db,
            ctx.network_id,
            criteria,
            format,
            ctx.lang,
            settings.name,
            today=ctx.now.astimezone(await ctx.tz()).date(),
        )
        await interaction.followup.send(
            tn(ctx.lang, "practice.export.done", count, n=count),
            file=discord.File(io.BytesIO(data), filename=name),
            ephemeral=True,
        )

    @practice.command(
        name="import", description="Import practices from a CSV or Excel file (admins)"
    )
    @app_commands.describe(file="A CSV or XLSX file with the documented columns")
    @network_admin()
    async def import_(
        self, interaction: discord.Interaction[Any], file: discord.Attachment
    ) -> None:
        ctx = Context.of(interaction)
        name = shorten(file.filename, 100)
        if file.size > exchange.MAX_IMPORT_BYTES:
            raise UserError(
                "practices_exchange.errors.too_large",
                name=name,
                size=f"{file.size / 1048576:.1f}",
                max=f"{exchange.MAX_IMPORT_BYTES / 1048576:.0f}",
            )
        await interaction.response.defer(ephemeral=True)
        data = await file.read()
        checked = await transfer.check_import(
            ctx.db, ctx.network_id, data, name, ctx.lang, describe
        )
        await send_import_report(interaction, ctx, checked)

    # --- posts made by hand ------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_thread_create(self, thread: discord.Thread) -> None:
        """A member's own post in the good-practice forum gets "register as a practice"."""
        if self.bot.user is None or thread.owner_id == self.bot.user.id:
            return
        try:
            forum, settings = await _forum.forum_of(self.bot, thread.guild)
        except Exception:
            return
        if forum is None or thread.parent_id != forum.id:
            return
        if await model.by_thread(self.bot.db, thread.id) is not None:
            return
        view = discord.ui.View(timeout=None)
        view.add_item(RegisterButton(thread.id, settings.lang))
        try:
            await thread.send(
                t(settings.lang, "practice.register.prompt"),
                view=view,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.Forbidden:
            await _forum.tell_admins(self.bot, thread.guild, settings, "forbidden")


__all__ = ["PageButton", "Practices"]
