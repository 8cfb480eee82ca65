"""Seeding, run on the tree side: with the `bot` package of the tree under test, so that the
rows fit that tree's migrations. Only bulk rows and the directory's own indexing function."""

from __future__ import annotations

import contextlib
import sys
import time as time_
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
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
    the sandbox server), its resources, three counties' municipalities (a long, paginated
    list), its practices among other networks' and ten years of its meetings' minutes. Each
    part's time goes to stderr."""
    started = time_.perf_counter()
    async with Database(db_path) as db:
        await db.migrate()
        async with _timed("directory"):
            people = data.people(len(user_ids))
            ids = await add_directory(db, guild_id, guild_name, user_ids, people, 1)
            await index(db, ids)
        async with _timed("resources"):
            await add_resources(db, guild_id)
        for key in ("county-01", "county-12", "county-14"):
            preset = municipalities.preset(key)
            assert preset is not None
            await organisations.add_municipalities(db, guild_id, preset.codes)
        async with _timed("practices"):
            await seed_practices(db, guild_id)
        async with _timed("minutes"):
            await seed_minutes(db, guild_id, user_ids)
    size = sum(f.stat().st_size for f in db_path.parent.glob(f"{db_path.name}*"))
    print(
        f"bench: seeded the bot's database in {time_.perf_counter() - started:.1f} s"
        f" ({size / 1e6:.0f} MB)",
        file=sys.stderr,
    )


@contextlib.asynccontextmanager
async def _timed(what: str) -> AsyncIterator[None]:
    started = time_.perf_counter()
    yield
    print(f"bench:   {what} {time_.perf_counter() - started:.1f} s", file=sys.stderr)


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


# --- practices (bench/cases_practices.py, bench/cases_ask.py) ----------------------------------

BENCH_PRACTICES = 100_000  # the bench network, where /practice find and /ask are measured
PRACTICES_PER_NETWORK = 1_000  # each of the 99 other networks
PRACTICE_NETWORKS = 100
# The other networks' practices are the inventory and three variants of each, over and over.
OTHER_VARIANTS = 3


async def add_practices(
    db: Database,
    guild_id: int,
    count: int,
    first_id: int,
    variants: int = data.PRACTICE_VARIANTS,
) -> int:
    """`count` practices in one network, varied from the demo inventory (`practice_variant`,
    `variants` per practice), written and indexed in bulk with the practice service's own
    index rows (`documents`), `BATCH` to a transaction; returns the next id. A practice whose
    fields repeat an earlier one's (same text under another id) reuses its index row."""
    import json

    from bot.services.practices.search import documents
    from bot.shell.demo_practices import PRACTICES

    await db.execute(
        "INSERT INTO networks (guild_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (guild_id, f"Network {guild_id}"),
    )
    titles = [p.title for p in PRACTICES]
    made: dict[tuple[object, ...], tuple[object, ...]] = {}
    for start in range(0, count, BATCH):
        rows = []
        for i in range(start, min(count, start + BATCH)):
            base = PRACTICES[i % len(PRACTICES)]
            variant = data.practice_variant(i, titles, variants)
            title = variant.title[:100]
            organisations = [*base.organisations, *filter(None, [variant.organisation])]
            codes = [*base.municipalities, *filter(None, [variant.municipality_code])]
            rows.append(
                {
                    "id": first_id + i,
                    "guild_id": guild_id,
                    "title": title,
                    "title_key": fold(title),
                    "summary": base.summary,
                    "description": base.description,
                    "themes": json.dumps(list(base.themes)),
                    "targets": json.dumps(list(base.targets)),
                    "organisations": json.dumps(organisations, ensure_ascii=False),
                    "municipalities": json.dumps(list(dict.fromkeys(codes))),
                    "status": base.status,
                    "funding": json.dumps(list(base.funding)),
                    "success_factors": base.success_factors,
                    "lessons": base.lessons,
                    "created_at": NOW,
                    "changed_at": NOW,
                }
            )
        columns = list(rows[0])
        indexed = [c for c in columns if c not in ("id", "title_key", "created_at", "changed_at")]
        docs = []
        for row in rows:
            key = tuple(row[c] for c in indexed)
            if key not in made:
                made[key] = documents([row])[0][1:]
            docs.append((row["id"], *made[key]))
        async with db.transaction():
            await db.executemany(
                f"INSERT INTO practices ({', '.join(columns)})"
                f" VALUES ({', '.join('?' * len(columns))})",
                [tuple(r[c] for c in columns) for r in rows],
            )
            await db.executemany(
                "INSERT INTO practice_index (rowid, title, summary, body, organisation, facets)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                docs,
            )
    return first_id + count


