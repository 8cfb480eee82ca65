"""`/contact find` on the one search, as members type it: any text is safe, and the Swedish
search (ASCII spellings, compound parts, the thesaurus, typos) works in both languages."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import World
from tests.e2e.test_directory import HALMSTAD, fill_in_profile, find, org_ids

NASTY = [
    "\x00",
    "anna\x00",
    "\x00\x01\x02\x1f\x7f",
    "samordnare\x07\x1b[31m",
    '"AND (',
    "NEAR(",
    "NEAR(anna samordnare, 2)",
    "*",
    "anna*",
    "name: anna",
    "-anna ^samordnare",
    "a OR b AND NOT c",
    "'; DROP TABLE profiles; --",
    "x" * 200,  # the option's max_length; the service test sends 5000
    "🙂🙂 samordnare 👩🏽‍💼",
    "فاطمة حسن",
    "\u202eanna\u202c",
    "\u200b\u200d\u2060",
]


@pytest.mark.parametrize("field", ["query", "expertise"])
async def test_no_text_a_member_types_breaks_the_search(world: World, field: str) -> None:
    await fill_in_profile(
        world,
        world.anna,
        fields={"profile:display_name": "Anna Andersson", "profile:title": "Samordnare"},
        expertise="TMO",
    )
    for text in NASTY:
        # Discord keeps the options' lengths (query 200, expertise 100).
        text = text[: 200 if field == "query" else 100]
        reply = await find(world, world.erik, locale="en-US", **{field: text})
        assert "contact" in reply.text, (field, text)  # "0 contacts" or "1 contact": an answer
        assert "error" not in reply.text.casefold(), (field, text)


async def test_ascii_spellings_compounds_acronyms_and_typos(world: World) -> None:
    orgs = await org_ids(world)
    await fill_in_profile(
        world,
        world.anna,
        fields={"profile:display_name": "Anna Andersson", "profile:title": "Kulturtolk"},
        organisation=orgs["Söderhamn"],
        expertise="traumamedveten omsorg, undersköterska",
    )
    for query in ("Soderhamn", "söderhamn", "tolk", "tolken", "TMO", "sköterska", "Soderhamm"):
        swedish = await find(world, world.erik, query=query)
        assert "Anna Andersson" in swedish.text, query
    english = await find(world, world.erik, locale="en-US", query="interpreter")
    assert "1 contact" in english.text and "Anna Andersson" in english.text
    for query in ("zzqqxx", "stod"):  # nothing close; a short word is never "corrected"
        nobody = await find(world, world.erik, locale="en-US", query=query)
        assert "0 contacts" in nobody.text, query
    assert HALMSTAD  # the shared set-up's municipality codes stay importable
