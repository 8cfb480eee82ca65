"""Tests for the personal identity number guard.

All numbers are fictional: they are generated here with the Luhn algorithm, using serial numbers
in the 98x range (the range Skatteverket's published test numbers use) plus the well-known
example number 121212-1212 ("Tolvan Tolvansson").
"""

from __future__ import annotations

import random
import sys
import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.services.personnummer import (
    IdNumberKind,
    IdNumberMatch,
    contains_id_number,
    find_id_numbers,
    fold_for_matching,
    luhn_ok,
    main,
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


def digits_in(script_zero: str, text: str) -> str:
    """``text`` with its ASCII digits written in the script whose zero is ``script_zero``."""
    return "".join(chr(ord(script_zero) + int(c)) if c.isdigit() else c for c in text)


def kinds(text: str) -> list[IdNumberKind]:
    return [m.kind for m in find_id_numbers(text, today=TODAY)]


P: IdNumberKind = "personnummer"
S: IdNumberKind = "samordningsnummer"

# The number: 850709-9805 (Luhn-correct, born 1985-07-09).
N = "850709-9805"
assert pnr("850709", serial="980") == N

# Every dash the folding maps to "-": category Pd and the minus signs.
DASHES = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Pd"] + list(
    "\u2212\u207b\u208b\u2796\u02d7\u2043"
)
SPACES = list("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a")
SPACES += ["\u202f", "\u205f", "\u3000", "\t", "\n", "\r\n", "  ", " \n "]
# Format characters (Cf) that can sit, invisible, inside a number.
FORMAT_CHARS = list("\u00ad\u0600\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c")
FORMAT_CHARS += list("\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff")
# The zero of decimal digit scripts people's keyboards can type.
ZEROS = {
    "Arabic-Indic": "\u0660",
    "Persian": "\u06f0",
    "N'Ko": "\u07c0",
    "Devanagari": "\u0966",
    "Bengali": "\u09e6",
    "Gujarati": "\u0ae6",
    "Tamil": "\u0be6",
    "Telugu": "\u0c66",
    "Thai": "\u0e50",
    "Lao": "\u0ed0",
    "Tibetan": "\u0f20",
    "Myanmar": "\u1040",
    "Khmer": "\u17e0",
    "Mongolian": "\u1810",
    "fullwidth": "\uff10",
    "mathematical bold": "\U0001d7ce",
    "mathematical double-struck": "\U0001d7d8",
}

