"""Shared fixtures: every test fails if something logs an error it did not expect."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest

# The bots of the suite search in their own threads: a search process per bot would cost each
# test a second interpreter's start. tests/core/test_db_processes.py and
# tests/e2e/test_ask_processes.py run the searches in processes, as a deployed bot does.
os.environ.setdefault("SEARCH_PROCESSES", "0")


class ErrorLog(logging.Handler):
    """Collects ERROR records; a test takes the ones it expects, the rest fail it."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def take(self, contains: str) -> logging.LogRecord:
        """Remove and return the first record whose message contains `contains`."""
        for record in self.records:
            if contains in record.getMessage():
                self.records.remove(record)
                return record
        raise AssertionError(f"no error was logged containing {contains!r}: {self.records}")


@pytest.fixture(autouse=True)
def error_log() -> Iterator[ErrorLog]:
    handler = ErrorLog()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
    formatter = logging.Formatter()
    unexpected = [
        f"{r.name}: {r.getMessage()}\n{formatter.formatException(r.exc_info) if r.exc_info else ''}"
        for r in handler.records
    ]
    if unexpected:
        pytest.fail("errors were logged that the test did not expect:\n" + "\n".join(unexpected))
