"""The demo network that `make try` shows: a configured server with fictional members.

Each feature names its demo seeder in its declaration (`bot.features`, `demo=`), so that
`make try` always shows everything the bot can do. Every person and organisation here is
fictional.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.features import resolve

if TYPE_CHECKING:
    from bot.bot import Krokarm
    from sandbox import Sandbox

GUILD_NAME = "Integration Halland (demo)"


@dataclass(frozen=True)
class Person:
    handle: str
    name: str
    locale: str
    admin: bool = False


PEOPLE: tuple[Person, ...] = (
    Person("maria", "Maria Lindqvist", "sv-SE", admin=True),
    Person("anna", "Anna Andersson", "sv-SE"),
    Person("erik", "Erik Johnson", "en-US"),
    Person("fatima", "Fatima Hassan", "sv-SE"),
    Person("johan", "Johan Berg", "sv-SE"),
)


@dataclass
class DemoWorld:
    """What the demo consists of in the sandbox: the server and its people by handle."""

    guild: Any
    users: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)


Seeder = Callable[["Krokarm", "Sandbox", DemoWorld], Awaitable[None]]


async def build_world(sandbox: Sandbox) -> DemoWorld:
    """The Discord side of the demo: the server, its owner (the admin) and members."""
    admin = next(p for p in PEOPLE if p.admin)
    users = {
        p.handle: sandbox.create_user(p.handle, global_name=p.name, locale=p.locale) for p in PEOPLE
    }
    guild = sandbox.create_guild(GUILD_NAME, preferred_locale="sv-SE", owner=users[admin.handle])
    world = DemoWorld(guild=guild, users=users, people={p.handle: p for p in PEOPLE})
    for person in PEOPLE:
        await sandbox.add_member(guild, users[person.handle])
    return world


async def seed(bot: Krokarm, sandbox: Sandbox, world: DemoWorld) -> None:
    """The bot's side of the demo: each feature's data, through its own services, in the order
    the features are declared (`bot.features`; seeders `async def seed(bot, sandbox, world)`,
    in `bot/shell/demo_<feature>.py`)."""
    for reference in bot.features.demo_seeders:
        fn: Seeder = resolve(reference)
        await fn(bot, sandbox, world)
