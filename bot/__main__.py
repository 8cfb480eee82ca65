"""`python -m bot` (or `krokarm`): run, try, sync, migrate, backup."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

import discord

from bot import __version__
from bot.app import open_bot, stop_on_signals
from bot.db import Database
from bot.errors import DatabaseError
from bot.logs import setup_logging
from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("bot")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="krokarm", description="Krokarm, the integration network bot")
    p.add_argument("--version", action="version", version=f"krokarm {__version__}")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot against Discord (the default)")
    tryp = sub.add_parser("try", help="the sandbox shell: a local Discord with a demo network")
    tryp.add_argument("--database", type=Path, help="SQLite file for the demo (default: fresh)")
    sync = sub.add_parser("sync", help="publish the slash commands to Discord")
    sync.add_argument("--guild", type=int, help="only to this server (instant), not globally")
    sub.add_parser("migrate", help="bring the database schema up to date and exit")
    backup = sub.add_parser("backup", help="an online copy of the database, safe while running")
    backup.add_argument("path", type=Path)
    return p


async def run(settings: Settings) -> None:
    token = settings.require_token()
    async with open_bot(settings) as bot:
        stop_on_signals(bot)
        await bot.start(token)


async def sync(settings: Settings, guild_id: int | None) -> None:
    token = settings.require_token()
    async with open_bot(settings, start_scheduler=False, sync_dev_guild=False) as bot:
        await bot.login(token)
        guild = discord.Object(id=guild_id) if guild_id else None
        if guild is not None:
            bot.tree.copy_global_to(guild=guild)
        synced = await bot.tree.sync(guild=guild)
        where = f"server {guild_id}" if guild_id else "all servers (global; may take a while)"
        print(f"synced {len(synced)} commands to {where}")


async def migrate(settings: Settings) -> None:
    async with Database(settings.database_path) as db:
        before = await db.current_version()
        applied = await db.migrate()
        after = await db.current_version()
    names = ", ".join(m.path.name for m in applied) or "nothing to do"
    print(f"{settings.database_path}: schema version {before} → {after} ({names})")


async def backup(settings: Settings, target: Path) -> None:
    async with Database(settings.database_path) as db:
        await db.backup(target)
    print(f"backed up {settings.database_path} to {target}")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"krokarm: {exc}", file=sys.stderr)
        return 2
    token = settings.discord_token.get_secret_value() if settings.discord_token else ""
    setup_logging(settings.log_level, secrets=[token])
    try:
        if command == "run":
            asyncio.run(run(settings))
        elif command == "try":
            from bot.shell.shell import main as shell_main

            return shell_main(settings, database=args.database)
        elif command == "sync":
            asyncio.run(sync(settings, args.guild))
        elif command == "migrate":
            asyncio.run(migrate(settings))
        elif command == "backup":
            asyncio.run(backup(settings, args.path))
    except SettingsError as exc:
        print(f"krokarm: {exc}", file=sys.stderr)
        return 2
    except DatabaseError as exc:
        print(f"krokarm: {exc}", file=sys.stderr)
        return 1
    except discord.LoginFailure:
        print("krokarm: Discord refused the token (DISCORD_TOKEN): check it", file=sys.stderr)
        return 2
    except discord.PrivilegedIntentsRequired:
        print(
            "krokarm: enable the Server Members intent for the bot in the Discord developer portal",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
