"""Features declared once: each feature says here what it brings, and the bot collects it.

A feature is its extension (the cog package), its catalogue (`<domain>.po` in both languages),
the personal data it stores (for `/privacy mydata`, `/privacy forget-me` and the purge of
leavers), what `/about` counts, its job kinds, its demo data for `make try` and its benchmark
cases for `make bench`. `bot.app.open_bot` collects the declarations of `declared()` into one
`Features` when it builds the bot; nothing registers itself by being imported.

Demo seeders and bench cases are named as `module:attribute` / `module` strings: they live in
parts (`bot/shell`, `bench/`) that only `make try`, the tests and the benchmark load.

To add a feature: write its declaration (a function returning a `Feature`, beside the others
below or in its own module) and add it to `declared()`.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from bot.db import Database
from bot.jobs import Job, JobKind
from bot.services import directory as directory_service
from bot.services import functions, networks, privacy, profiles
from bot.services.ask import AskSource
from bot.services.ask import people as ask_people
from bot.services.privacy import AuthoredData, DataMap, PersonalData
from bot.services.stats import Counted

log = logging.getLogger(__name__)

__all__ = ["Feature", "Features", "declared", "resolve"]

# How often maintenance runs (it also runs at every start).
MAINTENANCE_EVERY = timedelta(hours=6)


@dataclass(frozen=True)
class Feature:
    """Everything one feature brings to the bot, in one place."""

    name: str
    extension: str | None = None  # "cogs.directory"
    catalogue: str | None = None  # the catalogue domain: bot/i18n/locales/*/LC_MESSAGES/<it>.po
    privacy: DataMap = field(default_factory=DataMap)
    counters: tuple[Counted, ...] = ()
    jobs: tuple[JobKind, ...] = ()
    demo: str | None = None  # "bot.shell.demo_directory:seed_directory"
    bench: str | None = None  # "bench.cases_directory" (appends to bench.registry.CASES)
    ask: tuple[AskSource, ...] = ()  # what `/ask` searches (bot/services/ask/source.py)
    # The server permissions (discord.py names) the feature's commands and jobs use; the
    # invite URL asks for exactly their union (`bot.permissions.REQUIRED`, a test holds it).
    permissions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Features:
    """The declarations of every feature, collected once when the bot is built."""

    all: tuple[Feature, ...]

    def __post_init__(self) -> None:
        names = [f.name for f in self.all]
        if len(names) != len(set(names)):
            raise ValueError(f"a feature is declared twice: {names}")

    @property
    def extensions(self) -> list[str]:
        return [f.extension for f in self.all if f.extension]

    @property
    def privacy(self) -> DataMap:
        return DataMap.merge(f.privacy for f in self.all)

    @property
    def counters(self) -> list[Counted]:
        return [c for f in self.all for c in f.counters]

    @property
    def job_kinds(self) -> list[JobKind]:
        return [k for f in self.all for k in f.jobs]

    @property
    def demo_seeders(self) -> list[str]:
        return [f.demo for f in self.all if f.demo]

    @property
    def bench_modules(self) -> list[str]:
        return [f.bench for f in self.all if f.bench]

    @property
    def permissions(self) -> frozenset[str]:
        return frozenset(p for f in self.all for p in f.permissions)

    @property
    def ask_sources(self) -> list[AskSource]:
        return [s for f in self.all for s in f.ask]


def resolve(reference: str) -> Any:
    """The object a `module:attribute` reference names (or the module itself)."""
    module, _, attribute = reference.partition(":")
    loaded = importlib.import_module(module)
    return getattr(loaded, attribute) if attribute else loaded


_CURRENT = "archived_at IS NULL"


# --- the features --------------------------------------------------------------------------


def core() -> Feature:
    """/help, /about, the network's own lifecycle (removed servers are deleted after a while)."""
    return Feature(
        name="core",
        permissions=("view_channel", "send_messages", "embed_links"),
        extension="cogs.meta",
        catalogue="krokarm",
        jobs=(JobKind("networks", purge_removed_networks, MAINTENANCE_EVERY, "purge"),),
        bench="bench.cases_core",
    )


