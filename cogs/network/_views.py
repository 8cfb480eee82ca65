"""Embeds, buttons and modals of `/network`: the settings, the privacy notice, the setup plan."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot import ui
from bot.checks import require_network_admin
from bot.context import Context
from bot.embeds import fit
from bot.i18n import Lang, format_number, t, tn
from bot.services import municipalities, network, organisations
from cogs._common import (
    EMBED_COLOUR,
    PageButton,
    default_privacy_notice,
    municipality_label,
    page_embeds,
    privacy_notice,
    shorten,
)
from cogs.network import _setup

if TYPE_CHECKING:
    from bot.bot import Krokarm

log = logging.getLogger(__name__)


def _when(lang: Lang, stamp: str | None) -> str:
    if stamp is None:
        return t(lang, "network.settings.not_set_up")
    return t(lang, "network.settings.set_up_at", date=stamp[:10])


def _role(lang: Lang, role_id: int | None) -> str:
    return f"<@&{role_id}>" if role_id else t(lang, "network.settings.none")


async def settings_embed(
    bot: Krokarm, settings: network.NetworkSettings, lang: Lang
) -> discord.Embed:
    """A network's settings as an admin reads them."""
    embed = discord.Embed(
        title=shorten(t(lang, "network.settings.title", name=settings.name), 256),
        colour=EMBED_COLOUR,
    )
    counts = await organisations.counts(bot.db, settings.guild_id)
    municipality_count = counts.pop("municipality", 0)
    embed.add_field(name=t(lang, "network.settings.field.name"), value=settings.name)
    embed.add_field(
        name=t(lang, "network.settings.field.language"),
        value=t(lang, f"network.settings.locale.{settings.lang}"),
    )
    embed.add_field(name=t(lang, "network.settings.field.time_zone"), value=settings.timezone)
    embed.add_field(
        name=t(lang, "network.settings.field.admin_role"), value=_role(lang, settings.admin_role_id)
    )
    embed.add_field(
        name=t(lang, "network.settings.field.member_role"),
        value=_role(lang, settings.member_role_id),
    )
    embed.add_field(
        name=t(lang, "network.settings.field.members"),
        value=t(
            lang,
            "network.settings.members",
            municipalities=municipality_count,
            organisations=sum(counts.values()),
        ),
    )
    channels = [
        t(lang, f"network.settings.purpose.{purpose}") + f": <#{cid}>"
        for purpose in network.CHANNEL_PURPOSES
        if (cid := settings.channels.get(purpose)) is not None
    ]
    embed.add_field(
        name=t(lang, "network.settings.field.channels"),
        value=shorten("\n".join(channels), 1024) if channels else _when(lang, None),
        inline=False,
    )
    embed.add_field(
        name=t(lang, "network.settings.field.retention"),
        value=t(
            lang,
            "network.settings.retention",
            grace=settings.leaver_grace_days,
            confirm=settings.confirm_after_days,
        ),
        inline=False,
    )
    notice = (
        t(lang, "network.settings.privacy.default")
        if settings.privacy_notice is None
        else t(
            lang,
            "network.settings.privacy.custom",
            length=format_number(lang, len(settings.privacy_notice)),
        )
    )
    embed.add_field(name=t(lang, "network.settings.field.privacy"), value=notice)
    embed.add_field(
        name=t(lang, "network.settings.field.set_up"), value=_when(lang, settings.set_up_at)
    )
    return fit(embed)


class SettingsView(ui.View):
    """Under the settings: edit the privacy notice (a modal)."""

    def __init__(self, lang: Lang) -> None:
        super().__init__(timeout=None)
        self.add_item(PrivacyButton(lang))


