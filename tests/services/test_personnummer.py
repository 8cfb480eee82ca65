"""Tests for the personal identity number guard.

All numbers are fictional: they are generated here with the Luhn algorithm, using serial numbers
in the 98x range (the range Skatteverket's published test numbers use) plus the well-known
example number 121212-1212 ("Tolvan Tolvansson").
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.personnummer import (
    IdNumberKind,
    IdNumberMatch,
    contains_id_number,
    find_id_numbers,
    luhn_ok,
)

TODAY = date(2025, 12, 4)


def check_digit(nine: str) -> str:
    """Luhn check digit for the first nine digits of a ten-digit personnummer.

    Written independently of the module under test so the tests do not trust its Luhn code.
    """
    total = 0
    for i, char in enumerate(nine):
        product = int(char) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def pnr(yymmdd: str, serial: str = "980", sep: str = "-", century: str = "") -> str:
    """A valid (Luhn-correct) number: "YYMMDD-NNNC" or with a century "YYYYMMDD-NNNC"."""
    return f"{century}{yymmdd}{sep}{serial}{check_digit(yymmdd + serial)}"


def bad_check(number: str) -> str:
    """The same number with a wrong check digit."""
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def kinds(text: str) -> list[IdNumberKind]:
    return [m.kind for m in find_id_numbers(text, today=TODAY)]


P: IdNumberKind = "personnummer"
S: IdNumberKind = "samordningsnummer"

CASES: list[tuple[str, str, list[IdNumberKind]]] = [
    # --- must be found ----------------------------------------------------------------------
    ("Tolvan with hyphen", "121212-1212", [P]),
    ("ten digits, hyphen", pnr("850709"), [P]),
    ("ten digits, no separator", pnr("850709", sep=""), [P]),
    ("ten digits, space", pnr("850709", sep=" "), [P]),
    ("ten digits, en dash", pnr("850709", sep="–"), [P]),
    ("ten digits, minus sign", pnr("850709", sep="−"), [P]),
    ("100+ years, plus sign", pnr("121212", sep="+"), [P]),
    ("twelve digits, hyphen", pnr("850709", century="19"), [P]),
    ("twelve digits, bare", pnr("850709", sep="", century="19"), [P]),
    ("twelve digits, plus sign", pnr("121212", sep="+", century="19"), [P]),
    ("born this century", pnr("070123", serial="982"), [P]),
    ("born this century, twelve digits", pnr("070123", serial="982", century="20"), [P]),
    ("samordningsnummer", pnr("850769", serial="981"), [S]),
    ("samordningsnummer, twelve digits", pnr("850769", sep="", century="19"), [S]),
    ("samordningsnummer, day 91", pnr("901291", serial="983"), [S]),
    ("leap day 2000 (hyphen: born 2000)", pnr("000229"), [P]),
    ("leap day 2004", pnr("040229"), [P]),
    ("leap day 2000, twelve digits", pnr("000229", century="20"), [P]),
    ("leap day, bare: 2000 is possible", pnr("000229", sep=""), [P]),
    ("in a sentence", f"Klienten har pnr {pnr('850709')} och bor i Halmstad.", [P]),
    ("after a colon, no space", f"pnr:{pnr('850709', sep='')}", [P]),
    ("after letters", f"pnr{pnr('850709')}", [P]),
    ("in parentheses", f"({pnr('850709')})", [P]),
    ("two numbers", f"{pnr('850709')}, {pnr('920101', serial='984')}", [P, P]),
    ("Arabic-Indic digits", "١٢١٢١٢-١٢١٢", [P]),
    ("Persian digits", "۱۲۱۲۱۲-۱۲۱۲", [P]),
    ("fullwidth digits", "１２１２１２-１２１２", [P]),
    ("bare 070-number that is also a valid date + Luhn", "0701010001", [P]),
    # --- must not be found ------------------------------------------------------------------
    ("wrong check digit", bad_check(pnr("850709")), []),
    ("wrong check digit, twelve", bad_check(pnr("850709", century="19")), []),
    ("month 13", pnr("851309"), []),
    ("month 00", pnr("850009"), []),
    ("day 00", pnr("850700"), []),
    ("day 32", pnr("850732"), []),
    ("day 60 (neither kind)", pnr("850760"), []),
    ("day 92 (beyond samordningsnummer)", pnr("850792"), []),
    ("30 February", pnr("850230"), []),
    ("31 April", pnr("850431"), []),
    ("samordningsnummer for 30 February", pnr("850290"), []),
    ("29 Feb in a non-leap year", pnr("030229"), []),
    ("29 Feb 1900 (plus: born 1900, not a leap year)", pnr("000229", sep="+"), []),
    ("29 Feb 1900, twelve digits", pnr("000229", century="19"), []),
    ("twelve digits, in the future", pnr("300101", century="20"), []),
    ("twelve digits, year 1850", pnr("500101", century="18"), []),
    ("twelve digits, space (date-and-time look-alike)", pnr("850709", sep=" ", century="19"), []),
    ("digit glued on the left", "1" + pnr("850709", sep=""), []),
    ("digit glued on the right", pnr("850709", sep="") + "1", []),
    ("13-digit run", "1" + pnr("850709", sep="", century="19"), []),
    ("ISO date", "2025-12-04", []),
    ("compact date", "20251204", []),
    ("date and time", "2025-12-04 15:30", []),
    ("Swedish date", "4/12 2025", []),
    ("mobile, usual form", "070-123 45 67", []),
    ("mobile, spaces", "070 123 45 67", []),
    ("mobile, international", "+46 70 123 45 67", []),
    ("mobile, international compact", "+46701234567", []),
    ("mobile, 0046", "0046701234567", []),
    ("mobile, bare 0701234567", "0701234567", []),
    ("mobile, bare 073 (month 3x)", "0731234567", []),
    ("Stockholm landline", "08-123 456 78", []),
    ("Göteborg landline", "031-12 34 56", []),
    ("amount with spaces", "Budgeten är 14 000 000 kronor.", []),
    ("amount, bare", "14000000", []),
    ("large amount", "1 234 567 890 kr", []),
    ("organisation number (month 20)", "212000-1355", []),
    ("organisation number of a company (month 60)", "556036-0793", []),
    ("IBAN, spaced", "SE45 5000 0000 0583 9825 7466", []),
    ("IBAN, compact", "SE4550000000058398257466", []),
    ("postcode", "432 41 Varberg", []),
    ("postcode, compact", "43241", []),
    ("bankgiro", "5050-1055", []),
    ("empty", "", []),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_table(text: str, expected: list[IdNumberKind]) -> None:
    assert kinds(text) == expected


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert sum(1 for c in CASES if c[2]) >= 20
    assert sum(1 for c in CASES if not c[2]) >= 20


def test_span_covers_the_number_as_written() -> None:
    number = pnr("850709", century="19")
    text = f"Personnummer: {number}."
    (match,) = find_id_numbers(text, today=TODAY)
    assert match == IdNumberMatch(14, 14 + len(number), P)
    assert text[match.start : match.end] == number


def test_span_in_original_text_with_arabic_digits() -> None:
    text = "رقم: ١٢١٢١٢-١٢١٢ شكرا"
    (match,) = find_id_numbers(text, today=TODAY)
    assert text[match.start : match.end] == "١٢١٢١٢-١٢١٢"


def test_hyphen_century_is_inferred_from_today() -> None:
    # 251231: on 2025-12-04 a hyphen means "under 100", so born 1925-12-31 -> valid date.
    assert kinds(pnr("251231")) == [P]
    # 29 Feb of "24": 2024 was a leap year and is in the past.
    assert kinds(pnr("240229")) == [P]
    # With a plus sign "24" means 1924, also a leap year.
    assert kinds(pnr("240229", sep="+")) == [P]


def test_contains_id_number_uses_the_current_date() -> None:
    assert contains_id_number(f"Se {pnr('850709')}")
    assert not contains_id_number("Ring 070-123 45 67 senast 2025-12-04.")


def test_luhn() -> None:
    assert luhn_ok("1212121212")
    assert not luhn_ok("1212121213")
    assert luhn_ok("79927398713")  # the textbook example


# --- properties ---------------------------------------------------------------------------------

# Text around the number: anything but decimal digits (which would extend the digit run).
NO_DIGITS = st.text(st.characters(exclude_categories=["Nd", "Cs"]), max_size=20)


@st.composite
def valid_numbers(draw: st.DrawFn) -> tuple[str, IdNumberKind]:
    """A correctly written personnummer or samordningsnummer, and its kind."""
    born = draw(st.dates(min_value=date(1890, 1, 1), max_value=TODAY))
    serial = draw(st.from_regex(r"\A[0-9]{3}\Z"))
    samordning = draw(st.booleans())
    day = born.day + (60 if samordning else 0)
    yymmdd = f"{born.year % 100:02d}{born.month:02d}{day:02d}"
    twelve = draw(st.booleans())
    if twelve:
        sep = draw(st.sampled_from(["", "-"]))
        number = pnr(yymmdd, serial, sep, century=f"{born.year // 100}")
    else:
        centenarian = born <= TODAY.replace(year=TODAY.year - 100)
        sep = "+" if centenarian else draw(st.sampled_from(["", "-", " ", "–"]))
        number = pnr(yymmdd, serial, sep)
    return number, S if samordning else P


@given(valid_numbers(), NO_DIGITS, NO_DIGITS)
def test_every_valid_number_is_found_in_any_text(
    number_kind: tuple[str, IdNumberKind], before: str, after: str
) -> None:
    number, kind = number_kind
    text = before + number + after
    assert IdNumberMatch(len(before), len(before) + len(number), kind) in find_id_numbers(
        text, today=TODAY
    )


MOBILE_PREFIX = st.sampled_from(["070", "072", "073", "076", "079"])
DIGITS = st.from_regex(r"\A[0-9]{7}\Z")


@given(MOBILE_PREFIX, DIGITS, NO_DIGITS, NO_DIGITS)
def test_formatted_mobile_numbers_are_never_found(
    prefix: str, rest: str, before: str, after: str
) -> None:
    usual = f"{prefix}-{rest[:3]} {rest[3:5]} {rest[5:]}"
    spaced = f"{prefix} {rest[:3]} {rest[3:5]} {rest[5:]}"
    international = f"+46 {prefix[1:]} {rest[:3]} {rest[3:5]} {rest[5:]}"
    compact_international = f"+46{prefix[1:]}{rest}"
    double_zero = f"0046{prefix[1:]}{rest}"
    for phone in (usual, spaced, international, compact_international, double_zero):
        assert find_id_numbers(before + phone + after, today=TODAY) == []


@given(st.sampled_from(["072", "073", "076", "079"]), DIGITS)
def test_bare_mobile_numbers_outside_070_are_never_found(prefix: str, rest: str) -> None:
    # Their "month" is 20–99.
    assert find_id_numbers(prefix + rest, today=TODAY) == []


@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY + timedelta(days=3650)))
def test_dates_are_never_found(day: date) -> None:
    for text in (day.isoformat(), f"{day:%Y%m%d}", f"{day:%y%m%d}", f"{day:%d/%m %Y}"):
        assert find_id_numbers(text, today=TODAY) == []


@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes_and_spans_hold_ten_or_twelve_digits(text: str) -> None:
    for match in find_id_numbers(text, today=TODAY):
        digits = [ch for ch in text[match.start : match.end] if ch.isdecimal()]
        assert len(digits) in (10, 12)
