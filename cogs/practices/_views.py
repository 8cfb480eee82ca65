"""The forms, steps and buttons of `/practice`."""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass, replace
from typing import Any

import discord

from bot import ui
from bot.checks import is_network_admin
from bot.context import Context
from bot.embeds import fit
from bot.errors import InvalidInput, NotAllowed, UserError
from bot.i18n import Lang, t
from bot.services.practices import model, transfer
from bot.services.practices.model import FUNDING, STATUSES, TARGETS, THEMES, Fields, Practice
from bot.services.practices.search import Criteria, search
from bot.services.text import parse_id
from cogs._common import EMBED_COLOUR, PageButton, shorten
from cogs.practices import _forum, _render


@dataclass
class Draft:
    """A practice being written: its fields so far, and what saving does."""

    fields: Fields
    mode: str = "add"  # "add", "edit" or "register" (a hand-made post)
    practice_id: int | None = None
    thread_id: int | None = None


def _bot(interaction: discord.Interaction[Any]) -> Any:
    return interaction.client


# --- the text form -------------------------------------------------------------------------------


class PracticeModal(ui.OwnedModal):
    """Title, summary, description, where (municipalities) and who (organisations)."""

    kind = "practice"
    rerun = "practice add"

    def __init__(self, ctx: Context, draft: Draft) -> None:
        lang = ctx.lang
        super().__init__(ctx, title=t(lang, "practice.modal.title"))
        self.draft = draft
        f = draft.fields
        names = ", ".join(
            p.name for p in (model.municipalities.by_code(c) for c in f.municipalities) if p
        )

        def field(
            key: str, value: str, limit: int, *, required: bool = False, long: bool = False
        ) -> Any:
            item: discord.ui.TextInput[Any] = discord.ui.TextInput(
                label=t(lang, f"field.practice.{key}"),
                custom_id=f"practice:{key}",
                default=value[:limit] or None,
                max_length=limit,
                required=required,
                style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
                placeholder=shorten(t(lang, f"practice.modal.placeholder.{key}"), 100),
            )
            self.add_item(item)
            return item

        self.title_input = field("title", f.title, model.TITLE_MAX, required=True)
        self.summary = field("summary", f.summary, model.SUMMARY_MAX, required=True, long=True)
        self.description = field("description", f.description, model.DESCRIPTION_MAX, long=True)
        self.places = field("municipalities", names, 400)
        self.orgs = field("organisations", ", ".join(f.organisations), 400)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        fields = replace(
            self.draft.fields,
            title=self.title_input.value,
            summary=self.summary.value,
            description=self.description.value or "",
            municipalities=model.parse_municipalities(self.places.value),
            organisations=model.parse_organisations(self.orgs.value),
        )
        # Check the text now, so a refusal re-opens this form with what was typed.
        model.clean(fields)
        self.draft.fields = fields
        await send_step(interaction, ctx, self.draft)


class DetailsModal(ui.OwnedModal):
    """Success factors, lessons, links, start and end dates, the amount in SEK."""

    kind = "pracdet"
    rerun = "practice add"

    def __init__(self, ctx: Context, draft: Draft) -> None:
        lang = ctx.lang
        super().__init__(ctx, title=t(lang, "practice.details.title"))
        self.draft = draft
        f = draft.fields

        def field(key: str, value: str, limit: int, *, long: bool = False) -> Any:
            item: discord.ui.TextInput[Any] = discord.ui.TextInput(
                label=t(lang, f"field.practice.{key}"),
                custom_id=f"practice:{key}",
                default=value[:limit] or None,
                max_length=limit,
                required=False,
                style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
                placeholder=shorten(t(lang, f"practice.modal.placeholder.{key}"), 100),
            )
            self.add_item(item)
            return item

        dates = " – ".join(d.isoformat() if d else "" for d in (f.start_date, f.end_date)).strip(
            " –"
        )
        if f.start_date is None and f.end_date is not None:
            dates = f"– {f.end_date.isoformat()}"
        self.factors = field("success_factors", f.success_factors, model.FACTORS_MAX, long=True)
        self.lessons = field("lessons", f.lessons, model.LESSONS_MAX, long=True)
        self.links = field("links", "\n".join(f.links), 2600, long=True)
        self.dates = field("dates", dates, 40)
        self.amount = field(
            "funding_sek", str(f.funding_sek) if f.funding_sek is not None else "", 20
        )

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        start, end = parse_dates(self.dates.value)
        fields = replace(
            self.draft.fields,
            success_factors=self.factors.value or "",
            lessons=self.lessons.value or "",
            links=model.parse_links(self.links.value),
            start_date=start,
            end_date=end,
            funding_sek=model.parse_sek(self.amount.value),
        )
        model.clean(fields)
        self.draft.fields = fields
        await send_step(interaction, ctx, self.draft)


