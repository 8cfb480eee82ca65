"""Profiles: every field validated, nothing half-written, personal identity numbers refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.db import Database
from bot.errors import InvalidInput, UserError
from bot.services import members, organisations, profiles
from bot.services.profiles import ProfileFields
from bot.services.text import clean_line
from tests.services.test_directory import GUILD, NOW, add_org, make_network, person


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        await make_network(database)
        yield database


GOOD = ProfileFields(
    "Anna Andersson", "Integrationssamordnare", "AME", "anna@halmstad.se", "070-1234567"
)


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        (ProfileFields(""), "profile.display_name", "errors.text.empty"),
        (ProfileFields(" \t "), "profile.display_name", "errors.text.empty"),
        (ProfileFields("x" * 5000), "profile.display_name", "errors.text.too_long"),
        (ProfileFields("x" * 81), "profile.display_name", "errors.text.too_long"),
        (ProfileFields("@everyone"), "profile.display_name", "errors.text.mention"),
        (ProfileFields("Anna @here"), "profile.display_name", "errors.text.mention"),
        (ProfileFields("Anna", title="<@&123456>"), "profile.title", "errors.text.mention"),
        (ProfileFields("Anna", title="see <#123456>"), "profile.title", "errors.text.mention"),
        (ProfileFields("Anna\x00"), "profile.display_name", "errors.text.control_characters"),
        (ProfileFields("Anna", title="x" * 5000), "profile.title", "errors.text.too_long"),
        (
            ProfileFields("Anna", department="y" * 101),
            "profile.department",
            "errors.text.too_long",
        ),
        (
            ProfileFields("Anna", title="pnr 811218-9876"),
            "profile.title",
            "errors.id_number",
        ),
        (
            ProfileFields("Anna", department="198507099805"),
            "profile.department",
            "errors.id_number",
        ),
        (ProfileFields("Anna 19850709-9805"), "profile.display_name", "errors.id_number"),
        (ProfileFields("Anna", email="not-an-email"), "email", "profile.error.email.missing_at"),
        (ProfileFields("Anna", email="a@b"), "email", "profile.error.email.domain_missing_dot"),
        (ProfileFields("Anna", email="x" * 5000), "email", "profile.error.email.too_long"),
        (ProfileFields("Anna", email="@everyone"), "email", "profile.error.email.local_part_empty"),
        (ProfileFields("Anna", phone="070-12"), "profile.phone", "profile.error.phone.too_short"),
        (
            ProfileFields("Anna", phone="+999 123 456 789"),
            "profile.phone",
            "profile.error.phone.invalid_country_code",
        ),
        (
            ProfileFields("Anna", phone="🙂"),
            "profile.phone",
            "profile.error.phone.invalid_characters",
        ),
        (ProfileFields("Anna", phone="8507099805"), "profile.phone", "errors.id_number"),
    ],
)
async def test_bad_input_is_refused_and_nothing_is_written(
    db: Database, fields: ProfileFields, field: str, reason: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await profiles.save(db, GUILD, 1, fields, now=NOW)
    assert (caught.value.field, caught.value.key) == (field, reason)
    assert await db.fetchval("SELECT COUNT(*) FROM profiles") == 0
    assert await db.fetchval("SELECT COUNT(*) FROM members") == 0


async def test_a_failed_edit_leaves_the_old_profile_untouched(db: Database) -> None:
    await profiles.save(db, GUILD, 1, GOOD, now=NOW)
    with pytest.raises(InvalidInput):
        await profiles.save(db, GUILD, 1, ProfileFields("Anna", email="bad"), now=NOW)
    with pytest.raises(InvalidInput):
        await profiles.set_details(db, GUILD, 1, now=NOW, expertise="TMO", languages="nonsensiska")
    kept = await profiles.get(db, GUILD, 1)
    assert kept is not None and kept.email == "anna@halmstad.se" and kept.expertise == ()


async def test_values_are_normalised(db: Database) -> None:
    saved = await profiles.save(
        db,
        GUILD,
        1,
        ProfileFields(
            "  Anna   Andersson ",
            "  **Chef**  ",
            "",
            " MAILTO:Anna@Halmstad.SE ",
            "+46 (0)70 123 45 67",
        ),
        now=NOW,
    )
    assert saved.display_name == "Anna Andersson"
    assert saved.title == "**Chef**"  # markdown is kept; the cog escapes it when showing it
    assert saved.department is None
    assert saved.email == "Anna@halmstad.se"
    assert saved.phone == "070-123 45 67"
    assert saved.confirmed_at == NOW


@pytest.mark.parametrize(
    "name", ["فاطمة حسن", "Åsa Öberg-Ärlig", "Erik 🌍", "Ngọc Lan", "Zoë O'Brien", "Хасан"]
)
async def test_names_in_any_script_are_accepted(db: Database, name: str) -> None:
    saved = await profiles.save(db, GUILD, 1, ProfileFields(name), now=NOW)
    assert saved.display_name == name


def test_expertise_tags_are_cleaned_and_deduplicated() -> None:
    assert profiles.parse_expertise("TMO, tmo ; Praktik,, ,samhällsorientering") == [
        "TMO",
        "Praktik",
        "samhällsorientering",
    ]
    with pytest.raises(InvalidInput) as caught:
        profiles.parse_expertise(",".join(f"t{i}" for i in range(16)))
    assert caught.value.key == "profile.error.too_many"
    with pytest.raises(InvalidInput):
        profiles.parse_expertise("x" * 5000)
    with pytest.raises(InvalidInput) as pnr:
        profiles.parse_expertise("TMO, 850709-9805")
    assert (pnr.value.field, pnr.value.key) == ("profile.expertise", "errors.id_number")


def test_languages_by_swedish_or_english_name_or_code() -> None:
    assert profiles.parse_languages(
        "Arabiska, dari, English, so, Tigrinja, svenskt teckenspråk"
    ) == [
        "ar",
        "prs",
        "en",
        "so",
        "ti",
        "swl",
    ]
    with pytest.raises(InvalidInput) as caught:
        profiles.parse_languages("arabiska, hittepå")
    assert caught.value.params == {"value": "hittepå"}


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_text_is_either_accepted_as_one_clean_line_or_refused(text: str) -> None:
    try:
        clean = clean_line("profile.title", text, max_length=100)
    except InvalidInput as exc:
        assert exc.field == "profile.title"
        return
    assert len(clean) <= 100
    assert "\n" not in clean and clean == clean.strip()
    assert "@everyone" not in clean.casefold()


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_list_input_is_parsed_or_refused_with_its_field(text: str) -> None:
    for parse, field in (
        (profiles.parse_expertise, "profile.expertise"),
        (profiles.parse_languages, "profile.languages"),
    ):
        try:
            parse(text)
        except InvalidInput as exc:
            assert exc.field == field


async def test_visibility_confirmation_and_suggestions(db: Database) -> None:
    await person(db, 1, "Anna", expertise="TMO, praktik för nyanlända")
    await person(db, 2, "Fatima", expertise="Traumamedveten omsorg, TMO")
    assert await profiles.expertise_suggestions(db, GUILD, "") == [
        "TMO",
        "praktik för nyanlända",
        "Traumamedveten omsorg",
    ]
    assert await profiles.expertise_suggestions(db, GUILD, "tra") == ["Traumamedveten omsorg"]
    assert await profiles.expertise_suggestions(db, GUILD, "nyan") == ["praktik för nyanlända"]
    hidden = await profiles.set_visibility(db, GUILD, 1, "hidden", now=NOW)
    assert hidden.hidden
    with pytest.raises(InvalidInput):
        await profiles.set_visibility(db, GUILD, 1, "everyone", now=NOW)
    with pytest.raises(UserError):
        await profiles.confirm(db, GUILD, 3, now=NOW)


async def organisation_of_member(db: Database, user_id: int = 1) -> int | None:
    member = await members.get_member(db, GUILD, user_id)
    assert member is not None
    return member.organisation_id


async def test_organisation_must_be_the_networks(db: Database) -> None:
    await make_network(db, 200, "Fyrbodal")
    theirs = await add_org(db, "Lysekil", guild_id=200, code="1484")
    ours = await add_org(db, "Halmstad", code="1380")
    gone = await add_org(db, "Röda korset", kind="civil_society")
    await organisations.archive(db, GUILD, gone, NOW)
    for bad in (theirs, gone, 999_999):
        with pytest.raises(InvalidInput) as caught:
            await profiles.save(db, GUILD, 1, GOOD, now=NOW, organisation_id=bad)
        assert (caught.value.field, caught.value.key) == (
            "profile.organisation",
            "profile.error.unknown_organisation",
        )
    assert await db.fetchval("SELECT COUNT(*) FROM members") == 0  # nothing half-written
    saved = await profiles.save(db, GUILD, 1, GOOD, now=NOW, organisation_id=ours)
    assert saved.organisation_name == "Halmstad" and saved.municipality_name == "Halmstad"
    assert await organisation_of_member(db) == ours
    for bad in (theirs, gone):
        with pytest.raises(InvalidInput) as caught:
            await profiles.set_organisation(db, GUILD, 1, bad, now=NOW)
        assert caught.value.field == "profile.organisation"
    assert await organisation_of_member(db) == ours


async def test_the_member_row_and_its_organisation_are_used(db: Database) -> None:
    org = await add_org(db, "Halmstad", code="1380")
    await db.execute(
        "INSERT INTO members (guild_id, user_id, organisation_id) VALUES (?, 1, ?)", (GUILD, org)
    )
    saved = await profiles.save(db, GUILD, 1, GOOD, now=NOW)
    assert saved.organisation_id == org  # picked at onboarding: the profile starts with it


async def test_the_organisation_is_one_value_shared_with_onboarding(db: Database) -> None:
    halmstad = await add_org(db, "Halmstad", code="1380")
    region = await add_org(db, "Region Halland", kind="region")
    varberg = await add_org(db, "Varberg", code="1383")
    # Picked in the greeting, before there is any profile.
    await members.set_organisation(db, GUILD, 1, halmstad, NOW)
    created = await profiles.save(db, GUILD, 1, GOOD, now=NOW)
    assert (created.organisation_id, created.organisation_name) == (halmstad, "Halmstad")
    # Changed in the profile: the membership (what the member role goes by) changes with it.
    later = NOW + timedelta(days=2)
    changed = await profiles.set_organisation(db, GUILD, 1, region, now=later)
    assert (changed.organisation_id, changed.organisation_name) == (region, "Region Halland")
    assert changed.confirmed_at == later and changed.updated_at == later
    assert await organisation_of_member(db) == region
    # Saving the text fields again keeps it; saving with an organisation changes it.
    kept = await profiles.save(db, GUILD, 1, GOOD, now=later)
    assert kept.organisation_id == region == await organisation_of_member(db)
    moved = await profiles.save(db, GUILD, 1, GOOD, now=later, organisation_id=varberg)
    assert moved.organisation_id == varberg == await organisation_of_member(db)
    # And picking again at onboarding is what the profile shows.
    await members.set_organisation(db, GUILD, 1, halmstad, later)
    again = await profiles.get(db, GUILD, 1)
    assert again is not None and again.organisation_name == "Halmstad"
    columns = {r["name"] for r in await db.fetchall("PRAGMA table_info(profiles)")}
    assert "organisation_id" not in columns  # one home: members.organisation_id


async def test_an_organisation_archived_after_it_was_picked_is_still_shown(db: Database) -> None:
    org = await add_org(db, "Röda korset", kind="civil_society")
    await members.set_organisation(db, GUILD, 1, org, NOW)
    await organisations.archive(db, GUILD, org, NOW)
    saved = await profiles.save(db, GUILD, 1, GOOD, now=NOW)
    assert saved.organisation_name == "Röda korset"  # people who picked it keep it
