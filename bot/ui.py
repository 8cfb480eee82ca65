"""Views, modals and dynamic items that belong to one user in one network.

Every component and modal the bot shows has a custom_id that starts with `krokarm:`. Those that
belong to someone say so in the id, and every press or submit is checked against it in ONE place
(`check_owner`, one catalogue message `errors.not_yours`):

- `OwnedModal`: each instance gets its own id `krokarm:<kind>:<user>:<network>:<random>`.
  discord.py keeps open modals in one dict keyed by custom_id alone (`ViewStore._modals`), so a
  fixed id let the last opener's modal receive everyone's submit; with the user, the network and
  a random part in the id, two people (or one person in two networks) never share an entry.
- `OwnedView`: an in-memory view for one user; its items get ids of the same shape.
- `Owned`: mixed into a `discord.ui.DynamicItem` whose template captures `user` (and `guild`):
  state lives in the custom_id, so the item keeps working after a restart.
- `Expired`: the catch-all registered last. A `krokarm:` component or modal that nothing handles
  any more (an in-memory view from before a restart, a modal past its time) is answered, in the
  user's language, with "this has expired" and the command to run again, instead of Discord's
  "This interaction failed".

A modal whose submit is refused for one field answers with the error and a button that opens the
same modal again with everything that was typed (`OwnedModal.on_error`).
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import discord

from bot import funnel
from bot.errors import InvalidInput, UserError
from bot.i18n import Lang, has, t

if TYPE_CHECKING:
    from bot.context import Context

log = logging.getLogger(__name__)

PREFIX = "krokarm:"
MODAL_TIMEOUT = 15 * 60  # an interaction token lives 15 minutes; so does an open form
VIEW_TIMEOUT = 15 * 60
# Discord waits three seconds for the first answer to an interaction, and its delivery to the
# bot takes part of them: what is not ready by then is answered after a defer.
ANSWER_AT_ONCE = 2.0


@dataclass(frozen=True)
class Reply:
    """What a command answers: text, an embed, components (each optional)."""

    content: str | None = None
    embed: discord.Embed | None = None
    view: discord.ui.View | None = None

    def parts(self) -> dict[str, Any]:
        given = {"content": self.content, "embed": self.embed, "view": self.view}
        return {k: v for k, v in given.items() if v is not None}


async def answer_soon(
    interaction: discord.Interaction[Any],
    work: Awaitable[Reply],
    *,
    ephemeral: bool = True,
    within: float | None = None,
) -> None:
    """Answer with what `work` makes: at once when it is ready within `within` seconds (one
    request to Discord, and no "thinking…" that flashes by), else after a defer, so that
    Discord shows the bot is at it and the answer follows however long it takes. An error in
    `work` reaches the tree's error handler either way."""
    task = asyncio.ensure_future(work)
    try:
        reply = await asyncio.wait_for(
            asyncio.shield(task), ANSWER_AT_ONCE if within is None else within
        )
    except TimeoutError:
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        reply = await task
        await interaction.followup.send(**reply.parts(), ephemeral=ephemeral)
        return
    except asyncio.CancelledError:
        task.cancel()
        raise
    await interaction.response.send_message(**reply.parts(), ephemeral=ephemeral)


class NotYours(UserError):
    """Someone pressed or submitted what belongs to another person or another network."""

    def __init__(self) -> None:
        super().__init__("errors.not_yours")


def owned_custom_id(kind: str, user_id: int, guild_id: int | None) -> str:
    """`krokarm:<kind>:<user>:<network or 0>:<random>`, well under Discord's 100 characters."""
    return f"{PREFIX}{kind}:{user_id}:{guild_id or 0}:{secrets.token_hex(4)}"


def check_owner(
    interaction: discord.Interaction[Any], user_id: int | None, guild_id: int | None = None
) -> None:
    """The one "not yours" check: `NotYours` unless the interaction comes from `user_id` (None:
    anyone) in network `guild_id` (None, or a direct message: any)."""
    if user_id is not None and interaction.user.id != user_id:
        raise NotYours()
    if guild_id and interaction.guild_id is not None and interaction.guild_id != guild_id:
        raise NotYours()


