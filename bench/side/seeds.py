"""Seeding, run on the tree side: with the `bot` package of the tree under test, so that the
rows fit that tree's migrations. Only bulk rows and the directory's own indexing function."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import data

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
