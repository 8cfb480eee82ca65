"""Logging set-up that never lets personal data or a token through, at any level.

Two kinds of protection, both on the loggers themselves (so that they hold whatever handler
listens and whatever level is set):

- the libraries' DEBUG records that carry payloads are dropped: `discord.gateway` logs every
  gateway event (names, e-mails and phones typed into modals, user ids), `discord.http` and
  `discord.webhook.*` log request URLs (interaction tokens, valid 15 minutes) and bodies,
  `discord.state` logs member ids, `aiosqlite` logs every SQL statement with its parameters;
- every record of discord.py's loggers has interaction and webhook tokens and the bot token
  replaced, whatever its level (a rate-limit WARNING carries the URL).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

# Loggers whose DEBUG records are payloads (their INFO and above are not).
PAYLOAD_LOGGERS = (
    "discord.gateway",
    "discord.http",
    "discord.webhook.async_",
    "discord.webhook.sync",
    "discord.state",
    "aiosqlite",
)
# Where a token sits in what discord.py logs: in webhook and interaction callback URLs, and an
# interaction token itself wherever it appears (its base64 prefix spells "interaction").
_TOKEN_IN_URL = re.compile(r"(/(?:webhooks|interactions)/\d+/)[A-Za-z0-9._~%\-]+")
_INTERACTION_TOKEN = re.compile(r"aW50ZXJhY3Rpb2[A-Za-z0-9._~\-]*")


class RedactFilter(logging.Filter):
    """Replaces every occurrence of the given secrets in a record's final message."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        redacted = message
        for secret in self._secrets:
            redacted = redacted.replace(secret, "[redacted]")
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_text is None and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            for secret in self._secrets:
                text = text.replace(secret, "[redacted]")
            record.exc_text = text
        return True


class DropPayloads(logging.Filter):
    """Drops a library logger's DEBUG records: they are the payloads (see the module doc)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


class RedactTokens(RedactFilter):
    """`RedactFilter` for the given secrets, and interaction and webhook tokens wherever they
    appear in a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        super().filter(record)
        message = record.getMessage()
        redacted = _INTERACTION_TOKEN.sub("[token]", _TOKEN_IN_URL.sub(r"\1[token]", message))
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_text:
            record.exc_text = _INTERACTION_TOKEN.sub(
                "[token]", _TOKEN_IN_URL.sub(r"\1[token]", record.exc_text)
            )
        return True


def _library_loggers() -> list[logging.Logger]:
    names = [
        name
        for name in logging.Logger.manager.loggerDict
        if name == "discord" or name.startswith(("discord.", "aiosqlite"))
    ]
    return [logging.getLogger(name) for name in sorted({*names, *PAYLOAD_LOGGERS})]


def guard_library_loggers(secrets: Iterable[str] = ()) -> None:
    """Put the guards on discord.py's and aiosqlite's loggers (again: replaces earlier ones).

    Called when the bot is built, after discord.py is imported, so that every one of its
    loggers exists; filters on a logger hold for every handler and every level.
    """
    kept = [s for s in secrets if s]
    for logger in _library_loggers():
        for old in [f for f in logger.filters if isinstance(f, DropPayloads | RedactTokens)]:
            logger.removeFilter(old)
        if logger.name in PAYLOAD_LOGGERS:
            logger.addFilter(DropPayloads())
        logger.addFilter(RedactTokens(kept))


class QuietVoice(logging.Filter):
    """Drops discord.py's notice that voice libraries are missing: Krokarm uses no voice."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.name == "discord.client" and "voice will NOT be supported" in str(record.msg)
        )


def setup_logging(level: str, secrets: list[str] | None = None) -> None:
    """Log to stderr at `level`; discord.py's own chatter stays at WARNING unless DEBUG."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)-8s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")
    )
    handler.addFilter(RedactTokens(secrets or []))
    handler.addFilter(QuietVoice())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    guard_library_loggers(secrets or [])
    if level != "DEBUG":
        logging.getLogger("discord").setLevel(logging.WARNING)
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