MUST_MATCH: list[tuple[str, str, list[IdNumberKind]]] = [
    ("Tolvan with hyphen", "121212-1212", [P]),
    ("ten digits, hyphen", pnr("850709"), [P]),
    ("ten digits, no separator", pnr("850709", sep=""), [P]),
    ("ten digits, space", pnr("850709", sep=" "), [P]),
    ("ten digits, en dash", pnr("850709", sep="–"), [P]),
    ("ten digits, minus sign", pnr("850709", sep="−"), [P]),
    ("100+ years, plus sign", pnr("121212", sep="+"), [P]),
    ("100+ years, plus sign with spaces", pnr("121212", sep=" + "), [P]),
    ("twelve digits, hyphen", pnr("850709", century="19"), [P]),
    ("twelve digits, bare", pnr("850709", sep="", century="19"), [P]),
    ("twelve digits, plus sign", pnr("121212", sep="+", century="19"), [P]),
    ("twelve digits, spaced hyphen", pnr("850709", sep=" - ", century="19"), [P]),
    ("born this century", pnr("070123", serial="982"), [P]),
    ("born this century, twelve digits", pnr("070123", serial="982", century="20"), [P]),
    ("samordningsnummer", pnr("850769", serial="981"), [S]),
    ("samordningsnummer, twelve digits", pnr("850769", sep="", century="19"), [S]),
    ("samordningsnummer, day 91", pnr("901291", serial="983"), [S]),
    ("samordningsnummer, fullwidth", digits_in("\uff10", pnr("850769", serial="981")), [S]),
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
    ("bare 070-number in free text (hint: write 070-113 24 17)", "Ring 0701132417", [P]),
    # --- the misses ---
    ("right-to-left mark before the hyphen", "850709\u200f-9805", [P]),
    ("zero-width joiner before the hyphen", "850709\u200d-9805", [P]),
    ("zero-width non-joiner before the hyphen", "850709\u200c-9805", [P]),
    ("Arabic letter mark before the hyphen", "850709\u061c-9805", [P]),
    ("fullwidth digits and fullwidth hyphen-minus", "８５０７０９－９８０５", [P]),
    ("no-break space as separator", "850709\u00a09805", [P]),
    ("thin space as separator", "850709\u20099805", [P]),
    ("spaced hyphen", "850709 - 9805", [P]),
    ("hyphen, then a line break", "850709-\n9805", [P]),
    ("date written with hyphens", "1985-07-09-9805", [P]),
    # --- more of the same kind ---
    ("date with hyphens, spaced last hyphen", "1985-07-09 - 9805", [P]),
    ("date with minus signs", "1985−07−09−9805", [P]),
    ("ten-digit date with hyphens", "85-07-09-9805", [P]),
    ("twelve digits, spaced hyphen, no-break spaces", "19850709\u00a0-\u00a09805", [P]),
    ("joiner between every digit", "\u200d".join("8507099805"), [P]),
    ("mixed scripts", "٨٥٠٧٠٩-９８０５", [P]),
    ("Arabic digits with Arabic letter marks", "\u061c٨٥٠٧٠٩\u061c-\u061c٩٨٠٥", [P]),
    ("fullwidth with ideographic space", "８５０７０９\u3000９８０５", [P]),
    ("keycap digits", "".join(f"{d}\ufe0f\u20e3" if d.isdigit() else d for d in N), [P]),
    ("combining marks on digits", "".join(f"{d}\u0301" if d.isdigit() else d for d in N), [P]),
    ("bold markdown", f"**{N}**", [P]),
    ("inline code", f"`{N}`", [P]),
    ("spoiler", f"||{N}||", [P]),
    ("in a link", "https://exempel.se/?pnr=8507099805", [P]),
    ("Arabic sentence", f"رقم الهوية {N} شكرا", [P]),
    ("line break inside the separator of a twelve-digit number", "19850709 -\n9805", [P]),
    # --- recent dates that the text says are personal numbers ---
    ("baby, 'pnr' before", f"Barnets pnr {pnr('20250301'[2:], century='20')}", [P]),
    ("baby, 'personnummer:'", f"Personnummer: {pnr('251120')}", [P]),
    ("baby, 'född'", f"född {pnr('251101', sep='', century='20')}", [P]),
    ("baby, 'samordningsnummer'", f"samordningsnummer {pnr('251161', serial='981')}", [S]),
    ("baby, English", f"personal identity number {pnr('250601', century='20')}", [P]),
    ("timestamp-shaped, but said to be a pnr", "pnr 2512041530", [P]),
]
MUST_MATCH += [(f"separator U+{ord(d):04X}", pnr("850709", sep=d), [P]) for d in DASHES if d != "-"]
MUST_MATCH += [(f"space separator {s!r}", f"850709{s}9805", [P]) for s in SPACES]
MUST_MATCH += [
    (f"format character U+{ord(c):04X} inside", f"850{c}709-98{c}05", [P]) for c in FORMAT_CHARS
]
MUST_MATCH += [(f"{name} digits", digits_in(zero, N), [P]) for name, zero in ZEROS.items()]