class PrivacyButton(
    ui.Funnelled, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"krokarm:net:privacy"
):
    """Opens the privacy-notice modal; persistent, admins only."""

    def __init__(self, lang: Lang = "sv") -> None:
        super().__init__(
            discord.ui.Button(
                label=t(lang, "network.settings.privacy.edit"),
                style=discord.ButtonStyle.secondary,
                custom_id="krokarm:net:privacy",
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PrivacyButton:
        return cls(Context.of(interaction).lang)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        bot: Krokarm = interaction.client
        await require_network_admin(bot.db, interaction)
        assert interaction.guild_id is not None
        settings = await network.get(bot.db, interaction.guild_id)
        # The admin edits exactly the text members are shown.
        current = await privacy_notice(bot, interaction.guild_id, settings.name, settings.lang)
        await interaction.response.send_modal(PrivacyModal(Context.of(interaction), current))


class PrivacyModal(ui.OwnedModal):
    """The privacy notice as one text (≤ 4000 characters); empty means the default text."""

    kind = "netprivacy"
    rerun = "network settings"

    def __init__(self, ctx: Context, current: str) -> None:
        lang = ctx.lang
        super().__init__(ctx, title=t(lang, "network.settings.privacy.modal_title"))
        self.text: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=t(lang, "network.settings.privacy.label"),
            custom_id="text",
            style=discord.TextStyle.paragraph,
            default=current[: network.PRIVACY_NOTICE_MAX],
            max_length=network.PRIVACY_NOTICE_MAX,
            required=False,
        )
        self.add_item(self.text)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        bot: Krokarm = interaction.client
        await require_network_admin(bot.db, interaction)
        ctx = Context.of(interaction)
        lang = ctx.lang
        current = await ctx.settings()
        text: str | None = self.text.value
        default = await default_privacy_notice(bot, ctx.network_id, current.name, current.lang)
        if text is not None and text.strip() == default.strip():
            text = None  # the default text, unchanged: keep following the default
        settings, changed = await network.update(bot.db, ctx.network_id, privacy_notice=text)
        key = "network.settings.privacy.saved" if changed else "network.settings.unchanged"
        await interaction.response.send_message(
            t(lang, key),
            embed=await settings_embed(bot, settings, lang),
            view=SettingsView(lang),
            ephemeral=True,
        )


# --- setup --------------------------------------------------------------------------------------


class _SetupButton(ui.Owned, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"$^"):
    """Confirm or Cancel under a setup plan: only the admin who ran /network setup may press."""

    key = ""

    def __init__(self, user_id: int, lang: Lang = "sv") -> None:
        self.owner_id = user_id
        super().__init__(
            discord.ui.Button(
                label=t(lang, f"network.setup.button.{self.key}"),
                style=discord.ButtonStyle.success
                if self.key == "confirm"
                else discord.ButtonStyle.secondary,
                custom_id=f"krokarm:setup:{self.key}:{user_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> _SetupButton:
        return cls(int(match["user"]), Context.of(interaction).lang)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        bot: Krokarm = interaction.client
        await require_network_admin(bot.db, interaction)
        await self.act(bot, interaction, Context.of(interaction).lang)

    async def act(self, bot: Krokarm, interaction: discord.Interaction[Any], lang: Lang) -> None:
        raise NotImplementedError


class SetupConfirm(_SetupButton, template=r"krokarm:setup:confirm:(?P<user>\d+)"):
    key = "confirm"

    async def act(self, bot: Krokarm, interaction: discord.Interaction[Any], lang: Lang) -> None:
        guild = interaction.guild
        assert guild is not None
        # Answer at once (the buttons go, so nobody presses twice), then do the REST calls.
        await interaction.response.edit_message(
            content=t(lang, "network.setup.applying"), view=None
        )
        plan, first = await _setup.apply(bot, guild, lang)
        if first:
            await post_welcome(bot, guild)
        await interaction.followup.send(
            embed=_setup.plan_embed(lang, plan, report=True, guild=guild), ephemeral=True
        )


class SetupCancel(_SetupButton, template=r"krokarm:setup:cancel:(?P<user>\d+)"):
    key = "cancel"

    async def act(self, bot: Krokarm, interaction: discord.Interaction[Any], lang: Lang) -> None:
        await interaction.response.edit_message(
            content=t(lang, "network.setup.cancelled"), embed=None, view=None
        )


def setup_view(user_id: int, lang: Lang) -> ui.View:
    view = ui.View(timeout=None)
    view.add_item(SetupConfirm(user_id, lang))
    view.add_item(SetupCancel(user_id, lang))
    return view


def _welcome_view(lang: Lang) -> ui.View:
    # Imported here: onboarding and the directory own these buttons; this keeps the imports
    # one-way at load.
    from cogs.directory._views import EditProfileButton
    from cogs.onboarding._views import PickButton

    view = ui.View(timeout=None)
    view.add_item(PickButton(None, lang))
    view.add_item(EditProfileButton(lang, label_key="profile.button.create"))
    return view


def _welcome_channel(
    guild: discord.Guild, settings: network.NetworkSettings
) -> discord.TextChannel | None:
    channel_id = settings.channels.get("welcome")
    channel = guild.get_channel(channel_id) if channel_id else None
    return channel if isinstance(channel, discord.TextChannel) else None


async def post_welcome(bot: Krokarm, guild: discord.Guild) -> None:
    """After the first setup: a standing message in the welcome channel with the organisation
    picker, for everyone who was on the server before the bot greeted newcomers. Its id is
    remembered, so that it follows the network's name and language (`refresh_welcome`)."""
    settings = await network.get(bot.db, guild.id)
    channel = _welcome_channel(guild, settings)
    if channel is None:
        return
    lang = settings.lang
    message = await channel.send(
        t(lang, "onboarding.standing", network=settings.name), view=_welcome_view(lang)
    )
    await network.set_welcome_message(bot.db, guild.id, message.id)


async def _find_standing(channel: discord.TextChannel) -> int | None:
    """The standing message of a network set up before its id was remembered: the bot's own
    message with the picker for everyone, among the channel's recent messages."""
    me = channel.guild.me
    try:
        async for message in channel.history(limit=50):
            if message.author.id != me.id:
                continue
            for row in message.components:
                for item in getattr(row, "children", ()):
                    if getattr(item, "custom_id", None) == "krokarm:onb:pick:any":
                        return message.id
    except discord.HTTPException:
        return None
    return None


async def refresh_welcome(bot: Krokarm, guild: discord.Guild) -> bool:
    """Edit the standing welcome message to the network's present name and language; False
    when there is none (not set up, or deleted by hand: it is not posted again unasked)."""
    settings = await network.get(bot.db, guild.id)
    channel = _welcome_channel(guild, settings)
    message_id = await network.welcome_message(bot.db, guild.id)
    if channel is not None and message_id is None:
        message_id = await _find_standing(channel)
        if message_id is not None:
            await network.set_welcome_message(bot.db, guild.id, message_id)
    if channel is None or message_id is None:
        return False
    lang = settings.lang
    try:
        await channel.get_partial_message(message_id).edit(
            content=t(lang, "onboarding.standing", network=settings.name),
            view=_welcome_view(lang),
        )
    except discord.NotFound:
        await network.set_welcome_message(bot.db, guild.id, None)
        return False
    except discord.HTTPException as exc:
        log.warning("guild %s: the welcome message could not be edited (%s)", guild.id, exc.status)
        return False
    return True


# --- lists --------------------------------------------------------------------------------------

# Lists are paged at about 40 lines: easier to read than Discord's 4096-character maximum.
PAGE_CHARACTERS = 1800


async def list_page(ctx: Context, what: str, page: int) -> tuple[discord.Embed, int, int]:
    """Page `page` of a network list: `m` the member municipalities, `o<kind>` the
    organisations (of one kind, or all)."""
    lang = ctx.lang
    if what == "m":
        orgs = await organisations.list_organisations(ctx.db, ctx.network_id, kind="municipality")
        lines = []
        for org in orgs:
            m = municipalities.by_code(org.municipality_code or "")
            lines.append(
                f"• {municipality_label(m, lang) if m else org.name} — {org.municipality_code}"
            )
        title = tn(lang, "network.municipalities.list.title", len(orgs))
        empty = t(lang, "network.municipalities.list.empty")
    else:
        kind = what[1:] or None
        orgs = await organisations.list_organisations(ctx.db, ctx.network_id, kind=kind)
        lines = [f"• {o.name} — {t(lang, f'network.kind.{o.kind}')}" for o in orgs]
        title = tn(lang, "network.organisations.list.title", len(orgs))
        empty = t(lang, "network.organisations.list.empty")
    pages = page_embeds(title, lines, empty, PAGE_CHARACTERS)
    page = max(0, min(page, len(pages) - 1))
    embed = pages[page]
    if len(pages) > 1:
        embed.set_footer(text=t(lang, "pager.page", page=page + 1, pages=len(pages)))
    return fit(embed), page, len(pages)


class NetworkListPager(PageButton, template=PageButton.pattern("n")):
    """Pages of `/network municipalities list` and `/network organisations list` (admins)."""

    kind = "n"
    rerun = "network organisations list"

    async def check(self, interaction: discord.Interaction[Any]) -> None:
        await super().check(interaction)
        await require_network_admin(interaction.client.db, interaction)

    async def render(self, ctx: Context, state: str, page: int) -> tuple[discord.Embed, int, int]:
        return await list_page(ctx, state, page)
