"""The file formats of the good-practice inventory: export to Markdown, CSV, XLSX and HTML, and
import from CSV and XLSX.

Nothing here touches the database or Discord: export takes `PracticeRecord`s, import returns an
`ImportReport` (accepted records and refused rows with their reasons, in the user's language);
the practices service writes the accepted records in one transaction.

The columns (`COLUMNS`) are the same in every format. A header may be written in Swedish or in
English (or as the column's key); the fixed lists (themes, target groups, status, funding) are
written with their names in the export's language and read in either language or as codes.
A cell holding several values (organisations, municipalities, themes, target groups, links)
separates them by line breaks; import also accepts `;` (and `,` for the fixed lists).

CSV is written with `;` between fields, UTF-8 with a byte-order mark and CRLF line ends: Swedish
Excel splits a double-clicked CSV by the list separator of Windows' regional settings, which is
`;` in Sweden (the decimal separator is the comma), and it reads the file as UTF-8 only when the
BOM is there. (The `sep=;` trick is not used: with it Excel ignores the BOM and garbles å, ä, ö.)
Import sniffs `;`, `,` and tab, and reads UTF-8 with or without BOM, UTF-16 with BOM and
Windows-1252 (what older Excel writes for "CSV (semikolonavgränsad)").

Spreadsheet formulas never travel (OWASP "CSV injection"): on export, every text cell that begins
with `=`, `+`, `-`, `@`, tab or CR — after any apostrophes — gets a leading apostrophe, which a
spreadsheet shows as text and which import removes again; on import, a cell that begins with
`=` (a formula such as `=HYPERLINK(...)`, or an XLSX formula cell) refuses its row.
"""

from __future__ import annotations

import csv
import io
import random
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal
from urllib.parse import urlsplit

from babel.dates import format_date

from bot.errors import InvalidInput, UserError
from bot.i18n import LANGS, Lang, t, tn
from bot.services import municipalities
from bot.services.setup_plan import PRACTICE_TAGS
from bot.services.text import check_stored_text, clean_line, clean_paragraphs
from bot.services.textnorm import fold, swedish_sort_key

__all__ = [
    "COLUMNS",
    "FUNDING_KINDS",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "STATUSES",
    "TARGET_GROUPS",
    "THEMES",
    "AcceptedRow",
    "Column",
    "ImportReport",
    "PracticeRecord",
    "RefusedRow",
    "RowProblem",
    "clean_record",
    "code_label",
    "columns_doc",
    "neutralise",
    "parse_import",
    "report_lines",
    "sample_records",
    "to_csv",
    "to_html",
    "to_markdown",
    "to_xlsx",
]

STATUSES: Final = ("planned", "ongoing", "ended")
FUNDING_KINDS: Final = ("state_refugee_funds", "esf", "arvsfonden", "municipal", "other")
TARGET_GROUPS: Final = (
    "newly_arrived_adults",
    "unaccompanied_minors",
    "families_children",
    "women",
    "far_from_labour_market",
    "staff",
)
THEMES: Final = PRACTICE_TAGS  # the good-practice forum's tags

# Files larger than this are refused before they are read. Discord's upload limit for a server
# without boosts is 10 MiB; the cog checks `attachment.size` before downloading, the CLI may pass
# a larger `max_bytes`.
MAX_IMPORT_BYTES: Final = 10 * 1024 * 1024
MAX_IMPORT_ROWS: Final = 20_000
# An XLSX is a zip: its unpacked parts may be at most this many times the file's limit (a zip
# bomb is refused before openpyxl inflates it).
_MAX_UNPACK_RATIO: Final = 25

# Lengths (characters) and counts. The title fits a forum post's title (100).
TITLE_MAX: Final = 100
SUMMARY_MAX: Final = 300
DESCRIPTION_MAX: Final = 4000
PARAGRAPH_MAX: Final = 2000  # success factors, lessons
NAME_MAX: Final = 100  # one organisation
CONTACT_MAX: Final = 200
LINK_MAX: Final = 500
MAX_ITEMS: Final = 10  # organisations, links
MAX_MUNICIPALITIES: Final = 30
MAX_AMOUNT_SEK: Final = 100_000_000_000


@dataclass(frozen=True, slots=True)
class PracticeRecord:
    """One practice as it is exchanged: flat, with codes for the fixed lists.

    Every text is as the project's text checks leave it (`clean_record`).
    """

    title: str
    summary: str  # plain language, at most 300 characters
    description: str = ""
    target_groups: tuple[str, ...] = ()  # codes of TARGET_GROUPS
    themes: tuple[str, ...] = ()  # codes of THEMES (the forum's tags)
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
    row: int  # as the spreadsheet numbers it (the header is row 1 when it is the first row)
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
    ignored_columns: tuple[str, ...] = ()  # headers that name no column, as the file has them

    @property
    def records(self) -> list[PracticeRecord]:
        return [row.record for row in self.accepted]


