"""The directory as members meet it: filling in a profile, finding people, functions, cards."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest

from bot.services import members, organisations, profiles
from bot.services.profiles import ProfileFields
from sandbox import Reply
from tests.e2e.conftest import World, result_of

HALMSTAD, SODERHAMN = "1380", "2182"


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 5.0) -> None:
    """Until `check()` holds: gateway events reach the bot asynchronously."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():
        if loop.time() > deadline:
            raise AssertionError("the condition did not become true in time")
        await asyncio.sleep(0.02)


def _step(reply: Reply, step: str) -> str:
    """The custom_id of a step-two component (it names its owner and network)."""
    ids = [c.custom_id for c in [*reply.buttons, *reply.selects]]
    [found] = [i for i in ids if i.startswith(f"krokarm:profile:{step}:")]
    return found


async def org_ids(world: World) -> dict[str, int]:
    """Halmstad and Söderhamn as member municipalities, and Arbetsförmedlingen."""
    db, gid = world.bot.db, world.guild.id
    await organisations.add_municipalities(db, gid, [HALMSTAD, SODERHAMN])
    await organisations.add(db, gid, kind="authority", name="Arbetsförmedlingen")
    return {o.name: o.id for o in await organisations.list_organisations(db, gid)}


async def fill_in_profile(
    world: World,
    user: Any,
    *,
    locale: str = "sv-SE",
    fields: dict[str, str],
    organisation: int | None = None,
    expertise: str | None = None,
    languages: str | None = None,
) -> Reply:
    """`/profile edit`, the modal, then the second step: organisation, expertise, languages."""
    sb = world.sandbox
    modal = await world.as_user(user).invoke("profile edit", {}, locale=locale)
    assert modal.kind == "modal", modal.text
    reply = await sb.submit_modal(modal, fields, user=user, locale=locale)
    if organisation is not None:
        reply = await sb.select(
            reply, _step(reply, "organisation"), [str(organisation)], user=user, locale=locale
        )
    if expertise is not None or languages is not None:
        more = await sb.click(reply, _step(reply, "more"), user=user, locale=locale)
        assert more.kind == "modal"
        values = {}
        if expertise is not None:
            values["profile:expertise"] = expertise
        if languages is not None:
            values["profile:languages"] = languages
        reply = await sb.submit_modal(more, values, user=user, locale=locale)
    return reply


@pytest.fixture
async def anna_in_halmstad(world: World) -> dict[str, int]:
    orgs = await org_ids(world)
    reply = await fill_in_profile(
        world,
        world.anna,
        fields={
            "profile:display_name": "Anna Andersson",
            "profile:title": "Integrationssamordnare",
            "profile:department": "Arbetsmarknadsenheten",
            "profile:email": "anna.andersson@halmstad.se",
            "profile:phone": "+46 70 123 45 67",
        },
        organisation=orgs["Halmstad"],
        expertise="TMO, praktik för nyanlända",
        languages="arabiska, engelska",
    )
    assert "Anna Andersson" in reply.text
    return orgs


async def find(world: World, user: Any, locale: str = "sv-SE", **options: str) -> Reply:
    return await world.as_user(user).invoke("contact find", dict(options), locale=locale)


async def test_a_member_fills_in_her_profile_and_sees_her_card(world: World) -> None:
    orgs = await org_ids(world)
    modal = await world.as_anna.invoke("profile edit", {})
    assert modal.modal is not None and modal.modal.title == "Din profil"
    assert modal.modal.field("profile:display_name").value == "Anna Andersson"  # pre-filled
    saved = await world.as_anna.submit_modal(
        modal,
        {"Titel": "Integrationssamordnare", "profile:phone": "0701234567"},
    )
    assert saved.ephemeral
    assert "Integrationssamordnare" in saved.text and "070-123 45 67" in saved.text
    assert "Bekräftad" in saved.text
    assert [s.custom_id for s in saved.selects] == [
        f"krokarm:profile:organisation:{world.anna.id}:{world.guild.id}"
    ]
    picked = await world.as_anna.select(
        saved, _step(saved, "organisation"), [str(orgs["Halmstad"])]
    )
    assert "Halmstad" in picked.text
    # Kept on her membership: the same record the greeting's organisation picker writes.
    member = await members.get_member(world.bot.db, world.guild.id, world.anna.id)
    assert member is not None and member.organisation_id == orgs["Halmstad"]
    toggled = await world.as_anna.click(picked, "Kontakta mig: nej")
    assert any(b.label == "Kontakta mig: ja" for b in toggled.buttons)
    done = await world.as_anna.click(toggled, "Klar")
    assert done.text.startswith("Klart") and not done.buttons

    # Editing again: the modal shows what is stored.
    again = await world.as_anna.invoke("profile edit", {})
    assert again.modal is not None
    assert again.modal.field("profile:title").value == "Integrationssamordnare"
    assert again.modal.field("profile:phone").value == "070-123 45 67"
    shown = await world.as_anna.invoke("profile show", {})
    assert "Integrationssamordnare · Halmstad" in shown.text
    assert "Nätverkets medlemmar ser din post" in shown.text


