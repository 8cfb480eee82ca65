"""Demo data of resources and of `/ask`: fictional links, one tip shared in the tips channel,
and questions in the questions forum (answered and open), for `make try`.

Runs after the network's and the directory's seeders (the order of `bot.features`).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from bot.errors import UserError
from bot.services import network, organisations, resources
from bot.shell.demo import DemoWorld

if TYPE_CHECKING:
    from bot.bot import Krokarm
    from sandbox import Sandbox

# (title, link, kind, description, tags, organisation or None); every one fictional.
RESOURCES = (
    ("Handbok för mottagning av nyanlända", "https://www.example.se/handbok-mottagning", "guide",
     "Steg för steg från anvisning till etablering, med checklistor.", "mottagning, bosättning",
     None),
    ("Kontakt för §37-medel på Länsstyrelsen", "https://www.example.se/lansstyrelsen-37",
     "authority_contact", "Vem du frågar om statliga medel för integrationsinsatser.",
     "statsbidrag", None),
    ("ESF+ utlysning: vägar till arbete", "https://www.example.se/esf-vagar-till-arbete",
     "funding", "Projekt som leder nyanlända till arbete; sista dag i mars.", "ESF, arbete",
     "Arbetsförmedlingen"),
    ("Webbkurs i traumamedveten omsorg", "https://www.example.se/tmo-webbkurs", "training",
     "Två timmars grundkurs i TMO för personal på HVB och i skolan.", "TMO, utbildning", None),
)  # fmt: skip

TIP = {
    "title": "Språkcafé med volontärer i Uppsala",
    "link": "https://www.example.se/sprakcafe-uppsala",
    "kind": "tip",
    "description": "Biblioteket startade ett språkcafé med volontärer – lätt att göra efter.",
    "tags": "språkcafé, volontärer",
}

# (asker handle, title, answer or None for an open question)
QUESTIONS = (
    ("erik", "Who has interpreters for Tigrinya?",
     "The interpreting agency of the region has Tigrinya interpreters; book via the agreement."),
    ("anna", "Hur ordnar vi sommarjobb för ensamkommande?",
     "Varberg ordnade feriepraktik via arbetsmarknadsenheten – fråga Fatima."),
    ("johan", "Finns det mallar för välkomstbrev på lätt svenska?", None),
)  # fmt: skip


async def seed_resources(bot: Krokarm, sandbox: Sandbox, world: DemoWorld) -> None:
    guild_id = int(world.guild.id)
    orgs = {o.name: o.id for o in await organisations.list_organisations(bot.db, guild_id)}
    author = int(world.users["maria"].id)
    now = bot.clock.now()
    for title, link, kind, description, tags, org in RESOURCES:
        d = resources.draft(
            title=title,
            url=link,
            description=description,
            tags=tags,
            kind=kind,
            organisation_id=orgs.get(org) if org else None,
        )
        await resources.add(bot.db, guild_id, author, d, now=now)
    # A tip goes through the command, as a member adds it: it is shared in the tips channel.
    await sandbox.invoke("resource add", TIP, user=world.users["anna"], guild=world.guild)


async def seed_questions(bot: Krokarm, sandbox: Sandbox, world: DemoWorld) -> None:
    guild_id = int(world.guild.id)
    with contextlib.suppress(UserError):
        # Fatima may be pinged when a question fits her expertise (an opt-in in /profile).
        from bot.services import profiles

        await profiles.set_ask_opt_in(bot.db, guild_id, int(world.users["fatima"].id), True)
    settings = await network.get(bot.db, guild_id)
    forum_id = settings.channels.get("questions")
    if forum_id is None:
        return
    forum = next(c for c in sandbox.world.channels.values() if c.id == forum_id)
    for handle, title, answer in QUESTIONS:
        user = world.users[handle]
        thread = await sandbox.create_forum_post(forum, user, title, title)
        await sandbox.wait_for_message(
            thread, lambda m: m.author.id == sandbox.bot_user.id, existing=True
        )
        if answer is not None:
            await sandbox.invoke("ask answered", {"answer": answer}, user=user, channel=thread,
                                 guild=world.guild)  # fmt: skip
