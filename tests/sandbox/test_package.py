"""The emulator and the bot stay apart: neither imports the other."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _modules_after(code: str) -> set[str]:
    """The top-level packages in sys.modules after running ``code`` in a fresh interpreter."""
    probe = (
        code
        + "\nimport json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_the_sandbox_imports_nothing_of_the_bot() -> None:
    loaded = _modules_after("import sandbox, sandbox.driver, sandbox.rest, sandbox.gateway")
    assert "sandbox" in loaded
    assert not loaded & {"bot", "cogs", "bench"}, sorted(loaded & {"bot", "cogs", "bench"})


def test_the_bot_imports_neither_the_sandbox_nor_rich() -> None:
    cogs = sorted(
        f"cogs.{p.stem if p.is_file() else p.name}"
        for p in (ROOT / "cogs").iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").exists()) and p.name != "__init__.py"
    )
    code = "import bot, bot.app, bot.bot, bot.__main__\n" + "".join(
        f"import {name}\n" for name in cogs
    )
    loaded = _modules_after(code)
    assert "bot" in loaded and "cogs" in loaded
    assert "sandbox" not in loaded
    assert "rich" not in loaded