MUST_NOT_MATCH: list[tuple[str, str]] = [
    ("wrong check digit", bad_check(pnr("850709"))),
    ("wrong check digit, twelve", bad_check(pnr("850709", century="19"))),
    ("wrong check digit, joiner inside", "850709\u200d-9806"),
    ("wrong check digit, fullwidth", "８５０７０９－９８０６"),
    ("wrong check digit, spaced hyphen", "850709 - 9806"),
    ("month 13", pnr("851309")),
    ("month 00", pnr("850009")),
    ("day 00", pnr("850700")),
    ("day 32", pnr("850732")),
    ("day 60 (neither kind)", pnr("850760")),
    ("day 92 (beyond samordningsnummer)", pnr("850792")),
    ("30 February", pnr("850230")),
    ("31 April", pnr("850431")),
    ("samordningsnummer for 30 February", pnr("850290")),
    ("29 Feb in a non-leap year", pnr("030229")),
    ("29 Feb 1900 (plus: born 1900, not a leap year)", pnr("000229", sep="+")),
    ("29 Feb 1900, twelve digits", pnr("000229", century="19")),
    ("twelve digits, in the future", pnr("300101", century="20")),
    ("twelve digits, year 1850", pnr("500101", century="18")),
    ("twelve digits, space (date-and-time look-alike)", pnr("850709", sep=" ", century="19")),
    ("twelve digits, no-break space", pnr("850709", sep="\u00a0", century="19")),
    ("date with hyphens, then a space and four digits", "1985-07-09 9805"),
    ("date with hyphens, then a time", "2025-12-04 1530"),
    ("date range", "2019-05-06–2019-05-10"),
    ("date range, spaced", "1985-07-09 - 1985-07-12"),
    ("digit glued on the left", "1" + pnr("850709", sep="")),
    ("digit glued on the right", pnr("850709", sep="") + "1"),
    ("digit glued on the left through a zero-width space", "1\u200b8507099805"),
    ("digit glued on the right through a joiner", "8507099805\u200d1"),
    ("13-digit run", "1" + pnr("850709", sep="", century="19")),
    ("ISO date", "2025-12-04"),
    ("compact date", "20251204"),
    ("date and time", "2025-12-04 15:30"),
    ("Swedish date", "4/12 2025"),
    ("meeting time", "Möte 2025-12-04 kl. 13.00–15.00"),
    # --- the false alarms ---
    ("timestamp YYMMDDHHMM", "2512041530"),
    ("timestamp in a sentence", "Loggen från 2512041530 visar felet."),
    ("invoice number, today", pnr("251204", serial="153", century="20")),
    ("invoice number, last month", pnr("251103", serial="412", century="20")),
    ("invoice number, in the summer", f"Fakturan {pnr('250615', serial='007', century='20')}"),
    ("invoice number, New Year", pnr("250101", serial="300", century="20")),
    ("invoice number, 364 days old", pnr("241205", serial="111", century="20")),
    ("invoice number, bare twelve digits", pnr("251001", sep="", century="20")),
    ("timestamp, last week", pnr("251127", serial="093", sep="")),
    ("older invoice after 'Faktura'", f"Faktura {pnr('230115', serial='441', century='20')}"),
    ("after 'Fakturanr:'", f"Fakturanr: {pnr('220301', serial='120', century='20')}"),
    ("after 'Invoice #'", f"Invoice #{pnr('210907', serial='550', century='20')}"),
    ("after 'Order'", f"Order {pnr('200512', serial='901', century='20')}"),
    ("after 'OCR'", f"OCR {pnr('190401', serial='771', century='20')}"),
    ("after 'Ref.'", f"Ref. {pnr('180220', serial='314', century='20')}"),
    ("after 'Kvitto nr'", f"Kvitto nr {pnr('230830', serial='222', century='20')}"),
    ("after 'bokningsnummer'", f"bokningsnummer {pnr('240101', serial='999', century='20')}"),
    # --- phone numbers written the usual ways (0701132417 passes date and Luhn when bare) ---
    ("mobile, usual form", "070-123 45 67"),
    ("mobile, spaces", "070 123 45 67"),
    ("mobile, international", "+46 70 123 45 67"),
    ("mobile, international compact", "+46701234567"),
    ("mobile, 0046", "0046701234567"),
    ("mobile, bare 0701234567", "0701234567"),
    ("mobile, bare 073 (month 3x)", "0731234567"),
    ("Luhn-valid mobile, usual form", "070-113 24 17"),
    ("Luhn-valid mobile, no-break spaces", "070-113\u00a024\u00a017"),
    ("Luhn-valid mobile, thin spaces", "070\u2009113\u200924\u200917"),
    ("Luhn-valid mobile, 3+7", "070-1132417"),
    ("Luhn-valid mobile, international", "+46 70 113 24 17"),
    ("Luhn-valid mobile, +46 compact", "+46701132417"),
    ("Luhn-valid mobile, fullwidth usual form", "０７０－１１３ ２４ １７"),
    ("Luhn-valid mobile, Arabic digits usual form", "٠٧٠-١١٣ ٢٤ ١٧"),
    ("bare 072-number", "0721132417"),
    ("bare 076-number", "0761132417"),
    ("bare 079-number", "0791132417"),
    ("Stockholm landline", "08-123 456 78"),
    ("Göteborg landline", "031-12 34 56"),
    ("Norwegian number", "+47 22 12 34 56"),
    ("Zoom meeting id", "Möte-ID: 850 7099 8051"),
    ("Teams conference id", "Konferens-ID: 850 709 980#"),
    # --- other numbers ---
    ("amount with spaces", "Budgeten är 14 000 000 kronor."),
    ("amount, bare", "14000000"),
    ("large amount", "1 234 567 890 kr"),
    ("amount grouped in threes", "8 507 099 805 kr"),
    ("organisation number (month 20)", "212000-1355"),
    ("organisation number of a company (month 60)", "556036-0793"),
    ("organisation number, region", pnr("232100", serial="016")),
    ("organisation number, foundation", pnr("802000", serial="123")),
    ("organisation number, association", pnr("802400", serial="555", sep="")),
    ("organisation number with 16 prefix", f"16{pnr('556036', serial='079')}"),
    ("IBAN, spaced", "SE45 5000 0000 0583 9825 7466"),
    ("IBAN, compact", "SE4550000000058398257466"),
    ("postcode", "432 41 Varberg"),
    ("postcode, compact", "43241"),
    ("bankgiro", "5050-1055"),
    ("plusgiro", "4 12 34-5"),
    ("ISBN", "978-91-7054-980-5"),
    ("diarienummer", "Dnr 2025-00123"),
    ("version number", "v2.12.0409"),
    ("empty", ""),
    ("only invisible characters", "\u200b\u200d\u200f"),
    ("recent, ten digits with hyphen", pnr("251201", serial="420")),
    (
        "recent, fullwidth with a joiner",
        digits_in("\uff10", pnr("251115", serial="077")) + "\u200d",
    ),
    ("recent, date written with hyphens", "2025-11-30-" + pnr("251130", serial="512")[-4:]),
    ("municipality's organisation number", pnr("212000", serial="138")),
    ("municipality's organisation number, bare", pnr("212000", serial="218", sep="")),
    ("company's organisation number, spaced hyphen", pnr("559012", serial="345", sep=" - ")),
    ("mobile, +46 with a joiner inside", "+46\u200d701132417"),
    ("mobile, 0046 spaced", "0046 70 113 24 17"),
]


