"""The driver bound to one user (and a server, and a language): ``sb.as_user(anna, guild=g)``."""

# The driver API is specified with ``timeout=`` arguments, so ASYNC109 does not apply.
# ruff: noqa: ASYNC109

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .reply import Choice, Reply
from .state import Channel, Guild, Member, Message, User

if TYPE_CHECKING:
    from .driver import Sandbox, Target, UserLike


class Actor:
    """One user acting in one server (or in DMs when ``guild`` is None).

    Every method is the driver's method of the same name with ``user``, ``guild`` and
    ``locale`` already filled in; ``locale=`` on a call still overrides the bound one.
    """

    def __init__(
        self,
        sandbox: Sandbox,
        user: UserLike,
        *,
        guild: Guild | None = None,
        locale: str | None = None,
    ) -> None:
        self.sandbox = sandbox
        self.user: User = user.user if isinstance(user, Member) else user
        self.guild = guild
        self.locale = locale

    def __repr__(self) -> str:
        where = self.guild.name if self.guild is not None else "DMs"
        return f"<Actor {self.user.username} in {where}>"

    @property
    def member(self) -> Member | None:
        """The user's member in the bound server (None in DMs or after leaving)."""
        return self.guild.member(self.user.id) if self.guild is not None else None

    def _locale(self, locale: str | None) -> str | None:
        return locale if locale is not None else self.locale

    def in_guild(self, guild: Guild | None) -> Actor:
        """The same user bound to another server (None: DMs)."""
        return Actor(self.sandbox, self.user, guild=guild, locale=self.locale)

    async def invoke(
        self,
        command: str,
        options: Mapping[str, Any] | None = None,
        *,
        channel: Channel | None = None,
        locale: str | None = None,
        timeout: float | None = None,
    ) -> Reply:
        """Run a slash command (``"group sub"`` paths for subcommands)."""
        return await self.sandbox.invoke(
            command,
            options,
            user=self.user,
            guild=self.guild,
            channel=channel,
            locale=self._locale(locale),
            timeout=timeout,
        )

    async def autocomplete(
        self,
        command: str,
        options: Mapping[str, Any],
        *,
        focused: str,
        channel: Channel | None = None,
        locale: str | None = None,
        timeout: float | None = None,
    ) -> list[Choice]:
        """The choices the bot offers while this user types into ``focused``."""
        return await self.sandbox.autocomplete(
            command,
            options,
            focused=focused,
            user=self.user,
            guild=self.guild,
            channel=channel,
            locale=self._locale(locale),
            timeout=timeout,
        )

    async def invoke_user_command(
        self,
        name: str,
        *,
        target: UserLike,
        channel: Channel | None = None,
        locale: str | None = None,
        timeout: float | None = None,
    ) -> Reply:
        """Run a USER context-menu command on ``target``."""
        return await self.sandbox.invoke_user_command(
            name,
            target=target,
            user=self.user,
            guild=self.guild,
            channel=channel,
            locale=self._locale(locale),
            timeout=timeout,
        )

    async def invoke_message_command(
        self,
        name: str,
        *,
        target: Message,
        locale: str | None = None,
        timeout: float | None = None,
    ) -> Reply:
        """Run a MESSAGE context-menu command on ``target`` (its channel decides the server)."""
        return await self.sandbox.invoke_message_command(
            name, target=target, user=self.user, locale=self._locale(locale), timeout=timeout
        )

    async def click(
        self,
        target: Target,
        button: str,
        *,
        locale: str | None = None,
        timeout: float | None = None,
    ) -> Reply:
        """Press a button (by custom_id, else by label)."""
        return await self.sandbox.click(
            target, button, user=self.user, locale=self._locale(locale), timeout=timeout
        )

    async def select(
        self,
        target: Target,
        custom_id: str,
        values: Sequence[Any],
        *,
        locale: str | None = None,
        timeout: float | None = None,
    ) -> Reply:
        """Choose values in a select menu."""
        return await self.sandbox.select(
            target, custom_id, values, user=self.user, locale=self._locale(locale), timeout=timeout
        )

    async def submit_modal(
        self,
        target: Reply,
        values: Mapping[str, Any],
        *,
        locale: str | None = None,
        timeout: float | None = None,
    ) -> Reply:
        """Fill in and submit a modal the bot opened."""
        return await self.sandbox.submit_modal(
            target, values, user=self.user, locale=self._locale(locale), timeout=timeout
        )

    async def send_message(
        self, channel: Channel | User, content: str, *, reply_to: Message | None = None
    ) -> Message:
        """Post a message in a channel (or in a user's DM with the bot)."""
        return await self.sandbox.send_message(channel, self.user, content, reply_to=reply_to)

    def dm_messages(self) -> list[Message]:
        """Messages in this user's DM with the bot, oldest first."""
        return self.sandbox.dm_messages(self.user)

    async def wait_for_dm(
        self,
        predicate: Callable[[Message], bool] | None = None,
        timeout: float = 5,
        *,
        existing: bool = False,
    ) -> Message:
        """The next DM the bot sends this user matching ``predicate``."""
        return await self.sandbox.wait_for_message(self.user, predicate, timeout, existing=existing)
