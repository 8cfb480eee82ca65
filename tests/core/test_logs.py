"""The guards on the libraries' loggers hold at every level and for every handler."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import discord  # noqa: F401  (its loggers exist once it is imported)
import pytest

from bot.logs import PAYLOAD_LOGGERS, DropPayloads, RedactTokens, guard_library_loggers
from tests.conftest import ErrorLog

BOT_TOKEN = "test-bot-token.not-shaped-like-a-real-one.xyz"
INTERACTION = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5OnNlY3JldA-xyz_123"


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {self.format(record)}")


@pytest.fixture
def lines() -> Iterator[Lines]:
    handler = Lines()
    root = logging.getLogger()
    names = [*PAYLOAD_LOGGERS, "discord.client", "discord.ui.view"]
    saved = [(n, logging.getLogger(n).level) for n in names]
    for n in names:
        logging.getLogger(n).setLevel(logging.DEBUG)
    level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    guard_library_loggers([BOT_TOKEN])
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        for n, lv in saved:
            logging.getLogger(n).setLevel(lv)


def test_payload_loggers_write_no_debug(lines: Lines) -> None:
    logging.getLogger("discord.gateway").debug(
        "For Shard ID %s: WebSocket Event: %s", None, {"email": "anna@halmstad.se"}
    )
    logging.getLogger("aiosqlite").debug("executing %s", ("Anna Andersson", "0701234567"))
    logging.getLogger("discord.state").debug("unknown member ID: %s. Discarding.", 1234)
    assert lines.lines == []
    logging.getLogger("discord.gateway").info("Shard ID %s has connected to Gateway.", None)
    assert lines.lines == ["discord.gateway Shard ID None has connected to Gateway."]


def test_tokens_are_replaced_at_every_level(lines: Lines, error_log: ErrorLog) -> None:
    url = f"https://discord.com/api/v10/interactions/1234/{INTERACTION}/callback"
    hook = f"https://discord.com/api/v10/webhooks/5678/{INTERACTION}/messages/@original"
    logging.getLogger("discord.http").warning(
        "We are being rate limited. %s %s responded with 429.", "POST", url
    )
    logging.getLogger("discord.webhook.async_").warning("Webhook %s is rate limited", hook)
    logging.getLogger("discord.client").error("token %s in %s", BOT_TOKEN, INTERACTION)
    error_log.take("token [redacted] in [token]")
    text = "\n".join(lines.lines)
    assert INTERACTION not in text and BOT_TOKEN not in text
    assert "/interactions/1234/[token]/callback" in text
    assert "/webhooks/5678/[token]/messages/@original" in text
    assert "token [redacted] in [token]" in text


def test_the_guards_are_not_doubled() -> None:
    guard_library_loggers(["a"])
    guard_library_loggers(["b"])
    logger = logging.getLogger("discord.gateway")
    ours = [f for f in logger.filters if isinstance(f, DropPayloads | RedactTokens)]
    assert len(ours) == 2
