"""Guard against Swedish personal identity numbers in free text.

Everything the bot stores as free text goes through :func:`contains_id_number` first so that
newcomers' personnummer or samordningsnummer do not end up in a network's records.

The guard has two halves. Finding candidates in free text is done here (no library scans prose
for these numbers); checking each candidate — birth date, Luhn check digit, organisation numbers
— leans on python-stdnum's ``stdnum.se`` modules and ``stdnum.luhn``.

Normalising before matching
---------------------------
Text is folded first (:func:`fold_for_matching`), one output character per kept input character
so that offsets map back to the text as written:

* format characters (Unicode category Cf: direction marks, ZWJ, ZWNJ, U+061C, zero-width space,
  BOM, soft hyphen …) and combining marks (Mn, Me: variation selectors, keycaps) are dropped;
  they are invisible and ride along with copy and paste, or are put there to get a number past;
* every Unicode decimal digit (Arabic-Indic "٨٥٠٧٠٩", Persian, fullwidth, mathematical …)
  becomes its ASCII digit, so changing keyboard layout does not get a number past the guard;
* every dash (category Pd, the minus signs U+2212, U+207B, U+208B, U+2796, U+02D7, the hyphen
  bullet U+2043) becomes "-", every plus sign (U+FF0B, U+FE62 …) "+";
* every space (no-break, thin, narrow, ideographic, tabs, line breaks) becomes " ", and a run
  of them one space.

What counts as a match
----------------------
* Ten digits ``YYMMDD?NNNC`` where ``?`` is nothing, one space ("850709 9805"), or a hyphen or
  plus sign (the form for people aged 100 or more) with or without a space on either side
  ("850709 - 9805", "850709-" + line break + "9805").
* Twelve digits ``YYYYMMDD?NNNC`` where ``?`` is nothing or a hyphen or (wrongly, but it is
  still somebody's number) a plus sign, with or without spaces around it. A space alone is *not*
  accepted here: "20251204 1530" (date and time) would otherwise be flagged one time in ten.
* The date written with hyphens, ``YYYY-MM-DD-NNNC`` or ``YY-MM-DD-NNNC`` ("1985-07-09-9805");
  the last separator must then be a hyphen (or plus), so "2025-12-04 1530" stays a date and time,
  and what follows must not continue with a hyphen and digits ("2019-05-06–2019-05-10" is a
  date range).
* The run must not touch another digit on either side, so 11+ digit runs (IBANs, long reference
  numbers, "0046701234567") never yield a match from their middle.
* The Luhn check digit over the ten-digit form must be right (``stdnum.luhn``).
* The date must exist (``stdnum.se.personnummer``): in a samordningsnummer (co-ordination
  number) the day is increased by 60 (61–91). The century of the ten-digit form: a plus sign
  means 100 or older; otherwise (hyphen, space or nothing) under 100, as Skatteverket writes it.
  Twelve-digit numbers must not lie before 1870. No number may lie in the future.

False alarms we stop, and the trade-offs they cost
--------------------------------------------------
* **Recent dates are date stamps.** A number whose birth date is less than a year before today
  ("2512041530", a timestamp of 4 December 2025 15:30; an invoice number "20251204-1530") is
  read as a timestamp, invoice, order or case number, not as a person's number. Cost: the number
  of a baby under one year is let through — unless a word that says it is a personal number
  ("personnummer", "pnr", "samordningsnummer", "född", "born" …) stands just before it.
* **Invoice labels.** A twelve-digit number right after a word such as "faktura", "fakturanr",
  "invoice", "order", "OCR", "ref", "kvitto" or "bokning" is that reference, whatever its date.
  Cost: none we know of. What stays: an unlabelled invoice number dated more than a year ago is
  refused when its last digit happens to fit Luhn (one in ten; 6.6 % of random invoice numbers
  of the last three years).
* Organisation numbers ("212000-1355", ``stdnum.se.orgnr``): their third digit is always 2 or
  more, so the "month" is at least 20 and never a date; they are let through explicitly. (A sole
  trader's organisation number *is* the owner's personnummer and is caught.)
* Dates ("2025-12-04", "20251204": eight digits), amounts ("14 000 000", "14000000"), postcodes
  ("432 41"), formatted phone numbers ("070-123 45 67", "+46 70 123 45 67", "+46701234567"):
  wrong digit count or grouping.
* A field that holds a phone number is parsed as one first (``bot.services.profiles``): a valid
  phone number there is a phone number, never refused by this guard.

Kept on purpose: **in free text, a bare ten-digit number whose date is valid (and more than a
year ago) and whose check digit is right is refused** even when it is a phone number. Mobile
numbers 072-, 073-, 076-, 078-, 079- never collide ("month" 20–99), but a bare 070-number
("0701132417") can look like the number of someone born in 2007, a real age group among
newcomers (young adults, unaccompanied minors). We refuse it (measured: 4–6 % of random valid
070-numbers, about 1 % of random valid mobile numbers), and the refusal tells the member to
write phone numbers as 070-123 45 67. In the profile's phone field the same numbers are never
refused. Measure it with ``python -m bot.services.personnummer --false-alarms`` (10,000 of
each; ``--seed``, ``--today``).

"Today" is the machine's date (``date.today()``) unless a caller passes ``today=``; the checks
that use it (future dates, the century, the one-year window) move by days, not by the bot's clock.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.se import orgnr
from stdnum.se import personnummer as se_personnummer

__all__ = [
    "Folded",
    "IdNumberKind",
    "IdNumberMatch",
    "contains_id_number",
    "find_id_numbers",
    "fold_for_matching",
    "luhn_ok",
]

IdNumberKind = Literal["personnummer", "samordningsnummer"]

# --- normalising --------------------------------------------------------------------------------

_DROPPED_CATEGORIES = frozenset({"Cf", "Mn", "Me"})
# Dashes outside category Pd that people (or word processors) put between the date and the serial.
_EXTRA_DASHES = frozenset("\u2212\u207b\u208b\u2796\u02d7\u2043")
_PLUSES = frozenset("+\uff0b\ufe62\u207a\u208a\u2795")


@dataclass(frozen=True, slots=True)
class Folded:
    """Text folded for matching; ``origin[i]`` is where ``text[i]`` came from in the original."""

    text: str
    origin: tuple[int, ...]


def _fold_char(char: str) -> str:
    """The folded form of one character: "" (dropped), a digit, "-", "+", " " or itself."""
    if char.isascii():
        return " " if char.isspace() else char
    category = unicodedata.category(char)
    if category in _DROPPED_CATEGORIES:
        return ""
    if category == "Nd":
        return str(unicodedata.decimal(char))
    if category == "Pd" or char in _EXTRA_DASHES:
        return "-"
    if char in _PLUSES:
        return "+"
    if char.isspace() or category in ("Zs", "Zl", "Zp"):
        return " "
    return char


def fold_for_matching(text: str) -> Folded:
    """Fold ``text`` as the module docstring describes: drop invisible characters, map digits,
    dashes, plus signs and spaces to ASCII, collapse runs of spaces."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        if not folded or (folded == " " and out and out[-1] == " "):
            continue
        out.append(folded)
        origin.append(index)
    return Folded("".join(out), tuple(origin))