def network() -> Feature:
    """Setting up the server, the network's settings, organisations and municipalities."""
    return Feature(
        name="network",
        permissions=("manage_channels", "manage_roles", "send_messages", "read_message_history"),
        extension="cogs.network",
        catalogue="network",
        counters=(
            Counted("municipalities", "organisations", f"kind = 'municipality' AND {_CURRENT}"),
            Counted("organisations", "organisations", f"kind <> 'municipality' AND {_CURRENT}"),
        ),
        demo="bot.shell.demo_network:seed_network",
        bench="bench.cases_network",
    )


def onboarding() -> Feature:
    """The greeting of newcomers and their choice of organisation."""
    return Feature(
        name="onboarding",
        permissions=("send_messages", "manage_roles"),
        extension="cogs.onboarding",
    )


def forms() -> Feature:
    """The answer to buttons, selects and forms that expired (after a restart, say)."""
    return Feature(name="forms", extension="cogs.forms")


def privacy_feature() -> Feature:
    """The notice, export, forget-me and the purge of people who left."""
    return Feature(
        name="privacy",
        permissions=("attach_files",),
        extension="cogs.privacy",
        catalogue="privacy",
        jobs=(JobKind("leavers", purge_leavers, MAINTENANCE_EVERY, "purge"),),
    )


def directory() -> Feature:
    """Who is who: profiles, functions, the audit log, freshness reminders."""
    from cogs.directory._jobs import remind_unconfirmed

    return Feature(
        name="directory",
        extension="cogs.directory",
        catalogue="directory",
        privacy=DataMap(
            # Expertise and languages go with the profile (ON DELETE CASCADE).
            personal=(PersonalData("profiles"),),
            authored=(
                AuthoredData("functions", "holder_user_id", scrub_columns=("holder_since",)),
                AuthoredData("audit_log", "actor_user_id"),
                AuthoredData("audit_log", "subject_user_id"),
            ),
            erasure_hooks=(("functions.vacate", _vacate),),
            leave_hooks=(("functions.vacate", _vacate),),
            sections=(("profile", _profile_section),),
            cleanups=(("directory.index", directory_service.forget_erased),),
        ),
        counters=(Counted("profiles", "profiles"),),
        jobs=(JobKind("freshness", remind_unconfirmed, MAINTENANCE_EVERY, "remind"),),
        demo="bot.shell.demo_directory:seed_directory",
        bench="bench.cases_directory",
        ask=(
            AskSource(
                "people",
                ask_people.ask_hits,
                ask_people.ask_items,
                {c: f"ask.field.people.{c}" for c in ("title", "functions", "expertise")},
                prepare=ask_people.prepare,
            ),
        ),
    )


def resources() -> Feature:
    """Links the network keeps: guides, contacts at authorities, funding, training, tips."""
    from bot.services import resources as resource_service

    return Feature(
        name="resources",
        permissions=("send_messages",),
        extension="cogs.resources",
        catalogue="resources",
        privacy=DataMap(
            authored=(AuthoredData("resources", "author_user_id"),),
            cleanups=(("resources.index", resource_service.forget_deleted),),
        ),
        counters=(Counted("resources", "resources"),),
        demo="bot.shell.demo_ask:seed_resources",
        ask=(
            AskSource(
                "resource",
                resource_service.ask_hits,
                resource_service.ask_items,
                {c: f"ask.field.resource.{c}" for c in ("title", "tags", "description")},
            ),
        ),
    )


def ask() -> Feature:
    """`/ask`: one question answered from every source; the questions forum and hand-off."""
    from bot.services.ask import questions as question_service
    from cogs.ask._jobs import report_unanswered

    return Feature(
        name="ask",
        permissions=("create_public_threads", "send_messages_in_threads", "manage_threads"),
        extension="cogs.ask",
        catalogue="ask",
        privacy=DataMap(
            authored=(
                AuthoredData("questions", "asker_user_id"),
                AuthoredData("questions", "answered_by"),
            ),
            cleanups=(("questions.index", question_service.forget_deleted),),
        ),
        counters=(Counted("answered_questions", "questions", "answered_at IS NOT NULL"),),
        jobs=(JobKind("questions", report_unanswered, MAINTENANCE_EVERY, "unanswered"),),
        demo="bot.shell.demo_ask:seed_questions",
        bench="bench.cases_ask",
        ask=(
            AskSource(
                "answered",
                question_service.ask_hits,
                question_service.ask_items,
                {c: f"ask.field.answered.{c}" for c in ("title", "answer")},
            ),
        ),
    )