async def test_found_by_municipality_expertise_and_free_text_in_both_languages(
    world: World, anna_in_halmstad: dict[str, int]
) -> None:
    for options in (
        {"municipality": HALMSTAD},
        {"municipality": "halmstad"},  # typed, not picked
        {"municipality": "Halmstds kommun"},  # misspelt
        {"expertise": "TMO"},
        {"expertise": "praktik"},
        {"query": "samordnare"},  # part of a compound
        {"query": "anna halmstad"},
        {"query": "arabic"},  # a language, in English
        {"query": "arbetsmarknad"},
    ):
        reply = await find(world, world.erik, locale="en-US", **options)
        assert "Anna Andersson" in reply.text, options
        assert "1 contact" in reply.text
    swedish = await find(world, world.admin, query="samordnare", municipality=HALMSTAD)
    assert swedish.ephemeral
    assert "1 kontakt" in swedish.text and "Anna Andersson" in swedish.text
    assert "anna.andersson@halmstad.se" in swedish.text and "070-123 45 67" in swedish.text
    assert "Kompetens: TMO, praktik för nyanlända" in swedish.text
    assert "Språk: arabiska, engelska" in swedish.text
    assert "Bekräftad" in swedish.text
    assert "Vakanta funktioner i Halmstad" in swedish.text
    nobody = await find(world, world.admin, query="rektor")
    assert "0 kontakter" in nobody.text and "Ingen i katalogen matchar" in nobody.text


async def test_ascii_and_misspelt_municipality_names_autocomplete(world: World) -> None:
    for typed, code in (
        ("Soderhamn", SODERHAMN),
        ("soderhamm", SODERHAMN),
        ("halmstads kommun", HALMSTAD),
    ):
        reply = await world.as_anna.autocomplete(
            "contact find",
            {"municipality": typed},
            focused="municipality",
            locale="sv-SE",
        )
        assert reply and reply[0].value == code, (typed, reply)


async def test_a_soderhamn_entry_is_found_with_ascii_spelling(world: World) -> None:
    orgs = await org_ids(world)
    await fill_in_profile(
        world,
        world.erik,
        locale="en-US",
        fields={"profile:display_name": "Erik Eriksson", "profile:title": "Unit manager"},
        organisation=orgs["Söderhamn"],
    )
    for options in ({"query": "Soderhamn"}, {"municipality": "Soderhamn"}, {"query": "söderhamn"}):
        reply = await find(world, world.anna, **options)
        assert "Erik Eriksson" in reply.text, options