_DATE_RANGE = re.compile(r"^\s*(\S*)\s*(?:[–—-]{1,2}|\s)\s*(\S*)\s*$")


def parse_dates(text: str | None) -> tuple[Any, Any]:
    """ "2025-01-15 – 2026-06-30", "2025-01-15", "– 2026-06-30": start and end (or None)."""
    value = (text or "").strip()
    if not value:
        return None, None
    if len(value) == 10:
        return model.parse_date("practice.start_date", value), None
    found = _DATE_RANGE.match(value.replace(" - ", " – "))
    if found is None:
        raise InvalidInput("practice.dates", "practice.error.dates", value=value[:40])
    start = model.parse_date("practice.start_date", found[1])
    end = model.parse_date("practice.end_date", found[2])
    if start and end and end < start:
        raise InvalidInput("practice.end_date", "practice.error.end_before_start")
    return start, end


# --- the step: selects, details, save ------------------------------------------------------------


def _options(
    lang: Lang, kind: str, keys: tuple[str, ...], chosen: tuple[str, ...]
) -> list[discord.SelectOption]:
    def name(key: str) -> str:
        return _render.theme_name(lang, key) if kind == "theme" else _render.label(lang, kind, key)

    return [
        discord.SelectOption(label=shorten(name(k), 100), value=k, default=k in chosen)
        for k in keys
    ]


