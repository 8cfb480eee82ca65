"""Benchmark cases of the directory: `/contact find` over a network with 10,000 profiles."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from bench.registry import CASES, SEEDS, Case, slash
from bot.db import Database
from bot.services import directory
from bot.services.directory import iso
from bot.services.textnorm import fold
from sandbox import Sandbox

PROFILES = 10_000
HALLAND = {
    "1315": "Hylte",
    "1380": "Halmstad",
    "1381": "Laholm",
    "1382": "Falkenberg",
    "1383": "Varberg",
    "1384": "Kungsbacka",
}
OTHERS = [
    "Arbetsförmedlingen",
    "Länsstyrelsen Halland",
    "Region Halland",
    "Röda korset",
    "Svenska kyrkan",
    "ABF Halland",
    "Studiefrämjandet",
    "IFK Halmstad",
]
TITLES = [
    "Integrationssamordnare",
    "Projektledare",
    "Enhetschef",
    "Socialsekreterare",
    "Lärare i SFI",
    "Studie- och yrkesvägledare",
    "Bibliotekarie",
    "Handläggare",
    "Samhällsvägledare",
    "Verksamhetsutvecklare",
    "Boendesamordnare",
    "Arbetsmarknadskonsulent",
]
TAGS = [
    "TMO",
    "traumamedveten omsorg",
    "praktik för nyanlända",
    "samhällsorientering",
    "SFI",
    "ensamkommande barn",
    "HVB",
    "föräldraskapsstöd",
    "bostad",
    "hälsa",
    "språkstöd",
    "föreningsliv",
    "ESF-projekt",
    "arbetsmarknad",
    "validering",
    "skola",
    "mentorskap",
    "civilsamhälle",
    "tolkning",
    "omvärldsbevakning",
]
FIRST = [
    "Anna",
    "Erik",
    "Fatima",
    "Johan",
    "Maria",
    "Ahmed",
    "Sara",
    "Lars",
    "Amina",
    "Karin",
    "Mohammed",
    "Eva",
    "Peter",
    "Leila",
    "Nils",
    "Hanna",
    "Omar",
    "Ingrid",
    "Yusuf",
    "Elin",
]
LAST = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Hassan",
    "Ali",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Abdi",
    "Mohamed",
    "Lindberg",
    "Berg",
]


async def seed_directory(sb: Sandbox, guild: Any, users: list[Any], db_path: Path) -> None:
    """10,000 profiles in the bench network: bulk rows, indexed by the directory service."""
    rng = random.Random(4)
    now = iso(directory.from_iso("2026-11-23T09:00:00Z"))
    gid = int(guild.id)
    async with Database(db_path) as db:
        await db.migrate()
        await db.execute(
            "INSERT INTO networks (guild_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (gid, guild.name),
        )
        orgs: list[int] = []
        async with db.transaction():
            for code, name in HALLAND.items():
                orgs.append(
                    await db.execute(
                        "INSERT INTO organisations (guild_id, kind, name, municipality_code)"
                        " VALUES (?, 'municipality', ?, ?)",
                        (gid, name, code),
                    )
                )
            for name in OTHERS:
                orgs.append(
                    await db.execute(
                        "INSERT INTO organisations (guild_id, kind, name) VALUES (?, 'other', ?)",
                        (gid, name),
                    )
                )
            members, rows, tags = [], [], []
            for i in range(PROFILES):
                uid = 9_000_000_000 + i
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}"
                title = rng.choice(TITLES)
                # The organisation is the membership's, as picked at onboarding.
                members.append((gid, uid, rng.choice(orgs), now))
                rows.append(
                    (
                        i + 1,
                        gid,
                        uid,
                        name,
                        title,
                        f"{fold(name)}",
                        f"person{i}@example.se",
                        now,
                        now,
                        now,
                    )
                )
                for pos, tag in enumerate(rng.sample(TAGS, rng.randint(1, 3))):
                    tags.append((i + 1, gid, pos, tag, fold(tag)))
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
            await directory.index_profiles(db, range(1, PROFILES + 1))


SEEDS.append(seed_directory)


def _find(label: str, options: dict[str, str]) -> Case:
    return Case(f"/contact find {label}", slash("contact find", options).invoke)


CASES.extend(
    [
        _find("query:samordnare", {"query": "samordnare"}),
        _find("query:anna halmstad", {"query": "anna halmstad"}),
        _find("municipality:Halmstad", {"municipality": "1380"}),
        _find("expertise:TMO", {"expertise": "TMO"}),
    ]
)
