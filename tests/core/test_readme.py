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


def test_the_readme_names_every_command_and_no_other() -> None:
    """ "What it does today" promises no command that is not there and leaves none out."""
    import re

    from bot.features import declared

    readme = (ROOT / "README.md").read_text()
    today = readme.split("## What it does today", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`/([\w-]+)", today))
    registered = set()
    for extension in declared().extensions:
        module = __import__(extension, fromlist=["setup"])
        for value in vars(module).values():
            cog_commands = getattr(value, "__cog_app_commands__", None)
            if isinstance(value, type) and cog_commands:
                registered |= {c.name for c in cog_commands}
    assert registered, "no commands found"
    from bot.i18n import has, t

    swedish = {t("sv", f"cmd.{n}.name") for n in registered if has("sv", f"cmd.{n}.name")}
    assert registered <= named, registered - named
    assert named <= registered | swedish, named - registered - swedish


def test_the_invite_asks_for_what_the_features_use_and_nothing_more() -> None:
    """Each feature declares the server permissions it uses; the invite URL's list is their
    union, so it grows (and shrinks) with the features."""
    import discord

    from bot.features import declared

    used = discord.Permissions(**dict.fromkeys(declared().permissions, True))
    assert REQUIRED.value == used.value, {n for n, v in REQUIRED if v} ^ {n for n, v in used if v}
