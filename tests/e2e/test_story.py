"""The example of tests/README.md, kept true: a member fills in her title and is found by a part
of it, with the Swedish names of the command and its option."""

from __future__ import annotations

from tests.e2e.conftest import World


async def test_a_member_finds_the_coordinator_by_a_part_of_her_title(world: World) -> None:
    anna = world.as_user(world.anna, locale="sv-SE")
    modal = await anna.invoke("profile edit", {})
    await anna.submit_modal(modal, {"profile:title": "Integrationssamordnare"})

    found = await anna.invoke("kontakt sök", {"sökord": "samordnare"})
    [hit] = found.embeds[0]["fields"]
    assert hit["name"] == "Anna Andersson"
    assert "Integrationssamordnare" in hit["value"]
