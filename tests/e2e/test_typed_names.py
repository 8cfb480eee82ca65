"""Typed names in options with autocomplete (issue 9, item 1): every option that names an
organisation or a function takes what the autocomplete offers (a signed token), a typed exact
name, a misspelt one, asks which one when a name fits several, and never takes a bare number
for an internal id — in Swedish and in English."""

from __future__ import annotations

from typing import Any

import pytest

from bot.services import functions, members, organisations
from sandbox.reply import Reply
from tests.e2e.conftest import World

SV, EN = "sv-SE", "en-US"


async def seeded(world: World) -> dict[str, int]:
    """Halmstad and Varberg, two Röda korset, ABF Halland; a function in each Röda korset."""
    db, gid = world.bot.db, world.guild.id
    await organisations.add_municipalities(db, gid, ["1380", "1383"])
    for name in ("Röda korset Halmstad", "Röda korset Varberg", "ABF Halland"):
        await organisations.add(db, gid, kind="civil_society", name=name)
    ids = {o.name: o.id for o in await organisations.list_organisations(db, gid)}
    now = world.clock.now()
    for org in ("Röda korset Halmstad", "Röda korset Varberg"):
        await functions.add(db, gid, ids[org], "Mottagningssamordnare", now=now)
    await functions.add(db, gid, ids["ABF Halland"], "Studieorganisatör", now=now)
    return ids


async def names(world: World) -> set[str]:
    return {o.name for o in await organisations.list_organisations(world.bot.db, world.guild.id)}


async def run(world: World, command: str, options: dict[str, Any], locale: str) -> Reply:
    return await world.as_admin.invoke(command, options, locale=locale)


@pytest.mark.parametrize("locale", [SV, EN])
async def test_rename_takes_a_typed_exact_or_misspelt_name_and_never_a_number(
    world: World, locale: str
) -> None:
    ids = await seeded(world)
    exact = await run(
        world,
        "network organisations rename",
        {"organisation": "abf halland", "new_name": "ABF Halland-Kronoberg"},
        locale,
    )
    said = {SV: "ABF Halland heter nu ABF Halland-Kronoberg.", EN: "ABF Halland is now called"}
    assert said[locale] in exact.text, exact.text
    misspelt = await run(
        world,
        "network organisations rename",
        {"organisation": "Roda korsett Varbreg", "new_name": "Röda Korset Varberg"},
        locale,
    )
    assert "Röda korset Varberg" in misspelt.text and "Röda Korset Varberg" in misspelt.text
    before = await names(world)
    for number in (str(ids["Röda korset Halmstad"]), "1", "#3", "o:3"):
        refused = await run(
            world,
            "network organisations rename",
            {"organisation": number, "new_name": "Gissat namn"},
            locale,
        )
        reason = {SV: "ingen sådan organisation", EN: "no such organisation"}[locale]
        assert refused.text.startswith("**Organisation**: " + reason), refused.text
    assert await names(world) == before


@pytest.mark.parametrize("locale", [SV, EN])
async def test_an_ambiguous_name_asks_which_one_and_only_the_asker_may_answer(
    world: World, locale: str
) -> None:
    await seeded(world)
    asked = await run(
        world, "network organisations remove", {"organisation": "röda korset"}, locale
    )
    question = {SV: "Flera passar in på ”röda korset”", EN: "Several match “röda korset”"}
    assert question[locale] in asked.text, asked.text
    [select] = asked.selects
    labels = [o.label for o in select.options]
    assert labels == [
        f"Röda korset Halmstad ({'Civilsamhälle' if locale == SV else 'Civil society'})",
        f"Röda korset Varberg ({'Civilsamhälle' if locale == SV else 'Civil society'})",
    ], labels
    assert "Röda korset Halmstad" in await names(world)
    # Someone else cannot answer for the admin.
    other = await world.as_anna.select(asked, select.custom_id, [select.options[0].value])
    assert "någon annans" in other.text, other.text
    done = await world.as_admin.select(
        asked, select.custom_id, [select.options[0].value], locale=locale
    )
    archived = {SV: "Röda korset Halmstad är arkiverad", EN: "Röda korset Halmstad is archived"}
    assert archived[locale] in done.text, done.text
    assert "Röda korset Halmstad" not in await names(world)
    assert "Röda korset Varberg" in await names(world)


