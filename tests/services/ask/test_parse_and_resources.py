"""The question parser on anything typed (hypothesis), and the resources service's checks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.db import Database
from bot.errors import InvalidInput, NotAllowed
from bot.services import resources
from bot.services.ask.parse import STOP_WORDS, parse_question
from bot.services.textnorm import fold
from tests.services.test_directory import GUILD, NOW, OTHER_GUILD, make_network


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_any_text_parses_into_safe_terms(text: str) -> None:
    q = parse_question(text)
    for term in q.terms:
        assert fold(term.text) not in STOP_WORDS
        for alt in term.alternatives:
            # Nothing FTS5 or SQL could read as syntax survives into a term's words.
            assert all(w and not set(w) & set('"*():^-+{}') for w in alt.words)
    assert all(len(code) == 4 and code.isdigit() for code in q.places)


def test_places_counties_and_regions_become_filters() -> None:
    q = parse_question("finns det någon i Halland som jobbar med praktikplatser för nyanlända?")
    assert [t.text for t in q.terms] == ["praktikplatser", "nyanlända"]
    assert "1380" in q.places and len(q.places) == 6  # Hallands län's six municipalities
    assert parse_question("Vem i Lysekil kan HVB?").places == ("1484",)
    assert len(parse_question("anyone in Fyrbodal working with SFI").places) == 14
    assert parse_question("vem kan TMO?").places == ()
    assert not parse_question("vem kan vad och hur?").terms  # only question words


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>",
        "file:///etc/passwd",
        "ftp://example.se/x",
        "https://",
        "https://localhost",
        "https://exa mple.se",
        "https://example.se/\x00",
        "//example.se",
        "example.se",
        "",
        "https://example.se/" + "x" * 600,
        "https://example.se/@everyone",
    ],
)
def test_only_web_links_are_accepted(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        resources.check_url(url)
    assert refused.value.field == "resource.url"


def test_web_links_are_kept_as_typed() -> None:
    assert resources.check_url(" https://www.example.se/a?b=1#c ") == (
        "https://www.example.se/a?b=1#c"
    )
    assert resources.check_url("http://example.se") == "http://example.se"


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        await make_network(database)
        await make_network(database, OTHER_GUILD, "Fyrbodal")
        yield database


def _draft(title: str = "Handbok", **more: str) -> resources.Draft:
    return resources.draft(
        title=more.get("title", title),
        url=more.get("url", "https://example.se/handbok"),
        description=more.get("description", "Om mottagning"),
        tags=more.get("tags", "mottagning, bosättning"),
        kind=more.get("kind", "guide"),
        organisation_id=None,
    )


async def test_only_the_author_or_an_admin_changes_a_resource(db: Database) -> None:
    added = await resources.add(db, GUILD, 1, _draft(), now=NOW)
    with pytest.raises(NotAllowed):
        await resources.edit(db, GUILD, added.id, _draft("X"), actor_id=2, is_admin=False, now=NOW)
    with pytest.raises(NotAllowed):
        await resources.remove(db, GUILD, added.id, actor_id=2, is_admin=False)
    changed = await resources.edit(
        db, GUILD, added.id, _draft("Ny handbok"), actor_id=2, is_admin=True, now=NOW
    )
    assert changed.title == "Ny handbok"
    found = await resources.find(db, GUILD, resources.Criteria("handbok"))
    assert [r.id for r in found.resources] == [added.id]
    # Another network sees nothing of it.
    other = await resources.find(db, OTHER_GUILD, resources.Criteria("handbok"))
    assert other.total == 0
    await resources.remove(db, GUILD, added.id, actor_id=1, is_admin=False)
    assert (await resources.find(db, GUILD, resources.Criteria("handbok"))).total == 0


async def test_find_by_tag_kind_and_typo(db: Database) -> None:
    await resources.add(db, GUILD, 1, _draft(), now=NOW)
    await resources.add(db, GUILD, 1, _draft("Utlysning", kind="funding", tags="ESF"), now=NOW)
    assert (await resources.find(db, GUILD, resources.Criteria(tag="ESF"))).total == 1
    assert (await resources.find(db, GUILD, resources.Criteria(kind="guide"))).total == 1
    assert (
        await resources.find(db, GUILD, resources.Criteria("Europeiska socialfonden"))
    ).total == 1
    assert (await resources.find(db, GUILD, resources.Criteria("bosatning"))).total == 1
    with pytest.raises(InvalidInput):
        await resources.find(db, GUILD, resources.Criteria(kind="nonsense"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "@everyone"),
        ("description", "x" * 5000),
        ("tags", ",".join(f"t{i}" for i in range(20))),
    ],
)
async def test_bad_fields_write_nothing(db: Database, field: str, value: str) -> None:
    with pytest.raises(InvalidInput):
        _draft(**{field: value})
    assert await db.fetchval("SELECT COUNT(*) FROM resources") == 0