def command_text(lang: Lang, path: str) -> str:
    """A slash command as the user sees it: "profile edit" → "/profil redigera" in Swedish."""
    parts = path.split()
    names = []
    for i in range(len(parts)):
        key = "cmd." + ".".join(parts[: i + 1]) + ".name"
        names.append(t(lang, key) if has(lang, key) else parts[i])
    return "/" + " ".join(names)


class View(discord.ui.View):
    """A view whose errors reach the funnel."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await funnel.handle(interaction, error, f"view {type(self).__name__}")


class Modal(discord.ui.Modal):
    """A modal whose errors reach the funnel."""

    async def on_error(  # type: ignore[override]  # Modal's own signature has no item
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        await funnel.handle(interaction, error, f"modal {type(self).__name__}")


class OwnedView(View):
    """An in-memory view for one user in one network: only they may press it.

    Its items get `krokarm:` ids of their own, so after a restart `Expired` answers them."""

    kind: ClassVar[str] = "view"

    def __init__(self, user_id: int, guild_id: int | None, *, timeout: float = VIEW_TIMEOUT):
        super().__init__(timeout=timeout)
        self.owner_id = user_id
        self.guild_id = guild_id
        for item in self.children:
            self._own(item)

    def _own(self, item: discord.ui.Item[Any]) -> None:
        if isinstance(item, discord.ui.Button) and item.url is not None:
            return
        if isinstance(item, discord.ui.Button | discord.ui.Select) and not str(
            item.custom_id
        ).startswith(PREFIX):
            item.custom_id = owned_custom_id(self.kind, self.owner_id, self.guild_id)

    def add_item(self, item: discord.ui.Item[Any]) -> OwnedView:
        self._own(item)
        super().add_item(item)
        return self

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        check_owner(interaction, self.owner_id, self.guild_id)
        return True


class OwnedModal(Modal):
    """A modal for one user in one network; subclasses set `kind` and `rerun`.

    `kind` is the id's second part (which form); `rerun` the command that opens it again (shown
    when it has expired). A refused submit (`InvalidInput`) is answered with the reason and a
    button that re-opens this modal with what was typed."""

    kind: ClassVar[str] = "modal"
    rerun: ClassVar[str] = ""
    registry: ClassVar[dict[str, type[OwnedModal]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        OwnedModal.registry[cls.kind] = cls

    def __init__(self, ctx: Context, *, title: str, guild_id: int | None = None) -> None:
        self.owner_id = ctx.user_id
        self.guild_id = guild_id if guild_id is not None else ctx.guild_id
        self.lang = ctx.lang
        super().__init__(
            title=title[:45],
            timeout=MODAL_TIMEOUT,
            custom_id=owned_custom_id(self.kind, self.owner_id, self.guild_id),
        )

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        check_owner(interaction, self.owner_id, self.guild_id)
        return True

    def keep_typed(self) -> None:
        """What was typed becomes each field's default, for opening the modal again."""
        for item in self.children:
            if isinstance(item, discord.ui.TextInput):
                item.default = item.value or None

    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        if not isinstance(error, InvalidInput):
            await funnel.handle(interaction, error, f"modal {type(self).__name__}")
            return
        from bot.context import Context

        ctx = Context.of(interaction)
        self.keep_typed()
        text = funnel.describe(ctx.lang, error) or ""
        view = RetryView(self, ctx)
        content = t(ctx.lang, "ui.retry.text", error=text)
        if interaction.response.is_done():
            await interaction.followup.send(content, view=view, ephemeral=True)
        else:
            await interaction.response.send_message(content, view=view, ephemeral=True)