class StepView(ui.OwnedView):
    """Themes, target groups, status and funding; then details, save or cancel."""

    kind = "pstep"

    def __init__(self, ctx: Context, draft: Draft) -> None:
        super().__init__(ctx.user_id, ctx.guild_id)
        self.draft = draft
        self.lang = lang = ctx.lang
        f = draft.fields
        self.themes_select: discord.ui.Select[Any] = discord.ui.Select(
            placeholder=t(lang, "field.practice.themes"),
            min_values=0,
            max_values=model.MAX_THEMES,
            options=_options(lang, "theme", THEMES, f.themes),
        )
        self.targets_select: discord.ui.Select[Any] = discord.ui.Select(
            placeholder=t(lang, "field.practice.targets"),
            min_values=0,
            max_values=len(TARGETS),
            options=_options(lang, "target", TARGETS, f.targets),
        )
        self.status_select: discord.ui.Select[Any] = discord.ui.Select(
            placeholder=t(lang, "field.practice.status"),
            min_values=1,
            max_values=1,
            options=_options(lang, "status", STATUSES, (f.status,)),
        )
        self.funding_select: discord.ui.Select[Any] = discord.ui.Select(
            placeholder=t(lang, "field.practice.funding"),
            min_values=0,
            max_values=model.MAX_FUNDING,
            options=_options(lang, "funding", FUNDING, f.funding),
        )
        for select, name in (
            (self.themes_select, "themes"),
            (self.targets_select, "targets"),
            (self.status_select, "status"),
            (self.funding_select, "funding"),
        ):
            select.callback = self._chosen(select, name)  # type: ignore[method-assign]
            self.add_item(select)
        for label_key, style, callback in (
            ("practice.step.details", discord.ButtonStyle.secondary, self._details),
            ("practice.step.text", discord.ButtonStyle.secondary, self._text),
            ("practice.step.save", discord.ButtonStyle.success, self._save),
            ("practice.step.cancel", discord.ButtonStyle.danger, self._cancel),
        ):
            button: discord.ui.Button[Any] = discord.ui.Button(
                label=t(lang, label_key), style=style, row=4
            )
            button.callback = callback  # type: ignore[method-assign]
            self.add_item(button)

    def _chosen(self, select: discord.ui.Select[Any], name: str) -> Any:
        async def callback(interaction: discord.Interaction[Any]) -> None:
            values = tuple(select.values)
            if name == "status":
                self.draft.fields = replace(
                    self.draft.fields, status=values[0] if values else "ongoing"
                )
            else:
                self.draft.fields = replace(self.draft.fields, **{name: values})  # type: ignore[arg-type]
            for option in select.options:
                option.default = option.value in values
            # Shown again with what was chosen (and so answered at once).
            await interaction.response.edit_message(view=self)

        return callback

    async def _details(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_modal(DetailsModal(Context.of(interaction), self.draft))

    async def _text(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_modal(PracticeModal(Context.of(interaction), self.draft))

    async def _cancel(self, interaction: discord.Interaction[Any]) -> None:
        self.stop()
        await interaction.response.edit_message(
            content=t(self.lang, "practice.step.cancelled"), embed=None, view=None
        )

    async def _save(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        fields = model.clean(self.draft.fields)
        if self.draft.mode != "edit":
            similar = await similar_practices(ctx, fields)
            if similar:
                lines = [
                    f"• **{_render.esc(p.title)}** – {_render.esc(shorten(p.summary, 120))}"
                    for p in similar
                ]
                embed = fit(
                    discord.Embed(
                        title=t(ctx.lang, "practice.similar.title"),
                        description="\n".join(lines),
                        colour=EMBED_COLOUR,
                    )
                )
                await interaction.response.edit_message(
                    content=t(ctx.lang, "practice.similar.text"),
                    embed=embed,
                    view=DuplicateView(ctx, self.draft),
                )
                return
        await save(interaction, ctx, self.draft)


async def similar_practices(ctx: Context, fields: Fields) -> list[Practice]:
    """Practices of the network that look like this one: its title's words (any of them that
    the search finds together), best first."""
    result = await search(ctx.db, ctx.network_id, Criteria(query=fields.title), per_page=3)
    if result.total == 0:
        # No practice holds every word of the title: the most distinctive words alone.
        words = sorted((w for w in fields.title.split() if len(w) > 4), key=len, reverse=True)[:2]
        for word in words:
            result = await search(ctx.db, ctx.network_id, Criteria(query=word), per_page=3)
            if result.total:
                break
    return result.practices


class DuplicateView(ui.OwnedView):
    kind = "pdup"

    def __init__(self, ctx: Context, draft: Draft) -> None:
        super().__init__(ctx.user_id, ctx.guild_id)
        self.draft = draft
        self.lang = ctx.lang
        self.anyway.label = t(ctx.lang, "practice.similar.save_anyway")
        self.cancel.label = t(ctx.lang, "practice.step.cancel")

    @discord.ui.button(label="Save anyway", style=discord.ButtonStyle.primary)
    async def anyway(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        self.stop()
        await save(interaction, Context.of(interaction), self.draft)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        self.stop()
        await interaction.response.edit_message(
            content=t(self.lang, "practice.step.cancelled"), embed=None, view=None
        )


async def send_step(interaction: discord.Interaction[Any], ctx: Context, draft: Draft) -> None:
    key = "practice.step.edit_text" if draft.mode == "edit" else "practice.step.text_intro"
    await interaction.response.send_message(
        t(ctx.lang, key, title=_render.esc(shorten(draft.fields.title, 100))),
        view=StepView(ctx, draft),
        ephemeral=True,
    )


async def save(interaction: discord.Interaction[Any], ctx: Context, draft: Draft) -> None:
    """Write the draft (one transaction), then bring the forum post in step."""
    await interaction.response.defer()
    bot = ctx.bot
    if draft.mode == "edit" and draft.practice_id is not None:
        before, practice = await model.update(
            ctx.db,
            ctx.network_id,
            draft.practice_id,
            draft.fields,
            user_id=ctx.user_id,
            now=ctx.now,
        )
        await _forum.sync(bot, interaction.guild, practice)
        practice = await model.get(ctx.db, ctx.network_id, practice.id)
        if before.status != practice.status:
            settings = await ctx.settings()
            await _forum.say(
                bot,
                interaction.guild,
                practice,
                t(
                    settings.lang,
                    "practice.thread.status",
                    status=_render.label(settings.lang, "status", practice.status),
                ),
            )
        done = t(ctx.lang, "practice.saved.edited", title=_render.esc(practice.title))
    else:
        fields = draft.fields
        if fields.contact_user_id is None and fields.contact_function_id is None:
            fields = replace(fields, contact_user_id=ctx.user_id)
        practice = await model.create(
            ctx.db, ctx.network_id, fields, user_id=ctx.user_id, now=ctx.now
        )
        if draft.thread_id is not None:
            await model.set_thread(ctx.db, practice.id, draft.thread_id)
            practice = replace(practice, thread_id=draft.thread_id)
        await _forum.sync(bot, interaction.guild, practice)
        practice = await model.get(ctx.db, ctx.network_id, practice.id)
        done = t(ctx.lang, "practice.saved.added", title=_render.esc(practice.title))
    if practice.thread_id:
        done += "\n" + t(ctx.lang, "practice.saved.post", post=f"<#{practice.thread_id}>")
    await interaction.edit_original_response(content=done, embed=None, view=None)


# --- buttons on every practice -------------------------------------------------------------------


class _PracticeButton(ui.Funnelled, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"$^"):
    kind_key = ""
    emoji = ""
    label_key = ""

    def __init__(self, practice_id: int, lang: str = "sv") -> None:
        self.practice_id = practice_id
        super().__init__(
            discord.ui.Button(
                label=t(lang, self.label_key),  # type: ignore[arg-type]
                emoji=self.emoji,
                style=discord.ButtonStyle.secondary,
                custom_id=f"krokarm:{self.kind_key}:{practice_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Any:
        return cls(int(match["id"]))

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        await record_interest(interaction, ctx, self.practice_id, self.interest_kind)

    interest_kind = "interest"


class InterestButton(_PracticeButton, template=r"krokarm:pi:(?P<id>\d{1,19})"):
    kind_key = "pi"
    emoji = "🙋"
    label_key = "practice.button.interest"
    interest_kind = "interest"


class AdoptButton(_PracticeButton, template=r"krokarm:pa:(?P<id>\d{1,19})"):
    kind_key = "pa"
    emoji = "✅"
    label_key = "practice.button.adopted"
    interest_kind = "adopted"


async def record_interest(
    interaction: discord.Interaction[Any], ctx: Context, practice_id: int, kind: str
) -> None:
    """Toggle the member's organisation's interest (or adoption); tell the contact by DM and
    the thread; bring the post in step."""
    organisation = await model.member_organisation(ctx.db, ctx.network_id, ctx.user_id)
    change = await model.toggle_interest(
        ctx.db, ctx.network_id, practice_id, kind, organisation, user_id=ctx.user_id, now=ctx.now
    )
    p = change.practice
    org = _render.esc(change.organisation)
    title = _render.esc(p.title)
    key = f"practice.{kind}.{'added' if change.added else 'withdrawn'}"
    await interaction.response.send_message(
        t(ctx.lang, key, organisation=org, title=title), ephemeral=True
    )
    settings = await ctx.settings()
    guild = interaction.guild
    if change.added:
        await _forum.say(
            ctx.bot, guild, p, t(settings.lang, f"practice.thread.{kind}", organisation=org)
        )
        contact = await model.contact_of(ctx.db, p)
        if contact.user_id is not None and contact.user_id != ctx.user_id and guild is not None:
            member = guild.get_member(contact.user_id)
            if member is not None:
                lang = settings.lang  # a member's own locale is known only in interactions
                with contextlib.suppress(discord.HTTPException):  # DMs closed: the thread tells
                    await member.send(
                        shorten(
                            t(
                                lang,
                                f"practice.dm.{kind}",
                                organisation=org,
                                title=title,
                                member=_render.esc(ctx.user.display_name),
                                network=_render.esc(settings.name),
                            ),
                            2000,
                        ),
                        allowed_mentions=discord.AllowedMentions.none(),
                    )
    await _forum.sync(ctx.bot, guild, p)


# --- a post made by hand -------------------------------------------------------------------------


class RegisterButton(
    ui.Funnelled,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"krokarm:preg:(?P<thread>\d{1,19})",
):
    """Under a post a member made by hand: opens the form, prefilled from its title and tags."""

    def __init__(self, thread_id: int, lang: str = "sv") -> None:
        self.thread_id = thread_id
        super().__init__(
            discord.ui.Button(
                label=t(lang, "practice.button.register"),  # type: ignore[arg-type]
                emoji="📝",
                style=discord.ButtonStyle.primary,
                custom_id=f"krokarm:preg:{thread_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> RegisterButton:
        return cls(int(match["thread"]))

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        guild = interaction.guild
        thread = guild.get_thread(self.thread_id) if guild else None
        if thread is None or guild is None:
            raise UserError("practice.error.not_found")
        admin = await is_network_admin(ctx.db, interaction)
        if thread.owner_id != ctx.user_id and not admin:
            raise NotAllowed("practice.error.not_post_author")
        if await model.by_thread(ctx.db, thread.id) is not None:
            raise UserError("practice.error.already_registered")
        settings = await ctx.settings()
        by_tag = {
            tag_id: key
            for (forum, key), tag_id in settings.forum_tags.items()
            if forum == "practices"
        }
        themes = tuple(by_tag[tag.id] for tag in thread.applied_tags if tag.id in by_tag)[
            : model.MAX_THEMES
        ]
        starter = thread.starter_message
        if starter is None:
            with contextlib.suppress(discord.HTTPException):
                starter = await thread.fetch_message(thread.id)
        summary = (starter.content if starter is not None else "")[: model.SUMMARY_MAX]
        draft = Draft(
            Fields(title=thread.name[: model.TITLE_MAX], summary=summary, themes=themes),
            mode="register",
            thread_id=thread.id,
        )
        await interaction.response.send_modal(PracticeModal(ctx, draft))


# --- freshness -----------------------------------------------------------------------------------


class FreshnessButton(
    ui.Funnelled,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"krokarm:pfr:(?P<guild>\d{1,19}):(?P<id>\d{1,19}):(?P<act>still|ended|edit)",
):
    """In the 12-month question: still running, ended, or edit."""

    def __init__(self, guild_id: int, practice_id: int, act: str, lang: str = "sv") -> None:
        self.guild_id = guild_id
        self.practice_id = practice_id
        self.act = act
        super().__init__(
            discord.ui.Button(
                label=t(lang, f"practice.fresh.{act}"),  # type: ignore[arg-type]
                style=discord.ButtonStyle.primary
                if act == "still"
                else discord.ButtonStyle.secondary,
                custom_id=f"krokarm:pfr:{guild_id}:{practice_id}:{act}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> FreshnessButton:
        return cls(int(match["guild"]), int(match["id"]), match["act"])

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        ctx = Context.of(interaction)
        bot = ctx.bot
        p = await model.get(ctx.db, self.guild_id, self.practice_id)
        guild = bot.get_guild(self.guild_id)
        member = guild.get_member(ctx.user_id) if guild else None
        admin = False
        if guild is not None and member is not None:
            admin = member.guild_permissions.manage_guild or member.guild_permissions.administrator
            settings = await ctx.settings(self.guild_id)
            admin = admin or any(r.id == settings.admin_role_id for r in member.roles)
        if member is None or not await model.may_edit(ctx.db, p, ctx.user_id, admin=admin):
            raise NotAllowed("practice.error.not_allowed")
        if self.act == "still":
            await model.confirm_current(
                ctx.db, self.guild_id, p.id, user_id=ctx.user_id, now=ctx.now
            )
            text = t(ctx.lang, "practice.fresh.confirmed", title=_render.esc(p.title))
        elif self.act == "ended":
            _, after = await model.set_status(
                ctx.db, self.guild_id, p.id, "ended", user_id=ctx.user_id, now=ctx.now
            )
            await _forum.sync(bot, guild, after)
            settings = await ctx.settings(self.guild_id)
            await _forum.say(
                bot,
                guild,
                after,
                t(
                    settings.lang,
                    "practice.thread.status",
                    status=_render.label(settings.lang, "status", "ended"),
                ),
            )
            text = t(ctx.lang, "practice.fresh.ended_done", title=_render.esc(p.title))
        else:
            text = t(
                ctx.lang,
                "practice.fresh.edit_hint",
                title=_render.esc(p.title),
                command=ui.command_text(ctx.lang, "practice edit"),
            )
        await interaction.response.edit_message(content=text, view=None)


# --- the list ------------------------------------------------------------------------------------


class ResultsPager(PageButton, template=PageButton.pattern("pf")):
    """Pages of `/practice find`; the criteria are in the custom_id."""

    kind = "pf"
    rerun = "practice find"

    async def render(self, ctx: Context, state: str, page: int) -> tuple[discord.Embed, int, int]:
        return await results_page(ctx, Criteria.unpack(state), page)


async def results_page(
    ctx: Context, criteria: Criteria, page: int
) -> tuple[discord.Embed, int, int]:
    result = await search(ctx.db, ctx.network_id, criteria, page=page)
    embed = _render.results(ctx.lang, result, t(ctx.lang, "practice.find.title"))
    return embed, result.page, result.pages


def practice_id_of(value: str) -> int | None:
    return parse_id(value[2:]) if value.startswith("p:") else None


# --- import --------------------------------------------------------------------------------------

REPORT_LINES_SHOWN = 15


def import_report_text(lang: Lang, checked: transfer.Checked) -> tuple[str, str]:
    """(the message, the full report): the counts and the first refusals, row by row."""
    lines = [
        t(
            lang,
            "practices_exchange.report.counts",
            accepted=len(checked.accepted),
            refused=len(checked.refused),
        )
    ]
    if checked.report.ignored_columns:
        columns = ", ".join(checked.report.ignored_columns)
        lines.append(t(lang, "practices_exchange.report.ignored", columns=columns))
    rows = [
        t(lang, "practice.import.row", row=str(r), reason=reason) for r, reason in checked.refused
    ]
    full = "\n".join([*lines, *rows])
    shown = rows[:REPORT_LINES_SHOWN]
    if len(rows) > len(shown):
        shown.append(t(lang, "practice.import.more", n=len(rows) - len(shown)))
    text = "\n".join([*lines, *(_render.esc(x) for x in shown)])
    if checked.accepted:
        text += "\n\n" + t(lang, "practice.import.confirm_text", n=len(checked.accepted))
    return shorten(text, 1900), full


async def send_import_report(
    interaction: discord.Interaction[Any], ctx: Context, checked: transfer.Checked
) -> None:
    text, full = import_report_text(ctx.lang, checked)
    files = []
    if checked.refused:
        files.append(discord.File(io.BytesIO(full.encode()), filename="import-report.txt"))
    view: Any = ImportView(ctx, checked) if checked.accepted else discord.utils.MISSING
    await interaction.followup.send(text, view=view, files=files, ephemeral=True)


# Imports of more practices than this get their forum posts when each is next shown or changed:
# Discord's rate limits make thousands of posts at once a matter of hours.
POST_AT_IMPORT = 25


class ImportView(ui.OwnedView):
    """Confirm or cancel an import (the admin who ran it only); refused rows are never written."""

    kind = "pimp"

    def __init__(self, ctx: Context, checked: transfer.Checked) -> None:
        super().__init__(ctx.user_id, ctx.guild_id)
        self.checked = checked
        self.lang = ctx.lang
        self.confirm.label = t(ctx.lang, "practice.import.confirm")
        self.cancel.label = t(ctx.lang, "practice.step.cancel")

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.success)
    async def confirm(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        from bot.checks import require_network_admin

        ctx = Context.of(interaction)
        await require_network_admin(ctx.db, interaction)
        self.stop()
        await interaction.response.edit_message(
            content=t(ctx.lang, "practice.import.writing"), view=None
        )
        ids = await transfer.write_import(
            ctx.db, ctx.network_id, self.checked.accepted, user_id=ctx.user_id, now=ctx.now
        )
        if len(ids) <= POST_AT_IMPORT:
            for practice in await model.load(ctx.db, ids):
                await _forum.sync(ctx.bot, interaction.guild, practice)
        await interaction.edit_original_response(
            content=t(ctx.lang, "practice.import.done", n=len(ids))
        )

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        self.stop()
        await interaction.response.edit_message(
            content=t(self.lang, "practice.import.cancelled"), view=None, attachments=[]
        )
