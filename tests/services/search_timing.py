"""How long a directory search takes at scale: a quick check, not a test (nothing is asserted
about time; `make bench` measures the bot as members see it).

    .venv/bin/python -m tests.services.search_timing [--profiles 10000] [--others 100000]

Seeds one network of `--profiles` people, and a copy with `--others` people in 99 other
networks, and times the same searches on both: the cost should follow the network's own size.
`--keep FOLDER` keeps the seeded databases there and reuses them on the next run.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from bot.db import Database
from bot.services import directory

FIRST = [
    "Anna",
    "Erik",
    "Fatima",
    "Johan",
    "Maria",
    "Karin",
    "Lena",
    "Ahmed",
    "Sara",
    "Per",
    "Mona",
    "Omar",
    "Ingrid",
    "Jonas",
    "Li",
    "Hanna",
]
LAST = [
    "Andersson",
    "Berg",
    "Hassan",
    "Lindqvist",
    "Nilsson",
    "Ström",
    "Yusuf",
    "Lind",
    "Holm",
    "Eriksson",
    "Ali",
    "Ek",
    "Wang",
    "Svensson",
]
TITLES = [
    "Integrationssamordnare",
    "Nätverkssamordnare",
    "Projektledare",
    "Kulturtolk",
    "Enhetschef",
    "Undersköterska",
    "Socialsekreterare",
    "Lärare i svenska",
    "Studie- och yrkesvägledare",
    "TMO-utbildare",
    "Samhällskommunikatör",
    "Verksamhetsutvecklare",
    "Rektor",
    "Unit manager",
]
TAGS = [
    "TMO",
    "traumamedveten omsorg",
    "SFI",
    "praktik för nyanlända",
    "ensamkommande barn",
    "samhällsorientering",
    "ESF-projekt",
    "validering",
    "arbetsmarknad",
    "HVB",
    "tolkning",
    "omvärldsbevakning",
    "föräldraskap",
    "modersmålsundervisning",
    "äldreomsorg",
]
PLACES = ["1380", "1383", "1382", "1384", "1315", "1381", "1484", "1485", "2182", "1486"]
LANGS = ["sv", "ar", "en", "prs", "so", "ti", "fa"]
QUERIES: list[dict[str, str]] = [
    {"query": "samordnare"},
    {"query": "Soderhamn"},
    {"query": "anna halmstad"},
    {"query": "TMO"},
    {"query": "kulturtolk"},
    {"query": "nyanlända"},
    {"query": "Uddevala tolk"},
    {"query": "zzqqxx"},
    {"expertise": "praktik"},
    {"municipality_code": "1380"},
    {},
]
NOW = "2026-11-23T09:00:00Z"


async def seed(
    db: Database, guild_id: int, people: int, first_user: int, rng: random.Random
) -> None:
    await db.execute(
        "INSERT INTO networks (guild_id, name) VALUES (?, ?)", (guild_id, f"N{guild_id}")
    )
    orgs = []
    for code in PLACES:
        orgs.append(
            await db.execute(
                "INSERT INTO organisations (guild_id, kind, name, municipality_code)"
                " VALUES (?, 'municipality', ?, ?)",
                (guild_id, f"Kommun {code}", code),
            )
        )
    ids: list[int] = []
    async with db.transaction():
        for n in range(people):
            user = first_user + n
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            await db.execute(
                "INSERT INTO members (guild_id, user_id, organisation_id) VALUES (?, ?, ?)",
                (guild_id, user, rng.choice(orgs)),
            )
            pid = await db.execute(
                "INSERT INTO profiles (guild_id, user_id, display_name, title, name_key,"
                " created_at, updated_at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (guild_id, user, name, rng.choice(TITLES), name.casefold(), NOW, NOW, NOW),
            )
            ids.append(pid)
            for pos, tag in enumerate(rng.sample(TAGS, 2)):
                await db.execute(
                    "INSERT INTO profile_expertise (profile_id, guild_id, position, tag, tag_key)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (pid, guild_id, pos, tag, tag.casefold()),
                )
            for pos, lang in enumerate(rng.sample(LANGS, 2)):
                await db.execute(
                    "INSERT INTO profile_languages (profile_id, position, language)"
                    " VALUES (?, ?, ?)",
                    (pid, pos, lang),
                )
    for start in range(0, len(ids), 2000):
        await directory.index_profiles(db, ids[start : start + 2000])


async def measure(db: Database, guild_id: int, rounds: int) -> dict[str, tuple[float, int]]:
    out: dict[str, tuple[float, int]] = {}
    for criteria in QUERIES:
        await directory.search(db, guild_id, **criteria)  # type: ignore[arg-type]
        times = []
        total = 0
        for _ in range(rounds):
            t0 = time.perf_counter()
            result = await directory.search(db, guild_id, **criteria)  # type: ignore[arg-type]
            times.append((time.perf_counter() - t0) * 1000)
            total = result.total
        out[repr(criteria)] = (statistics.median(times), total)
    return out


async def in_flight(db: Database, guild_id: int, width: int, count: int) -> tuple[float, float]:
    """Searches per second, and the median time one waits, with `width` searches at once."""
    waits: list[float] = []
    queue = [QUERIES[i % len(QUERIES)] for i in range(count)]

    async def worker() -> None:
        while queue:
            criteria = queue.pop()
            t0 = time.perf_counter()
            await directory.search(db, guild_id, **criteria)  # type: ignore[arg-type]
            waits.append((time.perf_counter() - t0) * 1000)

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(width)))
    return count / (time.perf_counter() - t0), statistics.median(waits)


async def build(folder: Path, profiles: int, others: int) -> tuple[Path, Path]:
    """alone.db (one network) and crowded.db (the same, and `others` people in 99 more)."""
    alone, crowded = folder / "alone.db", folder / "crowded.db"
    if alone.exists() and crowded.exists():
        return alone, crowded
    rng = random.Random(7)
    async with Database(alone) as db:
        await db.migrate()
        t0 = time.perf_counter()
        await seed(db, 1_000_000, profiles, 1, rng)
        print(f"seeded {profiles} profiles in one network in {time.perf_counter() - t0:.1f} s")
        await db.checkpoint()
        await db.backup(crowded)
    async with Database(crowded) as db:
        t0 = time.perf_counter()
        per = others // 99
        for n in range(99):
            await seed(db, 2_000_000 + n, per, 10_000_000 + n * per, rng)
        await db.checkpoint()
        took = time.perf_counter() - t0
        print(f"seeded {per * 99} profiles in 99 other networks in {took:.1f} s")
    return alone, crowded


async def main(folder: Path, profiles: int, others: int, rounds: int) -> None:
    alone_db, crowded_db = await build(folder, profiles, others)
    async with Database(alone_db) as db:
        alone = await measure(db, 1_000_000, rounds)
    async with Database(crowded_db) as db:
        crowded = await measure(db, 1_000_000, rounds)
    print(f"{'criteria':40} {'hits':>6} {'alone ms':>9} {'with others ms':>15}")
    for key, (ms, hits) in alone.items():
        print(f"{key:40} {hits:6d} {ms:9.2f} {crowded[key][0]:15.2f}")
    print(
        f"median of medians: alone {statistics.median(v[0] for v in alone.values()):.2f} ms, "
        f"with others {statistics.median(v[0] for v in crowded.values()):.2f} ms"
    )
    for readers in (0, 1, 3):
        async with Database(crowded_db, readers=readers) as db:
            rate, wait = await in_flight(db, 1_000_000, 50, 400)
        note = " (every read on the writer's thread)" if readers == 0 else ""
        print(
            f"50 in flight, {readers} readers: {rate:.0f} searches/s,"
            f" median wait {wait:.1f} ms{note}"
        )
    async with Database(crowded_db) as db:
        # What erasure costs at this size: one person forgotten, the index merged.
        await db.execute(
            "DELETE FROM members WHERE guild_id = 1000000 AND user_id ="
            " (SELECT MIN(user_id) FROM members WHERE guild_id = 1000000)"
        )
        t0 = time.perf_counter()
        await directory.forget_erased(db)
        print(f"index merged after an erasure in {time.perf_counter() - t0:.2f} s")
        t0 = time.perf_counter()
        await directory.forget_erased(db)
        print(f"  and again, with nothing new deleted, in {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--others", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument(
        "--keep", type=Path, help="a folder to keep the seeded databases in, and reuse them from"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        asyncio.run(main(folder, args.profiles, args.others, args.rounds))
