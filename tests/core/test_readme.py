"""The README's promises stay true."""

from __future__ import annotations

from pathlib import Path

from bot.permissions import REQUIRED

ROOT = Path(__file__).resolve().parents[2]


def test_invite_url_asks_for_exactly_the_required_permissions() -> None:
    readme = (ROOT / "README.md").read_text()
    assert f"permissions={REQUIRED.value}" in readme


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert "make try" in first_block and "make test" in first_block


def test_every_setting_is_documented() -> None:
    from bot.settings import Settings

    example = (ROOT / ".env.example").read_text()
    for name in Settings.model_fields:
        assert f"\n{name.upper()}=" in example, name