# --- meetings (the Discord side: series, events, reminders, RSVP) ---------------------------


def meetings() -> Feature:
    """The network meeting in Discord: `/meeting …` series, events, reminders and RSVP."""
    from cogs.meetings._jobs import plan_all, send_reminder

    return Feature(
        name="meetings",
        permissions=(
            "manage_events",
            "create_events",
            "send_messages",
            "read_message_history",
            "attach_files",
        ),
        extension="cogs.meetings",
        catalogue="meetings_discord",
        privacy=DataMap(
            personal=(
                PersonalData("meeting_rsvps"),
                PersonalData("meeting_reminder_dms"),
                PersonalData("meeting_drafts"),
            ),
            # The series a person organised and the changes they made stay, by "a former
            # member" (organiser 0): the columns are NOT NULL in 0006.
            erasure_hooks=(("meetings.organiser", _forget_organiser),),
            sections=(("meetings", _meetings_section),),
        ),
        counters=(Counted("meeting_series", "meeting_series", "cancelled_at IS NULL"),),
        jobs=(
            JobKind("meeting_reminder", send_reminder),
            JobKind("meetings", plan_all, MAINTENANCE_EVERY, "plan"),
        ),
        demo="bot.shell.demo_meetings:seed_meetings",
        bench="bench.cases_meetings",
    )


async def _forget_organiser(db: Database, guild_id: int, user_id: int, now: datetime) -> int:
    changed = await db.execute(
        "UPDATE meeting_series SET organiser_id = 0 WHERE guild_id = ? AND organiser_id = ?",
        (guild_id, user_id),
    )
    changed += await db.execute(
        "UPDATE meeting_overrides SET changed_by = 0 WHERE changed_by = ? AND series_id IN"
        " (SELECT id FROM meeting_series WHERE guild_id = ?)",
        (user_id, guild_id),
    )
    return changed


async def _meetings_section(db: Database, guild_id: int, user_id: int) -> dict[str, Any] | None:
    """The series a person organises (their answers are in `tables.meeting_rsvps`)."""
    rows = await db.fetchall(
        "SELECT id, title, created_at, cancelled_at FROM meeting_series"
        " WHERE guild_id = ? AND organiser_id = ? ORDER BY id",
        (guild_id, user_id),
    )
    if not rows:
        return None
    return {"organised": [dict(zip(r.keys(), tuple(r), strict=True)) for r in rows]}


# --- end of meetings ---------------------------------------------------------------------


# --- meeting minutes (agenda, minutes, actions) -------------------------------------------


def meeting_minutes() -> Feature:
    """The meeting's agenda, minutes and actions: `/meeting agenda|start|note|decision|action|
    end|minutes` (in the meetings cog) and `/action` (its own extension)."""
    from bot.services.meetings import minutes as minutes_service
    from cogs.actions._jobs import remind_due, sweep

    return Feature(
        name="meeting_minutes",
        permissions=("send_messages", "attach_files"),
        extension="cogs.actions",
        catalogue="meetings_minutes",
        privacy=MINUTES_DATA,
        jobs=(
            JobKind("action-due", remind_due),
            JobKind("meeting-minutes", sweep, timedelta(minutes=30), "sweep"),
        ),
        demo="bot.shell.demo_minutes:seed_minutes",
        ask=tuple(
            AskSource(
                kind,
                partial(minutes_service.ask_hits, kind=entry),
                partial(minutes_service.ask_items, kind=entry),
                {c: f"ask.field.minutes.{c}" for c in ("text", "meeting")},
            )
            for kind, entry in (("decision", "decision"), ("minutes", "note"), ("action", "action"))
        ),
    )


