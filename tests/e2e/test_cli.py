"""`python -m bot sync` and `python -m bot` against the sandbox, as separate processes."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


async def run_cli(sandbox: Sandbox, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
    env.update(
        DISCORD_TOKEN=sandbox.token,
        DISCORD_API_BASE=sandbox.api_base,
        DISCORD_GATEWAY_URL=sandbox.gateway_url,
        DATABASE_PATH=str(tmp_path / "k.db"),
        LOG_LEVEL="DEBUG",
        PYTHONPATH=str(ROOT),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode or 0, out.decode(), err.decode()


async def test_sync_to_one_guild_publishes_localized_commands(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    guild = sandbox.create_guild("Fyrbodal", preferred_locale="sv-SE")
    code, out, err = await run_cli(sandbox, tmp_path, "sync", "--guild", str(guild.id))
    assert code == 0, err
    assert f"to server {guild.id}" in out
    commands = {c["name"]: c for c in sandbox.guild_commands(guild)}
    assert commands["help"]["name_localizations"]["sv-SE"] == "hjälp"
    assert sandbox.global_commands() == []  # nothing published globally by accident
    assert sandbox.token not in out + err  # not even at DEBUG


async def test_sync_globally(sandbox: Sandbox, tmp_path: Path) -> None:
    code, out, err = await run_cli(sandbox, tmp_path, "sync")
    assert code == 0, err
    assert "to all servers" in out
    assert {"help", "about"} <= {c["name"] for c in sandbox.global_commands()}


async def test_a_refused_token_is_one_clear_line(sandbox: Sandbox, tmp_path: Path) -> None:
    sandbox_token_wrong = sandbox.token + "x"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
    env.update(
        DISCORD_TOKEN=sandbox_token_wrong,
        DISCORD_API_BASE=sandbox.api_base,
        DISCORD_GATEWAY_URL=sandbox.gateway_url,
        DATABASE_PATH=str(tmp_path / "k.db"),
        PYTHONPATH=str(ROOT),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert err.decode().strip().splitlines() == [
        "krokarm: Discord refused the token (DISCORD_TOKEN): check it"
    ]
    assert sandbox_token_wrong not in err.decode()
    sandbox.clear_errors()  # the 401 was the point
