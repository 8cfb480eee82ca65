"""`:clock` in the `try` shell moves the bot's clock and runs what is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.shell.shell import parse_clock
from tests.e2e.test_shell import run_shell

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_clock_syntax() -> None:
    assert parse_clock("+2d", NOW, STOCKHOLM) == NOW + timedelta(days=2)
    assert parse_clock("+3h", NOW, STOCKHOLM) == NOW + timedelta(hours=3)
    assert parse_clock("+30m", NOW, STOCKHOLM) == NOW + timedelta(minutes=30)
    assert parse_clock("+1w", NOW, STOCKHOLM) == NOW + timedelta(weeks=1)
    assert parse_clock("2026-12-03 12:55", NOW, STOCKHOLM) == datetime(
        2026, 12, 3, 11, 55, tzinfo=UTC
    )
    for bad in ("", "2d", "+2y", "+-1d", "tomorrow", "2026-13-03 12:55", "+99999d"):
        assert parse_clock(bad, NOW, STOCKHOLM) is None, bad


def test_moving_the_clock_delivers_the_freshness_reminder(tmp_path: Path) -> None:
    script = "\n".join([":clock +3h", ":clock banana", ":clock +200d", ":quit"])
    result = run_shell(tmp_path, script + "\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert out.count("Klockan är nu") == 2
    assert "Ange tid som +2d, +3h, +30m eller 2026-12-03 12:55." in out
    # Anna confirmed her entry 30 days ago: 200 days later she is asked, in a DM.
    before, after = out.split(":clock +200d", 1)
    assert "Stämmer din post" not in before
    assert "Stämmer din post" in after and "körda jobb:" in after


def test_moving_the_clock_shows_the_meeting_reminders_arrive(tmp_path: Path) -> None:
    """The demo network meets on the first Thursday of the month: within five weeks, a day at a
    time, its reminders arrive in the meetings channel."""
    script = "\n".join([*[":clock +1d"] * 36, ":quit"])
    result = run_shell(tmp_path, script + "\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "⏰ Påminnelse: Nätverksträff" in result.stdout
