"""The one search's analyzer, thesaurus and query building (bot/services/search)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.db import Database, default_migrations_dir
from bot.services import directory, members, profiles, search
from bot.services.search import analyzer, query, thesaurus
from tests.services.test_directory import GUILD, NOW, OTHER_GUILD, make_network, person


def test_words_split_on_everything_but_letters_digits_and_marks() -> None:
    assert analyzer.words('Söderhamns "AND ( NEAR( x:y * 5\x00000 🙂') == [
        "söderhamns",
        "and",
        "near",
        "x",
        "y",
        "5",
        "000",
    ]
    assert analyzer.words("فَاطِمَة") == ["فَاطِمَة"]  # vowel marks stay inside the word
    assert analyzer.words("ＳＦＩ") == ["sfi"]  # fullwidth letters
    assert analyzer.words("\u200d\u0301") == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("samordnaren", "samordnare"),
        ("samordnarna", "samordnare"),
        ("nätverket", "nätverk"),
        ("samhället", "samhälle"),
        ("praktikplatser", "praktikplats"),
        ("praktikplatsen", "praktikplats"),
        ("tolkar", "tolk"),
        ("kommunen", "kommuner"),
    ],
)
def test_inflections_meet_in_one_stem(one: str, other: str) -> None:
    assert analyzer.stem(one) == analyzer.stem(other)


@pytest.mark.parametrize(
    ("compound", "part"),
    [
        ("integrationssamordnare", "samordnare"),
        ("kulturtolk", "tolk"),
        ("undersköterska", "sköterska"),
        ("studieförbund", "förbund"),
        ("traumamedveten", "trauma"),
        ("samhällsorientering", "samhälle"),
        ("arbetsmarknadsenheten", "enheten"),
        ("flyktingmottagning", "mottagning"),
    ],
)
def test_compounds_are_split_by_the_word_list(compound: str, part: str) -> None:
    assert part in analyzer.compound_parts(compound)


@pytest.mark.parametrize("word", ["andersson", "lindqvist", "samordnare", "sfi", "lysekil"])
def test_plain_words_and_names_are_not_split(word: str) -> None:
    assert analyzer.compound_parts(word) == ()


def test_ascii_folding_only_for_ascii_words() -> None:
    forms = analyzer.word_forms("stöd")
    assert (analyzer.ASCII, "stod") in forms and (analyzer.EXACT, "stöd") in forms
    assert analyzer.word_forms("stod") == {(analyzer.ASCII, "stod")}
    exact, _ = query.word_tokens(GUILD, "stöd")
    assert all(t.startswith(f"{GUILD}{analyzer.EXACT}") for t in exact)


def test_the_thesaurus_file_loads_and_matches_phrases() -> None:
    groups = thesaurus.load()
    assert len(groups) >= 20
    found = thesaurus.match_at(["hem", "för", "vård", "eller", "boende"], 0)
    assert found is not None and found[0] == 5 and ("hvb",) in found[1]
    assert thesaurus.match_at(["arbetsformedlingen"], 0) is not None  # ASCII spelling
    assert thesaurus.match_at(["samordnare"], 0) is not None
    assert thesaurus.match_at(["bananer"], 0) is None


def test_a_thesaurus_group_needs_two_terms(tmp_path: Path) -> None:
    bad = tmp_path / "t.toml"
    bad.write_text('[[group]]\nterms = ["TMO"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="two terms"):
        thesaurus.load(bad)


def _fts() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5 (a, expertise, tokenize = 'ascii')")
    conn.execute(
        "INSERT INTO t VALUES (?, ?)",
        (
            analyzer.analyse_document(GUILD, "Anna Integrationssamordnare"),
            analyzer.analyse_document(GUILD, "TMO"),
        ),
    )
    return conn


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=300))
def test_no_user_text_makes_an_fts_syntax_error(text: str) -> None:
    conn = _fts()
    parsed = query.parse(text)
    for column in (None, "expertise"):
        expression = query.expression(GUILD, parsed.terms, column)
        if expression is not None:
            conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        await make_network(database)
        await make_network(database, OTHER_GUILD, "Fyrbodal")
        yield database


NASTY = [
    "\x00",
    "anna\x00samordnare",
    "".join(chr(c) for c in range(32)),
    '"AND (',
    "NEAR(",
    "NEAR(anna samordnare, 2)",
    "*",
    "expertise: anna",
    "x" * 5000,
    "samordnare " * 500,
    "🙂👩🏽‍💼",
    "فاطمة حسن",
    "\ud7ff\ue000\U0010ffff",
]


async def test_nasty_text_in_query_and_expertise_is_answered(db: Database) -> None:
    await person(db, 1, "Anna Andersson", title="Samordnare", expertise="TMO")
    for text in NASTY:
        await directory.search(db, GUILD, query=text)
        await directory.search(db, GUILD, expertise=text)
        await directory.search(db, GUILD, query=text, expertise=text, municipality_code="1380")
    found = await directory.search(db, GUILD, query="anna\x00samordnare")
    assert [p.display_name for p in found.hits] == ["Anna Andersson"]


async def test_many_words_are_cut_to_the_first_eight(db: Database) -> None:
    await person(db, 1, "Anna Andersson", title="Samordnare")
    parsed = search.parse("anna " + " ".join(f"w{i}x" for i in range(50)))
    assert len(parsed.terms) == query.MAX_TERMS


async def test_reads_run_beside_the_writer(db: Database) -> None:
    """A read outside a transaction does not wait for a transaction that holds the writer."""
    await person(db, 1, "Anna Andersson", title="Samordnare")
    started, release = asyncio.Event(), asyncio.Event()

    async def write() -> None:
        async with db.transaction():
            await db.execute("UPDATE profiles SET title = 'Rektor'")
            # Inside: the writer's own uncommitted view.
            assert await db.fetchval("SELECT title FROM profiles") == "Rektor"
            started.set()
            await release.wait()

    writing = asyncio.create_task(write())
    await started.wait()
    # Outside, while the writer holds its lock: the committed view, at once.
    title = await asyncio.wait_for(db.fetchval("SELECT title FROM profiles"), 2)
    assert title == "Samordnare"
    found = await asyncio.wait_for(directory.search(db, GUILD, query="samordnare"), 2)
    assert found.total == 1
    release.set()
    await writing
    assert await db.fetchval("SELECT title FROM profiles") == "Rektor"
    assert await db.fetchval("PRAGMA secure_delete") == 1
    assert await db.fetchval("PRAGMA query_only") == 1  # a reader answered


def _migrations_up_to(version: str, folder: Path) -> Path:
    folder.mkdir()
    for migration in sorted(default_migrations_dir().glob("*.sql")):
        if migration.name[:4] <= version:
            (folder / migration.name).write_text(migration.read_text(encoding="utf-8"))
    return folder


async def test_existing_profiles_move_into_the_new_index(tmp_path: Path) -> None:
    """A database at 0003 with profiles in the old trigram index: after the migrations from
    0004 on (0005 is the search) they are found."""
    old = _migrations_up_to("0003", tmp_path / "old_migrations")
    path = tmp_path / "k.db"
    async with Database(path, old) as db:
        await db.migrate()
        await make_network(db)
        await db.execute("INSERT INTO members (guild_id, user_id) VALUES (?, 1)", (GUILD,))
        pid = await db.execute(
            "INSERT INTO profiles (guild_id, user_id, display_name, title, name_key, created_at,"
            " updated_at, confirmed_at) VALUES (?, 1, 'Åsa Öberg', 'Kulturtolk', 'asa oberg',"
            " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            (GUILD,),
        )
        await db.execute(
            "INSERT INTO directory_fts (rowid, name, title) VALUES (?, 'asa oberg', 'kulturtolk')",
            (pid,),
        )
    async with Database(path) as db:
        applied = [m.version for m in await db.migrate()]
        assert applied[:2] == [4, 5]  # and whatever later features add
        for words in ("tolk", "Asa", "öberg", "kulturtolken"):
            found = await directory.search(db, GUILD, query=words)
            assert [p.display_name for p in found.hits] == ["Åsa Öberg"], words
        assert await db.fetchval("SELECT COUNT(*) FROM profiles WHERE index_dirty = 1") == 0


@pytest.mark.parametrize("people", [20, 70])  # ties ordered in Python, and past its room in SQL
async def test_pages_of_equal_scores_follow_names_without_gaps(db: Database, people: int) -> None:
    for i in range(people):
        await person(db, 10 + i, f"Person {people - i:03d}", title="Samordnare")
    seen: list[str] = []
    pages = -(-people // 5)
    for page in range(pages):
        result = await directory.search(db, GUILD, query="samordnare", page=page, per_page=5)
        assert (result.total, result.pages, result.page) == (people, pages, page)
        seen += [p.display_name for p in result.hits]
    assert seen == sorted(seen) and len(set(seen)) == people


async def test_the_index_holds_only_what_members_may_find(db: Database) -> None:
    await person(db, 1, "Anna Andersson", title="Samordnare")
    await person(db, 2, "Bo Ek", title="Samordnare")
    await person(db, 3, "Other", title="Samordnare", guild_id=OTHER_GUILD)

    async def indexed() -> int:
        await directory.search(db, GUILD)  # re-indexes what changed
        return int(await db.fetchval("SELECT COUNT(*) FROM directory_index"))

    assert await indexed() == 3
    await profiles.set_visibility(db, GUILD, 1, "hidden", now=NOW)
    assert await indexed() == 2
    await members.mark_left(db, GUILD, 2, NOW)
    assert await indexed() == 1
    assert (await directory.search(db, GUILD, query="samordnare")).total == 0
    await profiles.set_visibility(db, GUILD, 1, "members", now=NOW)
    await db.execute("UPDATE members SET left_at = NULL WHERE user_id = 2")
    assert await indexed() == 3
    result = await directory.search(db, GUILD, query="samordnare")
    assert sorted(p.display_name for p in result.hits) == ["Anna Andersson", "Bo Ek"]


def test_the_word_list_read_bucket_by_bucket_is_wordfreqs() -> None:
    """The compound splitter's vocabulary, read from wordfreq's file only down to the frequency
    it keeps, is exactly what wordfreq's whole dictionary gives."""
    import wordfreq

    from bot.services.search import analyzer

    whole = wordfreq.get_frequency_dict("sv", wordlist="large")
    expected = frozenset(
        w
        for w, f in whole.items()
        if f >= analyzer._MIN_FREQUENCY and len(w) >= analyzer.MIN_PART and w.isalpha()
    )
    assert analyzer._swedish_words() == expected