async def test_hidden_profiles_and_other_networks_never_show(
    world: World, anna_in_halmstad: dict[str, int]
) -> None:
    sb = world.sandbox
    hidden = await world.as_anna.invoke("profile visibility", {"visibility": "hidden"})
    assert "dold" in hidden.text
    for options in ({"query": "anna"}, {"municipality": HALMSTAD}, {"expertise": "TMO"}, {}):
        reply = await find(world, world.erik, locale="en-US", **options)
        assert "Anna" not in reply.text, options
    card = await world.as_erik.invoke("contact card", {"member": world.anna}, locale="en-US")
    assert "has no visible entry" in card.text
    own = await world.as_anna.invoke("profile show", {})
    assert "Din post är dold" in own.text

    # Another network on the same bot: its people never show here, ours never there.
    other = sb.create_guild("Fyrbodal", preferred_locale="sv-SE", owner=world.erik)
    johan = sb.create_user("johan", global_name="Johan Berg", locale="sv-SE")
    await sb.add_member(other, world.erik)
    await sb.add_member(other, johan)
    await eventually(lambda: _has_network(world, other.id))
    await profiles.save(
        world.bot.db,
        other.id,
        johan.id,
        ProfileFields("Johan Berg", title="Samordnare"),
        now=world.clock.now(),
    )
    await world.as_anna.invoke("profile visibility", {"visibility": "members"})
    here = await find(world, world.erik, locale="en-US", query="samordnare")
    assert "Anna Andersson" in here.text and "Johan" not in here.text
    there = await sb.invoke(
        "contact find", {"query": "samordnare"}, user=world.erik, guild=other, locale="en-US"
    )
    assert "Johan Berg" in there.text and "Anna" not in there.text


async def _has_network(world: World, guild_id: int) -> bool:
    return bool(
        await world.bot.db.fetchval("SELECT 1 FROM networks WHERE guild_id = ?", (guild_id,))
    )


async def test_a_function_becomes_vacant_when_its_holder_leaves(
    world: World, anna_in_halmstad: dict[str, int]
) -> None:
    sb = world.sandbox
    added = await world.as_admin.invoke(
        "function add",
        {"organisation": "Halmstad", "name": "Integrationssamordnare"},
    )
    assert "Integrationssamordnare" in added.text and "vakant" in added.text
    choices = await world.as_admin.autocomplete(
        "function assign",
        {"function": "samord"},
        focused="function",
    )
    function_id = await world.bot.db.fetchval(
        "SELECT id FROM functions WHERE name = 'Integrationssamordnare'"
    )
    assigned = await world.as_admin.invoke(
        "function assign",
        {"function": choices[0].value, "member": world.anna},
    )
    assert "har nu funktionen" in assigned.text
    card = await world.as_erik.invoke("contact card", {"member": world.anna}, locale="en-US")
    assert "Function: Integrationssamordnare (Halmstad)" in card.text
    by_function = await find(
        world, world.erik, locale="en-US", query="integrationssamordnare halmstad"
    )
    assert "Anna Andersson" in by_function.text

    await sb.remove_member(world.guild, world.anna)

    async def vacant() -> bool:
        held = await world.bot.db.fetchval(
            "SELECT holder_user_id FROM functions WHERE id = ?", (int(function_id),)
        )
        return held is None

    await eventually(vacant)
    gap = await find(world, world.erik, locale="en-US", municipality=HALMSTAD)
    assert "Anna" not in gap.text  # she left: not in the directory any more
    assert "Vacant functions in Halmstad" in gap.text
    assert "Integrationssamordnare** (Halmstad) – vacant since" in gap.text
    listed = await world.as_erik.invoke("function list", {}, locale="en-US")
    assert "vacant since" in listed.text


async def test_admin_changes_to_others_are_audited_and_members_cannot_run_admin_commands(
    world: World, anna_in_halmstad: dict[str, int]
) -> None:
    refused = await world.as_anna.invoke(
        "function add",
        {"organisation": "Halmstad", "name": "Rektor"},
    )
    assert "administratörer" in refused.text
    refused_en = await world.as_erik.invoke("directory audit", {}, locale="en-US")
    assert "admins" in refused_en.text
    await world.as_admin.invoke(
        "function add",
        {"organisation": "Halmstad", "name": "Rektor"},
    )
    await world.as_admin.invoke(
        "function assign",
        {"function": "Rektor", "member": world.anna},
    )
    await world.as_admin.invoke("function vacate", {"function": "Rektor"})
    await world.as_admin.invoke("directory hide", {"member": world.anna})
    log = await world.as_admin.invoke("directory audit", {})
    assert "Loggen: 3 ändringar" in log.text
    assert f"<@{world.admin.id}> gav <@{world.anna.id}> funktionen Rektor" in log.text
    assert "tog funktionen Rektor från" in log.text
    assert "satte synligheten" in log.text and "till dold" in log.text
    english = await world.as_admin.invoke(
        "directory audit",
        {"member": world.anna},
        locale="en-US",
    )
    assert "Audit log: 3 changes" in english.text


