"""The file formats of the good-practice inventory: export to Markdown, CSV, XLSX and HTML, and
import from CSV and XLSX.

Nothing here touches the database or Discord: export takes `PracticeRecord`s, import returns an
`ImportReport` (accepted records and refused rows with their reasons); the practices service
writes the accepted records in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from bot.i18n import Lang

STATUSES = ("planned", "ongoing", "ended")
FUNDING_KINDS = ("state_refugee_funds", "esf", "arvsfonden", "municipal", "other")
TARGET_GROUPS = (
    "newly_arrived_adults",
    "unaccompanied_minors",
    "families_children",
    "women",
    "far_from_labour_market",
    "staff",
)

# Files larger than this are refused before they are read (Discord's upload limit for a server
# without boosts is 10 MiB; the CLI may pass a larger limit).
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000


@dataclass(frozen=True, slots=True)
class PracticeRecord:
    """One practice as it is exchanged: flat, with codes for the fixed lists."""

    title: str
    summary: str  # plain language, at most 300 characters
    description: str = ""
    target_groups: tuple[str, ...] = ()  # codes of TARGET_GROUPS
    themes: tuple[str, ...] = ()  # codes of setup_plan.PRACTICE_TAGS
    organisations: tuple[str, ...] = ()  # names
    municipalities: tuple[str, ...] = ()  # SCB codes, e.g. "1484"
    status: str = "ongoing"  # one of STATUSES
    start_date: date | None = None
    end_date: date | None = None
    funding: str | None = None  # one of FUNDING_KINDS
    funding_amount_sek: int | None = None
    success_factors: str = ""
    lessons: str = ""
    contact: str = ""  # a name or a function, as text
    links: tuple[str, ...] = ()  # http/https only
    created_at: datetime | None = None  # aware, UTC
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a cell was refused: `column` as the file names it, `message` in the user's language."""

    column: str
    message: str


@dataclass(frozen=True, slots=True)
class RefusedRow:
    row: int  # as the spreadsheet numbers it: the header is row 1
    problems: tuple[RowProblem, ...]


@dataclass(frozen=True, slots=True)
class AcceptedRow:
    row: int
    record: PracticeRecord


@dataclass(frozen=True, slots=True)
class ImportReport:
    format: Literal["csv", "xlsx"]
    accepted: tuple[AcceptedRow, ...]
    refused: tuple[RefusedRow, ...]
    ignored_columns: tuple[str, ...] = ()  # headers no column is known by


def to_markdown(records: Sequence[PracticeRecord], lang: Lang, network_name: str) -> str:
    raise NotImplementedError


def to_csv(records: Sequence[PracticeRecord], lang: Lang) -> bytes:
    raise NotImplementedError


def to_xlsx(records: Sequence[PracticeRecord], lang: Lang) -> bytes:
    raise NotImplementedError


def to_html(
    records: Sequence[PracticeRecord],
    lang: Lang,
    network_name: str,
    *,
    generated_on: date | None = None,
) -> str:
    raise NotImplementedError


def parse_import(
    data: bytes, filename: str, lang: Lang, *, max_bytes: int = MAX_IMPORT_BYTES
) -> ImportReport:
    """Raises `UserError` for a file refused as a whole (too large, not CSV/XLSX, no title
    column); refused rows are in the report."""
    raise NotImplementedError


def sample_records(count: int, *, seed: int = 0) -> list[PracticeRecord]:
    """`count` realistic practices for benchmarks."""
    raise NotImplementedError
