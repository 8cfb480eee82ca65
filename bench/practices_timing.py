# ruff: noqa: E501  (report lines)
"""The practice search's own figures at scale (the issue's service-call targets), beside the
sandbox cases of bench/cases_practices.py:

    .venv/bin/python -m bench.practices_timing [--networks 100] [--per 1000] [--import-rows 10000]

Seeds `--networks` networks of `--per` practices (bench/side/seeds.py's `add_practices`), then
times the service search (`bot.services.practices.search.search`) for a query set within one
network (median and worst), the import of `--import-rows` practices from a CSV file (parsing,
the inventory's checks and the one-transaction write), and prints the database's size.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.db import Database
from bot.funnel import describe
from bot.services.practices import exchange, transfer
from bot.services.practices.search import Criteria, search

sys.path.insert(0, str(Path(__file__).parent / "side"))
from seeds import add_practices  # (bench/side is not a package)

GUILD = 8_100_000_000
QUERIES: tuple[Criteria, ...] = (
    Criteria(query="samhällsguider"),
    Criteria(query="samhallsguider"),
    Criteria(query="guider"),
    Criteria(query="praktik"),
    Criteria(query="TMO"),
    Criteria(query="Soderhamn"),
    Criteria(query="validring"),
    Criteria(query="ensamkommande barn"),
    Criteria(query="internship"),
    Criteria(query="läxhjälp föreningar"),
    Criteria(query="idrottsskolan"),
    Criteria(query="nyanlända", status="ongoing"),
    Criteria(theme="work"),
    Criteria(municipality="1484", theme="leisure"),
    Criteria(county="13"),
    Criteria(funding="esf"),
    Criteria(target="women", query="arbete"),
    Criteria(),
)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("k.db*"))


async def main(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="practices-timing-"))
    path = folder / "k.db"
    async with Database(path) as db:
        await db.migrate()
        started = time.perf_counter()
        next_id = 1
        for n in range(args.networks):
            next_id = await add_practices(db, GUILD + n, args.per, next_id)
        seeded = time.perf_counter() - started
        print(
            f"seeded {args.networks * args.per:,} practices in {args.networks} networks in {seeded:.1f} s"
        )
        for q in QUERIES[:3]:
            await search(db, GUILD, q)  # warm the analyzer and the page cache
        timings: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            for q in QUERIES:
                t0 = time.perf_counter()
                result = await search(db, GUILD, q)
                timings.setdefault(q.pack(), []).append(1000 * (time.perf_counter() - t0))
                assert all(p.guild_id == GUILD for p in result.practices)
        medians = {k: statistics.median(v) for k, v in timings.items()}
        every = [x for v in timings.values() for x in v]
        print(f"service search, {len(QUERIES)} queries × {args.rounds} rounds in one network:")
        print(
            f"  median {statistics.median(every):.2f} ms; worst query median {max(medians.values()):.2f} ms;"
            f" worst single call {max(every):.2f} ms"
        )
        for k, v in sorted(medians.items(), key=lambda kv: -kv[1])[:5]:
            print(f"    median {v:6.2f} ms, worst {max(timings[k]):6.2f} ms  {k}")
        slowest = max(timings, key=lambda k: max(timings[k]))
        print(f"  slowest single call: {slowest} {timings[slowest]}")
        # the import of a CSV export of `--import-rows` practices into a new network
        await db.execute("INSERT INTO networks (guild_id, name) VALUES (1, 'Import')")
        found = await transfer.matching(db, GUILD, Criteria())
        people = await transfer.contacts(db, GUILD)
        records = [transfer.to_record(p, people) for p in found]
        records = (records * (args.import_rows // max(len(records), 1) + 1))[: args.import_rows]
        csv = exchange.to_csv(records, "sv")
        t0 = time.perf_counter()
        checked = await transfer.check_import(db, 1, csv, "import.csv", "sv", describe)
        t1 = time.perf_counter()
        ids = await transfer.write_import(
            db, 1, checked.accepted, user_id=None, now=datetime.now(UTC)
        )
        t2 = time.perf_counter()
        print(
            f"import of {len(ids):,} practices from CSV ({len(csv) / 1e6:.1f} MB): read and checked "
            f"{t1 - t0:.1f} s, written and indexed in one transaction {t2 - t1:.1f} s, "
            f"{t2 - t0:.1f} s in all; refused {len(checked.refused)}"
        )
        await db.checkpoint()
    size = _size(folder)
    print(f"database size {size / 1e6:.0f} MB ({args.networks * args.per + len(ids):,} practices)")


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--networks", type=int, default=100)
    p.add_argument("--per", type=int, default=1000)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--import-rows", type=int, default=10_000)
    asyncio.run(main(p.parse_args()))