async def seed_practices(db: Database, guild_id: int) -> None:
    """The bench network's 100,000 practices, and 99 other networks' 1,000 each (only where
    the tree under test has practices: an older commit compared side by side has none)."""
    if not await _has_table(db, "practices"):
        return
    next_id = await add_practices(db, guild_id, BENCH_PRACTICES, 1)
    for n in range(PRACTICE_NETWORKS - 1):
        next_id = await add_practices(
            db, 8_100_000_000 + n, PRACTICES_PER_NETWORK, next_id, OTHER_VARIANTS
        )


async def _has_table(db: Database, name: str) -> bool:
    found = await db.fetchval(
        "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", (name,)
    )
    return bool(found)


async def add_resources(db: Database, guild_id: int, count: int = data.RESOURCES) -> None:
    """`count` resources in the bench network (the tree's own service writes the index); only
    where the tree has resources."""
    if not await _has_table(db, "resources"):
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


# --- meeting minutes (bench/cases_ask.py) ----------------------------------------------------

# Where the minutes were posted when each meeting ended (the link /ask gives to a decision).
MINUTES_CHANNEL = 1_180_000_000_000_000_001
DISCORD_EPOCH_MS = 1_420_070_400_000
# Actions of meetings before this one are done; those of the last three are still open.
OPEN_ACTIONS_FROM = 3


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _snowflake(when: datetime, n: int) -> int:
    return (int(when.timestamp() * 1000) - DISCORD_EPOCH_MS) << 22 | n


