"""The demo network that `make try` shows: a configured server with fictional members.

Each feature adds its demo data with `@seeder`, so that `make try` always shows everything the
bot can do. Every person and organisation here is fictional.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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
SEEDERS: list[Seeder] = []


def seeder(fn: Seeder) -> Seeder:
    """Register a feature's demo data; seeders run in registration order once the bot is up."""
    SEEDERS.append(fn)
    return fn


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
    """The bot's side of the demo: each feature's data, through its own services.

    Features keep their seeders in `bot/shell/demo_<feature>.py`; importing them registers them.
    """
    import bot.shell as package

    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module.name.startswith("demo_"):
            importlib.import_module(f"bot.shell.{module.name}")
    for fn in SEEDERS:
        await fn(bot, sandbox, world)