# --- columns ----------------------------------------------------------------------------------

Kind = Literal[
    "line", "paragraphs", "names", "codes", "code", "places", "date", "amount", "links", "stamp"
]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the exchange formats; `key` is the `PracticeRecord` field."""

    key: str
    kind: Kind
    max_length: int = 0
    required: bool = False
    codes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # further header names (folded when compared)

    def header(self, lang: Lang) -> str:
        return t(lang, f"field.practices_exchange.{self.key}")


COLUMNS: Final[tuple[Column, ...]] = (
    Column("title", "line", TITLE_MAX, required=True, aliases=("namn", "name", "rubrik")),
    Column(
        "summary",
        "paragraphs",
        SUMMARY_MAX,
        required=True,
        aliases=("kort beskrivning", "short description", "sammanfattning på lätt svenska"),
    ),
    Column("description", "paragraphs", DESCRIPTION_MAX, aliases=("beskrivning", "innehåll")),
    Column("target_groups", "codes", codes=TARGET_GROUPS, aliases=("målgrupp", "target group")),
    Column("themes", "codes", codes=THEMES, aliases=("tema", "theme", "tags", "taggar")),
    Column(
        "organisations",
        "names",
        NAME_MAX,
        aliases=("organisation", "organization", "organizations", "huvudman", "utförare"),
    ),
    Column("municipalities", "places", aliases=("kommun", "municipality", "ort")),
    Column("status", "code", required=True, codes=STATUSES),
    Column("start_date", "date", aliases=("start", "startdatum", "från", "from")),
    Column("end_date", "date", aliases=("slut", "end", "slutdatum", "till", "to")),
    Column("funding", "code", codes=FUNDING_KINDS, aliases=("finansiär", "funder")),
    Column(
        "funding_amount_sek",
        "amount",
        aliases=("belopp", "amount", "budget", "belopp sek", "amount kr"),
    ),
    Column("success_factors", "paragraphs", PARAGRAPH_MAX, aliases=("framgångsfaktor",)),
    Column("lessons", "paragraphs", PARAGRAPH_MAX, aliases=("lessons", "lärdom")),
    Column("contact", "line", CONTACT_MAX, aliases=("kontaktperson", "contact person")),
    Column("links", "links", LINK_MAX, aliases=("länk", "link", "webb", "url", "webbplats")),
    Column("created_at", "stamp", aliases=("skapad", "created")),
    Column("updated_at", "stamp", aliases=("ändrad", "updated", "senast ändrad")),
)
_BY_KEY: Final = {column.key: column for column in COLUMNS}
# Columns that say nothing to a newcomer or that are the network's bookkeeping.
_INTERNAL: Final = frozenset(
    {"funding", "funding_amount_sek", "contact", "created_at", "updated_at"}
)
assert [c.key for c in COLUMNS] == [f.name for f in fields(PracticeRecord)]

# Alternative spellings of the fixed lists' values, folded.
_CODE_ALIASES: Final[Mapping[str, str]] = {
    "esf+": "esf",
    "esf plus": "esf",
    "europeiska socialfonden": "esf",
    "european social fund": "esf",
    "allmanna arvsfonden": "arvsfonden",
    "inheritance fund": "arvsfonden",
    "statliga medel": "state_refugee_funds",
    "schablonersattning": "state_refugee_funds",
    "paragraf 37": "state_refugee_funds",
    "§37": "state_refugee_funds",
    "37 §": "state_refugee_funds",
    "kommunen": "municipal",
    "kommunal": "municipal",
    "pagaende": "ongoing",
    "aktiv": "ongoing",
    "active": "ongoing",
    "avslutat": "ended",
    "avslutad": "ended",
    "finished": "ended",
    "planerat": "planned",
    "planerad": "planned",
    "nyanlanda": "newly_arrived_adults",
    "ensamkommande": "unaccompanied_minors",
    "kvinnor": "women",
    "personal": "staff",
}


def _label_key(column: str, code: str) -> str:
    if column == "themes":
        return f"network.setup.tag.practices.{code}"
    return f"practices_exchange.{column}.{code}"


def code_label(column: str, code: str, lang: Lang) -> str:
    """The name of a code of a fixed list ("themes", "target_groups", "status", "funding")."""
    return t(lang, _label_key(column, code))


@cache
def _code_lookup(column: str) -> Mapping[str, str]:
    """Folded names in both languages, codes and aliases -> code."""
    codes = _BY_KEY[column].codes
    lookup: dict[str, str] = {}
    for code in codes:
        lookup[fold(code)] = code
        lookup[fold(code.replace("_", " "))] = code
        for lang in LANGS:
            label = code_label(column, code, lang)
            lookup[fold(label)] = code
            lookup[fold(label.replace("&", "och" if lang == "sv" else "and"))] = code
    for alias, code in _CODE_ALIASES.items():
        if code in codes:
            lookup.setdefault(fold(alias), code)
    return lookup


@cache
def _header_lookup() -> Mapping[str, str]:
    """Folded header names in both languages, keys and aliases -> column key."""
    lookup: dict[str, str] = {}
    for column in COLUMNS:
        names = [column.key, column.key.replace("_", " "), *column.aliases]
        names += [column.header(lang) for lang in LANGS]
        for name in names:
            lookup.setdefault(_header_key(name), column.key)
    return lookup


def _header_key(text: str) -> str:
    return " ".join(re.sub(r"[\s_:*()\[\].]+", " ", fold(text)).split())


# --- cells: neutralising formulas --------------------------------------------------------------

_FORMULA_START: Final = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED: Final = re.compile(r"'+[=+\-@\t\r]")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet shows as text, never evaluates (OWASP CSV injection)."""
    return "'" + text if _FORMULA_START.match(text) else text


