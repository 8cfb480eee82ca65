"""The file formats of the good-practice inventory: export, import, round trips, bad input."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from bot.errors import InvalidInput, UserError
from bot.i18n import LANGS, Lang, t
from bot.services.practices import exchange
from bot.services.practices.exchange import (
    COLUMNS,
    FUNDING_KINDS,
    STATUSES,
    TARGET_GROUPS,
    THEMES,
    PracticeRecord,
    clean_record,
    columns_doc,
    neutralise,
    parse_import,
    report_lines,
    sample_records,
    to_csv,
    to_html,
    to_markdown,
    to_xlsx,
)

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")

FULL = PracticeRecord(
    title="Samhällsguider i Lysekil",
    summary="Guider som själva kommit som nya visar vägen till vård, skola och föreningar.",
    description="Guiderna träffar nyanlända varje vecka.\n\nDe talar arabiska, dari och tigrinja.",
    target_groups=("newly_arrived_adults", "families_children"),
    themes=("civic", "leisure"),
    organisations=("Lysekils kommun", "Röda Korset"),
    municipalities=("1484", "1430"),
    status="ongoing",
    start_date=date(2024, 2, 1),
    end_date=date(2026, 6, 30),
    funding="state_refugee_funds",
    funding_amount_sek=450_000,
    success_factors="Guider med egen erfarenhet; fasta tider.",
    lessons="Planera för tiden efter projektet.",
    contact="Integrationssamordnare, Lysekils kommun",
    links=("https://www.lysekil.se/samhallsguider", "http://example.se/a;b"),
    created_at=datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
    updated_at=datetime(2025, 11, 4, 14, 5, 7, 123456, tzinfo=UTC),
)

NASTY = replace(
    FULL,
    title='=HYPERLINK("http://evil.example","klicka") 🙂',
    summary="+46 70 123 45 67; ring \"oss\" – 'gärna'",
    description="-5 grader\n# Rubrik\n*fet* _kursiv_ `kod` <script>alert(1)</script>",
    organisations=("@Föreningen", "-Minus AB"),
    success_factors="'=redan neutraliserad",
    lessons="مرحبا بكم في المقهى\nشكرا 🙏🏽",
    contact="'kontakt'",
)


def _csv_cells(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _csv(rows: list[list[str]], *, delimiter: str = ";", encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def _xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


HEADER_SV = ["Titel", "Sammanfattning", "Status"]
HEADER_EN = ["Title", "Summary", "Status"]


# --- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("export_lang", LANGS)
@pytest.mark.parametrize("import_lang", LANGS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_back_every_field(
    fmt: str, export_lang: Lang, import_lang: Lang
) -> None:
    records = [FULL, NASTY, *sample_records(20, seed=3)]
    data = to_csv(records, export_lang) if fmt == "csv" else to_xlsx(records, export_lang)
    report = parse_import(data, f"goda-exempel.{fmt}", import_lang)
    assert report.format == fmt
    assert report.refused == ()
    assert report.ignored_columns == ()
    assert report.records == records
    assert [row.row for row in report.accepted] == list(range(2, len(records) + 2))


def test_the_sample_records_are_clean_and_distinct() -> None:
    records = sample_records(200, seed=1)
    assert len(records) == 200
    assert all(clean_record(record) == record for record in records)
    assert len({record.title for record in records}) == 200
    assert sample_records(5, seed=7) == sample_records(5, seed=7)


_PIECES = st.sampled_from(
    [
        *"abcxyzåäöÅÄÖéü ABC0129",
        *"مرحبا بكم",
        *("🙂", "👍🏽", "🇸🇪", "👩\u200d💻"),
        *"*_#`[]()>~|<&'\";,.:=+-@!?/\\",
        *("\n", "\t", "\r\n", "\r"),
    ]
)
_TEXT = st.lists(_PIECES, max_size=40).map("".join)
_LINE = st.lists(_PIECES, min_size=1, max_size=30).map("".join)
_LINK = st.from_regex(
    r"https?://[a-z]{1,8}\.(se|nu|com)(/[A-Za-z0-9_\-.~%;=?&åä]{0,20})?", fullmatch=True
)
_MUNICIPALITY_CODES = [m.code for m in exchange.municipalities.all_municipalities()]


@st.composite
def _records(draw: st.DrawFn) -> PracticeRecord:
    start = draw(st.none() | st.dates(date(2000, 1, 1), date(2040, 12, 31)))
    end = draw(st.none() | st.dates(start or date(2000, 1, 1), date(2045, 12, 31)))
    stamp = st.none() | st.datetimes(
        datetime(2020, 1, 1), datetime(2030, 1, 1), timezones=st.just(UTC)
    )
    raw = PracticeRecord(
        title=draw(_LINE),
        summary=draw(_LINE),
        description=draw(_TEXT),
        target_groups=tuple(draw(st.lists(st.sampled_from(TARGET_GROUPS), unique=True))),
        themes=tuple(draw(st.lists(st.sampled_from(THEMES), unique=True))),
        organisations=tuple(draw(st.lists(_LINE, max_size=3))),
        municipalities=tuple(
            draw(st.lists(st.sampled_from(_MUNICIPALITY_CODES), max_size=3, unique=True))
        ),
        status=draw(st.sampled_from(STATUSES)),
        start_date=start,
        end_date=end,
        funding=draw(st.none() | st.sampled_from(FUNDING_KINDS)),
        funding_amount_sek=draw(st.none() | st.integers(0, 10**10)),
        success_factors=draw(_TEXT),
        lessons=draw(_TEXT),
        contact=draw(_TEXT),
        links=tuple(draw(st.lists(_LINK, max_size=3))),
        created_at=draw(stamp),
        updated_at=draw(stamp),
    )
    try:
        return clean_record(raw)
    except InvalidInput:
        assume(False)
        raise


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(_records(), min_size=1, max_size=4), lang=st.sampled_from(LANGS))
def test_round_trip_property_csv(records: list[PracticeRecord], lang: Lang) -> None:
    report = parse_import(to_csv(records, lang), "x.csv", lang)
    assert report.refused == ()
    assert report.records == records


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(_records(), min_size=1, max_size=4), lang=st.sampled_from(LANGS))
def test_round_trip_property_xlsx(records: list[PracticeRecord], lang: Lang) -> None:
    report = parse_import(to_xlsx(records, lang), "x.xlsx", lang)
    assert report.refused == ()
    assert report.records == records


@given(text=st.text(max_size=20))
def test_neutralise_is_undone_by_import(text: str) -> None:
    neutral = neutralise(text)
    assert not neutral.startswith(DANGEROUS)
    assert exchange._unneutralise(neutral) == text


# --- CSV injection ------------------------------------------------------------------------------


def test_csv_cells_never_begin_like_a_formula() -> None:
    for lang in LANGS:
        rows = _csv_cells(to_csv([NASTY, FULL], lang))
        assert len(rows) == 3
        for row in rows:
            for cell in row:
                assert not cell.startswith(DANGEROUS), cell
        title = rows[1][0]
        assert title == "'" + NASTY.title
        assert (
            rows[1][COLUMNS.index(exchange._BY_KEY["success_factors"])] == "''=redan neutraliserad"
        )


def test_xlsx_cells_are_strings_never_formulas() -> None:
    data = to_xlsx([NASTY, FULL], "sv")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]] == [column.header("sv") for column in COLUMNS]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(DANGEROUS), cell.value
    by_header = {cell.value: index for index, cell in enumerate(sheet[1])}
    second = [cell.value for cell in sheet[3]]
    assert second[by_header["Startdatum"]] == datetime(2024, 2, 1)
    assert second[by_header["Belopp (kr)"]] == 450_000
    assert second[by_header["Kommuner"]] == "Lysekil\nMunkedal"
    assert second[by_header["Teman"]] == "Samhällsorientering\nFritid & föreningar"
    assert sheet.title == "Goda exempel"


def test_an_imported_formula_refuses_its_row_in_csv_and_xlsx() -> None:
    formula = '=HYPERLINK("http://evil.example","Klicka")'
    rows = [HEADER_SV, [formula, "Sammanfattning", "Pågår"], ["Bra", "Bra", "Pågår"]]
    for data, name in ((_csv(rows), "a.csv"), (_xlsx(rows), "a.xlsx")):
        report = parse_import(data, name, "sv")
        assert [r.record.title for r in report.accepted] == ["Bra"]
        (refused,) = report.refused
        assert refused.row == 2
        assert refused.problems[0].column == "Titel"
        assert "formel" in refused.problems[0].message
    report = parse_import(_csv([HEADER_EN, ["ok", " =1+1", "ongoing"]]), "b.csv", "en")
    assert "formula" in report.refused[0].problems[0].message
    assert report.refused[0].problems[0].column == "Summary"


# --- bad files ------------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


GOOD_CSV = _csv([HEADER_SV, ["Språkcafé", "Vi pratar svenska", "Pågår"]])

BAD_FILES = [
    (
        "fifty megabytes",
        b"Titel;Sammanfattning\n" + b"a;b\n" * (50 * 1024 * 1024 // 4),
        "x.csv",
        "too_large",
    ),
    ("fifty megabytes of binary", b"\x00" * (50 * 1024 * 1024), "x.xlsx", "too_large"),
    ("empty", b"", "x.csv", "empty"),
    ("blank", b" \r\n \n", "x.csv", "empty"),
    ("png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "x.csv", "not_table"),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "lista.csv", "not_table"),
    ("binary", bytes(range(256)) * 4, "x.csv", "not_table"),
    ("old excel", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "lista.xls", "old_excel"),
    ("a word file", _zip({"word/document.xml": b"<w/>"}), "lista.xlsx", "not_table"),
    ("a damaged zip", b"PK\x03\x04" + b"\x00" * 200, "lista.xlsx", "unreadable"),
    (
        "a damaged workbook",
        _zip({"xl/workbook.xml": b"<not-a-workbook", "[Content_Types].xml": b"<x/>"}),
        "lista.xlsx",
        "unreadable",
    ),
    ("no title column", _csv([["Namn på saken", "Text"], ["a", "b"]]), "x.csv", "missing_columns"),
    ("no summary column", _csv([["Titel", "Status"], ["a", "Pågår"]]), "x.csv", "missing_columns"),
    (
        "a column twice",
        _csv([[*HEADER_SV, "Title"], ["a", "b", "Pågår", "c"]]),
        "x.csv",
        "duplicate_column",
    ),
    ("only the header", _csv([HEADER_SV, ["", "", ""]]), "x.csv", "no_rows"),
    (
        "words, not a table",
        "Hej!\nHär är vår lista över verksamheter.\n".encode(),
        "x.csv",
        "missing_columns",
    ),
]


@pytest.mark.parametrize(
    ("what", "data", "name", "reason"), BAD_FILES, ids=[f[0] for f in BAD_FILES]
)
@pytest.mark.parametrize("lang", LANGS)
def test_bad_files_are_refused_as_a_whole_with_a_clear_message(
    what: str, data: bytes, name: str, reason: str, lang: Lang
) -> None:
    with pytest.raises(UserError) as raised:
        parse_import(data, name, lang)
    assert raised.value.key == f"practices_exchange.errors.{reason}"
    message = t(lang, raised.value.key, **raised.value.params)
    assert message and "{" not in message


def test_a_fifty_megabyte_file_is_refused_before_it_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def must_not_run(*_: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(exchange, "_decode", must_not_run)
    monkeypatch.setattr(exchange, "_xlsx_rows", must_not_run)
    with pytest.raises(UserError) as raised:
        parse_import(b"PK\x03\x04" + b"\x00" * (50 * 1024 * 1024), "big.xlsx", "en")
    assert raised.value.params["size"] == "50"
    assert raised.value.params["max"] == "10"
    assert "50 MB" in t("en", raised.value.key, **raised.value.params)


def test_a_zip_bomb_is_refused_before_it_is_inflated() -> None:
    bomb = _zip({"xl/workbook.xml": b"<x/>", "xl/worksheets/sheet1.xml": b"\x00" * 3_000_000})
    assert len(bomb) < 20_000
    with pytest.raises(UserError) as raised:
        parse_import(bomb, "b.xlsx", "sv", max_bytes=100_000)
    assert raised.value.key == "practices_exchange.errors.unreadable"


def test_the_content_decides_the_format_not_the_name() -> None:
    assert parse_import(GOOD_CSV, "lista.xlsx", "sv").format == "csv"
    xlsx = to_xlsx([FULL], "en")
    assert parse_import(xlsx, "lista.csv", "sv").records == [FULL]
    assert parse_import(GOOD_CSV, "", "sv").records[0].title == "Språkcafé"


# --- the network's own spreadsheets ----------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [
        (";", "utf-8-sig"),
        (";", "utf-8"),
        (";", "cp1252"),
        (",", "utf-8"),
        (",", "cp1252"),
        ("\t", "utf-16"),
        ("\t", "utf-8"),
    ],
)
def test_spreadsheets_as_excel_writes_them(delimiter: str, encoding: str) -> None:
    rows = [
        ["Goda exempel i Fyrbodal 2025", "", ""],  # a title above the header
        [
            "Namn",
            "Kort beskrivning",
            "Status",
            "Kommun",
            "Tema",
            "Målgrupp",
            "Belopp",
            "Start",
            "Anteckning",
        ],
        [
            "Språkcafé, Åmål",
            "Öppen träff; fika",
            "Pågående",
            "Åmåls kommun; uddevala",
            "Språk",
            "Kvinnor",
            "150 000 kr",
            "2024-01-15",
            "x",
        ],
        [
            "Läxhjälp",
            "Föreningar hjälper",
            "avslutad",
            "1484",
            "school, leisure",
            "",
            "",
            "2023-8-1",
            "",
        ],
    ]
    report = parse_import(_csv(rows, delimiter=delimiter, encoding=encoding), "lista.csv", "sv")
    assert report.refused == ()
    assert report.ignored_columns == ("Anteckning",)
    first, second = report.accepted
    assert first.row == 3 and second.row == 4
    assert first.record.title == "Språkcafé, Åmål"
    assert first.record.summary == "Öppen träff; fika"
    assert first.record.status == "ongoing"
    assert first.record.municipalities == ("1492", "1485")
    assert first.record.themes == ("language",)
    assert first.record.target_groups == ("women",)
    assert first.record.funding_amount_sek == 150_000
    assert first.record.start_date == date(2024, 1, 15)
    assert second.record.status == "ended"
    assert second.record.municipalities == ("1484",)
    assert second.record.themes == ("school", "leisure")


def test_a_comma_separated_export_reads_back_too() -> None:
    data = to_csv([FULL, NASTY], "en", delimiter=",")
    assert data.decode("utf-8-sig").startswith("Title,Summary,Description,")
    assert parse_import(data, "x.csv", "en").records == [FULL, NASTY]


def test_municipality_codes_that_lost_their_leading_zero() -> None:
    rows = [["Title", "Summary", "Status", "Municipalities"], ["a", "b", "planned", 180]]
    (accepted,) = parse_import(_xlsx(rows), "x.xlsx", "en").accepted
    assert accepted.record.municipalities == ("0180",)


def test_an_xlsx_with_real_dates_numbers_and_english_headers() -> None:
    rows = [
        [
            "Title",
            "Summary",
            "Status",
            "Start date",
            "End date",
            "Amount (SEK)",
            "Funding",
            "Themes",
        ],
        [
            2025,
            "Numbers as titles",
            "Ended",
            datetime(2024, 3, 1),
            date(2024, 12, 31),
            90000.0,
            "ESF+",
            "Work and internships\nLanguage",
        ],
    ]
    (accepted,) = parse_import(_xlsx(rows), "sheet.xlsx", "en").accepted
    record = accepted.record
    assert record.title == "2025"
    assert (record.start_date, record.end_date) == (date(2024, 3, 1), date(2024, 12, 31))
    assert record.funding_amount_sek == 90_000
    assert record.funding == "esf"
    assert record.themes == ("work", "language")


# --- bad rows ------------------------------------------------------------------------------------

ROW_HEADER = [
    "Titel",
    "Sammanfattning",
    "Status",
    "Kommuner",
    "Länkar",
    "Startdatum",
    "Slutdatum",
    "Belopp (kr)",
    "Organisationer",
    "Beskrivning",
    "Teman",
]
GOOD = [
    "Språkcafé",
    "Vi pratar svenska",
    "Pågår",
    "Lysekil",
    "https://lysekil.se",
    "2024-01-01",
    "",
    "1000",
    "ABF",
    "",
    "",
]


def _with(**changes: str) -> list[str]:
    row = list(GOOD)
    for key, value in changes.items():
        row[ROW_HEADER.index(key)] = value
    return row


BAD_ROWS = [
    ("empty title", _with(Titel=""), "Titel", {"sv": "måste fyllas i", "en": "is required"}),
    ("5000 characters", _with(Titel="x" * 5000), "Titel", {"sv": "100", "en": "100"}),
    ("long summary", _with(Sammanfattning="å" * 301), "Sammanfattning", {"sv": "300", "en": "300"}),
    (
        "@everyone",
        _with(Sammanfattning="Hej @everyone"),
        "Sammanfattning",
        {"sv": "@everyone", "en": "@everyone"},
    ),
    (
        "a personnummer",
        _with(Beskrivning="Kontakta 19811218-9876 idag"),
        "Beskrivning",
        {"sv": "personnummer", "en": "personnummer"},
    ),
    (
        "control characters",
        _with(Titel="Bell\x07"),
        "Titel",
        {"sv": "styrtecken", "en": "control characters"},
    ),
    ("only invisible", _with(Titel="\u200b\u200b"), "Titel", {"sv": "", "en": ""}),
    (
        "javascript link",
        _with(Länkar="javascript:alert(1)"),
        "Länkar",
        {"sv": "javascript:alert(1)", "en": "http://"},
    ),
    (
        "ftp link",
        _with(Länkar="ftp://example.se/a"),
        "Länkar",
        {"sv": "https://", "en": "https://"},
    ),
    (
        "data link",
        _with(Länkar="https://ok.se data:text/html,x"),
        "Länkar",
        {"sv": "data:", "en": "data:"},
    ),
    ("formula", _with(Titel="=1+2"), "Titel", {"sv": "formel", "en": "formula"}),
    (
        "hyperlink formula",
        _with(Beskrivning='=HYPERLINK("http://x.se";"a")'),
        "Beskrivning",
        {"sv": "formel", "en": "formula"},
    ),
    (
        "unknown municipality",
        _with(Kommuner="Atlantis"),
        "Kommuner",
        {"sv": "Atlantis", "en": "Atlantis"},
    ),
    (
        "a county",
        _with(Kommuner="Hallands län"),
        "Kommuner",
        {"sv": "Hallands län", "en": "Hallands län"},
    ),
    ("unknown status", _with(Status="kanske"), "Status", {"sv": "Pågår", "en": "Ongoing"}),
    ("empty status", _with(Status=""), "Status", {"sv": "måste fyllas i", "en": "is required"}),
    ("unknown theme", _with(Teman="Rymdfart"), "Teman", {"sv": "Rymdfart", "en": "Rymdfart"}),
    (
        "bad date",
        _with(Startdatum="32/13/2024"),
        "Startdatum",
        {"sv": "ÅÅÅÅ-MM-DD", "en": "YYYY-MM-DD"},
    ),
    (
        "impossible date",
        _with(Startdatum="2024-02-30"),
        "Startdatum",
        {"sv": "2024-02-30", "en": "2024-02-30"},
    ),
    (
        "end before start",
        _with(Slutdatum="2023-12-31"),
        "Slutdatum",
        {"sv": "före", "en": "before"},
    ),
    (
        "bad amount",
        _with(**{"Belopp (kr)": "mycket"}),
        "Belopp (kr)",
        {"sv": "mycket", "en": "mycket"},
    ),
    (
        "negative amount",
        _with(**{"Belopp (kr)": "-500"}),
        "Belopp (kr)",
        {"sv": "-500", "en": "-500"},
    ),
    (
        "decimal amount",
        _with(**{"Belopp (kr)": "12,50"}),
        "Belopp (kr)",
        {"sv": "12,50", "en": "12,50"},
    ),
    (
        "too many organisations",
        _with(Organisationer="\n".join(f"Org {i}" for i in range(11))),
        "Organisationer",
        {"sv": "10", "en": "10"},
    ),
]


@pytest.mark.parametrize("lang", LANGS)
def test_bad_rows_are_refused_with_row_column_and_reason(lang: Lang) -> None:
    nice = [
        _with(Titel="**Fet** rubrik 🙂", Beskrivning="# inte en rubrik\n- punkt"),
        _with(Titel="مقهى اللغة", Sammanfattning="لقاء أسبوعي 🇸🇪", Kommuner="Göteborg"),
    ]
    rows = [ROW_HEADER, nice[0], *[row for _, row, _, _ in BAD_ROWS], nice[1]]
    report = parse_import(_csv(rows), "lista.csv", lang)
    assert [a.row for a in report.accepted] == [2, len(rows)]
    assert report.accepted[1].record.municipalities == ("1480",)
    assert len(report.refused) == len(BAD_ROWS)
    for refused, (what, _, column, expected) in zip(report.refused, BAD_ROWS, strict=True):
        assert refused.row == BAD_ROWS.index((what, _, column, expected)) + 3
        assert [p.column for p in refused.problems] == [column], what
        assert expected[lang] in refused.problems[0].message, (what, refused.problems[0].message)
    lines = report_lines(report, lang)
    assert lines[0] == t(
        lang, "practices_exchange.report.counts", accepted=2, refused=len(BAD_ROWS)
    )
    assert lines[1].startswith("Rad 3, Titel: " if lang == "sv" else "Row 3, Titel: ")
    assert all("{" not in line for line in lines)


def test_every_problem_of_a_row_is_named() -> None:
    row = _with(Titel="", Länkar="javascript:x", Status="?")
    (refused,) = parse_import(_csv([ROW_HEADER, row]), "a.csv", "en").refused
    assert [p.column for p in refused.problems] == ["Titel", "Status", "Länkar"]


def test_clean_record_refuses_what_import_refuses() -> None:
    with pytest.raises(InvalidInput) as raised:
        clean_record(replace(FULL, links=("javascript:alert(1)",)))
    assert raised.value.field == "practices_exchange.links"
    with pytest.raises(InvalidInput) as raised:
        clean_record(replace(FULL, organisations=("A; B",)))
    assert raised.value.key == "practices_exchange.reason.separator"
    with pytest.raises(InvalidInput):
        clean_record(replace(FULL, end_date=date(2020, 1, 1)))
    with pytest.raises(InvalidInput):
        clean_record(replace(FULL, status="maybe"))
    assert clean_record(replace(FULL, links=("https://a.se;",))).links == ("https://a.se",)


# --- HTML ----------------------------------------------------------------------------------------


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data.strip())


def _outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("lang", LANGS)
def test_html_is_escaped_grouped_by_theme_and_free_of_internal_fields(lang: Lang) -> None:
    evil = replace(
        NASTY,
        title="<script>alert('x')</script> & <b>fet</b>",
        themes=("work",),
        links=("https://ok.se/?a=1&b=2", "javascript:alert(1)"),
    )
    records = [FULL, evil, replace(FULL, title="Utan tema", themes=())]
    html = to_html(records, lang, "Integration <Halland>", generated_on=date(2026, 12, 2))
    assert "<script>" not in html and "<b>fet</b>" not in html
    assert "&lt;script&gt;" in html and "Integration &lt;Halland&gt;" in html
    assert "javascript:" not in html
    assert 'href="https://ok.se/?a=1&amp;b=2"' in html
    outline = _outline(html)
    tags = [tag for tag, _ in outline.tags]
    assert tags.count("h1") == 1 and tags.count("article") == 3
    assert ("html", {"lang": lang}) in outline.tags
    assert any(tag == "meta" and attrs.get("name") == "viewport" for tag, attrs in outline.tags)
    # Self-contained: no scripts, no stylesheets or images fetched from anywhere.
    assert "script" not in tags and "img" not in tags and "link" not in tags
    assert "@media print" in html
    # Grouped by theme, in the forum's order, themeless last; each practice once.
    sections = [attrs["id"] for tag, attrs in outline.tags if tag == "section"]
    assert sections == ["theme-work", "theme-civic", "theme-other"]
    # Summaries first: in each article the summary comes straight after the title.
    for tag_index, (tag, _) in enumerate(outline.tags):
        if tag == "article":
            assert outline.tags[tag_index + 1][0] == "h3"
            assert outline.tags[tag_index + 2] == ("p", {"class": "summary", "dir": "auto"})
    # No internal fields: funding, amounts, contact, timestamps.
    for hidden in (
        t(lang, "practices_exchange.funding.state_refugee_funds"),
        "450000",
        "450 000",
        "450,000",
        FULL.contact,
        "2025-03-01",
        t(lang, "field.practices_exchange.created_at"),
    ):
        assert hidden not in html, hidden
    assert t(lang, "practices_exchange.doc.for_whom") in outline.text
    assert "Lysekil" in html and "Munkedal" in html
    day = "2 december 2026" if lang == "sv" else "2 December 2026"
    assert t(lang, "practices_exchange.doc.generated", date=day) in outline.text


def test_html_without_practices_says_so() -> None:
    for lang in LANGS:
        html = to_html([], lang, "Nätverket")
        assert t(lang, "practices_exchange.doc.empty") in html
        assert "<section" not in html


# --- Markdown ------------------------------------------------------------------------------------


def test_markdown_has_every_field_with_user_text_escaped() -> None:
    text = to_markdown([NASTY], "sv", "Fyrbodal")
    assert text.startswith("# Goda exempel – Fyrbodal\n")
    assert "## =HYPERLINK\\(" not in text  # parentheses need no escape
    assert "\\<script\\>" in text and "<script>" not in text
    assert "\\# Rubrik" in text and "\\*fet\\* \\_kursiv\\_ \\`kod\\`" in text
    assert "\\-5 grader" in text
    for column in COLUMNS:
        if column.key not in ("title", "summary"):
            assert column.header("sv") in text, column.key
    assert "<https://www.lysekil.se/samhallsguider>" in text
    assert "Lysekil, Munkedal" in text
    english = to_markdown([FULL], "en", "Fyrbodal")
    assert "**Status:** Ongoing" in english and "1 activity" in english


# --- the documented columns ----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_columns_are_documented_in_both_languages(lang: Lang) -> None:
    doc = columns_doc(lang)
    for column in COLUMNS:
        assert f"- {column.header(lang)}" in doc
    template = to_csv([], lang).decode("utf-8-sig")
    assert template == ";".join(column.header(lang) for column in COLUMNS) + "\r\n"
