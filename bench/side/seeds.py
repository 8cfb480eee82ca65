"""Seeding, run on the tree side: with the `bot` package of the tree under test, so that the
rows fit that tree's migrations. Only bulk rows and the directory's own indexing function."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import bench_data as data

from bot.db import Database
from bot.services import directory, municipalities, organisations
from bot.services.textnorm import fold

NOW = "2026-11-23T09:00:00Z"
BATCH = 5_000


async def index(db: Database, ids: Sequence[int]) -> None:
    for start in range(0, len(ids), BATCH):
        async with db.transaction():
            await directory.index_profiles(db, ids[start : start + BATCH])


async def add_directory(
    db: Database,
    guild_id: int,
    name: str,
    user_ids: Sequence[int],
    people: Sequence[data.Person],
    first_profile_id: int,
) -> list[int]:
    """A network's organisations, members and visible profiles, one per person; returns the
    profile ids (not yet indexed)."""
    now = directory.iso(directory.from_iso(NOW))
    await db.execute(
        "INSERT INTO networks (guild_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (guild_id, name),
    )
    async with db.transaction():
        orgs = []
        for org_name, code in data.ORGANISATIONS:
            kind = "municipality" if code else "other"
            orgs.append(
                await db.execute(
                    "INSERT INTO organisations (guild_id, kind, name, municipality_code)"
                    " VALUES (?, ?, ?, ?)",
                    (guild_id, kind, org_name, code),
                )
            )
        members, rows, tags = [], [], []
        for person, uid in zip(people, user_ids, strict=True):
            pid = first_profile_id + person.index
            # The organisation is the membership's, as picked at onboarding.
            members.append((guild_id, uid, orgs[person.organisation], now))
            rows.append(
                (
                    pid,
                    guild_id,
                    uid,
                    person.name,
                    person.title,
                    fold(person.name),
                    f"person{person.index}@example.se",
                    now,
                    now,
                    now,
                )
            )
            for pos, tag in enumerate(person.tags):
                tags.append((pid, guild_id, pos, tag, fold(tag)))
        await db.executemany(
            "INSERT INTO members (guild_id, user_id, organisation_id, joined_at)"
            " VALUES (?, ?, ?, ?)",
            members,
        )
        await db.executemany(
            "INSERT INTO profiles (id, guild_id, user_id, display_name, title,"
            " name_key, email, created_at, updated_at, confirmed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        await db.executemany(
            "INSERT INTO profile_expertise (profile_id, guild_id, position, tag, tag_key)"
            " VALUES (?, ?, ?, ?, ?)",
            tags,
        )
    return [first_profile_id + p.index for p in people]


async def seed_bot_database(
    db_path: Path, guild_id: int, guild_name: str, user_ids: Sequence[int]
) -> None:
    """The bot's database: the bench network's directory (one profile per given member, all on
    the sandbox server) and three counties' municipalities (a long, paginated list)."""
    async with Database(db_path) as db:
        await db.migrate()
        people = data.people(len(user_ids))
        ids = await add_directory(db, guild_id, guild_name, user_ids, people, 1)
        await index(db, ids)
        await add_resources(db, guild_id)
        for key in ("county-01", "county-12", "county-14"):
            preset = municipalities.preset(key)
            assert preset is not None
            await organisations.add_municipalities(db, guild_id, preset.codes)
        await seed_practices(db, guild_id)