def _unneutralise(text: str) -> str:
    return text[1:] if _NEUTRALISED.match(text) else text


# --- values: typed <-> text ---------------------------------------------------------------------


class _Refused(Exception):
    """A cell refused: a catalogue key and its parameters."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _field(key: str) -> str:
    return f"practices_exchange.{key}"


def _split(text: str, separators: str) -> list[str]:
    parts = re.split(f"[{re.escape(separators)}]", text)
    return [part.strip() for part in parts if part.strip()]


def _clean_value(column: Column, value: Any) -> Any:
    """A typed value checked and normalised as it is stored; raises InvalidInput or _Refused."""
    field = _field(column.key)
    kind = column.kind
    if kind == "line":
        return clean_line(field, value, max_length=column.max_length, required=column.required)
    if kind == "paragraphs":
        text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
        return clean_paragraphs(field, text, max_length=column.max_length, required=column.required)
    if kind == "names":
        names = [clean_line(field, name, max_length=column.max_length) for name in value]
        for name in names:
            if ";" in name:
                raise _Refused("practices_exchange.reason.separator", value=name)
        return _bounded(names, MAX_ITEMS)
    if kind == "codes":
        for code in value:
            if code not in column.codes:
                raise _Refused("practices_exchange.reason.unknown_code", value=code, accepted="")
        return tuple(dict.fromkeys(value))
    if kind == "code":
        if value is None or value == "":
            if column.required:
                raise InvalidInput(field, "errors.text.empty")
            return None
        if value not in column.codes:
            raise _Refused("practices_exchange.reason.unknown_code", value=value, accepted="")
        return value
    if kind == "places":
        for code in value:
            if municipalities.by_code(code) is None:
                raise _Refused("practices_exchange.reason.unknown_municipality", value=code)
        return _bounded(value, MAX_MUNICIPALITIES)
    if kind == "links":
        return _bounded([_clean_link(link) for link in value], MAX_ITEMS)
    if kind == "amount":
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 <= value <= MAX_AMOUNT_SEK
        ):
            raise _Refused("practices_exchange.reason.amount", value=str(value))
        return value
    if kind == "stamp":
        if value is None:
            return None
        stamp: datetime = value
        return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
    return value  # dates: typed already


def _bounded(items: Sequence[str], limit: int) -> tuple[str, ...]:
    unique = tuple(dict.fromkeys(items))
    if len(unique) > limit:
        raise _Refused("practices_exchange.reason.too_many", max=limit, count=len(unique))
    return unique


def _clean_link(link: str) -> str:
    # A trailing ; or , is the list's punctuation, not the address's.
    text = link.strip().rstrip(";,")
    if len(text) > LINK_MAX:
        raise InvalidInput(_field("links"), "errors.text.too_long", max=LINK_MAX, length=len(text))
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        raise _Refused("practices_exchange.reason.link", value=text[:80]) from None
    if (
        parts.scheme.lower() not in ("http", "https")
        or not host
        or "." not in host
        or any(char.isspace() or unicodedata.category(char)[0] == "C" for char in text)
    ):
        raise _Refused("practices_exchange.reason.link", value=text[:80])
    check_stored_text(_field("links"), text)
    return text


def clean_record(record: PracticeRecord) -> PracticeRecord:
    """The record with every field checked and normalised as the import stores it.

    Raises `InvalidInput(field, reason)` for the first field refused (field keys are
    `practices_exchange.<column key>`) or `UserError` for an inconsistency between fields.
    """
    values: dict[str, Any] = {}
    for column in COLUMNS:
        try:
            values[column.key] = _clean_value(column, getattr(record, column.key))
        except _Refused as refused:
            raise InvalidInput(_field(column.key), refused.key, **refused.params) from None
    cleaned = PracticeRecord(**values)
    if cleaned.start_date and cleaned.end_date and cleaned.end_date < cleaned.start_date:
        raise InvalidInput(_field("end_date"), "practices_exchange.reason.end_before_start")
    return cleaned


def _to_text(column: Column, value: Any, lang: Lang) -> str:
    """A field as the text of one cell."""
    if value is None:
        return ""
    kind = column.kind
    if kind in ("line", "paragraphs"):
        return str(value)
    if kind in ("names", "links"):
        return "\n".join(value)
    if kind == "codes":
        return "\n".join(code_label(column.key, code, lang) for code in value)
    if kind == "code":
        return code_label(column.key, value, lang)
    if kind == "places":
        return "\n".join(_municipality_name(code) for code in value)
    if kind == "date":
        return str(value.isoformat())
    if kind == "stamp":
        return str(value.astimezone(UTC).isoformat())
    return str(value)  # amount


def _municipality_name(code: str) -> str:
    found = municipalities.by_code(code)
    return found.name if found else code


_DATE: Final = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_AMOUNT_NOISE: Final = re.compile(r"[\s\u00a0\u202f']|kr\.?$|sek$|:-$", re.IGNORECASE)


def _from_cell(column: Column, cell: Any) -> Any:
    """A cell (text from CSV, or what openpyxl read) as the field's typed value."""
    kind = column.kind
    if kind == "date":
        if isinstance(cell, datetime):
            return cell.date()
        if isinstance(cell, date):
            return cell
        text = _cell_text(cell).strip()
        if not text:
            return None
        match = _DATE.fullmatch(text)
        try:
            if not match:
                raise ValueError(text)
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            raise _Refused("practices_exchange.reason.date", value=text[:40]) from None
    if kind == "stamp":
        if isinstance(cell, datetime):
            return cell
        text = _cell_text(cell).strip()
        if not text:
            return None
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise _Refused("practices_exchange.reason.timestamp", value=text[:40]) from None
    if kind == "amount":
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            if float(cell).is_integer():
                return int(cell)
            raise _Refused("practices_exchange.reason.amount", value=str(cell))
        text = _AMOUNT_NOISE.sub("", _cell_text(cell).strip()).strip()
        text = re.sub(r"[.,]0{1,2}$", "", text)
        if not text:
            return None
        if not (text.isascii() and text.isdigit()) or len(text) > 15:
            raise _Refused("practices_exchange.reason.amount", value=_cell_text(cell)[:40])
        return int(text)
    text = _cell_text(cell)
    if kind in ("line", "paragraphs"):
        return text
    if kind == "names":
        return _split(text, "\n;")
    if kind == "links":
        return [part.rstrip(";,") for part in text.split() if part.rstrip(";,")]
    if kind == "codes":
        return [_code(column, part) for part in _split(text, "\n;,")]
    if kind == "code":
        return _code(column, text.strip()) if text.strip() else None
    if kind == "places":
        return [_place(part) for part in _split(text, "\n;,")]
    raise AssertionError(kind)