def test_table_is_large_enough() -> None:
    assert len(MUST_MATCH) >= 100
    assert len(MUST_NOT_MATCH) >= 100


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in MUST_MATCH], ids=[c[0] for c in MUST_MATCH]
)
def test_must_match(text: str, expected: list[IdNumberKind]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize("text", [c[1] for c in MUST_NOT_MATCH], ids=[c[0] for c in MUST_NOT_MATCH])
def test_must_not_match(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "2512041530",
        pnr("251204", serial="153", century="20"),
        pnr("241205", serial="111", century="20"),
        f"Faktura {pnr('230115', serial='441', century='20')}",
        f"Order {pnr('200512', serial='901', century='20')}",
    ],
)
def test_the_exceptions_are_exceptions(text: str) -> None:
    """Each let-through date stamp or invoice number is a valid number in itself: refused the
    moment the text says it is a personal number, or when the label is not right before it."""
    number = text.split()[-1].lstrip("#")
    assert kinds(text) == []
    assert kinds(f"pnr {number}") == [P]
    if not number.startswith("2"):
        return
    assert kinds(f"Faktura för {pnr('850709')}") == [P]  # labels only let twelve digits through


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


def test_span_in_original_text_with_invisible_characters_and_spaces() -> None:
    text = "Se\u00a0\u00a0850709\u200f - \n9805\u200e."
    (match,) = find_id_numbers(text, today=TODAY)
    assert text[match.start : match.end] == "850709\u200f - \n9805"


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