async def test_a_typo_is_corrected_to_a_word_written_after_the_last_correction(
    db: Database,
) -> None:
    # The network's vocabulary is kept between searches until the index changes.
    await person(db, 1, "Anna Andersson", title="Kulturtolk")
    first = await directory.search(db, GUILD, query="kulturtolkk")
    assert [p.display_name for p in first.hits] == ["Anna Andersson"]
    await person(db, 2, "Omar Haddad", title="Validerare")
    later = await directory.search(db, GUILD, query="validerarre")
    assert later.corrected == {"validerarre": "validerare"}
    assert [p.display_name for p in later.hits] == ["Omar Haddad"]


@pytest.mark.parametrize("per_page", [3, 4, 7])
def test_a_broad_match_pages_newest_first_without_gaps_or_repeats(per_page: int) -> None:
    # More matches than the bound: the newest `bound` by score, then the older ones by score;
    # every page, also one that straddles the edge, holds each entry once.
    from bot.services.search import Source, rank

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE idx USING fts5 (title, tokenize = 'ascii')")
    conn.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, title_key TEXT)")
    for i in range(1, 31):
        conn.execute("INSERT INTO idx (rowid, title) VALUES (?, ?)", (i, "tolk " * (1 + i % 4)))
        conn.execute("INSERT INTO items (id, title_key) VALUES (?, ?)", (i, f"t{i:02d}"))
    source = Source("items", "idx", ("title",), (1.0,))
    seen: list[int] = []
    for offset in range(0, 30, per_page):
        found, total = rank.page(
            conn, source, '"tolk"', offset, per_page, rows="items", order="t.title_key", bound=10
        )
        assert total == 30
        seen += [i for i, _ in found]
    assert sorted(seen) == list(range(1, 31))
    assert set(seen[:10]) == set(range(21, 31))  # the newest ten first
    first = [s for _, s in rank.page(conn, source, '"tolk"', 0, 10, rows="items",
                                     order="t.title_key", bound=10)[0]]  # fmt: skip
    assert first == sorted(first, reverse=True)  # by score within the part
