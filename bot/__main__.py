"""`python -m bot` (or `krokarm`): run, try, sync, migrate, backup."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
import sqlite3
import ssl
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import discord

from bot import __version__
from bot.app import open_bot, stop_on_signals
from bot.db import Database
from bot.errors import DatabaseError, UserError
from bot.i18n import Lang, format_number, t
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
    add_practices_parser(sub)
    return p


# --- practices: import and export from the command line (bot/services/practices) ---------------


def add_practices_parser(sub: Any) -> None:
    practices = sub.add_parser("practices", help="import or export a network's good practice")
    actions = practices.add_subparsers(dest="practices_command", required=True)
    imp = actions.add_parser("import", help="import practices from a CSV or XLSX file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--guild", type=int, required=True, help="the network's server id")
    imp.add_argument("--yes", action="store_true", help="write the accepted rows without asking")
    exp = actions.add_parser("export", help="export practices (the filters of /practice find)")
    exp.add_argument("--guild", type=int, required=True, help="the network's server id")
    exp.add_argument("--format", choices=("markdown", "csv", "xlsx", "html"), default="csv")
    exp.add_argument("--out", type=Path, help="the file to write (default: a dated name)")
    for name in ("query", "municipality", "theme", "status", "target", "funding"):
        exp.add_argument(f"--{name}")


async def practices_cli(settings: Settings, args: argparse.Namespace) -> None:
    from bot.clock import Clock
    from bot.funnel import describe
    from bot.services import municipalities
    from bot.services.practices import transfer
    from bot.services.practices.search import Criteria

    lang = cli_lang()
    async with Database(settings.database_path) as db:
        network_name = await db.fetchval(
            "SELECT name FROM networks WHERE guild_id = ?", (args.guild,)
        )
        if network_name is None:
            raise Refused(f"no network with server id {args.guild} in {settings.database_path}")
        now = Clock().now()
        if args.practices_command == "export":
            place = municipalities.resolve(args.municipality) if args.municipality else None
            criteria = Criteria(
                args.query,
                place.code if place else None,
                None,
                args.theme,
                args.status,
                args.target,
                args.funding,
            )
            name, data, count = await transfer.export(
                db, args.guild, criteria, args.format, lang, network_name, today=now.date()
            )
            target = args.out or Path(name)
            target.write_bytes(data)
            print(f"{count} → {target}")
            return
        try:
            data = args.file.read_bytes()
        except OSError as exc:
            raise Refused(f"{args.file}: {exc.strerror}") from None
        try:
            checked = await transfer.check_import(
                db, args.guild, data, args.file.name, lang, describe
            )
        except UserError as exc:
            raise Refused(describe(lang, exc) or exc.key) from None
        for row, reason in checked.refused:
            print(f"{row}: {reason}")
        print(f"accepted {len(checked.accepted)}, refused {len(checked.refused)}")
        if not checked.accepted:
            return
        answer = (
            "y" if args.yes else await asyncio.to_thread(input, "write the accepted rows? [y/N] ")
        )
        if answer.strip().lower() not in (
            "y",
            "yes",
            "j",
            "ja",
        ):
            print("nothing written")
            return
        ids = await transfer.write_import(db, args.guild, checked.accepted, user_id=None, now=now)
        print(f"imported {len(ids)}")


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


class Refused(Exception):
    """A one-line reason to stop, already in the operator's language."""


def cli_lang() -> Lang:
    """The operator's language, from the locale of the shell (Swedish or English)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(name, "")
        if value:
            return "sv" if value.lower().startswith("sv") else "en"
    return "en"


def _check_copy(path: Path) -> tuple[str, int, int]:
    """PRAGMA integrity_check, the schema version and the size of a finished copy."""
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        try:
            version = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            schema = int(version.fetchone()[0])
        except sqlite3.OperationalError:
            schema = 0
    return "; ".join(result), schema, path.stat().st_size


async def backup(settings: Settings, target: Path) -> None:
    lang = cli_lang()
    source = settings.database_path
    if not source.is_file():
        # Opening it would create an empty database: a typo would look like a good backup.
        raise Refused(t(lang, "cli.backup.no_source", path=str(source)))
    async with Database(source) as db:
        await db.backup(target)
    integrity, schema, size = await asyncio.to_thread(_check_copy, target)
    if integrity != "ok":
        raise Refused(t(lang, "cli.backup.damaged", path=str(target), detail=integrity[:200]))
    print(
        t(
            lang,
            "cli.backup.done",
            source=str(source),
            target=str(target),
            size=format_number(lang, size),
            version=schema,
        )
    )


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def connection_failure(exc: BaseException, settings: Settings, lang: Lang) -> str | None:
    """One line naming what failed when the bot cannot reach Discord, or None if it is not that."""
    base = settings.discord_api_base or "https://discord.com/api/v10"
    split = urlsplit(base)
    host = split.hostname or base
    where = f"{host}:{split.port}" if split.port else host
    for err in _chain(exc):
        if isinstance(err, discord.PrivilegedIntentsRequired):
            return t(lang, "cli.run.intents")
        if isinstance(err, discord.LoginFailure):
            return t(lang, "cli.run.token")
        if isinstance(err, aiohttp.ClientSSLError | ssl.SSLError):
            return t(lang, "cli.run.tls", host=where, detail=_short(err))
        if isinstance(err, socket.gaierror) or type(err).__name__ == "ClientConnectorDNSError":
            return t(lang, "cli.run.dns", host=host)
        if isinstance(err, ConnectionRefusedError):
            return t(lang, "cli.run.refused", host=where)
        if isinstance(err, discord.HTTPException):
            return t(lang, "cli.run.http", status=err.status, detail=_short(err))
        if isinstance(err, discord.GatewayNotFound):
            return t(lang, "cli.run.gateway", detail=_short(err))
    for err in _chain(exc):
        if isinstance(err, aiohttp.ClientConnectorError):
            return t(lang, "cli.run.unreachable", host=where, detail=_short(err.os_error))
        if isinstance(err, aiohttp.ClientError | TimeoutError | OSError):
            return t(lang, "cli.run.unreachable", host=where, detail=_short(err))
    return None


def _short(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return (text[0] if text else type(err).__name__)[:160]


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
        elif command == "practices":
            asyncio.run(practices_cli(settings, args))
    except SettingsError as exc:
        print(f"krokarm: {exc}", file=sys.stderr)
        return 2
    except Refused as exc:
        print(f"krokarm: {exc}", file=sys.stderr)
        return 1
    except DatabaseError as exc:
        print(f"krokarm: {exc}", file=sys.stderr)
        return 1
    except (discord.DiscordException, aiohttp.ClientError, OSError, TimeoutError) as exc:
        reason = connection_failure(exc, settings, cli_lang())
        if reason is None:
            raise
        log.debug("could not reach Discord", exc_info=True)
        print(f"krokarm: {reason}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