# --- finding candidates -------------------------------------------------------------------------

# (?<![0-9])/(?![0-9]) give the digit boundaries. The twelve-digit forms are tried first so that
# "19850709-9805" is reported as one match rather than its last ten digits. A date written with
# hyphens ("1985-07-09") needs a hyphen or plus before the serial, and so does a space in the
# twelve-digit form: "2025-12-04 1530" and "20251204 1530" are a date and a time.
_PATTERN = re.compile(
    r"""
    (?<![0-9])
    (?:
        (?P<c12>[0-9]{2})(?P<y12>[0-9]{2})
            (?: (?P<m12>[0-9]{2})(?P<d12>[0-9]{2})(?P<s12>\ ?[-+]\ ?|)
              | -(?P<m12h>[0-9]{2})-(?P<d12h>[0-9]{2})(?P<s12h>\ ?[-+]\ ?) )
            (?P<n12>[0-9]{4})
      |
        (?P<y10>[0-9]{2})
            (?: (?P<m10>[0-9]{2})(?P<d10>[0-9]{2})(?P<s10>\ ?[-+]\ ?|\ ?)
              | -(?P<m10h>[0-9]{2})-(?P<d10h>[0-9]{2})(?P<s10h>\ ?[-+]\ ?) )
            (?P<n10>[0-9]{4})
    )
    (?![0-9])
    # a date written with hyphens followed by another one is a date range, not a number:
    # "2019-05-06–2019-05-10"
    (?(m12h)(?!\ ?-\ ?[0-9]))(?(m10h)(?!\ ?-\ ?[0-9]))
    """,
    re.VERBOSE,
)

# Words that say the number next to them is a person's number: they override the "recent date"
# exception, so "Barnets pnr 20250301-1234" is refused although the child is a baby.
_ID_WORDS = re.compile(
    r"(?:person|pers\.?|p-?|samordnings|samo-?|födelse|id-?)n(?:umme)?r"  # personnummer, pnr …
    r"|(?:personal|identity|id) (?:identity |id )?number|\bfödd\b|\bborn\b|\bbirth",
    re.IGNORECASE,
)
# How far before the number such a word, or an invoice label, is looked for (folded characters).
_ID_WORD_REACH = 40