@pytest.mark.parametrize("locale", [SV, EN])
async def test_function_add_and_profile_edit_take_typed_organisations(
    world: World, locale: str
) -> None:
    ids = await seeded(world)
    sb = world.sandbox
    added = await run(world, "function add", {"organisation": "Halmstad", "name": "Rektor"}, locale)
    assert "Rektor" in added.text and "Halmstad" in added.text, added.text
    fuzzy = await run(world, "function add", {"organisation": "Varbrg", "name": "Rektor"}, locale)
    assert "Rektor" in fuzzy.text and "Varberg" in fuzzy.text, fuzzy.text
    number = await run(
        world, "function add", {"organisation": str(ids["ABF Halland"]), "name": "Rektor"}, locale
    )
    assert number.text.startswith("**Organisation**: "), number.text
    unknown = {SV: "heter ”", EN: "is called “"}[locale]
    assert unknown in number.text
    which = await run(world, "function add", {"organisation": "Röda", "name": "Kassör"}, locale)
    assert len(which.selects[0].options) == 2
    chosen = await world.as_admin.select(
        which,
        which.selects[0].custom_id,
        [which.selects[0].options[1].value],
        locale=locale,
    )
    assert "Kassör" in chosen.text and "Röda korset Varberg" in chosen.text, chosen.text

    # The profile: a typed name opens the form with the organisation chosen.
    user = world.anna if locale == SV else world.erik
    modal = await world.as_user(user).invoke(
        "profile edit", {"organisation": "halmstad"}, locale=locale
    )
    assert modal.kind == "modal", modal.text
    saved = await sb.submit_modal(modal, {"profile:title": "Lärare"}, user=user, locale=locale)
    assert "Halmstad" in saved.text, saved.text
    member = await members.get_member(world.bot.db, world.guild.id, user.id)
    assert member is not None and member.organisation_id == ids["Halmstad"]
    refused = await world.as_user(user).invoke(
        "profile edit",
        {"organisation": str(ids["Varberg"])},
        locale=locale,
    )
    assert refused.kind == "message" and refused.text.startswith("**Organisation**: ")


@pytest.mark.parametrize("locale", [SV, EN])
async def test_function_options_take_typed_names_and_ask_when_several_share_one(
    world: World, locale: str
) -> None:
    await seeded(world)
    offered = await world.as_admin.autocomplete(
        "function assign",
        {"function": "studie"},
        focused="function",
        locale=locale,
    )
    assert [c.name.split(" –")[0] for c in offered] == ["Studieorganisatör"]
    assert str(offered[0].value).startswith("f:")
    picked = await run(
        world, "function assign", {"function": offered[0].value, "member": world.anna}, locale
    )
    assert "Studieorganisatör" in picked.text, picked.text
    misspelt = await run(world, "function vacate", {"function": "studieorganisator"}, locale)
    vacant = {SV: "är nu vakant", EN: "is now vacant"}
    assert vacant[locale] in misspelt.text, misspelt.text
    number = await run(world, "function assign", {"function": "1", "member": world.anna}, locale)
    assert number.text.startswith({SV: "**Funktion**: ", EN: "**Function**: "}[locale])
    both = await run(
        world,
        "function assign",
        {"function": "Mottagningssamordnare", "member": world.anna},
        locale,
    )
    [select] = both.selects
    assert [o.description for o in select.options] == [
        "Röda korset Halmstad",
        "Röda korset Varberg",
    ]
    done = await world.as_admin.select(
        both, select.custom_id, [select.options[1].value], locale=locale
    )
    assert "Mottagningssamordnare" in done.text and "Röda korset Varberg" in done.text
    held = await functions.list_functions(
        world.bot.db, world.guild.id, holder_user_id=world.anna.id
    )
    assert [(f.name, f.organisation_name) for f in held] == [
        ("Mottagningssamordnare", "Röda korset Varberg")
    ]


async def test_a_held_function_given_to_someone_else_tells_the_admin_and_the_holder(
    world: World,
) -> None:
    await seeded(world)
    sb = world.sandbox
    await run(world, "function assign", {"function": "Studieorganisatör", "member": world.anna}, SV)
    moved = await run(
        world, "function assign", {"function": "Studieorganisatör", "member": world.erik}, SV
    )
    assert f"Den togs från <@{world.anna.id}>, som har fått ett direktmeddelande" in moved.text
    [dm] = sb.dm_messages(world.anna)
    assert "har gett funktionen **Studieorganisatör** (ABF Halland) till någon annan" in dm.content
    back = await run(
        world, "function assign", {"function": "Studieorganisatör", "member": world.anna}, EN
    )
    assert f"It was taken from <@{world.erik.id}>" in back.text


async def test_the_which_one_select_answers_that_it_has_expired_after_a_restart(
    world: World,
) -> None:
    await seeded(world)
    asked = await run(world, "network organisations remove", {"organisation": "Röda korset"}, SV)
    await world.restart()
    [select] = asked.selects
    late = await world.as_admin.select(asked, select.custom_id, [select.options[0].value])
    assert "har gått ut" in late.text, late.text
    assert {"Röda korset Halmstad", "Röda korset Varberg"} <= await names(world)


async def test_a_picked_value_still_works_after_a_restart(world: World) -> None:
    await seeded(world)
    offered = await world.as_admin.autocomplete(
        "network organisations rename",
        {"organisation": "abf"},
        focused="organisation",
    )
    await world.restart()
    renamed = await run(
        world,
        "network organisations rename",
        {"organisation": offered[0].value, "new_name": "ABF Sydväst"},
        SV,
    )
    assert "ABF Halland heter nu ABF Sydväst." in renamed.text
