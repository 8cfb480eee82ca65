"""The member role goes with the organisation (issue 9, item 6): forget-me erases the
organisation and takes the role, says so and how to get it back; the notice says it too."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.e2e.conftest import World
from tests.e2e.test_onboarding import configured, member_role_of, wait_for_roles

CASES = [
    (
        "sv-SE",
        "Välj organisation",
        "Ja, glöm mig",
        "Medlemsrollen, som följde med din organisation, är borttagen.",
        "Medlemsrollen följer med din organisation",
    ),
    (
        "en-US",
        "Choose your organisation",
        "Yes, forget me",
        "The member role, which came with your organisation, is removed.",
        "The member role comes with your organisation",
    ),
]


async def without_role(guild: Any, user: Any, role_id: int) -> None:
    for _ in range(100):
        if role_id not in guild.members_by_id[user.id].roles:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the member role was not taken")


@pytest.mark.parametrize(("locale", "pick", "confirm", "said", "notice"), CASES)
async def test_forget_me_takes_the_member_role_that_came_with_the_organisation(
    world: World, locale: str, pick: str, confirm: str, said: str, notice: str
) -> None:
    sb, guild = world.sandbox, world.guild
    await configured(world)
    user = world.anna if locale == "sv-SE" else world.erik
    role_id = await member_role_of(world, guild)
    welcome = sb.find_channel(guild, "välkommen")
    standing = await sb.wait_for_message(welcome, existing=True)
    picker = await sb.click(standing, "Välj organisation", user=user, locale=locale)
    await sb.select(picker, picker.selects[0].custom_id, ["Halmstad"], user=user, locale=locale)
    await wait_for_roles(guild, user, role_id)

    shown = await sb.invoke("privacy notice", {}, user=user, guild=guild, locale=locale)
    assert notice in shown.text
    asked = await sb.invoke("privacy forget-me", {}, user=user, guild=guild, locale=locale)
    done = await sb.click(asked, confirm, user=user, locale=locale)
    assert said in done.text, done.text
    assert "“Välj organisation”" in done.text or "”Välj organisation”" in done.text
    assert pick not in done.text or locale == "sv-SE"  # the button as the channel shows it
    await without_role(guild, user, role_id)
    # Picking again gives it back.
    picker = await sb.click(standing, "Välj organisation", user=user, locale=locale)
    await sb.select(picker, picker.selects[0].custom_id, ["Varberg"], user=user, locale=locale)
    await wait_for_roles(guild, user, role_id)


async def test_forget_me_without_an_organisation_says_nothing_of_a_role(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    await configured(world)
    asked = await sb.invoke("privacy forget-me", {}, user=world.anna, guild=guild)
    done = await sb.click(asked, "Ja, glöm mig", user=world.anna)
    assert "Medlemsrollen" not in done.text