# Labels that make a twelve-digit number right after them an invoice, order or reference number.
_REFERENCE_LABEL = re.compile(
    r"\b(?:faktura\w*|invoice\w*|inv|order\w*|beställning\w*|ocr(?:-?nummer|-?nr)?|ref|refnr"
    r"|referens\w*|reference|kvitto\w*|receipt|bokning\w*|booking|verifikation\w*|ver)"
    r"[\s.:#-]*(?:(?:nr|no|number|nummer)\b[\s.:#-]*)?$",
    re.IGNORECASE,
)

_EARLIEST_YEAR = 1870  # nobody alive was born earlier; keeps "1234…" reference numbers out
# A "birth date" less than this long ago is read as a date stamp (see the module docstring).
_RECENT = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class IdNumberMatch:
    """Where an identity number was found: ``text[start:end]`` is the number as written."""

    start: int
    end: int
    kind: IdNumberKind


def luhn_ok(digits: str) -> bool:
    """Whether the Luhn (mod 10) check digit of the ASCII digit string ``digits`` is right."""
    return luhn.is_valid(digits)


def _birth_date(year: int, month: int, day_field: int, serial: str) -> tuple[date, IdNumberKind]:
    """The birth date and kind of a number with a known century; raises ValidationError.

    python-stdnum checks the date; it does not know co-ordination numbers, so their day is
    brought back into 1–31 first (the Luhn digit is checked separately on the digits as written).
    """
    kind: IdNumberKind = "personnummer"
    day = day_field
    if 61 <= day_field <= 91:
        kind, day = "samordningsnummer", day_field - 60
    twelve = f"{year:04d}{month:02d}{day:02d}-{serial}"
    return se_personnummer.get_birth_date(twelve), kind


def _century_year(yy: int, month: int, day_field: int, plus: bool, today: date) -> int:
    """The full year of a ten-digit number: under 100 years old, or 100+ with a plus sign.

    The most recent year ending in ``yy`` whose birthday is not after today; the plus sign moves
    it back a century. (Bare digits are read as under 100, as Skatteverket's convention has it:
    the plus sign is the only way a ten-digit number says "100 or older".)
    """
    year = today.year - (today.year - yy) % 100
    day = day_field - 60 if day_field > 60 else day_field
    if (month, day) > (today.month, today.day) and year == today.year:
        year -= 100
    return year - 100 if plus else year


@dataclass(frozen=True, slots=True)
class _Candidate:
    twelve: bool
    year: int
    month: int
    day_field: int
    digits10: str  # YYMMDDNNNC as written (the digits the Luhn check covers)


def _candidate(match: re.Match[str], today: date) -> _Candidate:
    if match["c12"] is not None:
        month = match["m12"] or match["m12h"]
        day = match["d12"] or match["d12h"]
        year = int(match["c12"] + match["y12"])
        digits = match["y12"] + month + day + match["n12"]
        return _Candidate(True, year, int(month), int(day), digits)
    month = match["m10"] or match["m10h"]
    day = match["d10"] or match["d10h"]
    separator = match["s10"] if match["s10"] is not None else match["s10h"]
    year = _century_year(int(match["y10"]), int(month), int(day), "+" in separator, today)
    return _Candidate(False, year, int(month), int(day), match["y10"] + month + day + match["n10"])


def _kind(candidate: _Candidate, today: date) -> tuple[IdNumberKind, date] | None:
    """The kind and birth date when ``candidate`` is a valid number, else None."""
    digits = candidate.digits10
    if int(digits[2]) >= 2 and orgnr.is_valid(digits):
        return None  # an organisation number: "month" 20 or more, never a person
    if not luhn_ok(digits) or not _EARLIEST_YEAR <= candidate.year <= today.year:
        return None
    try:
        born, kind = _birth_date(candidate.year, candidate.month, candidate.day_field, digits[6:])
    except ValidationError:
        return None
    if born > today:
        return None
    return kind, born


