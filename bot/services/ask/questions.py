"""Questions asked of the network: posts in the questions forum, their answers, and answered
questions as a source of answers for the next `/ask`."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.db import Database
from bot.errors import NotAllowed, UserError
from bot.services import search as engine
from bot.services.ask.source import AskItem, AskQuery, search_index
from bot.services.directory import from_iso, iso
from bot.services.search import Hit, Source
from bot.services.text import clean_line, clean_paragraphs

__all__ = [
    "SOURCE",
    "Question",
    "answer_question",
    "ask_hits",
    "ask_items",
    "by_thread",
    "record",
    "thread_url",
    "unanswered",
]

TITLE_MAX = 100
BODY_MAX = 2000
ANSWER_MAX = 1000
UNANSWERED_AFTER = timedelta(days=7)

SOURCE = Source(
    name="questions",
    table="question_index",
    columns=("title", "answer", "body"),
    weights=(6.0, 4.0, 1.0),
)


@dataclass(frozen=True, slots=True)
class Question:
    id: int
    guild_id: int
    thread_id: int
    asker_user_id: int | None
    title: str
    body: str | None
    created_at: datetime
    answered_at: datetime | None
    answer: str | None
    answered_by: int | None


def thread_url(guild_id: int, thread_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{thread_id}"


def _question(r: object) -> Question:
    return Question(
        id=int(r["id"]),  # type: ignore[index]
        guild_id=int(r["guild_id"]),  # type: ignore[index]
        thread_id=int(r["thread_id"]),  # type: ignore[index]
        asker_user_id=r["asker_user_id"],  # type: ignore[index]
        title=r["title"],  # type: ignore[index]
        body=r["body"],  # type: ignore[index]
        created_at=from_iso(r["created_at"]),  # type: ignore[index]
        answered_at=from_iso(r["answered_at"]) if r["answered_at"] else None,  # type: ignore[index]
        answer=r["answer"],  # type: ignore[index]
        answered_by=r["answered_by"],  # type: ignore[index]
    )


def clean_title(text: str | None) -> str:
    return clean_line("ask.question", text, max_length=TITLE_MAX)


async def record(
    db: Database,
    guild_id: int,
    thread_id: int,
    asker_user_id: int | None,
    title: str,
    body: str | None,
    *,
    now: datetime,
) -> Question:
    """Remember a post in the questions forum (once per thread)."""
    title = title.strip()[:TITLE_MAX] or "?"
    body = (body or "").strip()[:BODY_MAX] or None
    await db.execute(
        "INSERT INTO questions (guild_id, thread_id, asker_user_id, title, body, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (thread_id) DO NOTHING",
        (guild_id, thread_id, asker_user_id, title, body, iso(now)),
    )
    found = await by_thread(db, guild_id, thread_id)
    assert found is not None
    return found


async def by_thread(db: Database, guild_id: int, thread_id: int) -> Question | None:
    row = await db.fetchone(
        "SELECT * FROM questions WHERE guild_id = ? AND thread_id = ?", (guild_id, thread_id)
    )
    return _question(row) if row else None


def clean_answer(text: str | None) -> str:
    return clean_paragraphs("ask.answer", text, max_length=ANSWER_MAX)


async def answer_question(
    db: Database,
    guild_id: int,
    thread_id: int,
    answer: str,
    *,
    by_user_id: int,
    is_admin: bool,
    now: datetime,
) -> Question:
    """Mark a question answered (by its asker or an admin), with the answer, and index it so
    that the next `/ask` finds it. The answer is checked before anything is written."""
    text = clean_answer(answer)
    question = await by_thread(db, guild_id, thread_id)
    if question is None:
        raise UserError("ask.error.not_a_question")
    if not is_admin and question.asker_user_id != by_user_id:
        raise NotAllowed("ask.error.not_your_question")
    if not engine.loaded():
        await asyncio.to_thread(engine.warm)
    fields = {"title": question.title, "answer": text, "body": question.body or ""}
    doc = engine.document_row(SOURCE, guild_id, fields)
    async with db.transaction():
        await db.execute(
            "UPDATE questions SET answered_at = ?, answer = ?, answered_by = ? WHERE id = ?",
            (iso(now), text, by_user_id, question.id),
        )
        await db.execute("DELETE FROM question_index WHERE rowid = ?", (question.id,))
        await db.execute(
            "INSERT INTO question_index (rowid, title, answer, body) VALUES (?, ?, ?, ?)",
            (question.id, *doc),
        )
    found = await by_thread(db, guild_id, thread_id)
    assert found is not None
    return found


async def forget_thread(db: Database, guild_id: int, thread_id: int) -> None:
    """The post was deleted: the question and its answer go."""
    await db.execute(
        "DELETE FROM questions WHERE guild_id = ? AND thread_id = ?", (guild_id, thread_id)
    )


async def unanswered(db: Database, now: datetime) -> dict[int, list[Question]]:
    """Per network, the questions left unanswered for a week that admins were not yet told of."""
    rows = await db.fetchall(
        "SELECT * FROM questions WHERE answered_at IS NULL AND reported_at IS NULL"
        " AND created_at <= ? ORDER BY guild_id, created_at",
        (iso(now - UNANSWERED_AFTER),),
    )
    out: dict[int, list[Question]] = {}
    for r in rows:
        q = _question(r)
        out.setdefault(q.guild_id, []).append(q)
    return out


async def mark_reported(db: Database, ids: Sequence[int], now: datetime) -> None:
    if not ids:
        return
    marks = ",".join("?" * len(ids))
    await db.execute(
        f"UPDATE questions SET reported_at = ? WHERE id IN ({marks})", [iso(now), *ids]
    )


def ask_hits(conn: sqlite3.Connection, guild_id: int, q: AskQuery) -> list[Hit]:
    """The answered questions that answer this one, in a reader."""
    return search_index(conn, SOURCE, guild_id, q)


def ask_items(conn: sqlite3.Connection, guild_id: int, hits: Sequence[Hit]) -> list[AskItem]:
    """The hits as /ask shows them, in a reader: the question, its post and its answer."""
    if not hits:
        return []
    ids = [h.id for h in hits]
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT * FROM questions WHERE +guild_id = ? AND +answered_at IS NOT NULL"
        f" AND id IN ({marks})",
        [guild_id, *ids],
    ).fetchall()
    by_id = {int(r["id"]): _question(r) for r in rows}
    return [
        AskItem(
            id=q.id,
            title=q.title,
            url=thread_url(q.guild_id, q.thread_id),
            detail=q.answer,
            when=q.answered_at,
        )
        for q in (by_id.get(i) for i in ids)
        if q is not None
    ]


async def forget_deleted(db: Database) -> None:
    """After questions were deleted (a network deleted, a post removed): make their terms
    leave the index's pages (a privacy clean-up, declared in `bot.features`)."""
    async with db.transaction():
        for statement in engine.forget_deleted(SOURCE.table):
            await db.execute(statement)
