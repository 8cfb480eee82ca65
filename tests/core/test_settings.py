"""Settings: defaults, errors that name the variable, and the token kept secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.db import default_migrations_dir, discover_migrations
from bot.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]
# Not shaped like a real token on purpose, so that no scanner mistakes it for a leaked one.
TOKEN = "fake-token-for-tests-only.not-a-discord-token"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(
            ("DISCORD_", "DATABASE_", "DEV_GUILD", "LOG_LEVEL", "TIMEZONE", "SEARCH_PROCESSES")
        ):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults() -> None:
    s = load_settings()
    assert s.discord_token is None
    assert s.database_path == Path("data/krokarm.db")
    assert s.timezone == "Europe/Stockholm"
    assert s.dev_guild_id is None
    assert s.log_level == "INFO"
    assert s.discord_api_base is None and s.discord_gateway_url is None


def test_search_processes_one_per_core_at_most_two_unless_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_settings().search_process_count == min(2, os.cpu_count() or 1)
    monkeypatch.setenv("SEARCH_PROCESSES", "")  # as .env.example leaves it
    assert load_settings().search_process_count == min(2, os.cpu_count() or 1)
    monkeypatch.setenv("SEARCH_PROCESSES", "0")
    assert load_settings().search_process_count == 0
    monkeypatch.setenv("SEARCH_PROCESSES", "3")
    assert load_settings().search_process_count == 3


def test_env_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={TOKEN}\nDEV_GUILD_ID=42\nlog_level=debug\n")
    s = load_settings()
    assert s.require_token() == TOKEN
    assert s.dev_guild_id == 42
    assert s.log_level == "DEBUG"


def test_missing_token_names_the_variable() -> None:
    with pytest.raises(SettingsError, match="DISCORD_TOKEN"):
        load_settings().require_token()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEV_GUILD_ID", "not-a-number"),
        ("DEV_GUILD_ID", "-5"),
        ("TIMEZONE", "Mars/Olympus_Mons"),
        ("LOG_LEVEL", "LOUD"),
        ("DISCORD_API_BASE", "ftp://example"),
        ("DISCORD_GATEWAY_URL", "http://not-a-websocket"),
        ("DISCORD_TOKEN", "Bot abc.def"),
        ("SEARCH_PROCESSES", "-1"),
        ("SEARCH_PROCESSES", "many"),
        ("SEARCH_PROCESSES", "9"),
    ],
)
def test_malformed_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    message = str(info.value)
    assert message.startswith(name)
    assert "\n" not in message


def test_token_never_in_repr_or_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    s = load_settings()
    assert TOKEN not in repr(s) and TOKEN not in str(s.model_dump())
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN + " with spaces")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert TOKEN not in str(info.value)


def _run_bot(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_without_token_exits_2_with_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
    result = _run_bot(env, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DISCORD_TOKEN" in lines[0]
    assert result.stdout == ""


def test_cli_malformed_setting_exits_2(tmp_path: Path) -> None:
    env = {**os.environ, "DEV_GUILD_ID": "twelve", "DISCORD_TOKEN": TOKEN}
    result = _run_bot(env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "DEV_GUILD_ID" in result.stderr and TOKEN not in result.stderr


def test_cli_migrate_and_backup(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_PATH": str(tmp_path / "db" / "k.db")}
    migrated = _run_bot(env, tmp_path, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    latest = discover_migrations(default_migrations_dir())[-1].version
    assert f"→ {latest}" in migrated.stdout
    again = _run_bot(env, tmp_path, "migrate")
    assert "nothing to do" in again.stdout
    backup = _run_bot(env, tmp_path, "backup", str(tmp_path / "copy.db"))
    assert backup.returncode == 0, backup.stderr
    assert (tmp_path / "copy.db").stat().st_size > 0
    refused = _run_bot(env, tmp_path, "backup", str(tmp_path / "copy.db"))
    assert refused.returncode == 1 and "exists" in refused.stderr