def _code(column: Column, text: str) -> str:
    code = _code_lookup(column.key).get(fold(" ".join(text.split())))
    if code is None:
        raise _Refused("practices_exchange.reason.unknown_code", value=text[:60], accepted="")
    return code


def _place(text: str) -> str:
    value = text.strip()
    if value.isascii() and value.isdigit() and len(value) <= 4:
        # Excel reads "0180" (Stockholm) as the number 180: put the zero back.
        found = municipalities.by_code(value.zfill(4))
    else:
        found = municipalities.by_name(value) or municipalities.resolve(value)
    if found is None:
        raise _Refused("practices_exchange.reason.unknown_municipality", value=value[:60])
    return found.code


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell)


def _accepted_values(column: Column, lang: Lang) -> str:
    return ", ".join(code_label(column.key, code, lang) for code in column.codes)


def _reason(column: Column, error: InvalidInput | _Refused, lang: Lang) -> str:
    params = dict(error.params)
    if "accepted" in params:
        params["accepted"] = _accepted_values(column, lang)
    return t(lang, error.key, **params)


# --- export ------------------------------------------------------------------------------------


def _rows(records: Sequence[PracticeRecord], lang: Lang) -> Iterator[list[str]]:
    yield [column.header(lang) for column in COLUMNS]
    for record in records:
        yield [neutralise(_to_text(c, getattr(record, c.key), lang)) for c in COLUMNS]


