"""`python -m bot try` driven by piped standard input, as a script would drive it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_shell(tmp_path: Path, script: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_"))}
    env["DATABASE_PATH"] = str(tmp_path / "data" / "krokarm.db")
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", "try"],
        input=script,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_piped_help_shows_the_swedish_help(tmp_path: Path) -> None:
    result = run_shell(tmp_path, "/help\n")
    assert result.returncode == 0, result.stderr
    assert "Krokarm – kommandon" in result.stdout
    assert "/hjälp — Alla kommandon, en rad vardera" in result.stdout
    assert "Traceback" not in result.stderr
    assert (tmp_path / "data" / "try.db").exists()  # its own SQLite file


def test_switching_user_language_buttons_and_mistakes(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/about",
            ":press 1",
            ":user erik",
            "/help",
            ":lang sv",
            "/om",
            "/no-such-command",
            ":press 9",
            ":frobnicate",
            ":quit",
            "/help",  # never reached
        ]
    )
    result = run_shell(tmp_path, script + "\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.count("Om Krokarm") == 3  # /about, the refreshed message, /om
    assert "[1] Uppdatera" in out
    assert "You are now Erik Johnson (erik)." in out
    assert "Krokarm – commands" in out and "/about — Version, uptime" in out
    assert "Språket är nu sv-SE." in out
    assert "Boten har inget kommando ”no-such-command”" in out
    assert "”9” finns inte" in out
    assert "Skalet har inget kommando :frobnicate" in out
    assert out.count("Krokarm – commands") == 1  # nothing after :quit