def test_false_alarm_figures_are_printed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--false-alarms", "--count", "300", "--today", "2025-12-04"]) == 0
    out = capsys.readouterr().out
    assert "mobile numbers, bare" in out and "invoice YYYYMMDD-NNNN" in out
    # Written the usual way, phone numbers never collide; recent invoice numbers never do.
    assert "written 070-123 45 67:             0 / 300" in out
    assert "in the phone field:          0 / 300" in out
    assert "dated last 12 months:       0 / 300" in out


# --- the folding ------------------------------------------------------------------------------


def test_folding_maps_digits_dashes_and_spaces_and_keeps_offsets() -> None:
    folded = fold_for_matching("٨٥\u200d０－\u00a0\u2009\n+\uff0b−x")
    assert folded.text == "850- ++-x"
    assert folded.origin == (0, 1, 3, 4, 5, 8, 9, 10, 11)


@given(st.text(max_size=200))
def test_folding_is_one_to_one_in_order(text: str) -> None:
    folded = fold_for_matching(text)
    assert len(folded.text) == len(folded.origin)
    assert list(folded.origin) == sorted(set(folded.origin))
    assert all(0 <= i < len(text) for i in folded.origin)
    for char, i in zip(folded.text, folded.origin, strict=True):
        original = text[i]
        category = unicodedata.category(original)
        assert category not in ("Cf", "Mn", "Me")
        if category == "Nd":
            assert char == str(unicodedata.decimal(original))
        elif original.isspace():
            assert char == " "
        elif category == "Pd":
            assert char == "-"
        elif char not in "-+ ":
            assert char == original


@given(st.text(max_size=200))
def test_folding_is_idempotent_and_has_no_double_spaces(text: str) -> None:
    once = fold_for_matching(text).text
    assert fold_for_matching(once).text == once
    assert "  " not in once
    assert all(not unicodedata.category(c).startswith(("Cf", "Mn", "Me")) for c in once)


# --- properties ---------------------------------------------------------------------------------

# Text around the number: anything but decimal digits (which would extend the digit run).
NO_DIGITS = st.text(st.characters(exclude_categories=["Nd", "Cs"]), max_size=20)
# Born at least a year before TODAY: younger "birth dates" are read as date stamps.
OLDEST, YOUNGEST = date(1890, 1, 1), TODAY - timedelta(days=366)


@st.composite
def valid_numbers(
    draw: st.DrawFn, min_value: date = OLDEST, max_value: date = YOUNGEST
) -> tuple[str, IdNumberKind]:
    """A correctly written personnummer or samordningsnummer, and its kind."""
    born = draw(st.dates(min_value=min_value, max_value=max_value))
    serial = draw(st.from_regex(r"\A[0-9]{3}\Z"))
    samordning = draw(st.booleans())
    day = born.day + (60 if samordning else 0)
    yymmdd = f"{born.year % 100:02d}{born.month:02d}{day:02d}"
    twelve = draw(st.booleans())
    if twelve:
        sep = draw(st.sampled_from(["", "-", " - ", "\u2013", "\uff0d"]))
        number = pnr(yymmdd, serial, sep, century=f"{born.year // 100}")
    else:
        centenarian = born <= TODAY.replace(year=TODAY.year - 100)
        sep = "+" if centenarian else draw(st.sampled_from(["", "-", " ", "–", " - ", "\u00a0"]))
        number = pnr(yymmdd, serial, sep)
    return number, S if samordning else P


