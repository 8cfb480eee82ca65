"""Forms that belong to someone: two people, and one person in two networks, with the same
modals open at once, submitting in every order — each gets their own data saved and their own
answer; nothing crosses (issue 7 item 1, issue 8 item 2)."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import discord

from bot.services import members, network, organisations, profiles
from sandbox import Reply
from tests.e2e.conftest import World
from tests.e2e.test_network_setup import run_setup

ORDERS = list(itertools.permutations(range(3)))
MANAGE_GUILD = discord.Permissions(manage_guild=True).value


async def _network_exists(world: World, guild_id: int) -> None:
    for _ in range(200):
        if await world.bot.db.fetchval("SELECT 1 FROM networks WHERE guild_id = ?", (guild_id,)):
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the bot never saw the second network")


async def second_network(world: World) -> Any:
    """Fyrbodal: Maria owns it too; Erik and Anna are members of both networks."""
    sb = world.sandbox
    other = sb.create_guild("Fyrbodal", preferred_locale="sv-SE", owner=world.admin)
    await sb.add_member(other, world.admin)
    await sb.add_member(other, world.erik)
    await sb.add_member(other, world.anna)
    await _network_exists(world, other.id)
    return other


async def add_organisation(world: World, guild: Any, name: str) -> int:
    await world.sandbox.invoke(
        "network organisations add",
        {"name": name, "kind": "civil_society"},
        user=world.admin,
        guild=guild,
    )
    found = await organisations.list_organisations(world.bot.db, guild.id)
    return next(o.id for o in found if o.name == name)


def step(reply: Reply, name: str) -> str:
    ids = [c.custom_id for c in [*reply.buttons, *reply.selects]]
    [found] = [i for i in ids if i.startswith(f"krokarm:profile:{name}:")]
    return found


async def test_profile_modals_and_their_second_step_never_cross(world: World) -> None:
    sb, db = world.sandbox, world.bot.db
    g1 = world.guild
    g2 = await second_network(world)
    korset = await add_organisation(world, g1, "Röda korset Halmstad")
    abf = await add_organisation(world, g1, "ABF Halland")
    kyrkan = await add_organisation(world, g2, "Svenska kyrkan Lysekil")
    openers = [(world.anna, g1), (world.erik, g1), (world.erik, g2)]
    # Anna's options are the reproduction of issue 7: an organisation and a secret tag.
    presets: list[dict[str, Any]] = [
        {"organisation": "Röda korset Halmstad", "expertise": "annas hemliga tagg"},
        {},
        {"organisation": "Svenska kyrkan Lysekil"},
    ]
    orgs_after: list[int | None] = [korset, None, kyrkan]
    tags_after: list[list[str]] = [["annas hemliga tagg"], [], []]
    for rnd, order in enumerate(ORDERS):
        modals = [
            await sb.invoke("profile edit", presets[i], user=u, guild=g)
            for i, (u, g) in enumerate(openers)
        ]
        assert len({m.modal.custom_id for m in modals if m.modal}) == 3
        names = [f"Person {i} runda {rnd}" for i in range(3)]
        saved: dict[int, Reply] = {}
        for i in order:
            user, _ = openers[i]
            saved[i] = await sb.submit_modal(
                modals[i],
                {"profile:display_name": names[i], "profile:title": f"Titel {i}.{rnd}"},
                user=user,
            )
        for i, (user, guild) in enumerate(openers):
            assert names[i] in saved[i].text
            profile = await profiles.get(db, guild.id, user.id)
            assert profile is not None
            assert (profile.display_name, profile.title) == (names[i], f"Titel {i}.{rnd}")
            assert profile.organisation_id == orgs_after[i]
            assert list(profile.expertise) == tags_after[i]

        # The second step: all three "Expertise and languages" modals open at once.
        details = [
            await sb.click(saved[i], step(saved[i], "more"), user=u)
            for i, (u, _) in enumerate(openers)
        ]
        assert len({d.modal.custom_id for d in details if d.modal}) == 3
        after: dict[int, Reply] = {}
        for i in order:
            user, _ = openers[i]
            after[i] = await sb.submit_modal(
                details[i], {"profile:expertise": f"tagg{i}r{rnd}"}, user=user
            )
        for i, (user, guild) in enumerate(openers):
            assert f"tagg{i}r{rnd}" in after[i].text
            profile = await profiles.get(db, guild.id, user.id)
            assert profile is not None and list(profile.expertise) == [f"tagg{i}r{rnd}"]

        # The organisation selects of step two, in the same order.
        choice = [abf if rnd % 2 else korset, korset if rnd % 2 else abf, kyrkan]
        for i in order:
            user, _ = openers[i]
            picked = await sb.select(
                after[i], step(after[i], "organisation"), [str(choice[i])], user=user
            )
            assert names[i] in picked.text
        for i, (user, guild) in enumerate(openers):
            profile = await profiles.get(db, guild.id, user.id)
            assert profile is not None and profile.organisation_id == choice[i]
        # Later rounds open the modal without options: each keeps their own step-two data.
        orgs_after = list(choice)
        tags_after = [[f"tagg{i}r{rnd}"] for i in range(3)]
        presets = [{}, {}, {}]


async def test_a_stranger_cannot_press_someone_elses_second_step(world: World) -> None:
    sb = world.sandbox
    edit = await world.as_anna.invoke("profile edit", {})
    saved = await world.as_anna.submit_modal(edit, {})
    for user, locale, text in (
        (world.erik, "en-US", "This belongs to someone else"),
        (world.admin, "sv-SE", "Det här är någon annans"),
    ):
        other = await sb.click(saved, step(saved, "done"), user=user, locale=locale)
        assert other.ephemeral and text in other.text
    done = await world.as_anna.click(saved, step(saved, "done"))
    assert "Anna Andersson" in done.text


async def test_privacy_notice_modals_of_two_admins_and_two_networks(world: World) -> None:
    sb, db = world.sandbox, world.bot.db
    g1 = world.guild
    g2 = await second_network(world)
    admins = sb.create_role(g1, "Samordnare", MANAGE_GUILD)
    sb.set_member_roles(g1, world.erik, [admins])
    openers = [(world.admin, g1), (world.erik, g1), (world.admin, g2)]
    for rnd, order in enumerate(ORDERS):
        shown = [await sb.invoke("network settings", {}, user=u, guild=g) for u, g in openers]
        modals = [
            await sb.click(shown[i], "krokarm:net:privacy", user=u)
            for i, (u, _) in enumerate(openers)
        ]
        assert len({m.modal.custom_id for m in modals if m.modal}) == 3
        texts = [f"Vår text nummer {i} i runda {rnd}." for i in range(3)]
        for i in order:
            user, _ = openers[i]
            field = modals[i].modal.fields[0].custom_id  # type: ignore[union-attr]
            answer = await sb.submit_modal(modals[i], {field: texts[i]}, user=user)
            assert answer.ephemeral and ("sparad" in answer.text or "saved" in answer.text)
        last_in_g1 = texts[[i for i in order if i in (0, 1)][-1]]
        assert (await network.get(db, g1.id)).privacy_notice == last_in_g1
        assert (await network.get(db, g2.id)).privacy_notice == texts[2]


async def test_onboarding_searches_of_two_newcomers_and_two_networks(world: World) -> None:
    sb, db = world.sandbox, world.bot.db
    g1 = world.guild
    g2 = await second_network(world)
    amina = sb.create_user("amina", global_name="Amina", locale="sv-SE")
    omar = sb.create_user("omar", global_name="Omar", locale="en-US")
    for guild in (g1, g2):
        await run_setup(sb, guild, world.admin)
        await sb.invoke(
            "network municipalities add", {"preset": "county-14"}, user=world.admin, guild=guild
        )
    await sb.add_member(g1, amina)
    await sb.add_member(g1, omar)
    await sb.add_member(g2, amina)
    standing = {}
    for guild in (g1, g2):
        channel = sb.find_channel(guild, "välkommen")
        [standing[guild.id]] = [
            m
            for m in sb.channel_messages(channel)
            if any(c.get("custom_id") == "krokarm:onb:pick:any" for c in sb._walk(m.components))
        ]
    openers = [(amina, g1), (omar, g1), (amina, g2)]
    places = ["Trollhättan", "Lysekil", "Vänersborg", "Uddevalla", "Mölndal", "Alingsås"]
    for rnd, order in enumerate(ORDERS):
        modals = [
            await sb.click(standing[g.id], "krokarm:onb:pick:any", user=u) for u, g in openers
        ]
        assert all(m.kind == "modal" for m in modals)
        assert len({m.modal.custom_id for m in modals if m.modal}) == 3
        wanted = [places[(rnd + i) % len(places)] for i in range(3)]
        answers: dict[int, Reply] = {}
        for i in order:
            user, _ = openers[i]
            field = modals[i].modal.fields[0].custom_id  # type: ignore[union-attr]
            answers[i] = await sb.submit_modal(modals[i], {field: wanted[i]}, user=user)
        for i in order:
            user, guild = openers[i]
            assert [o.label for o in answers[i].selects[0].options] == [wanted[i]]
            select = answers[i].selects[0].custom_id
            await sb.select(answers[i], select, [wanted[i]], user=user)
            member = await members.get_member(db, guild.id, user.id)
            org = await organisations.get(db, guild.id, member.organisation_id or 0)
            assert org is not None and org.name == wanted[i]


async def test_an_invalid_field_answers_with_a_button_that_reopens_what_was_typed(
    world: World,
) -> None:
    sb, db = world.sandbox, world.bot.db
    for user, locale, button, words in (
        (world.anna, "sv-SE", "Rätta", ("E-post", "Inget har sparats")),
        (world.erik, "en-US", "Correct it", ("E-mail", "Nothing was saved")),
    ):
        edit = await world.as_user(user).invoke("profile edit", {}, locale=locale)
        typed = {
            "profile:display_name": "Åsa Öberg",
            "profile:title": "Integrationssamordnare",
            "profile:department": "Socialtjänsten",
            "profile:email": "inte en adress",
            "profile:phone": "070-123 45 67",
        }
        refused = await sb.submit_modal(edit, typed, user=user, locale=locale)
        assert refused.ephemeral and all(w in refused.text for w in words)
        assert await profiles.get(db, world.guild.id, user.id) is None
        # Someone else cannot use the button.
        stranger = world.admin
        other = await sb.click(refused, button, user=stranger)
        assert "Det här är någon annans" in other.text
        again = await sb.click(refused, button, user=user, locale=locale)
        assert again.kind == "modal" and again.modal is not None
        assert {f.custom_id: f.value for f in again.modal.fields} == typed
        fixed = await sb.submit_modal(
            again, {"profile:email": "asa.oberg@halmstad.se"}, user=user, locale=locale
        )
        assert "Åsa Öberg" in fixed.text
        profile = await profiles.get(db, world.guild.id, user.id)
        assert profile is not None
        assert (profile.title, profile.department, profile.email) == (
            "Integrationssamordnare",
            "Socialtjänsten",
            "asa.oberg@halmstad.se",
        )


async def test_an_invalid_privacy_notice_can_be_corrected_without_retyping(world: World) -> None:
    _sb, db = world.sandbox, world.bot.db
    shown = await world.as_admin.invoke("network settings", {})
    modal = await world.as_admin.click(shown, "krokarm:net:privacy")
    field = modal.modal.fields[0].custom_id  # type: ignore[union-attr]
    long_text = "Vi sparar namn och e-post. " * 20 + "Ring 19850709-9805."
    refused = await world.as_admin.submit_modal(modal, {field: long_text})
    assert "personnummer" in refused.text and "Inget har sparats" in refused.text
    again = await world.as_admin.click(refused, "Rätta")
    assert again.modal is not None and again.modal.fields[0].value == long_text
    fixed = long_text.replace("Ring 19850709-9805.", "Ring växeln.")
    saved = await world.as_admin.submit_modal(again, {field: fixed})
    assert "sparad" in saved.text
    assert (await network.get(db, world.guild.id)).privacy_notice == fixed


# --- the one pager --------------------------------------------------------------------------


async def _many_coordinators(world: World, count: int = 12) -> None:
    """`count` coordinators of Halmstad's municipality, members of the server (a restart
    marks people who are not as departed)."""
    db = world.bot.db
    await organisations.add_municipalities(db, world.guild.id, ["1380"])
    [halmstad] = await organisations.list_organisations(db, world.guild.id)
    for i in range(count):
        person = world.sandbox.create_user(f"samordnare{i}", global_name=f"S {i}")
        await world.sandbox.add_member(world.guild, person)
        await profiles.save(
            db,
            world.guild.id,
            person.id,
            profiles.ProfileFields(f"Samordnare {i:02d}", title="Samordnare"),
            now=world.clock.now(),
            organisation_id=halmstad.id,
        )


async def test_contact_find_pages_after_a_restart_and_only_for_its_asker(world: World) -> None:
    await _many_coordinators(world)
    first = await world.as_anna.invoke(
        "contact find",
        {"query": "samordnare", "municipality": "1380"},
    )
    assert "Sida 1 av 3" in first.text
    # The criteria are in the button's id, not in the bot's memory.
    assert all("samordnare" in (b.custom_id or "") for b in first.buttons)
    await world.restart()
    second = await world.as_anna.click(first, "Nästa ▶")
    assert "Sida 2 av 3" in second.text and "Samordnare 05" in second.text
    stranger = await world.as_erik.click(second, "Nästa ▶", locale="en-US")
    assert stranger.ephemeral and "This belongs to someone else" in stranger.text
    back = await world.as_anna.click(second, "◀ Föregående")
    assert "Sida 1 av 3" in back.text and "Samordnare 00" in back.text


async def test_a_query_too_long_for_the_id_pages_and_then_says_it_has_expired(
    world: World,
) -> None:
    await _many_coordinators(world)
    query = ("samordnare " * 18).strip()  # 197 characters: more than a custom_id holds
    first = await world.as_anna.invoke("contact find", {"query": query})
    assert "Sida 1 av 3" in first.text
    assert all(len(b.custom_id or "") <= 100 for b in first.buttons)
    second = await world.as_anna.click(first, "Nästa ▶")
    assert "Sida 2 av 3" in second.text
    await world.restart()
    expired = await world.as_anna.click(second, "Nästa ▶")
    assert "har gått ut" in expired.text and "/kontakt sök" in expired.text


async def test_the_audit_log_pages_after_a_restart_for_admins_only(world: World) -> None:
    from bot.services import audit

    _sb, db = world.sandbox, world.bot.db
    async with db.transaction():
        for _ in range(25):
            await audit.record(
                db,
                world.guild.id,
                actor_id=world.admin.id,
                subject_id=world.anna.id,
                action="profile.edit",
                now=world.clock.now(),
            )
    first = await world.as_admin.invoke("directory audit", {"member": world.anna})
    assert "Sida 1 av 3" in first.text
    await world.restart()
    second = await world.as_admin.click(first, "Nästa ▶")
    assert "Sida 2 av 3" in second.text
    stranger = await world.as_anna.click(second, "Nästa ▶")
    assert "Det här är någon annans" in stranger.text


async def test_cards_and_the_audit_log_are_dated_in_the_networks_time_zone(world: World) -> None:
    from datetime import datetime

    from bot.services import audit

    sb, db = world.sandbox, world.bot.db
    g2 = await second_network(world)  # keeps Europe/Stockholm
    await network.update(db, world.guild.id, timezone="America/New_York")
    # 23.30 UTC: still the 23rd in New York, already the 24th in Stockholm.
    world.clock.set(datetime.fromisoformat("2026-11-23T23:30:00+00:00"))
    for guild in (world.guild, g2):
        edit = await sb.invoke("profile edit", {}, user=world.anna, guild=guild)
        await world.as_anna.submit_modal(edit, {})
        async with db.transaction():
            await audit.record(
                db,
                guild.id,
                actor_id=world.admin.id,
                subject_id=world.anna.id,
                action="profile.edit",
                now=world.clock.now(),
            )
    here = await world.as_anna.invoke("profile show", {})
    there = await sb.invoke("profile show", {}, user=world.anna, guild=g2)
    assert "23 nov" in here.text and "24 nov" not in here.text
    assert "24 nov" in there.text
    log_here = await world.as_admin.invoke("directory audit", {})
    log_there = await sb.invoke("directory audit", {}, user=world.admin, guild=g2)
    assert "18.30" in log_here.text and "00.30" in log_there.text