class RetryView(OwnedView):
    """One button under a refused submit: the same modal again, with what was typed."""

    def __init__(self, modal: OwnedModal, ctx: Context) -> None:
        # The modal's kind in the button's id: once expired, it names the command to run.
        self.kind = modal.kind  # type: ignore[misc]
        super().__init__(modal.owner_id, modal.guild_id, timeout=MODAL_TIMEOUT)
        self.modal = modal
        self.reopen.label = t(ctx.lang, "ui.retry.button")

    @discord.ui.button(label="Edit", style=discord.ButtonStyle.primary, emoji="✏️")
    async def reopen(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        await interaction.response.send_modal(self.modal)


class Funnelled:
    """Mix into a `discord.ui.DynamicItem` (first in the bases) and implement `run`.

    discord.py only logs exceptions raised by a dynamic item's callback, so the user would see
    "interaction failed"; with this they go through the funnel like every other error.
    """

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await self.check(interaction)
            await self.run(interaction)
        except Exception as error:
            await funnel.handle(interaction, error, f"button {type(self).__name__}")

    async def check(self, interaction: discord.Interaction[Any]) -> None:
        """Refuse the interaction (raise) before `run`; nothing by default."""

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError


class Owned(Funnelled):
    """A dynamic item that belongs to `owner_id` (None: anyone) in network `guild_id` (None: the
    one it is shown in). Mix in first; the template captures them, `from_custom_id` sets them."""

    owner_id: int | None = None
    guild_id: int | None = None

    async def check(self, interaction: discord.Interaction[Any]) -> None:
        check_owner(interaction, self.owner_id, self.guild_id)


# --- what nothing handles any more --------------------------------------------------------------


def expired_text(lang: Lang, custom_id: str) -> str:
    kind = custom_id[len(PREFIX) :].split(":", 1)[0]
    modal = OwnedModal.registry.get(kind)
    command = modal.rerun if modal is not None else ""
    if command:
        return t(lang, "ui.expired.run", command=command_text(lang, command))
    return t(lang, "ui.expired.generic")


def _store(client: discord.Client) -> Any:
    # discord.py has no public way to ask whether a custom_id is handled; its ViewStore is the
    # only source of truth (pinned: discord.py 2.7). Without it, `Expired` stays silent.
    return getattr(getattr(client, "_connection", None), "_view_store", None)


def _handled(interaction: discord.Interaction[Any], component_type: int, custom_id: str) -> bool:
    store = _store(interaction.client)
    if store is None:
        return True
    for pattern, item in getattr(store, "_dynamic_items", {}).items():
        if item is not Expired and pattern.fullmatch(custom_id):
            return True
    views = getattr(store, "_views", {})
    key = (component_type, custom_id)
    message_id = interaction.message.id if interaction.message is not None else None
    return key in views.get(message_id, {}) or key in views.get(None, {})


class Expired(Funnelled, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"krokarm:.+"):
    """Answers any `krokarm:` button or select that nothing else handles (registered last)."""

    def __init__(self, item: discord.ui.Item[Any]) -> None:
        super().__init__(item)  # type: ignore[arg-type]

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Expired:
        return cls(item)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        return not _handled(interaction, int(data.get("component_type", 2)), custom_id)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        from bot.context import Context

        data: dict[str, Any] = dict(interaction.data or {})
        ctx = Context.of(interaction)
        log.info("expired component answered")
        await funnel.send_ephemeral(interaction, expired_text(ctx.lang, str(data["custom_id"])))


async def answer_expired_modal(interaction: discord.Interaction[Any]) -> None:
    """For `on_interaction`: a `krokarm:` modal submit that no open modal takes (the bot has
    restarted since it opened, or it is past its time) is told so, with the command to run."""
    if interaction.type is not discord.InteractionType.modal_submit:
        return
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    if not custom_id.startswith(PREFIX):
        return
    store = _store(interaction.client)
    if store is None or custom_id in getattr(store, "_modals", {}):
        return
    if interaction.response.is_done():
        return
    from bot.context import Context

    ctx = Context.of(interaction)
    log.info("expired modal answered")
    await funnel.send_ephemeral(interaction, expired_text(ctx.lang, custom_id))