async def seed_minutes(db: Database, guild_id: int, user_ids: Sequence[int]) -> None:
    """Ten years of the bench network's monthly meeting (`bench_data.meetings`): its series,
    ended with the last one (so that no reminder of an open action falls due while the bench
    runs), each meeting's posted minutes with participants, notes, decisions and actions (all
    but the last meetings' done), and their rows in the minutes' search indexes, made by the
    search's own `document_row` as `/meeting note|decision|action` make them. Only where the
    tree under test has those indexes."""
    if not await _has_table(db, "meeting_entry_index"):
        return
    import uuid
    from zoneinfo import ZoneInfo

    from bot.services.meetings.minutes import ACTIONS, ENTRIES
    from bot.services.search import document_row

    zone = ZoneInfo("Europe/Stockholm")
    held = data.meetings(len(user_ids))
    hour, minute = data.MEETING_TIME
    first, last = held[0], held[-1]

    async def next_id(table: str) -> int:
        return int(await db.fetchval(f"SELECT coalesce(max(id), 0) FROM {table}")) + 1

    series_id = await next_id("meeting_series")
    minutes_id = await next_id("meeting_minutes")
    entry_id = await next_id("meeting_entries")
    action_id = await next_id("meeting_actions")
    organiser = user_ids[first.chair]
    minutes_rows, people, entries, entry_docs, actions, action_docs = [], [], [], [], [], []
    for n, meeting in enumerate(held):
        day = date(meeting.year, meeting.month, meeting.day)
        start = datetime.combine(day, time(hour, minute), zone)
        ended = start + timedelta(minutes=data.MEETING_MINUTES)
        chair = user_ids[meeting.chair]
        minutes_rows.append(
            (
                minutes_id,
                guild_id,
                series_id,
                f"{day.isoformat()}T{hour:02d}:{minute:02d}",
                chair,
                _iso(start + timedelta(minutes=2)),
                _iso(ended),
                MINUTES_CHANNEL,
                _snowflake(ended, n),
            )
        )
        for user in dict.fromkeys([meeting.chair, *meeting.present]):
            people.append((minutes_id, guild_id, user_ids[user]))
        words = f"{data.MEETING_TITLE} {day.isoformat()}"
        written = [("note", t, a) for t, a in meeting.notes]
        written += [("decision", t, a) for t, a in meeting.decisions]
        for k, (kind, text, author) in enumerate(written):
            at = _iso(start + timedelta(minutes=5 + 5 * k))
            entries.append((entry_id, minutes_id, guild_id, kind, text, user_ids[author], at))
            doc = document_row(ENTRIES, guild_id, {"text": text, "meeting": words})
            entry_docs.append((entry_id, *doc))
            entry_id += 1
        done = n < len(held) - OPEN_ACTIONS_FROM
        due = day + timedelta(days=28)
        for text, owner in meeting.actions:
            finished = _iso(datetime.combine(due, time(9), zone)) if done else None
            owner_id = user_ids[owner]
            actions.append(
                (
                    action_id,
                    guild_id,
                    series_id,
                    minutes_id,
                    owner_id,
                    text,
                    due.isoformat(),
                    "done" if done else "open",
                    chair,
                    _iso(ended - timedelta(minutes=10)),
                    owner_id if done else None,
                    finished,
                )
            )
            doc = document_row(ACTIONS, guild_id, {"text": text, "meeting": words})
            action_docs.append((action_id, *doc))
            action_id += 1
        minutes_id += 1
    year, month = data.MEETING_FIRST
    created = _iso(datetime.combine(date(year, month, 1), time(9), zone))
    async with db.transaction():
        await db.execute(
            "INSERT INTO meeting_series (id, guild_id, uid, title, kind, weekday, ordinal,"
            " start_date, start_time, duration_minutes, holiday_policy, until_date, place_kind,"
            " place, organiser_id, created_at, changed_at)"
            " VALUES (?, ?, ?, ?, 'monthly', ?, 1, ?, ?, ?, 'none', ?, 'link', ?, ?, ?, ?)",
            (
                series_id,
                guild_id,
                str(uuid.uuid5(uuid.NAMESPACE_URL, f"krokarm-bench/{guild_id}/minutes")),
                data.MEETING_TITLE,
                data.MEETING_WEEKDAY,
                date(first.year, first.month, 1).isoformat(),
                f"{hour:02d}:{minute:02d}",
                data.MEETING_MINUTES,
                date(last.year, last.month, last.day).isoformat(),
                "https://teams.microsoft.com/l/meetup-join/natverkstraff",
                organiser,
                created,
                created,
            ),
        )
        await db.executemany(
            "INSERT INTO meeting_minutes (id, guild_id, series_id, original_start,"
            " chair_user_id, started_at, ended_at, channel_id, message_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            minutes_rows,
        )
        await db.executemany(
            "INSERT INTO meeting_participants (minutes_id, guild_id, user_id) VALUES (?, ?, ?)",
            people,
        )
        await db.executemany(
            "INSERT INTO meeting_entries (id, minutes_id, guild_id, kind, text, author_user_id,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            entries,
        )
        await db.executemany(
            "INSERT INTO meeting_entry_index (rowid, text, meeting) VALUES (?, ?, ?)", entry_docs
        )
        await db.executemany(
            "INSERT INTO meeting_actions (id, guild_id, series_id, minutes_id, owner_user_id,"
            " text, due_date, status, created_user_id, created_at, done_user_id, done_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            actions,
        )
        await db.executemany(
            "INSERT INTO meeting_action_index (rowid, text, meeting) VALUES (?, ?, ?)",
            action_docs,
        )