async def seed_other_networks(db: Database, networks: int, profiles: int, first_id: int) -> int:
    """`profiles` more profiles spread over `networks` other networks; returns the next id."""
    per = -(-profiles // networks)
    next_id = first_id
    done = 0
    for n in range(networks):
        count = min(per, profiles - done)
        people = data.people(count, seed=1000 + n)
        gid = 8_000_000_000 + n
        uids = [gid * 100_000 + i for i in range(count)]
        ids = await add_directory(db, gid, f"Network {n}", uids, people, next_id)
        await index(db, ids)
        next_id += count
        done += count
    return next_id


# --- meetings (the Discord side) ------------------------------------------------------------


async def seed_meeting_series(
    db: Database,
    guilds: Sequence[tuple[int, int, int]],
    per_network: int,
    *,
    burst: int,
    burst_start: str,
) -> None:
    """`per_network` series in each network of `guilds` ((guild id, meetings channel, voice
    channel)): monthly series on every weekday and ordinal, and `burst` one-off meetings (spread
    over the networks) that all start at `burst_start` (local 'YYYY-MM-DD HH:MM'), with a
    reminder one hour before, so that `burst` reminders fall due in the same minute."""
    import uuid

    day, at = burst_start.split(" ")
    series: list[tuple[object, ...]] = []
    offsets: list[tuple[int, int]] = []
    next_id = int(await db.fetchval("SELECT coalesce(max(id), 0) FROM meeting_series")) + 1
    burst_left = burst
    for n, (gid, meetings_channel, voice) in enumerate(guilds):
        await db.execute(
            "INSERT OR IGNORE INTO networks (guild_id, name) VALUES (?, ?)", (gid, f"Network {n}")
        )
        for purpose, channel in (("meetings", meetings_channel), ("voice", voice)):
            await db.execute(
                "INSERT OR REPLACE INTO network_channels (guild_id, purpose, channel_id)"
                " VALUES (?, ?, ?)",
                (gid, purpose, channel),
            )
        in_burst = min(burst_left, -(-burst // len(guilds)))
        burst_left -= in_burst
        for i in range(per_network):
            once = i < in_burst
            ordinal = (1, 2, 3, 4, -1)[i % 5]
            series.append(
                (
                    next_id,
                    gid,
                    str(uuid.uuid4()),
                    f"Meeting {n}-{i}",
                    "once" if once else "monthly",
                    None if once else i % 5,
                    None if once else ordinal,
                    day if once else "2026-11-23",
                    at if once else f"{9 + i % 8:02d}:00",
                    120,
                    "voice",
                    voice,
                    NOW,
                )
            )
            for minutes in (60,) if once else (10080, 1440, 60):
                offsets.append((next_id, minutes))
            next_id += 1
    await db.executemany(
        "INSERT INTO meeting_series (id, guild_id, uid, title, kind, weekday, ordinal,"
        " start_date, start_time, duration_minutes, place_kind, voice_channel_id,"
        " organiser_id, created_at, changed_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
        [(*row, row[-1]) for row in series],
    )
    await db.executemany(
        "INSERT INTO meeting_reminder_offsets (series_id, minutes_before) VALUES (?, ?)", offsets
    )


# --- practices (bench/cases_practices.py) -------------------------------------------------------

PRACTICES_PER_NETWORK = 1_000
PRACTICE_NETWORKS = 100  # the bench network and 99 others: 100,000 practices in all


async def add_practices(db: Database, guild_id: int, count: int, first_id: int) -> int:
    """`count` practices in one network, varied from the demo inventory, written and indexed
    in bulk with the practice service's own index rows; returns the next id."""
    import json

    from bot.services.practices.search import documents
    from bot.shell.demo_practices import PRACTICES

    await db.execute(
        "INSERT INTO networks (guild_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (guild_id, f"Network {guild_id}"),
    )
    rows = []
    for i in range(count):
        base = PRACTICES[i % len(PRACTICES)]
        round_ = i // len(PRACTICES)
        title = base.title if round_ == 0 else f"{base.title} (omgång {round_})"
        rows.append(
            {
                "id": first_id + i,
                "guild_id": guild_id,
                "title": title[:100],
                "title_key": fold(title[:100]),
                "summary": base.summary,
                "description": base.description,
                "themes": json.dumps(list(base.themes)),
                "targets": json.dumps(list(base.targets)),
                "organisations": json.dumps(list(base.organisations), ensure_ascii=False),
                "municipalities": json.dumps(list(base.municipalities)),
                "status": base.status,
                "funding": json.dumps(list(base.funding)),
                "success_factors": base.success_factors,
                "lessons": base.lessons,
                "created_at": NOW,
                "changed_at": NOW,
            }
        )
    columns = list(rows[0])
    async with db.transaction():
        await db.executemany(
            f"INSERT INTO practices ({', '.join(columns)})"
            f" VALUES ({', '.join('?' * len(columns))})",
            [tuple(r[c] for c in columns) for r in rows],
        )
        docs = documents(rows)
        await db.executemany(
            "INSERT INTO practice_index (rowid, title, summary, body, organisation, facets)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            docs,
        )
    return first_id + count


async def seed_practices(db: Database, guild_id: int) -> None:
    """The bench network's 1,000 practices, and 99 other networks' 99,000 (only where the
    tree under test has practices: an older commit compared side by side has none)."""
    has = await db.fetchval(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'practices'"
    )
    if not has:
        return
    next_id = await add_practices(db, guild_id, PRACTICES_PER_NETWORK, 1)
    for n in range(PRACTICE_NETWORKS - 1):
        next_id = await add_practices(db, 8_100_000_000 + n, PRACTICES_PER_NETWORK, next_id)


async def add_resources(db: Database, guild_id: int, count: int = data.RESOURCES) -> None:
    """`count` resources in the bench network (the tree's own service writes the index); only
    where the tree has resources."""
    has = await db.fetchval(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'resources'"
    )
    if not has:
        return
    from bot.services import resources

    now = directory.from_iso(NOW)
    for i, (title, kind, tags) in enumerate(data.resources(count)):
        d = resources.draft(
            title=title,
            url=f"https://example.se/resurs/{i}",
            description=f"{title}: material för nätverket, nummer {i}.",
            tags=tags,
            kind=kind,
            organisation_id=None,
        )
        await resources.add(db, guild_id, 1, d, now=now)
