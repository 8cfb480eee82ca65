"""The tree side of the bench, run as a script with the tree under test first on the path:

    BENCH_TREE=<root> python bench/side/run.py bot|seed|search ...

The harness (`python -m bench`) and the sandbox belong to the working tree; the bot, its
migrations and its services belong to the tree under test, which for `--against REV` is an
export of an older commit. Everything here therefore touches the bot only through names that
every commit since the bench was written has: `bot.app.open_bot`, `bot.settings`, `bot.logs`,
`bot.db.Database`, `bot.services.directory` (`search`, `index_profiles`, `iso`, `from_iso`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

TREE = Path(os.environ.get("BENCH_TREE") or Path(__file__).resolve().parents[2]).resolve()
sys.path.insert(1, str(TREE))

import bench_data as data  # noqa: E402

import bot  # noqa: E402

if not Path(bot.__file__).resolve().is_relative_to(TREE):
    sys.exit(f"bench: `bot` comes from {bot.__file__}, not from the tree under test {TREE}")


async def run_bot() -> None:
    from discord import app_commands
    from trivial_cog import BenchTrivial

    from bot.app import open_bot
    from bot.logs import setup_logging
    from bot.settings import load_settings

    # The bench's floors join the bot just before it syncs its commands, whatever way the tree
    # under test loads its own extensions.
    original_sync = app_commands.CommandTree.sync

    async def sync(self: app_commands.CommandTree, *, guild: Any = None) -> Any:
        client: Any = self.client
        if client.get_cog("BenchTrivial") is None:
            await client.add_cog(BenchTrivial())
            if guild is not None:
                self.copy_global_to(guild=guild)
        return await original_sync(self, guild=guild)

    app_commands.CommandTree.sync = sync  # type: ignore[method-assign]
    settings = load_settings()
    setup_logging(settings.log_level, secrets=[settings.require_token()])
    async with open_bot(settings, guild_ready_timeout=0.05) as client:
        # The harness stops the bot with SIGTERM: the orderly way, as `python -m bot` does
        # (its search processes and their semaphores closed), where the tree has it.
        from bot import app as bot_app

        stop = getattr(bot_app, "stop_on_signals", None)
        if stop is not None:
            stop(client)
        await client.start(settings.require_token())


async def seed(args: argparse.Namespace) -> None:
    from seeds import seed_bot_database

    await seed_bot_database(Path(args.db), args.guild, args.name, args.user_ids)
    networks, profiles = args.others
    if profiles:
        from seeds import seed_other_networks

        from bot.db import Database

        async with Database(Path(args.db)) as db:
            await seed_other_networks(db, networks, profiles, len(args.user_ids) + 1)


async def search_directory(db: Any, guild_id: int, criteria: dict[str, Any]) -> Any:
    """The directory's public search, as every tree since the bench was written calls it; a tree
    whose search takes its criteria otherwise is adapted here (and in cogs, by `/contact find`).
    The result has `total` and `hits` (each with `user_id`)."""
    from bot.services import directory

    return await directory.search(db, guild_id, **criteria)


async def search(args: argparse.Namespace) -> None:
    """The directory's search service on its own, driven line by line from stdin so that the
    harness can interleave two trees' rounds: `round` runs the query set once and prints each
    query's milliseconds as JSON; `grow N P` adds P profiles in N other networks; `quit`.
    The network under test holds 10,000 profiles; every answer is checked."""
    from seeds import add_directory, index, seed_other_networks

    from bot.db import Database

    gid = 7_000_000_000
    people = data.people(data.PROFILES)
    uids = [gid * 100_000 + p.index for p in people]
    names = {uid: p.name for uid, p in zip(uids, people, strict=True)}
    expected = {q.label: {p.name for p in q.expected(people)} for q in data.QUERIES}
    loop = asyncio.get_running_loop()
    async with Database(Path(args.db)) as db:
        await db.migrate()
        next_id = len(people) + 1
        await index(db, await add_directory(db, gid, "Bench network", uids, people, 1))
        print("ready", flush=True)
        while True:
            line = (await loop.run_in_executor(None, sys.stdin.readline)).split()
            if not line or line[0] == "quit":
                return
            if line[0] == "grow":
                next_id = await seed_other_networks(db, int(line[1]), int(line[2]), next_id)
                print("ready", flush=True)
                continue
            timings: dict[str, float] = {}
            for q in data.QUERIES:
                started = time.perf_counter()
                result = await search_directory(db, gid, q.service)
                timings[q.label] = 1000 * (time.perf_counter() - started)
                want = expected[q.label]
                shown = [names.get(h.user_id, f"<user {h.user_id}>") for h in result.hits]
                if result.total != len(want) or not set(shown) <= want:
                    print(
                        f"search {q.label!r} is wrong: {result.total} found, {len(want)}"
                        f" expected; shown {shown[:5]}",
                        file=sys.stderr,
                    )
                    sys.exit(3)
            print(json.dumps(timings), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench/side/run.py")
    sub = parser.add_subparsers(dest="what", required=True)
    sub.add_parser("bot")
    p = sub.add_parser("seed")
    p.add_argument("--db", required=True)
    p.add_argument("--guild", type=int, required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--users", required=True)
    p.add_argument("--others", nargs=2, type=int, default=(0, 0), metavar=("NETWORKS", "PROFILES"))
    p = sub.add_parser("search")
    p.add_argument("--db", required=True)
    args = parser.parse_args()
    try:
        if args.what == "bot":
            asyncio.run(run_bot())
        elif args.what == "seed":
            args.user_ids = json.loads(Path(args.users).read_text())
            asyncio.run(seed(args))
        else:
            asyncio.run(search(args))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