def find_id_numbers(text: str, *, today: date | None = None) -> list[IdNumberMatch]:
    """All personnummer and samordningsnummer in ``text``, in order of appearance.

    ``today`` fixes the reference date for the century, recency and not-in-the-future checks
    (tests); it defaults to the current date.
    """
    today = today or date.today()
    folded = fold_for_matching(text)
    found: list[IdNumberMatch] = []
    for match in _PATTERN.finditer(folded.text):
        candidate = _candidate(match, today)
        checked = _kind(candidate, today)
        if checked is None:
            continue
        kind, born = checked
        before = folded.text[max(0, match.start() - _ID_WORD_REACH) : match.start()]
        said_to_be_an_id = _ID_WORDS.search(before) is not None
        if not said_to_be_an_id:
            if today - born < _RECENT:
                continue  # a date stamp: timestamp, invoice or order number (see docstring)
            if candidate.twelve and _REFERENCE_LABEL.search(before):
                continue  # "Faktura 20230115-4411"
        start = folded.origin[match.start()]
        end = folded.origin[match.end() - 1] + 1
        found.append(IdNumberMatch(start, end, kind))
    return found


def contains_id_number(text: str, *, today: date | None = None) -> bool:
    """Whether ``text`` contains at least one personnummer or samordningsnummer."""
    return bool(find_id_numbers(text, today=today))


# --- measuring the false alarms -----------------------------------------------------------------


def _random_mobile_numbers(rng: random.Random, count: int) -> list[str]:
    """``count`` random valid Swedish mobile numbers in national form, bare ("0701234567")."""
    import phonenumbers  # only the measurement needs it here

    numbers: list[str] = []
    while len(numbers) < count:
        national = "07" + "".join(rng.choices("0123456789", k=8))
        parsed = phonenumbers.parse(national, "SE")
        if (
            phonenumbers.is_valid_number(parsed)
            and phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE
        ):
            numbers.append(national)
    return numbers


def _random_invoice_numbers(rng: random.Random, count: int, today: date, days: int) -> list[str]:
    """``count`` invoice numbers "YYYYMMDD-NNNN", dated in the ``days`` days up to ``today``."""
    return [
        f"{today - timedelta(days=rng.randrange(days)):%Y%m%d}-{rng.randrange(10_000):04d}"
        for _ in range(count)
    ]


def false_alarm_report(count: int = 10_000, seed: int = 1, today: date | None = None) -> str:
    """The guard's false-alarm rates on random phone and invoice numbers, as printable lines."""
    today = today or date.today()
    rng = random.Random(seed)
    mobiles = _random_mobile_numbers(rng, count)
    invoices_year = _random_invoice_numbers(rng, count, today, 365)
    invoices_3y = _random_invoice_numbers(rng, count, today, 3 * 365)

    def rate(texts: list[str]) -> str:
        hits = sum(contains_id_number(text, today=today) for text in texts)
        return f"{hits:>5} / {len(texts)} = {100 * hits / len(texts):5.2f} %"

    mobiles_070 = [m for m in mobiles if m.startswith("070")]
    from bot.services.contact_fields import PhoneError, normalize_phone

    def refused_as_phone(number: str) -> bool:
        """The profile's phone field: parsed first, screened only when it is no phone number."""
        try:
            normalize_phone(number)
        except PhoneError:
            return contains_id_number(number, today=today)
        return False

    in_field = sum(refused_as_phone(m) for m in mobiles)
    lines = [
        f"personnummer guard, false alarms (today {today}, seed {seed})",
        f"mobile numbers, bare (0701234567):             {rate(mobiles)}",
        f"  of which 070-numbers:                        {rate(mobiles_070)}",
        f"mobile numbers, bare in a sentence:            "
        f"{rate([f'Ring mig på {m} i morgon.' for m in mobiles])}",
        f"mobile numbers, bare, in the phone field:      "
        f"{in_field:>5} / {len(mobiles)} = {100 * in_field / len(mobiles):5.2f} %",
        f"mobile numbers, written 070-123 45 67:         "
        f"{rate([f'{m[:3]}-{m[3:6]} {m[6:8]} {m[8:]}' for m in mobiles])}",
        f"invoice YYYYMMDD-NNNN, dated last 12 months:   {rate(invoices_year)}",
        f"invoice YYYYMMDD-NNNN, dated last 3 years:     {rate(invoices_3y)}",
        f"  the same after 'Faktura':                    "
        f"{rate([f'Faktura {n} är betald.' for n in invoices_3y])}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m bot.services.personnummer --false-alarms [--count N] [--seed S]``."""
    parser = argparse.ArgumentParser(prog="python -m bot.services.personnummer")
    parser.add_argument("--false-alarms", action="store_true", help="measure the false alarms")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    args = parser.parse_args(argv)
    if not args.false_alarms:
        parser.print_help()
        return 2
    print(false_alarm_report(args.count, args.seed, args.today))
    return 0


if __name__ == "__main__":
    sys.exit(main())