def labelled(before: str) -> bool:
    """Whether ``before`` ends in an invoice label (which lets a twelve-digit number through)."""
    return contains_id_number(before + "1985-07-09-9805", today=TODAY) is False


@given(valid_numbers(), NO_DIGITS, NO_DIGITS)
def test_every_valid_number_is_found_in_any_text(
    number_kind: tuple[str, IdNumberKind], before: str, after: str
) -> None:
    number, kind = number_kind
    assume(not labelled(before))
    text = before + number + after
    assert IdNumberMatch(len(before), len(before) + len(number), kind) in find_id_numbers(
        text, today=TODAY
    )


@given(valid_numbers(min_value=YOUNGEST, max_value=TODAY), NO_DIGITS, NO_DIGITS)
def test_a_recent_number_is_found_when_the_text_says_it_is_one(
    number_kind: tuple[str, IdNumberKind], before: str, after: str
) -> None:
    number, kind = number_kind
    prefix = before + " personnummer: "
    text = prefix + number + after
    assert IdNumberMatch(len(prefix), len(prefix) + len(number), kind) in find_id_numbers(
        text, today=TODAY
    )


@given(
    valid_numbers(),
    st.lists(st.sampled_from([*FORMAT_CHARS, "\u0301", "\ufe0f"]), min_size=1, max_size=6),
    st.randoms(use_true_random=False),
)
def test_invisible_characters_anywhere_inside_do_not_hide_a_number(
    number_kind: tuple[str, IdNumberKind], invisible: list[str], rng: random.Random
) -> None:
    number, kind = number_kind
    chars = list(number)
    for char in invisible:
        position = rng.randrange(1, len(chars))
        chars.insert(position, char)
    text = "Se " + "".join(chars) + "."
    (match,) = find_id_numbers(text, today=TODAY)
    assert match.kind == kind
    assert text[match.start] == number[0] and text[match.end - 1] == number[-1]


@given(valid_numbers(), st.sampled_from(sorted(ZEROS.values())))
def test_digits_of_any_script_do_not_hide_a_number(
    number_kind: tuple[str, IdNumberKind], zero: str
) -> None:
    number, kind = number_kind
    assert kinds(digits_in(zero, number)) == [kind]


MOBILE_PREFIX = st.sampled_from(["070", "072", "073", "076", "079"])
DIGITS = st.from_regex(r"\A[0-9]{7}\Z")


@given(MOBILE_PREFIX, DIGITS, NO_DIGITS, NO_DIGITS, st.sampled_from([" ", "\u00a0", "\u2009"]))
def test_formatted_mobile_numbers_are_never_found(
    prefix: str, rest: str, before: str, after: str, space: str
) -> None:
    usual = f"{prefix}-{rest[:3]} {rest[3:5]} {rest[5:]}".replace(" ", space)
    spaced = f"{prefix} {rest[:3]} {rest[3:5]} {rest[5:]}".replace(" ", space)
    international = f"+46 {prefix[1:]} {rest[:3]} {rest[3:5]} {rest[5:]}".replace(" ", space)
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


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=400),
    st.sampled_from(["–", "-", " - ", " – "]),
)
def test_date_ranges_are_never_found(start: date, days: int, dash: str) -> None:
    end = start + timedelta(days=days)
    assert find_id_numbers(f"{start.isoformat()}{dash}{end.isoformat()}", today=TODAY) == []


@given(st.dates(min_value=TODAY - timedelta(days=365), max_value=TODAY), st.integers(0, 9999))
def test_invoice_numbers_of_the_last_year_are_never_found(day: date, serial: int) -> None:
    for text in (f"{day:%Y%m%d}-{serial:04d}", f"{day:%y%m%d}{serial:04d}"):
        assert find_id_numbers(text, today=TODAY) == []


@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes_and_spans_hold_ten_or_twelve_digits(text: str) -> None:
    for match in find_id_numbers(text, today=TODAY):
        digits = [ch for ch in text[match.start : match.end] if ch.isdecimal()]
        assert len(digits) in (10, 12)