def to_csv(records: Sequence[PracticeRecord], lang: Lang, *, delimiter: str = ";") -> bytes:
    """CSV for Swedish Excel: `;`-separated, UTF-8 with BOM, CRLF, every formula neutralised.

    The delimiter follows the reader's Excel (its regional settings), not the bot's language:
    `;` for Swedish settings, `,` for English ones. With no records, it is the empty template
    with the column headers.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(_rows(records, lang))
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(records: Sequence[PracticeRecord], lang: Lang) -> bytes:
    """An Excel workbook: one sheet, a bold frozen header, dates as dates, amounts as numbers,
    every text cell a string (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = t(lang, "practices_exchange.doc.sheet")[:31]
    sheet.append([column.header(lang) for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_number, record in enumerate(records, start=2):
        for col_number, column in enumerate(COLUMNS, start=1):
            value = getattr(record, column.key)
            cell = sheet.cell(row=row_number, column=col_number)
            if value is None:
                continue
            if column.kind == "date":
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            elif column.kind == "amount":
                cell.value = value
                cell.number_format = "#,##0"
            else:
                # Assigned as a string cell: openpyxl would turn a str beginning with "=" into
                # a formula; neutralise() keeps Excel from doing so when the cell is edited.
                cell.value = neutralise(_to_text(column, value, lang))
                cell.data_type = "s"
                cell.alignment = wrap
    widths = {"line": 30, "paragraphs": 50, "date": 12, "amount": 14, "stamp": 26}
    for col_number, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(col_number)].width = widths.get(column.kind, 24)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


_MD_INLINE: Final = re.compile(r"([\\`*_\[\]<>|~])")
# What makes a line a heading, list, quote, rule or numbered item.
_MD_LINE_START: Final = re.compile(r"^(\s*)([#+\-=>])")
_MD_NUMBERED: Final = re.compile(r"^(\s*\d+)([.)])")


def _md(text: str) -> str:
    """User text as literal Markdown: the signs Markdown reads inline and at the start of a
    line are escaped, line breaks kept (a hard break within a paragraph)."""
    lines = [
        _MD_NUMBERED.sub(r"\1\\\2", _MD_LINE_START.sub(r"\1\\\2", _MD_INLINE.sub(r"\\\1", line)))
        for line in text.split("\n")
    ]
    return "  \n".join(lines).replace("  \n  \n", "\n\n")


def to_markdown(records: Sequence[PracticeRecord], lang: Lang, network_name: str) -> str:
    """Every field of every practice, as a Markdown document (user text escaped)."""
    out = [f"# {_md(t(lang, 'practices_exchange.doc.title', network=network_name))}", ""]
    out += [tn(lang, "practices_exchange.doc.count", len(records)), ""]
    for record in records:
        out += [f"## {_md(record.title)}", "", _md(record.summary), ""]
        for column in COLUMNS:
            if column.key in ("title", "summary") or column.kind == "paragraphs":
                continue
            value = getattr(record, column.key)
            if value is None or value == () or value == "":
                continue
            if column.kind == "links":
                text = ", ".join(f"<{link}>" for link in value)
            else:
                text = _md(_to_text(column, value, lang).replace("\n", ", "))
            out.append(f"- **{column.header(lang)}:** {text}")
        out.append("")
        for column in COLUMNS:
            value = getattr(record, column.key)
            if column.kind == "paragraphs" and column.key != "summary" and value:
                out += [f"### {column.header(lang)}", "", _md(value), ""]
    return "\n".join(out).rstrip() + "\n"


@cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_BABEL_LOCALE: Final = {"sv": "sv_SE", "en": "en_GB"}


def _long_date(value: date, lang: Lang) -> str:
    return format_date(value, format="long", locale=_BABEL_LOCALE[lang])


def _when(record: PracticeRecord, lang: Lang) -> str:
    status = code_label("status", record.status, lang)
    start = _long_date(record.start_date, lang) if record.start_date else ""
    end = _long_date(record.end_date, lang) if record.end_date else ""
    if start and end:
        return t(lang, "practices_exchange.doc.span", status=status, start=start, end=end)
    if start:
        return t(lang, "practices_exchange.doc.from", status=status, start=start)
    if end:
        return t(lang, "practices_exchange.doc.until", status=status, end=end)
    return status


def _view(record: PracticeRecord, lang: Lang) -> dict[str, Any]:
    return {
        "title": record.title,
        "summary": record.summary,
        "description": record.description,
        "status": record.status,
        "when": _when(record, lang),
        "targets": [code_label("target_groups", code, lang) for code in record.target_groups],
        "themes": [code_label("themes", code, lang) for code in record.themes],
        "organisations": list(record.organisations),
        "places": [_municipality_name(code) for code in record.municipalities],
        "success_factors": record.success_factors,
        "lessons": record.lessons,
        # Only web addresses become links, whatever the record holds (javascript: never does).
        "links": [link for link in record.links if _is_web_address(link)],
    }


def _is_web_address(link: str) -> bool:
    try:
        _clean_link(link)
    except (InvalidInput, _Refused):
        return False
    return True


def to_html(
    records: Sequence[PracticeRecord],
    lang: Lang,
    network_name: str,
    *,
    generated_on: date | None = None,
) -> str:
    """One self-contained HTML page for reading on a phone and for print: grouped by theme (a
    practice under its first theme), summaries first, without the network's bookkeeping
    (funding, contact, timestamps). Every user text is escaped."""
    groups: list[dict[str, Any]] = []
    by_theme: dict[str, list[PracticeRecord]] = {}
    for record in records:
        by_theme.setdefault(record.themes[0] if record.themes else "", []).append(record)
    for number, theme in enumerate([*THEMES, ""], start=1):
        members = sorted(by_theme.get(theme, []), key=lambda r: swedish_sort_key(r.title))
        if members:
            label = (
                code_label("themes", theme, lang)
                if theme
                else t(lang, "practices_exchange.doc.other")
            )
            groups.append(
                {
                    "id": f"theme-{theme or 'other'}",
                    "label": label,
                    "practices": [
                        {**_view(r, lang), "id": f"p-{number}-{i}"}
                        for i, r in enumerate(members, start=1)
                    ],
                }
            )
    labels = {
        key: t(lang, f"practices_exchange.doc.{key}")
        for key in (
            "contents",
            "for_whom",
            "where",
            "who",
            "when",
            "themes",
            "more",
            "success_factors",
            "lessons",
            "links",
            "empty",
            "back",
        )
    }
    return str(
        _environment()
        .get_template("practices.html.j2")
        .render(
            lang=lang,
            title=t(lang, "practices_exchange.doc.title", network=network_name),
            count=tn(lang, "practices_exchange.doc.count", len(records)),
            generated=(
                t(lang, "practices_exchange.doc.generated", date=_long_date(generated_on, lang))
                if generated_on
                else ""
            ),
            groups=groups,
            labels=labels,
        )
    )


# --- import ------------------------------------------------------------------------------------

_XLS_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGIC: Final = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
    b"\x7fELF",
    b"MZ",
)
_HEADER_SEARCH_ROWS: Final = 5


def parse_import(
    data: bytes, filename: str, lang: Lang, *, max_bytes: int = MAX_IMPORT_BYTES
) -> ImportReport:
    """Read a CSV or XLSX file into checked records: no writes.

    The format is decided by the content, not the name. Raises `UserError` for a file refused as
    a whole (too large, empty, not CSV or XLSX, unreadable, required columns missing, too many
    rows); a refused row is in the report with its row number, column and reason in `lang`.
    CPU-bound: call it in a thread (`asyncio.to_thread`) from the bot.
    """
    name = Path(filename or "").name[:100] or "?"
    if len(data) > max_bytes:
        raise UserError(
            "practices_exchange.errors.too_large",
            name=name,
            size=_megabytes(len(data)),
            max=_megabytes(max_bytes),
        )
    if not data.strip():
        raise UserError("practices_exchange.errors.empty", name=name)
    if data.startswith(b"PK\x03\x04"):
        table = _xlsx_rows(data, name, max_bytes)
        kind: Literal["csv", "xlsx"] = "xlsx"
    elif data.startswith(_XLS_MAGIC):
        raise UserError("practices_exchange.errors.old_excel", name=name)
    elif data.startswith(_BINARY_MAGIC):
        raise UserError("practices_exchange.errors.not_table", name=name)
    else:
        table = _csv_rows(_decode(data, name), name)
        kind = "csv"
    return _read_table(table, kind, lang)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    elif data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # A binary file that happens to decode: a spreadsheet's text has no NUL and hardly any
        # other control characters (a stray one in a cell is that row's problem, not the file's).
        head = text[:65536]
        controls = sum(
            1 for char in head if unicodedata.category(char) == "Cc" and char not in "\t\n\r"
        )
        if "\x00" in text or controls > len(head) // 100:
            break
        return text
    raise UserError("practices_exchange.errors.not_table", name=name)


def _csv_rows(text: str, name: str) -> list[list[Any]]:
    best: list[list[Any]] | None = None
    best_score = (-1, -1)
    for delimiter in (";", ",", "\t"):
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error:
            continue
        head = rows[:_HEADER_SEARCH_ROWS]
        known = max((len(_mapped(row)) for row in head), default=0)
        width = max((len(row) for row in head), default=0)
        if (known, width) > best_score:
            best, best_score = rows, (known, width)
    if best is None:
        raise UserError("practices_exchange.errors.unreadable", name=name)
    return best


def _xlsx_rows(data: bytes, name: str, max_bytes: int) -> list[list[Any]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UserError("practices_exchange.errors.unreadable", name=name) from None
    if "xl/workbook.xml" not in names:
        raise UserError("practices_exchange.errors.not_table", name=name)
    if unpacked > _MAX_UNPACK_RATIO * max_bytes:
        raise UserError("practices_exchange.errors.unreadable", name=name)
    from openpyxl import load_workbook

    try:
        # openpyxl parses with defusedxml when it is installed (it is a dependency): no entity
        # expansion. read_only streams the sheet instead of building every cell object.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            sheet = workbook.worksheets[0]
            rows: list[list[Any]] = []
            for row in sheet.iter_rows(values_only=True):
                rows.append(list(row))
                if len(rows) > MAX_IMPORT_ROWS + _HEADER_SEARCH_ROWS:
                    break
        finally:
            workbook.close()
    except UserError:
        raise
    except Exception:
        # openpyxl raises many kinds (KeyError, ValueError, XML errors) for a damaged file.
        raise UserError("practices_exchange.errors.unreadable", name=name) from None
    return rows


def _read_table(table: list[list[Any]], kind: Literal["csv", "xlsx"], lang: Lang) -> ImportReport:
    header_index = next(
        (index for index, row in enumerate(table[:_HEADER_SEARCH_ROWS]) if "title" in _mapped(row)),
        None,
    )
    if header_index is None:
        raise _missing_columns(["title", "summary", "status"], lang)
    header = table[header_index]
    lookup = _header_lookup()
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for position, cell in enumerate(header):
        text = " ".join(_cell_text(cell).split())
        key = lookup.get(_header_key(text))
        if key is None:
            if text:
                ignored.append(text[:60])
            continue
        if key in positions:
            raise UserError("practices_exchange.errors.duplicate_column", column=text[:60])
        positions[key] = position
    missing = [c.key for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        raise _missing_columns(missing, lang)
    body = table[header_index + 1 :]
    if len(body) > MAX_IMPORT_ROWS:
        raise UserError("practices_exchange.errors.too_many_rows", max=MAX_IMPORT_ROWS)
    names = {key: " ".join(_cell_text(header[pos]).split())[:60] for key, pos in positions.items()}
    accepted: list[AcceptedRow] = []
    refused: list[RefusedRow] = []
    for offset, row in enumerate(body):
        number = header_index + 2 + offset
        if all(_cell_text(cell).strip() == "" for cell in row):
            continue
        cells = {key: (row[pos] if pos < len(row) else None) for key, pos in positions.items()}
        record, problems = _read_row(cells, names, lang)
        if record is None:
            refused.append(RefusedRow(number, tuple(problems)))
        else:
            accepted.append(AcceptedRow(number, record))
    if not accepted and not refused:
        raise UserError("practices_exchange.errors.no_rows")
    return ImportReport(kind, tuple(accepted), tuple(refused), tuple(ignored))


def _mapped(row: Sequence[Any]) -> set[str]:
    lookup = _header_lookup()
    return {lookup[k] for cell in row if (k := _header_key(_cell_text(cell))) in lookup}


def _missing_columns(keys: Iterable[str], lang: Lang) -> UserError:
    return UserError(
        "practices_exchange.errors.missing_columns",
        columns=", ".join(_BY_KEY[key].header(lang) for key in keys),
        accepted=", ".join(column.header(lang) for column in COLUMNS),
    )


def _read_row(
    cells: Mapping[str, Any], names: Mapping[str, str], lang: Lang
) -> tuple[PracticeRecord | None, list[RowProblem]]:
    values: dict[str, Any] = {}
    problems: list[RowProblem] = []
    for column in COLUMNS:
        cell = cells.get(column.key)
        column_name = names.get(column.key, column.header(lang))
        try:
            if isinstance(cell, str):
                if cell.lstrip().startswith("="):
                    raise _Refused("practices_exchange.reason.formula")
                cell = _unneutralise(cell)
            values[column.key] = _clean_value(column, _from_cell(column, cell))
        except (InvalidInput, _Refused) as error:
            problems.append(RowProblem(column_name, _reason(column, error, lang)))
    if problems:
        return None, problems
    record = PracticeRecord(**values)
    if record.start_date and record.end_date and record.end_date < record.start_date:
        message = t(lang, "practices_exchange.reason.end_before_start")
        return None, [RowProblem(names.get("end_date", _BY_KEY["end_date"].header(lang)), message)]
    return record, []


def report_lines(report: ImportReport, lang: Lang) -> list[str]:
    """The report as lines of text: the counts, ignored columns, then one line per problem."""
    lines = [
        t(
            lang,
            "practices_exchange.report.counts",
            accepted=len(report.accepted),
            refused=len(report.refused),
        )
    ]
    if report.ignored_columns:
        lines.append(
            t(lang, "practices_exchange.report.ignored", columns=", ".join(report.ignored_columns))
        )
    for row in report.refused:
        for problem in row.problems:
            lines.append(
                t(
                    lang,
                    "practices_exchange.report.problem",
                    row=str(row.row),
                    column=problem.column,
                    message=problem.message,
                )
            )
    return lines


def columns_doc(lang: Lang) -> str:
    """The documented columns, one line each (header, what it holds, accepted values)."""
    lines = [t(lang, "practices_exchange.help.intro")]
    for column in COLUMNS:
        text = t(lang, f"practices_exchange.help.{column.key}")
        if column.codes:
            text += " " + t(
                lang, "practices_exchange.help.values", values=_accepted_values(column, lang)
            )
        required = t(lang, "practices_exchange.help.required") if column.required else ""
        lines.append(f"- {column.header(lang)}{required}: {text}")
    return "\n".join(lines)


# --- benchmarks --------------------------------------------------------------------------------

_ACTIVITIES: Final = (
    (
        "Samhällsguider",
        "civic",
        "Guider med egen erfarenhet av att komma ny visar vägen i samhället.",
    ),
    ("Språkcafé på biblioteket", "language", "Öppen träff varje vecka där man övar svenska."),
    ("Praktik i kommunens verksamheter", "work", "Praktikplatser med handledare i kommunen."),
    ("Läxhjälp med föreningar", "school", "Föreningar ger läxhjälp till barn och unga."),
    ("TMO-utbildning för personal", "health", "Traumamedveten omsorg för personal som möter unga."),
    ("Bostadsskola", "housing", "Kurs om att hyra och sköta en bostad."),
    ("Idrott för alla", "leisure", "Prova-på-idrott med föreningar under lov."),
    ("Kompetensdag för handläggare", "competence", "Utbildningsdag om mottagande och etablering."),
    ("Samverkansgrupp etablering", "coordination", "Kommun, Arbetsförmedling och region träffas."),
    ("Mentorer för ensamkommande", "unaccompanied", "Vuxna mentorer för unga som kom ensamma."),
    ("Kvinnor i arbete", "work", "Vägledning och praktik för kvinnor långt från arbetsmarknaden."),
    (
        "Föräldraskap i Sverige",
        "civic",
        "Samtalsgrupper för föräldrar om skola och barns rättigheter.",
    ),
)
_ORGANISATIONS: Final = (
    "Lysekils kommun",
    "Arbetsförmedlingen",
    "Studieförbundet Vuxenskolan",
    "Röda Korset",
    "Region Halland",
    "ABF",
    "Mimer",
    "IFK Munkedal",
)


def sample_records(count: int, *, seed: int = 0) -> list[PracticeRecord]:
    """`count` realistic practices (Swedish text, 1–3 municipalities, dates, links) for
    benchmarks such as importing 10,000 practices from CSV. Deterministic for a seed."""
    rng = random.Random(seed)
    places = [m.code for m in municipalities.all_municipalities()]
    base = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
    records: list[PracticeRecord] = []
    for number in range(1, count + 1):
        title, theme, summary = rng.choice(_ACTIVITIES)
        municipality_codes = tuple(sorted(rng.sample(places, rng.randint(1, 3))))
        town = _municipality_name(municipality_codes[0])
        status = rng.choice(STATUSES)
        start = date(2022, 1, 1) + timedelta(days=rng.randrange(1400))
        end = start + timedelta(days=rng.randrange(60, 900)) if status == "ended" else None
        funding = rng.choice(FUNDING_KINDS)
        created = base + timedelta(minutes=number)
        records.append(
            PracticeRecord(
                title=f"{title} i {town} ({number})",
                summary=summary,
                description=(
                    f"{summary} Verksamheten startade {start.isoformat()} och drivs i samarbete "
                    "mellan kommunen och civilsamhället. Deltagarna får stöd på svenska och på "
                    "sitt modersmål; träffarna hålls på eftermiddagar så att de passar dem som "
                    "läser SFI. Anmälan görs till kontaktpersonen eller på plats.\n\n"
                    "Uppföljning sker varje termin tillsammans med deltagarna."
                ),
                target_groups=tuple(sorted(rng.sample(TARGET_GROUPS, rng.randint(1, 2)))),
                themes=(theme, *((rng.choice(THEMES),) if rng.random() < 0.3 else ())),
                organisations=tuple(dict.fromkeys(rng.sample(_ORGANISATIONS, rng.randint(1, 3)))),
                municipalities=municipality_codes,
                status=status,
                start_date=start,
                end_date=end,
                funding=funding,
                funding_amount_sek=rng.randrange(10, 2000) * 1000 if rng.random() < 0.6 else None,
                success_factors="Tydlig samordnare, fasta tider och tolk vid behov.",
                lessons="Verksamheten behöver långsiktig finansiering efter projekttiden.",
                contact="Integrationssamordnare, " + town + " kommun",
                links=(f"https://www.example.se/verksamhet/{number}",),
                created_at=created,
                updated_at=created + timedelta(days=rng.randrange(0, 300)),
            )
        )
    return [_dedupe_themes(record) for record in records]


def _dedupe_themes(record: PracticeRecord) -> PracticeRecord:
    return replace(record, themes=tuple(dict.fromkeys(record.themes)))
