"""The one resolver for options with autocomplete that stand for a row (an organisation, a
function, …): what the autocomplete offers, and what a command makes of what was sent.

On Discord a member can type a name into an autocomplete option and send it without picking a
suggestion; a number typed there must never be taken for an internal id (guessed numbers renamed
the wrong organisation). So:

- The autocomplete's value is a *signed token* `<kind>:<id>:<mac>`: an HMAC (key kept in the
  database, so tokens outlive a restart) over the kind, the network and the id. Only the bot can
  make one, so a value that verifies was picked from the list, in this network, for this kind of
  option; anything else — "12", "#12", "o:12" — is text the person typed. A plain prefix (`#12`)
  would still be guessable and typeable; a signature is not.
- Typed text is resolved against the candidates' names: exactly, then case- and accent-folded,
  then fuzzily (rapidfuzz). One match is used; several ask which one with a select that only
  the invoker can use (`bot.ui.OwnedView`: after a restart it answers that it has expired); none
  is refused naming the field.

A kind is declared once (`Kind(prefix, field, unknown, load)`); the cogs use `suggest` in the
autocomplete callback and `choose` in the command.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import weakref
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import discord
from discord import app_commands
from rapidfuzz import fuzz

from bot import ui
from bot.context import Context
from bot.errors import InvalidInput
from bot.i18n import t
from bot.services.textnorm import fold

T = TypeVar("T")

MAX_CHOICES = 25
FUZZY_CUTOFF = 82.0  # below this, a typed name matches nothing
FUZZY_TIE = 4.0  # candidates this close to the best score are offered together
_TOKEN = re.compile(r"(?P<kind>[a-z]{1,8}):(?P<id>\d{1,19}):(?P<mac>[0-9a-f]{12})")


@dataclass(frozen=True, slots=True)
class Candidate(Generic[T]):
    """One row an option may name: its id, how it is shown, and the names it answers to."""

    id: int
    label: str  # in the autocomplete and the select (≤ 100 characters)
    names: tuple[str, ...]  # what a typed name is compared with (the label is added)
    item: T
    description: str | None = None  # under the label in the select


@dataclass(frozen=True)
class Kind(Generic[T]):
    """What an option names. `prefix` goes into its tokens; `field` is the catalogue field
    (`field.<field>`) named in refusals; `unknown` the reason key when nothing matches."""

    prefix: str
    field: str
    unknown: str
    load: Callable[[Context], Awaitable[list[Candidate[T]]]]


# --- tokens -------------------------------------------------------------------------------------

_KEYS: weakref.WeakKeyDictionary[Any, bytes] = weakref.WeakKeyDictionary()


async def _key(db: Any) -> bytes:
    """The signing key, made once per database and kept in it (tokens survive restarts)."""
    cached = _KEYS.get(db)
    if cached is not None:
        return cached
    await db.execute(
        "INSERT OR IGNORE INTO bot_secrets (name, value) VALUES ('pick', ?)",
        (secrets.token_bytes(32),),
    )
    key = bytes(await db.fetchval("SELECT value FROM bot_secrets WHERE name = 'pick'"))
    _KEYS[db] = key
    return key


def _mac(key: bytes, prefix: str, guild_id: int, item_id: int) -> str:
    message = f"{prefix}:{guild_id}:{item_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:12]


async def token(ctx: Context, kind: Kind[Any], item_id: int) -> str:
    """The value an autocomplete choice carries for row `item_id` of `kind`."""
    key = await _key(ctx.db)
    return f"{kind.prefix}:{item_id}:{_mac(key, kind.prefix, ctx.network_id, item_id)}"


async def verified_id(ctx: Context, kind: Kind[Any], text: str) -> int | None:
    """The id a token names when it is a valid token of `kind` in this network, else None."""
    m = _TOKEN.fullmatch(text.strip())
    if m is None or m["kind"] != kind.prefix:
        return None
    item_id = int(m["id"])
    expected = _mac(await _key(ctx.db), kind.prefix, ctx.network_id, item_id)
    return item_id if hmac.compare_digest(expected, m["mac"]) else None


# --- matching -----------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").split())


def matches(candidates: Sequence[Candidate[T]], typed: str) -> list[Candidate[T]]:
    """The candidates a typed name means: exact, else folded, else the best fuzzy ones.

    A number alone is only ever compared exactly (an organisation may be called "1177"), never
    fuzzily, so that "12" never lands on "Region 12" by accident.
    """
    typed = typed.strip()
    if not typed:
        return []

    def names(c: Candidate[T]) -> tuple[str, ...]:
        return (*c.names, c.label)

    exact = [c for c in candidates if typed in names(c)]
    if exact:
        return exact
    key = _norm(typed)
    folded = [c for c in candidates if any(_norm(n) == key for n in names(c))]
    if folded or key.isdigit() or len(key) < 3:
        return folded
    scored = sorted(
        (
            (max(fuzz.WRatio(key, _norm(n), processor=None) for n in names(c)), i, c)
            for i, c in enumerate(candidates)
        ),
        key=lambda x: (-x[0], x[1]),
    )
    if not scored or scored[0][0] < FUZZY_CUTOFF:
        return []
    best = scored[0][0]
    return [c for score, _, c in scored if score >= best - FUZZY_TIE][:MAX_CHOICES]


# --- for cogs -----------------------------------------------------------------------------------


async def suggest(
    interaction: discord.Interaction[Any], kind: Kind[Any], current: str
) -> list[app_commands.Choice[str]]:
    """The autocomplete of an option of `kind`: matching candidates, each with its token."""
    if interaction.guild_id is None:
        return []
    ctx = Context.of(interaction)
    candidates = await kind.load(ctx)
    key = _norm(current)
    if key:
        found = [c for c in candidates if any(key in _norm(n) for n in (*c.names, c.label))]
        starts = [c for c in found if any(_norm(n).startswith(key) for n in c.names)]
        rest = [c for c in found if c not in starts]
        shown = starts + rest
        if not shown:
            shown = matches(candidates, current)
    else:
        shown = list(candidates)
    return [
        app_commands.Choice(name=c.label[:100], value=await token(ctx, kind, c.id))
        for c in shown[:MAX_CHOICES]
    ]


async def resolve(ctx: Context, kind: Kind[T], text: str) -> list[Candidate[T]]:
    """What `text` names: one candidate, or several to choose among; InvalidInput for none."""
    candidates = await kind.load(ctx)
    item_id = await verified_id(ctx, kind, text)
    if item_id is not None:
        found = [c for c in candidates if c.id == item_id]
        if not found:  # picked from the list, then removed or archived before it was sent
            raise InvalidInput(kind.field, "pick.gone")
    else:
        found = matches(candidates, text)
    if not found:
        raise InvalidInput(kind.field, kind.unknown, value=text.strip()[:60])
    return found


Then = Callable[[Context, T], Awaitable[None]]


async def choose(ctx: Context, kind: Kind[T], text: str, then: Then[T]) -> None:
    """Resolve `text` and go on with `then(ctx, item)`; when it names several, ask which one
    first (a select only the invoker can use) and go on from the select's interaction.

    `then` answers its interaction itself; `answer` answers either kind in the right way.
    """
    found = await resolve(ctx, kind, text)
    if len(found) == 1:
        await then(ctx, found[0].item)
        return
    view = WhichView(ctx, found, then)
    await ctx.interaction.response.send_message(
        t(
            ctx.lang,
            "pick.which",
            field=t(ctx.lang, f"field.{kind.field}"),
            typed=discord.utils.escape_markdown(text.strip()[:60]),
        ),
        view=view,
        ephemeral=True,
    )


class WhichView(ui.OwnedView, Generic[T]):
    """ "Which one did you mean?": a select of the candidates a typed name matched."""

    kind = "pick"

    def __init__(self, ctx: Context, found: Sequence[Candidate[T]], then: Then[T]) -> None:
        super().__init__(ctx.user_id, ctx.guild_id)
        self.found = list(found)[:MAX_CHOICES]
        self.then = then
        select: discord.ui.Select[Any] = discord.ui.Select(
            placeholder=t(ctx.lang, "pick.placeholder")[:150],
            options=[
                discord.SelectOption(
                    label=c.label[:100],
                    value=str(i),
                    description=c.description[:100] if c.description else None,
                )
                for i, c in enumerate(self.found)
            ],
        )
        select.callback = self._picked  # type: ignore[method-assign]
        self.add_item(select)
        self.select = select

    async def _picked(self, interaction: discord.Interaction[Any]) -> None:
        chosen = self.found[int(self.select.values[0])]
        self.stop()
        await self.then(Context.of(interaction), chosen.item)


async def answer(
    ctx: Context, content: str | None = None, *, embed: discord.Embed | None = None
) -> None:
    """Reply to a command (a new ephemeral message) or to the select that asked "which one"
    (that message becomes the reply, without the select)."""
    response = ctx.interaction.response
    if ctx.interaction.type is discord.InteractionType.component:
        await response.edit_message(content=content, embed=embed, view=None)
    elif embed is not None:
        await response.send_message(content, embed=embed, ephemeral=True)
    else:
        await response.send_message(content, ephemeral=True)
