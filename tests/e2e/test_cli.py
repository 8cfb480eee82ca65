"""`python -m bot sync` and `python -m bot` against the sandbox, as separate processes."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
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


def cli_env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISCORD_", "DATABASE_", "LC_", "LANG"))
    }
    env.update(DATABASE_PATH=str(tmp_path / "k.db"), PYTHONPATH=str(ROOT), **values)
    return env


async def run_with(env: dict[str, str], tmp_path: Path, *args: str) -> tuple[int, str, str]:
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


async def test_disallowed_intents_name_the_portal_switch(tmp_path: Path) -> None:
    async with Sandbox(privileged_intents=frozenset()) as sandbox:
        env = cli_env(
            tmp_path,
            DISCORD_TOKEN=sandbox.token,
            DISCORD_API_BASE=sandbox.api_base,
            DISCORD_GATEWAY_URL=sandbox.gateway_url,
            LOG_LEVEL="WARNING",  # the migrations' INFO lines are not the point here
        )
        code, out, err = await run_with(env, tmp_path)
    assert code == 2
    assert err.strip().splitlines() == [
        "krokarm: Discord closed the gateway with 4014 (disallowed intents): turn on "
        "“Server Members Intent” under Bot → Privileged Gateway Intents in the Discord "
        "developer portal"
    ]
    assert sandbox.token not in out + err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_a_refused_connection_is_one_line(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there now
    env = cli_env(
        tmp_path, DISCORD_TOKEN="abc.def.ghi", DISCORD_API_BASE=f"http://127.0.0.1:{port}/api/v10"
    )
    code, _, err = await run_with(env, tmp_path)
    assert code == 2
    assert err.strip().splitlines() == [
        f"krokarm: connection refused by 127.0.0.1:{port}: check the network, a proxy or "
        "DISCORD_API_BASE"
    ]


async def test_an_unresolvable_host_is_one_line_in_swedish(tmp_path: Path) -> None:
    env = cli_env(
        tmp_path,
        DISCORD_TOKEN="abc.def.ghi",
        DISCORD_API_BASE="http://krokarm-no-such-host.invalid/api/v10",
        LANG="sv_SE.UTF-8",
    )
    code, _, err = await run_with(env, tmp_path)
    assert code == 2
    assert err.strip().splitlines() == [
        "krokarm: namnet krokarm-no-such-host.invalid går inte att slå upp (DNS): kontrollera "
        "nätverket eller DISCORD_API_BASE"
    ]


async def test_tls_to_a_plain_server_is_one_line(sandbox: Sandbox, tmp_path: Path) -> None:
    host = f"127.0.0.1:{sandbox.port}"
    env = cli_env(tmp_path, DISCORD_TOKEN="abc.def.ghi", DISCORD_API_BASE=f"https://{host}/api/v10")
    code, _, err = await run_with(env, tmp_path)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"krokarm: TLS failed with {host}: ")


async def test_backup_refuses_a_missing_database_and_creates_nothing(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    env["DATABASE_PATH"] = str(tmp_path / "typo" / "krokarm.db")
    code, out, err = await run_with(env, tmp_path, "backup", str(tmp_path / "copy.db"))
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [
        f"krokarm: there is no database at {tmp_path / 'typo' / 'krokarm.db'} (DATABASE_PATH); "
        "nothing was backed up"
    ]
    assert not (tmp_path / "typo").exists() and not (tmp_path / "copy.db").exists()


async def test_backup_checks_the_copy_and_names_its_size_and_version(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    code, _, err = await run_with(env, tmp_path, "migrate")
    assert code == 0, err
    target = tmp_path / "backups" / "copy.db"
    code, out, err = await run_with(env, tmp_path, "backup", str(target))
    assert code == 0, err
    with sqlite3.connect(target) as conn:
        version = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
    size = f"{target.stat().st_size:,}"
    assert out.strip() == (
        f"backed up {tmp_path / 'k.db'} to {target}: {size} bytes, schema version {version}, "
        "integrity_check ok"
    )
    code, _, err = await run_with(env, tmp_path, "backup", str(target))
    assert code == 1 and "exists already" in err  # never overwritten


async def test_a_dropped_gateway_is_reconnected_while_running(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """A transient failure while running: discord.py reconnects with backoff, the bot goes on."""
    sandbox.create_guild("Fyrbodal", preferred_locale="sv-SE")
    env = cli_env(
        tmp_path,
        DISCORD_TOKEN=sandbox.token,
        DISCORD_API_BASE=sandbox.api_base,
        DISCORD_GATEWAY_URL=sandbox.gateway_url,
        LOG_LEVEL="WARNING",
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

    async def session_other_than(old: object) -> object:
        for _ in range(400):
            current = sandbox.gateway.latest()
            if current is not None and current is not old and current.ready:
                return current
            await asyncio.sleep(0.05)
        raise AssertionError("the bot did not (re)connect")

    try:
        first = await session_other_than(None)
        await sandbox.gateway.close_all()  # Discord drops the connection
        second = await session_other_than(first)
        assert second is not first and process.returncode is None  # still running
    finally:
        process.terminate()
        _, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert "Traceback" not in err.decode()