async def test_the_contact_card_context_menu(
    world: World, anna_in_halmstad: dict[str, int]
) -> None:
    sb = world.sandbox
    english = await world.as_erik.invoke_user_command(
        "Contact card", target=world.anna, locale="en-US"
    )
    assert english.ephemeral
    assert "Anna Andersson" in english.text and "Integrationssamordnare · Halmstad" in english.text
    assert "Languages: Arabic, English" in english.text
    swedish = await world.as_admin.invoke_user_command("Contact card", target=world.anna)
    assert "Språk: arabiska, engelska" in swedish.text
    nobody = await world.as_anna.invoke_user_command("Contact card", target=world.erik)
    assert "har ingen synlig post" in nobody.text
    synced = {c["name"]: c for c in sb.global_commands() if c.get("type") == 2}
    assert synced["Contact card"]["name_localizations"]["sv-SE"] == "Kontaktkort"


async def test_the_freshness_reminder_and_its_buttons(
    world: World, anna_in_halmstad: dict[str, int]
) -> None:
    sb = world.sandbox
    # fresh: nobody is asked
    assert result_of(await world.advance(timedelta(hours=6)), "freshness:remind") == 0
    world.clock.advance(timedelta(days=184))
    unconfirmed = await find(world, world.erik, locale="en-US", query="anna")
    assert "Unconfirmed – last confirmed" in unconfirmed.text
    assert result_of(await world.run_due(), "freshness:remind") == 1
    dms = sb.dm_messages(world.anna)
    assert len(dms) == 1
    assert "Stämmer din post" in dms[0].content
    # asked once per period, not every run
    assert result_of(await world.advance(timedelta(hours=6)), "freshness:remind") == 0

    await world.restart()  # the buttons carry the network and survive a restart
    confirmed = await world.as_anna.click(dms[0], "Stämmer fortfarande")
    assert "Tack! Din post är bekräftad" in confirmed.text
    fresh = await find(world, world.erik, locale="en-US", query="anna")
    assert "Confirmed" in fresh.text and "Unconfirmed" not in fresh.text

    assert result_of(await world.advance(timedelta(days=184)), "freshness:remind") == 1
    latest = sb.dm_messages(world.anna)[-1]
    modal = await world.as_anna.click(latest, "Redigera profil")
    assert modal.kind == "modal" and modal.modal is not None
    assert modal.modal.field("profile:display_name").value == "Anna Andersson"
    saved = await world.as_anna.submit_modal(modal, {"profile:title": "Enhetschef"})
    assert "Enhetschef" in saved.text
    card = await world.as_erik.invoke("contact card", {"member": world.anna}, locale="en-US")
    assert "Enhetschef" in card.text and "Unconfirmed" not in card.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("profile:display_name", "@everyone", "**Namn**: får inte innehålla omnämnanden"),
        ("profile:display_name", "   ", "**Namn**: måste fyllas i"),
        (
            "profile:title",
            "Kontakt för 19850709-9805",
            "**Titel**: ser ut att innehålla ett personnummer",
        ),
        (
            "profile:department",
            "Elev 850709 9805 behöver hjälp",
            "**Avdelning eller enhet**: ser ut att innehålla",
        ),
        (
            "profile:email",
            "anna.andersson(at)halmstad.se",
            "**E-post**: är ingen giltig e-postadress",
        ),
        ("profile:email", "åsa@halmstad.se", "**E-post**: är ingen giltig e-postadress"),
        (
            "profile:phone",
            "+47 22 12 34 5",  # a foreign number is accepted; one digit short is not
            "**Telefon (arbete)**: är inget giltigt telefonnummer",
        ),
        ("profile:phone", "ring mig", "**Telefon (arbete)**: är inget giltigt telefonnummer"),
        ("profile:title", "hej <@123456789012345678>", "**Titel**: får inte innehålla omnämnanden"),
    ],
)
async def test_bad_input_names_the_field_and_writes_nothing(
    world: World, field: str, value: str, message: str
) -> None:
    modal = await world.as_anna.invoke("profile edit", {})
    reply = await world.as_anna.submit_modal(modal, {field: value})
    assert reply.ephemeral
    assert reply.text.startswith(message), reply.text
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM profiles") == 0


