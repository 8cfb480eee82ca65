"""A person's organisation has one home: what a newcomer picks in the greeting is what the
directory shows and finds, and changing it in the profile changes the onboarding record."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from bot.services import members, organisations
from tests.e2e.conftest import World
from tests.e2e.test_directory import HALMSTAD, fill_in_profile, find
from tests.e2e.test_onboarding import configured, greeting_for, member_role_of, wait_for_roles


async def organisation_of(world: World, user: Any) -> str | None:
    """The organisation the network has on record for this person (members.organisation_id)."""
    member = await members.get_member(world.bot.db, world.guild.id, user.id)
    assert member is not None
    if member.organisation_id is None:
        return None
    org = await organisations.get(world.bot.db, world.guild.id, member.organisation_id)
    assert org is not None
    return org.name


async def test_the_organisation_picked_in_the_greeting_is_the_profiles(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    await configured(world)
    fatima = sb.create_user("fatima", global_name="Fatima Hassan", locale="sv-SE")
    await sb.add_member(guild, fatima)
    greeting = await greeting_for(world, guild, fatima, "välkommen")
    picker = await sb.click(greeting, "Välj organisation", user=fatima)
    picked = await sb.select(picker, picker.selects[0].custom_id, ["Halmstad"], user=fatima)
    assert "Din organisation är nu Halmstad" in picked.text
    before = await find(world, world.anna, municipality=HALMSTAD)
    assert "Fatima" not in before.text  # no profile yet: nothing in the directory

    # Her profile starts with the organisation she picked: pre-selected, nothing to pick again.
    form = await sb.click(greeting, "Fyll i din profil", user=fatima)
    assert form.kind == "modal"
    saved = await sb.submit_modal(form, {"profile:title": "Integrationssamordnare"}, user=fatima)
    assert "Integrationssamordnare · Halmstad" in saved.text
    [org_select] = [
        s for s in saved.selects if s.custom_id.startswith("krokarm:profile:organisation:")
    ]
    assert [o.label for o in org_select.options if o.default] == ["Halmstad"]

    found = await find(world, world.anna, municipality=HALMSTAD)
    assert "1 kontakt" in found.text and "Fatima Hassan" in found.text
    english = await find(world, world.erik, locale="en-US", municipality=HALMSTAD)
    assert "1 contact" in english.text and "Fatima Hassan" in english.text
    assert "Fatima Hassan" in (await find(world, world.erik, query="halmstad")).text

    # She changes it in /profile edit's second step: the onboarding record is the new one.
    edit = await sb.invoke("profile edit", {}, user=fatima, guild=guild)
    step_two = await sb.submit_modal(edit, {}, user=fatima)
    changed = await sb.select(
        step_two,
        f"krokarm:profile:organisation:{fatima.id}:{guild.id}",
        ["Region Halland"],
        user=fatima,
    )
    assert "Integrationssamordnare · Region Halland" in changed.text
    assert await organisation_of(world, fatima) == "Region Halland"
    gone = await find(world, world.anna, municipality=HALMSTAD)
    assert "Fatima" not in gone.text and "0 kontakter" in gone.text
    assert "Fatima" not in (await find(world, world.anna, query="halmstad")).text
    region = await find(world, world.erik, locale="en-US", query="region halland")
    assert "Fatima Hassan" in region.text and "1 contact" in region.text

    # And picking again in the greeting is what her card shows: one value, whichever way.
    again = await sb.click(greeting, "Välj organisation", user=fatima)
    await sb.select(again, again.selects[0].custom_id, ["Varberg"], user=fatima)
    assert await organisation_of(world, fatima) == "Varberg"
    card = await sb.invoke(
        "contact card", {"member": fatima}, user=world.erik, guild=guild, locale="en-US"
    )
    assert "Integrationssamordnare · Varberg" in card.text
    assert "Fatima Hassan" in (await find(world, world.anna, query="varberg")).text


async def test_only_the_networks_current_organisations_can_be_chosen(world: World) -> None:
    sb, guild, db = world.sandbox, world.guild, world.bot.db
    await configured(world)
    await db.execute("INSERT INTO networks (guild_id, name) VALUES (4242, 'Fyrbodal')")
    await organisations.add_municipalities(db, 4242, ["1484"])
    [lysekil] = await organisations.list_organisations(db, 4242)
    [korset] = [
        o for o in await organisations.list_organisations(db, guild.id) if o.name.startswith("Röda")
    ]
    offered = await sb.autocomplete(
        "profile edit",
        {"organisation": "röda"},
        focused="organisation",
        user=world.anna,
        guild=guild,
    )
    korset_token = str(offered[0].value)
    assert offered[0].name.startswith("Röda korset")
    # A token the other network's autocomplete would offer for Lysekil: signed for that network.
    key = bytes(await db.fetchval("SELECT value FROM bot_secrets WHERE name = 'pick'"))
    mac = hmac.new(key, f"o:4242:{lysekil.id}".encode(), hashlib.sha256).hexdigest()[:12]
    lysekil_token = f"o:{lysekil.id}:{mac}"
    edit = await sb.invoke("profile edit", {}, user=world.anna, guild=guild)
    step_two = await sb.submit_modal(edit, {}, user=world.anna)
    await organisations.archive(db, guild.id, korset.id, world.clock.now())
    # Archived while her second step was open: the list she sees is out of date.
    stale = await sb.select(
        step_two,
        f"krokarm:profile:organisation:{world.anna.id}:{guild.id}",
        [korset.name],
        user=world.anna,
    )
    assert stale.text == "**Organisation**: välj en av nätverkets organisationer i listan."
    archived = await sb.invoke(
        "profile edit", {"organisation": korset_token}, user=world.anna, guild=guild
    )
    assert archived.text == (
        "**Organisation**: det du valde finns inte längre (det har tagits bort eller arkiverats)."
        " Välj igen i listan."
    ), archived.text
    for value in (lysekil_token, str(korset.id), str(lysekil.id)):
        refused = await sb.invoke(
            "profile edit", {"organisation": value}, user=world.anna, guild=guild
        )
        assert refused.text == (
            f"**Organisation**: ingen av nätverkets organisationer heter ”{value}”."
            " Välj en i listan eller skriv dess namn."
        ), refused.text
    english = await sb.invoke(
        "profile edit",
        {"organisation": lysekil_token},
        user=world.erik,
        guild=guild,
        locale="en-US",
    )
    assert english.text == (
        f"**Organisation**: none of the network's organisations is called “{lysekil_token}”."
        " Pick one from the list or type its name."
    )
    for user in (world.anna, world.erik):
        member = await members.get_member(db, guild.id, user.id)
        assert member is None or member.organisation_id is None


async def test_picking_an_organisation_in_the_profile_also_gives_the_member_role(
    world: World,
) -> None:
    """Anna was on the server before setup and never used the greeting: the profile is where
    she says where she works, and that makes her a member just the same."""
    guild = world.guild
    await configured(world)
    role_id = await member_role_of(world, guild)
    assert role_id not in guild.members_by_id[world.anna.id].roles
    halmstad = next(
        o
        for o in await organisations.list_organisations(world.bot.db, guild.id)
        if o.name == "Halmstad"
    )
    reply = await fill_in_profile(
        world,
        world.anna,
        fields={"profile:title": "Integrationssamordnare"},
        organisation=halmstad.id,
    )
    assert "Integrationssamordnare · Halmstad" in reply.text
    await wait_for_roles(guild, world.anna, role_id)
    assert await organisation_of(world, world.anna) == "Halmstad"
