"""Network settings: validation, one transaction, nothing half-written, networks kept apart."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.db import Database
from bot.errors import InvalidInput, UserError
from bot.services import network
from bot.services.text import clean_line

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        for guild_id, name in ((1, "Integration Halland"), (2, "Fyrbodal")):
            await database.execute(
                "INSERT INTO networks (guild_id, name) VALUES (?, ?)", (guild_id, name)
            )
        yield database


async def test_defaults(db: Database) -> None:
    s = await network.get(db, 1)
    assert (s.name, s.locale, s.lang, s.timezone) == (
        "Integration Halland",
        "sv-SE",
        "sv",
        "Europe/Stockholm",
    )
    assert (s.leaver_grace_days, s.confirm_after_days) == (30, 183)
    assert s.privacy_notice is None and s.set_up_at is None and dict(s.channels) == {}


async def test_unknown_network_is_a_user_error(db: Database) -> None:
    with pytest.raises(UserError):
        await network.get(db, 999)


async def test_update_several_fields_reports_what_changed(db: Database) -> None:
    s, changed = await network.update(
        db,
        1,
        name="  Integration   Halland  ",
        locale="en",
        timezone="europe/helsinki",
        leaver_grace_days=60,
    )
    assert changed == ("locale", "timezone", "leaver_grace_days")  # the name was the same
    assert (s.name, s.locale, s.timezone, s.leaver_grace_days) == (
        "Integration Halland",
        "en",
        "Europe/Helsinki",
        60,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "network_name"),
        ({"name": "   "}, "network_name"),
        ({"name": "x" * 5000}, "network_name"),
        ({"name": "x" * 101}, "network_name"),
        ({"name": "Hej @everyone"}, "network_name"),
        ({"name": "@here nätverket"}, "network_name"),
        ({"name": "<@123456789012345678>"}, "network_name"),
        ({"name": "<@&123456789012345678>"}, "network_name"),
        ({"name": "Anna 850709-9805"}, "network_name"),
        ({"name": "evil\u202etxt.exe"}, "network_name"),
        ({"name": "nul\x00byte"}, "network_name"),
        ({"locale": "de"}, "network_language"),
        ({"timezone": "Stockholm"}, "network_time_zone"),
        ({"timezone": "Mars/Olympus"}, "network_time_zone"),
        ({"leaver_grace_days": 0}, "network_grace_days"),
        ({"leaver_grace_days": 366}, "network_grace_days"),
        ({"confirm_after_days": 6}, "network_confirm_days"),
        ({"confirm_after_days": 5000}, "network_confirm_days"),
        ({"privacy_notice": "x" * 4001}, "network_privacy_notice"),
        ({"privacy_notice": "Ring 19850709-9805 om frågor"}, "network_privacy_notice"),
        ({"admin_role_id": 7, "member_role_id": 7}, "network_member_role"),
    ],
)
async def test_bad_input_changes_nothing(db: Database, changes: dict, field: str) -> None:
    before = await network.get(db, 1)
    # A valid change alongside the bad one must not be written either.
    with pytest.raises(InvalidInput) as caught:
        await network.update(db, 1, **{"leaver_grace_days": 90, **changes})
    assert caught.value.field == field
    assert await network.get(db, 1) == before


async def test_name_allows_swedish_arabic_emoji_and_markdown(db: Database) -> None:
    s, _ = await network.update(db, 1, name="rad ett\nrad två")
    assert s.name == "rad ett rad två"  # one line: line breaks become spaces
    for name in (
        "Integration i Söderhamn",
        "شبكة الاندماج",
        "Kroka arm 🤝",
        "**Fyrbodal** _nätverk_",
    ):
        s, _ = await network.update(db, 1, name=name)
        assert s.name == name


async def test_privacy_notice_reset_and_limit(db: Database) -> None:
    s, changed = await network.update(db, 1, privacy_notice="x" * 4000)
    assert changed == ("privacy_notice",) and s.privacy_notice == "x" * 4000
    s, _ = await network.update(db, 1, privacy_notice="   ")
    assert s.privacy_notice is None
    s, _ = await network.update(db, 1, privacy_notice="Vår text")
    s, _ = await network.update(db, 1, privacy_notice=None)
    assert s.privacy_notice is None


async def test_networks_keep_separate_settings(db: Database) -> None:
    await network.update(db, 1, name="Halland", locale="en", timezone="UTC")
    await network.record_setup(
        db,
        1,
        channels={"welcome": 11},
        roles={"member": 12},
        tags={("questions", "answered"): 13},
        when=NOW,
    )
    other = await network.get(db, 2)
    assert (other.name, other.locale, other.timezone) == ("Fyrbodal", "sv-SE", "Europe/Stockholm")
    assert dict(other.channels) == {} and other.member_role_id is None and other.set_up_at is None
    mine = await network.get(db, 1)
    assert dict(mine.channels) == {"welcome": 11} and mine.member_role_id == 12
    assert dict(mine.forum_tags) == {("questions", "answered"): 13}
    assert mine.set_up_at == "2026-11-23T09:00:00Z"


async def test_record_setup_overwrites_ids_and_refuses_unknown_purposes(db: Database) -> None:
    await network.record_setup(db, 1, channels={"general": 1}, roles={}, tags={}, when=None)
    await network.record_setup(db, 1, channels={"general": 2}, roles={}, tags={}, when=None)
    assert (await network.get(db, 1)).channels["general"] == 2
    with pytest.raises(ValueError):
        await network.record_setup(db, 1, channels={"lobby": 3}, roles={}, tags={}, when=None)
    await network.set_channel(db, 1, "general", None)
    assert "general" not in (await network.get(db, 1)).channels


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_clean_name_never_lets_a_mention_through(text: str) -> None:
    try:
        name = clean_line("network_name", text, max_length=100)
    except InvalidInput:
        return
    assert 1 <= len(name) <= 100
    assert "@everyone" not in name.lower() and "@here" not in name.lower()
    assert "\n" not in name


async def test_settings_are_kept_until_the_next_write(db: Database) -> None:
    """Read once, then from memory; any write (by any service, or raw SQL) is seen at once,
    and inside a transaction its uncommitted changes are seen."""
    first = await network.get(db, 1)
    calls = 0
    read = db.read

    async def counting(fn):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return await read(fn)

    db.read = counting  # type: ignore[method-assign]
    assert await network.get(db, 1) is first  # kept: no read
    assert calls == 0
    await db.execute("UPDATE networks SET timezone = 'Europe/Helsinki' WHERE guild_id = 1")
    assert (await network.get(db, 1)).timezone == "Europe/Helsinki"
    await network.set_channel(db, 1, "general", 555)
    assert dict((await network.get(db, 1)).channels) == {"general": 555}
    async with db.transaction():
        await db.execute("UPDATE networks SET name = 'Halland' WHERE guild_id = 1")
        assert (await network.get(db, 1)).name == "Halland"  # the transaction's own change
        await db.execute("UPDATE networks SET name = 'Halland 2' WHERE guild_id = 1")
        assert (await network.get(db, 1)).name == "Halland 2"
    assert (await network.get(db, 1)).name == "Halland 2"
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await db.execute("UPDATE networks SET name = 'Rolled back' WHERE guild_id = 1")
            assert (await network.get(db, 1)).name == "Rolled back"
            raise RuntimeError
    assert (await network.get(db, 1)).name == "Halland 2"
    await db.execute("DELETE FROM networks WHERE guild_id = 2")
    with pytest.raises(UserError):
        await network.get(db, 2)
