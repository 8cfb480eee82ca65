"""What a new user tripped on in the replies (issue 9, items 2 and 3), in Swedish and English."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n import tn
from tests.e2e.conftest import World
from tests.e2e.test_directory import fill_in_profile, org_ids
from tests.e2e.test_shell import run_shell

SV, EN = "sv-SE", "en-US"


async def test_dari_is_named_on_the_card_in_both_languages(world: World) -> None:
    orgs = await org_ids(world)
    await fill_in_profile(
        world,
        world.anna,
        fields={"profile:display_name": "Anna Andersson"},
        organisation=orgs["Halmstad"],
        languages="Dari, svenskt teckenspråk, Kurmanji",
    )
    swedish = await world.as_anna.invoke("contact card", {"member": world.anna})
    assert "Språk: dari, svenskt teckenspråk, kurmanji (nordkurdiska)" in swedish.text
    english = await world.as_erik.invoke("contact card", {"member": world.anna}, locale=EN)
    assert "Languages: Dari, Swedish Sign Language, Kurmanji (Northern Kurdish)" in english.text
    assert "prs" not in swedish.text + english.text


@pytest.mark.parametrize(
    ("locale", "added", "nothing"),
    [
        (SV, "Tillagda (1): Halmstad", "Ingen kommun lades till.\nFanns redan (1): Halmstad"),
        (EN, "Added (1): Halmstad", "No municipality was added.\nAlready members (1): Halmstad"),
    ],
)
async def test_adding_what_is_there_says_nothing_was_added(
    world: World, locale: str, added: str, nothing: str
) -> None:

    async def add() -> str:
        reply = await world.as_admin.invoke(
            "network municipalities add",
            {"municipality": "Halmstad"},
            locale=locale,
        )
        return reply.text

    assert added in await add()
    again = await add()
    assert nothing in again and "(0)" not in again and "–" not in again


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        (SV, "Anna Andersson har ingen profil i nätverkets katalog, så det finns inget att dölja."),
        (
            EN,
            "Anna Andersson has no profile in the network's directory,"
            " so there is nothing to hide.",
        ),
    ],
)
async def test_hiding_someone_without_a_profile_names_them(
    world: World, locale: str, said: str
) -> None:
    reply = await world.as_admin.invoke("directory hide", {"member": world.anna}, locale=locale)
    assert reply.text == said


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        (SV, "**Kompetens**: varje kompetens (mellan kommatecknen) får vara högst 40 tecken"),
        (EN, "**Expertise**: each area of expertise (between the commas) may be at most 40"),
    ],
)
async def test_a_long_expertise_names_the_tag_and_the_limit_per_tag(
    world: World, locale: str, said: str
) -> None:
    tag = "Samhällsorientering för nyanlända i Halland 2026"  # 48 characters
    reply = await world.as_anna.invoke(
        "profile edit",
        {"expertise": f"TMO, {tag}"},
        locale=locale,
    )
    assert reply.text.startswith(said), reply.text
    assert tag in reply.text and "48" in reply.text


def test_the_shell_names_options_in_the_persons_language_and_says_when_there_are_none(
    tmp_path: Path,
) -> None:
    script = "\n".join(
        [
            "/om sak:1",
            "/nätverk organisationer byt-namn org:x",
            ":lang en",
            "/about thing:1",
        ]
    )
    result = run_shell(tmp_path, script + "\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Kommandot har inga alternativ, så ”sak” finns inte." in out
    assert "The command takes no options, so there is no “thing”." in out
    assert "Det har: organisation, nytt-namn" in out
    assert "new_name" not in out and "It has: –" not in out and "Det har: –" not in out


def test_counts_in_the_setup_plan_agree_with_their_number() -> None:
    assert tn("sv", "network.setup.line.missing", 1) == "1 saknad behörighet läggs till"
    assert tn("sv", "network.setup.line.missing", 3) == "3 saknade behörigheter läggs till"
    assert tn("en", "network.setup.line.missing", 1) == "1 missing permission is added"
    assert tn("en", "network.setup.line.no_room", 1) == "1 tag does not fit (Discord allows 20)"
    assert tn("en", "network.setup.line.no_room", 2) == "2 tags do not fit (Discord allows 20)"
