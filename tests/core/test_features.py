"""Every feature is declared once, and the declarations cover what the code holds."""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import bot.services.privacy as privacy_module
from bot.bot import extension_names
from bot.db import Database
from bot.features import declared, resolve
from bot.i18n import LOCALES_DIR

ROOT = Path(__file__).resolve().parents[2]
# Columns that hold a person's Discord id.
USER_COLUMN = re.compile(r"(^|_)user_id$")


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "k.db") as database:
        await database.migrate()
        yield database


async def test_every_table_with_a_user_id_column_is_covered_by_a_privacy_declaration(
    db: Database,
) -> None:
    """Forget-me, export and the purge of leavers reach every column that names a person,
    whatever was imported: a table a migration adds without a declaration fails here."""
    covered = declared().privacy.tables()
    tables = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    missing: list[tuple[str, str]] = []
    for row in tables:
        for column in await db.fetchall(f"PRAGMA table_info({row['name']})"):
            if USER_COLUMN.search(column["name"]) and (row["name"], column["name"]) not in covered:
                missing.append((row["name"], column["name"]))
    assert missing == []
    assert ("members", "user_id") in covered and ("audit_log", "actor_user_id") in covered


def test_every_cog_is_some_features_extension_and_every_extension_exists() -> None:
    assert sorted(declared().extensions) == extension_names()


def test_every_declared_catalogue_exists_in_both_languages() -> None:
    for feature in declared().all:
        if feature.catalogue:
            for lang in ("sv", "en"):
                path = LOCALES_DIR / lang / "LC_MESSAGES" / f"{feature.catalogue}.po"
                assert path.is_file(), path


def test_demo_seeders_and_bench_cases_resolve() -> None:
    features = declared()
    assert features.demo_seeders and all(
        inspect.iscoroutinefunction(resolve(ref)) for ref in features.demo_seeders
    )
    assert features.bench_modules and all(resolve(ref) for ref in features.bench_modules)


def test_job_kinds_and_counters_come_from_the_declarations() -> None:
    features = declared()
    ids = {kind.recurring_id for kind in features.job_kinds if kind.every}
    assert ids == {
        "leavers:purge",
        "freshness:remind",
        "networks:purge",
        "meetings:plan",
        "meeting-minutes:sweep",
        "practice_freshness:ask",
        "questions:unanswered",
    }
    assert [c.key for c in features.counters] == [
        "municipalities",
        "organisations",
        "profiles",
        "meeting_series",
        "practices",
        "resources",
        "answered_questions",
    ]


def test_nothing_registers_by_being_imported() -> None:
    """No module keeps a registry that importing it fills: the old hooks are gone, and the
    privacy service does not import the directory's modules."""
    source = inspect.getsource(privacy_module)
    imported = {
        node.module or ""
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert not imported & {"functions", "profiles", "directory", "bot.services.directory"}
    for name in ("register_personal", "register_authored", "register_hook", "PERSONAL"):
        assert not hasattr(privacy_module, name)
    offenders = []
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("cogs/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        if re.search(r"^(@seeder|\w+\.COUNTED\.|register_(personal|authored|hook)\()", text, re.M):
            offenders.append(path.relative_to(ROOT))
    assert offenders == []
    privacy_cog = (ROOT / "cogs" / "privacy" / "_cog.py").read_text(encoding="utf-8")
    assert "cogs.directory" not in privacy_cog