# Agenda items, minutes, notes and actions name people: the export shows them; forget-me and
# the purge keep the records and set the person to NULL ("a former member").
MINUTES_DATA = DataMap(
    authored=(
        AuthoredData("meeting_agenda_items", "submitted_user_id"),
        AuthoredData("meeting_minutes", "chair_user_id"),
        AuthoredData("meeting_participants", "user_id"),
        AuthoredData("meeting_entries", "author_user_id"),
        AuthoredData("meeting_actions", "owner_user_id"),
        AuthoredData("meeting_actions", "created_user_id"),
        AuthoredData("meeting_actions", "done_user_id"),
    ),
)


# --- end of meeting minutes ----------------------------------------------------------------


def practices() -> Feature:
    """The good-practice inventory: practices, their forum posts, interest and adoption.

    The people a practice names (its contact, its creator, who changed it, who registered an
    organisation's interest) are authored data: forget-me and the purge set them to NULL and the
    practice shows its contact function, or "a former member". Its /ask source is
    `bot.services.practices.search.ask_hits` and `ask_items`."""
    from bot.services.practices.search import ask_hits, ask_items
    from cogs.practices._jobs import ask_unchanged

    return Feature(
        name="practices",
        permissions=(
            "create_public_threads",
            "send_messages_in_threads",
            "manage_threads",
            "attach_files",
        ),
        extension="cogs.practices",
        catalogue="practices",
        privacy=DataMap(
            authored=(
                AuthoredData("practices", "contact_user_id"),
                AuthoredData("practices", "created_by_user_id"),
                AuthoredData("practices", "changed_by_user_id"),
                AuthoredData("practice_history", "user_id"),
                AuthoredData("practice_interest", "user_id"),
            ),
        ),
        counters=(Counted("practices", "practices", _CURRENT),),
        jobs=(JobKind("practice_freshness", ask_unchanged, MAINTENANCE_EVERY, "ask"),),
        demo="bot.shell.demo_practices:seed_practices",
        bench="bench.cases_practices",
        ask=(
            AskSource(
                "practice",
                ask_hits,
                ask_items,
                {
                    c: f"ask.field.practice.{c}"
                    for c in ("title", "summary", "body", "organisation")
                },
            ),
        ),
    )


def declared() -> Features:
    """Every feature of the bot, in the order their demo data is seeded and /about counts."""
    return Features(
        (
            core(),
            forms(),
            network(),
            onboarding(),
            privacy_feature(),
            directory(),
            meetings(),
            meeting_minutes(),
            practices(),
            resources(),
            ask(),
        )
    )


# --- handlers the declarations above refer to ----------------------------------------------


async def _vacate(db: Database, guild_id: int, user_id: int, now: datetime) -> int:
    return await functions.vacate_all_held(db, guild_id, user_id, now=now)


async def _profile_section(db: Database, guild_id: int, user_id: int) -> dict[str, Any] | None:
    """The profile as the directory shows it (the organisation by name)."""
    profile = await profiles.get(db, guild_id, user_id)
    if profile is None:
        return None
    data = asdict(profile)
    for key, value in list(data.items()):
        if isinstance(value, datetime):
            data[key] = privacy.iso(value)
    return data


async def purge_leavers(job: Job) -> list[privacy.PurgedMember]:
    """Remove the personal data of people whose grace period after leaving has passed."""
    purged = await privacy.purge_leavers(job.bot.db, job.bot.features.privacy, now=job.now)
    if purged:
        # Counts only: who was purged is exactly what must not outlive the purge.
        log.info("purged the personal data of %d people whose grace period ended", len(purged))
    return purged


async def purge_removed_networks(job: Job) -> list[int]:
    """Delete the networks whose server removed the bot longer ago than their grace period."""
    purged = await networks.purge_removed(job.bot.db, now=job.now)
    for guild_id in purged:
        job.bot.network_langs.pop(guild_id, None)
    if purged:
        await job.bot.features.privacy.clean_up(job.bot.db)
        log.info("deleted %d networks whose servers removed the bot", len(purged))
    return purged
