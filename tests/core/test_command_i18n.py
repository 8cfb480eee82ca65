"""Every name, description, option and choice of the command tree has Swedish and English."""

from __future__ import annotations

import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord import app_commands

from bot.bot import Krokarm, extension_names
from bot.db import Database
from bot.i18n import catalogue
from bot.i18n.commands import command_path, slug
from bot.settings import Settings


@pytest.fixture
async def tree(tmp_path: Path) -> AsyncIterator[app_commands.CommandTree[Any]]:
    db = Database(tmp_path / "k.db")
    await db.connect()
    bot = Krokarm(
        settings=Settings(_env_file=None),  # type: ignore[call-arg]
        db=db,
        scheduler=AsyncIOScheduler(),
    )
    for name in extension_names():
        await bot.load_extension(name)
    yield bot.tree
    await db.close()


def strings(tree: app_commands.CommandTree[Any]) -> list[tuple[str, str, str]]:
    """(catalogue key, base string in code, kind) for every string Discord is sent."""
    found: list[tuple[str, str, str]] = []
    for command in tree.walk_commands():
        path = command_path(command)
        found.append((f"{path}.name", command.name, "name"))
        found.append((f"{path}.description", command.description, "description"))
        if isinstance(command, app_commands.Group):
            continue
        for param in command.parameters:
            found.append((f"{path}.opt.{param.name}.name", param.name, "name"))
            found.append((f"{path}.opt.{param.name}.description", param.description, "description"))
            for choice in param.choices:
                found.append((f"choice.{slug(choice.name)}", choice.name, "choice"))
    for menu in tree.get_commands(type=None):
        if isinstance(menu, app_commands.ContextMenu):
            found.append((f"{command_path(menu)}.name", menu.name, "menu"))
            found.append((f"{command_path(menu)}.description", "", "menu-description"))
    return found


def is_valid_slash_name(name: str) -> bool:
    """Discord's rule: 1–32 of letters, digits, - and _, lower case where the script has case."""
    return (
        0 < len(name) <= 32
        and name == name.lower()
        and all(c in "-_" or unicodedata.category(c)[0] in "LN" for c in name)
    )


async def test_every_string_has_both_languages(tree: app_commands.CommandTree[Any]) -> None:
    sv, en = catalogue("sv"), catalogue("en")
    for key, base, kind in strings(tree):
        assert key in sv, f"Swedish missing: {key}"
        assert key in en, f"English missing: {key}"
        if kind not in ("menu-description",):
            assert en[key] == base, f"{key}: the English catalogue differs from the code"


async def test_swedish_names_follow_discords_rules(tree: app_commands.CommandTree[Any]) -> None:
    sv = catalogue("sv")
    for key, _, kind in strings(tree):
        text = sv[key]
        if kind == "name":
            assert is_valid_slash_name(text), f"{key}: {text!r}"
        elif kind == "description":
            assert 1 <= len(text) <= 100, f"{key}: {len(text)} characters"
        elif kind in ("menu", "choice"):
            assert 1 <= len(text) <= 100 if kind == "choice" else len(text) <= 32, key


async def test_no_orphan_command_keys(tree: app_commands.CommandTree[Any]) -> None:
    used = {key for key, _, _ in strings(tree)}
    for lang in ("sv", "en"):
        orphans = {
            k
            for k in catalogue(lang)
            if k.startswith(("cmd.", "menu.", "choice.")) and k not in used
        }
        assert not orphans, f"{lang}: keys no command uses: {sorted(orphans)}"


async def test_every_feature_with_commands_has_a_help_heading(
    tree: app_commands.CommandTree[Any],
) -> None:
    sections = {
        c.binding.qualified_name.lower()
        for c in tree.walk_commands()
        if not isinstance(c, app_commands.Group) and c.binding is not None
    }
    for lang in ("sv", "en"):
        missing = {s for s in sections if f"help.section.{s}" not in catalogue(lang)}
        assert not missing, f"{lang}: /help has no heading for {sorted(missing)}"