async def test_bad_input_in_english_and_in_the_second_step(
    world: World, anna_in_halmstad: dict[str, int]
) -> None:
    modal = await world.as_erik.invoke("profile edit", {}, locale="en-US")
    reply = await world.as_erik.submit_modal(modal, {"profile:email": "erik@"}, locale="en-US")
    assert reply.text.startswith("**E-mail**: is not a valid e-mail address")
    before = await profiles.get(world.bot.db, world.guild.id, world.anna.id)
    assert before is not None
    edit = await world.as_anna.invoke("profile edit", {})
    saved = await world.as_anna.submit_modal(edit, {})
    more = await world.as_anna.click(saved, _step(saved, "more"))
    bad = await world.as_anna.submit_modal(
        more,
        {"profile:expertise": "TMO, 19850709-9805", "profile:languages": "svenska"},
    )
    assert bad.text.startswith("**Kompetens**: ser ut att innehålla ett personnummer")
    unknown = await world.as_anna.submit_modal(more, {"profile:languages": "hittepåiska"})
    assert "**Språk**: känner inte igen språket ”hittepåiska”" in unknown.text
    after = await profiles.get(world.bot.db, world.guild.id, world.anna.id)
    assert (
        after is not None
        and after.expertise == before.expertise
        and after.languages == before.languages
    )
    long = await world.as_anna.invoke("profile edit", {"expertise": "x" * 999 + ","})
    assert (
        "**Kompetens**: varje kompetens (mellan kommatecknen) får vara högst 40 tecken" in long.text
    )
    assert "har 999" in long.text


async def test_markdown_emoji_and_arabic_script_are_kept_and_shown_safely(world: World) -> None:
    modal = await world.as_anna.invoke("profile edit", {})
    await world.as_anna.submit_modal(
        modal,
        {"profile:display_name": "فاطمة حسن 🌍", "profile:title": "**Chef** _för_ `allt`"},
    )
    card = await world.as_erik.invoke("contact card", {"member": world.anna}, locale="en-US")
    assert "فاطمة حسن 🌍" in card.text
    assert "\\*\\*Chef\\*\\* \\_för\\_ \\`allt\\`" in card.text
    found = await find(world, world.erik, locale="en-US", query="فاطمة")
    assert "فاطمة حسن" in found.text


async def test_results_are_paginated_with_buttons(world: World) -> None:
    db, gid = world.bot.db, world.guild.id
    for i in range(12):
        await profiles.save(
            db,
            gid,
            10_000 + i,
            ProfileFields(f"Samordnare {i:02d}", title="Samordnare"),
            now=world.clock.now(),
        )
    first = await find(world, world.anna, query="samordnare")
    assert "12 kontakter" in first.text and "Sida 1 av 3" in first.text
    assert [b.disabled for b in first.buttons] == [True, False]
    second = await world.as_anna.click(first, "Nästa ▶")
    assert "Sida 2 av 3" in second.text and "Samordnare 05" in second.text
    other = await world.as_erik.click(second, "Nästa ▶", locale="en-US")
    assert "belongs to someone else" in other.text


async def test_the_demo_network_shows_the_directory(world: World) -> None:
    from bot.shell.demo import build_world, seed

    sb = world.sandbox
    demo = await build_world(sb)
    await eventually(lambda: _has_network(world, int(demo.guild.id)))
    await seed(world.bot, sb, demo)
    fatima = await sb.invoke(
        "contact find",
        {"expertise": "TMO"},
        user=demo.users["erik"],
        guild=demo.guild,
        locale="en-US",
    )
    assert "Fatima Hassan" in fatima.text and "TMO-utbildare" in fatima.text
    varberg = await sb.invoke(
        "contact find", {"municipality": "Varberg"}, user=demo.users["anna"], guild=demo.guild
    )
    assert (
        "Vakanta funktioner i Varberg" in varberg.text and "Integrationssamordnare" in varberg.text
    )
    erik = await sb.invoke_user_command(
        "Contact card", target=demo.users["erik"], user=demo.users["anna"], guild=demo.guild
    )
    assert "Obekräftad" in erik.text
