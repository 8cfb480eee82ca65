"""Demo data of the network feature: the demo server becomes a configured network.

Maria (the admin) runs `/network setup` and confirms it, as she would in Discord; the member
municipalities (Halland's six) and a few other organisations go in through the services.
Everyone else on the demo server picks an organisation through the greeting in `make try`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services import municipalities, organisations
from bot.shell.demo import DemoWorld

if TYPE_CHECKING:
    from bot.bot import Krokarm
    from sandbox import Sandbox

OTHER_ORGANISATIONS = (
    ("authority", "Arbetsförmedlingen", None),
    ("authority", "Länsstyrelsen Halland", None),
    ("civil_society", "Röda korset Halmstad", "1380"),
    ("region", "Region Halland", None),
    ("civil_society", "ABF Halland", None),
)


async def seed_network(bot: Krokarm, sandbox: Sandbox, world: DemoWorld) -> None:
    guild = world.guild
    halland = municipalities.preset("county-13")
    assert halland is not None
    await organisations.add_municipalities(bot.db, guild.id, halland.codes)
    for kind, name, code in OTHER_ORGANISATIONS:
        await organisations.add(bot.db, guild.id, kind=kind, name=name, municipality=code)
    maria = world.users["maria"]
    plan = await sandbox.invoke("network setup", {}, user=maria, guild=guild, locale="sv-SE")
    applying = await sandbox.click(plan, "Bekräfta", user=maria, locale="sv-SE")
    await sandbox.wait_for_followup(applying, timeout=15)
