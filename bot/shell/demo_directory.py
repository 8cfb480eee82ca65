"""Demo data of the directory: fictional profiles and functions for `make try`.

Runs after the network's seeder (the order of `bot.features`) but creates any organisation it needs
itself, so the directory shows something even on its own.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.errors import UserError
from bot.services import functions, members, organisations, profiles
from bot.services.profiles import ProfileFields
from bot.shell.demo import DemoWorld
from cogs._common import give_member_role

if TYPE_CHECKING:
    from bot.bot import Krokarm
    from sandbox import Sandbox

MUNICIPALITIES = {"Halmstad": "1380", "Varberg": "1383", "Falkenberg": "1382"}
OTHERS = {"Region Halland": "region", "Arbetsförmedlingen": "authority"}

# handle: (fields, organisation, expertise, languages, contact me, days since confirmed)
PROFILES: dict[str, tuple[ProfileFields, str, str, str, bool, int]] = {
    "maria": (
        ProfileFields("Maria Lindqvist", "Nätverkssamordnare", "Regional utveckling",
                      "maria.lindqvist@example.se", "010-476 10 00"),
        "Region Halland", "nätverksledning, omvärldsbevakning", "svenska, engelska", True, 10,
    ),
    "anna": (
        ProfileFields("Anna Andersson", "Integrationssamordnare", "Arbetsmarknadsenheten",
                      "anna.andersson@example.se", "035-13 70 00"),
        "Halmstad", "samhällsorientering, praktik för nyanlända", "svenska, arabiska", True, 30,
    ),
    "erik": (
        ProfileFields("Erik Johnson", "Unit manager", "Adult education",
                      "erik.johnson@example.se", "0346-88 60 00"),
        "Falkenberg", "SFI, validering", "English, svenska", False, 220,
    ),
    "fatima": (
        ProfileFields("Fatima Hassan", "TMO-utbildare", "Barn och unga",
                      "fatima.hassan@example.se", "070-123 45 67"),
        "Varberg", "TMO, traumamedveten omsorg, ensamkommande barn", "svenska, arabiska, dari",
        True, 60,
    ),
    "johan": (
        ProfileFields("Johan Berg", "Projektledare", "Etablering",
                      "johan.berg@example.se", "010-486 00 00"),
        "Arbetsförmedlingen", "ESF-projekt, praktik för nyanlända, arbetsmarknad", "svenska",
        True, 90,
    ),
}  # fmt: skip

# (organisation, function, holder handle or None for a vacant one)
FUNCTIONS = (
    ("Halmstad", "Integrationssamordnare", "anna"),
    ("Varberg", "TMO-utbildare", "fatima"),
    ("Arbetsförmedlingen", "Projektledare ESF", "johan"),
    ("Region Halland", "Nätverkssamordnare", "maria"),
    ("Varberg", "Integrationssamordnare", None),
)


async def _organisations(bot: Krokarm, guild_id: int) -> dict[str, int]:
    db = bot.db
    await organisations.add_municipalities(db, guild_id, list(MUNICIPALITIES.values()))
    for name, kind in OTHERS.items():
        # The network's own demo may hold it already, under another kind.
        with contextlib.suppress(UserError):
            await organisations.add(db, guild_id, kind=kind, name=name)
    return {o.name: o.id for o in await organisations.list_organisations(db, guild_id)}


async def seed_directory(bot: Krokarm, sandbox: Sandbox, world: DemoWorld) -> None:
    guild_id = int(world.guild.id)
    orgs = await _organisations(bot, guild_id)
    now = bot.clock.now()
    for handle, (fields, org, expertise, languages, contact, age) in PROFILES.items():
        user = world.users.get(handle)
        if user is None or org not in orgs:
            continue
        when = now - timedelta(days=age)
        # Picked in the greeting, as a newcomer would: the profile shows the membership's
        # organisation, there is no second one to fill in.
        await members.set_organisation(bot.db, guild_id, int(user.id), orgs[org], when)
        # And the member role that comes with an organisation, given by the bot as at the greeting.
        server = bot.get_guild(guild_id)
        if server is not None:
            await give_member_role(bot, server, server.get_member(int(user.id)))
        await profiles.save(
            bot.db,
            guild_id,
            int(user.id),
            fields,
            now=when,
            expertise=profiles.parse_expertise(expertise),
            languages=profiles.parse_languages(languages),
        )
        if contact:
            await profiles.set_details(bot.db, guild_id, int(user.id), now=when, contact_ok=True)
    existing = {
        (f.organisation_id, f.name) for f in await functions.list_functions(bot.db, guild_id)
    }
    for org, name, holder in FUNCTIONS:
        if org not in orgs or (orgs[org], name) in existing:
            continue
        added = await functions.add(bot.db, guild_id, orgs[org], name, now=now)
        user = world.users.get(holder) if holder else None
        if user is not None:
            await functions.assign(
                bot.db, guild_id, added.id, int(user.id), actor_id=int(user.id), now=now
            )
