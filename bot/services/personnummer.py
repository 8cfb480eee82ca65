"""Guard against Swedish personal identity numbers in free text.

Everything the bot stores as free text goes through :func:`contains_id_number` first so that
newcomers' personnummer or samordningsnummer do not end up in a network's records.

What counts as a match
----------------------
* Ten digits ``YYMMDD?NNNC`` where ``?`` is nothing, a hyphen (any Unicode dash), a plus sign
  (the form for people aged 100 or more) or a single space ("850709 9805" — people do type that,
  and a 6+4 grouping is not how phone numbers, amounts or dates are written).
* Twelve digits ``YYYYMMDD?NNNC`` where ``?`` is nothing, a hyphen or (wrongly, but it is still
  somebody's number) a plus sign. A space is *not* accepted here: "20251204 1530" (date and
  time) would otherwise be flagged one time in ten.
* The run must not touch another digit on either side, so 11+ digit runs (IBANs, long reference
  numbers, "0046701234567") never yield a match from their middle.
* The Luhn check digit over the ten-digit form must be right.
* The date must exist: month 01–12 and a day that exists in that month. In a samordningsnummer
  (co-ordination number) the day is increased by 60 (61–91). Leap days are checked against the
  century the number implies: written with a hyphen or a plus sign the ten-digit form has a
  known century (under/over 100 years old); without a separator either century is accepted.
  Twelve-digit numbers must not lie in the future and not before 1870.
* Unicode decimal digits (Arabic-Indic "٨٥٠٧٠٩…", fullwidth …) count as digits, so changing
  keyboard layout does not get a number past the guard. Offsets refer to the original text.

What does not match, and why
----------------------------
* Dates ("2025-12-04", "20251204": eight digits), amounts ("14 000 000", "14000000"), postcodes
  ("432 41"), formatted phone numbers ("070-123 45 67", "+46 70 123 45 67", "+46701234567"):
  wrong digit count or grouping.
* Organisation numbers ("212000-1355"): their third digit is always 2 or more, so the "month"
  is at least 20 and never a date.
* Mobile numbers 072-, 073-, 076-, 079- written as ten bare digits: "month" 20–99. A bare
  070-number ("0701234567") *can* look like the number of someone born in 2000–2009, which is
  a real age group among newcomers (young adults, unaccompanied minors); we flag it when date
  and Luhn digit fit (about one random 070-number in eighteen) rather than let real numbers
  through. Phone numbers written the usual way ("070-123 45 67", "+46 70 …") never collide.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = ["IdNumberKind", "IdNumberMatch", "contains_id_number", "find_id_numbers", "luhn_ok"]

IdNumberKind = Literal["personnummer", "samordningsnummer"]

# Hyphen-minus plus the dashes a word processor or phone keyboard substitutes for it.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"

# (?<!\d)/(?!\d) give the digit boundaries; the separator alternatives differ between the 12-
# and 10-digit forms (see module docstring). The 12-digit form is tried first so that
# "19850709-9805" is reported as one match rather than its last ten digits.
_PATTERN = re.compile(
    rf"""
    (?<!\d)
    (?:
        (?P<c12>\d{{2}})(?P<d12>\d{{6}})(?P<s12>[{_DASHES}+]?)(?P<n12>\d{{4}})
      |
        (?P<d10>\d{{6}})(?P<s10>[{_DASHES}+ ]?)(?P<n10>\d{{4}})
    )
    (?!\d)
    """,
    re.VERBOSE,
)

_EARLIEST_YEAR = 1870  # nobody alive was born earlier; keeps "1234…" reference numbers out


@dataclass(frozen=True, slots=True)
class IdNumberMatch:
    """Where an identity number was found: ``text[start:end]`` is the number as written."""

    start: int
    end: int
    kind: IdNumberKind


def luhn_ok(digits: str) -> bool:
    """Whether the Luhn (mod 10) check digit of the ASCII digit string ``digits`` is right."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:  # every second digit from the right is doubled
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _ascii_digits(text: str) -> str:
    """``text`` with every Unicode decimal digit replaced by its ASCII digit.

    One character in, one character out, so match offsets stay valid for the original text.
    """
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(char)) if not char.isascii() and char.isdecimal() else char
        for char in text
    )


def _birth_day(day: int) -> tuple[int, IdNumberKind] | None:
    """Split the DD field into the calendar day and the kind of number."""
    if 1 <= day <= 31:
        return day, "personnummer"
    if 61 <= day <= 91:
        return day - 60, "samordningsnummer"
    return None


def _is_real_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _check_twelve(century: str, yymmdd: str, today: date) -> IdNumberKind | None:
    year, month = int(century + yymmdd[:2]), int(yymmdd[2:4])
    split = _birth_day(int(yymmdd[4:6]))
    if split is None or not _EARLIEST_YEAR <= year <= today.year:
        return None
    day, kind = split
    if not _is_real_date(year, month, day) or date(year, month, day) > today:
        return None
    return kind


def _check_ten(yymmdd: str, separator: str, today: date) -> IdNumberKind | None:
    yy, month = int(yymmdd[:2]), int(yymmdd[2:4])
    split = _birth_day(int(yymmdd[4:6]))
    if split is None or not 1 <= month <= 12:
        return None
    day, kind = split
    # The most recent year ending in yy that is not in the future. A hyphen (or space) means
    # "under 100", so a birthday later than today in that year belongs to the previous century;
    # a plus sign means "100 or older". Bare digits do not tell, so either century will do.
    recent = today.year - (today.year - yy) % 100
    if separator == "+":
        years = [recent - 100]
    elif separator:
        in_future = (recent, month, day) > (today.year, today.month, today.day)
        years = [recent - 100 if in_future else recent]
    else:
        years = [recent, recent - 100]
    return kind if any(_is_real_date(year, month, day) for year in years) else None


def find_id_numbers(text: str, *, today: date | None = None) -> list[IdNumberMatch]:
    """All personnummer and samordningsnummer in ``text``, in order of appearance.

    ``today`` fixes the reference date for the century and not-in-the-future checks (tests);
    it defaults to the current date.
    """
    today = today or date.today()
    found: list[IdNumberMatch] = []
    for match in _PATTERN.finditer(_ascii_digits(text)):
        if match["c12"] is not None:
            digits10 = match["d12"] + match["n12"]
            kind = _check_twelve(match["c12"], match["d12"], today)
        else:
            digits10 = match["d10"] + match["n10"]
            kind = _check_ten(match["d10"], match["s10"], today)
        if kind is not None and luhn_ok(digits10):
            found.append(IdNumberMatch(match.start(), match.end(), kind))
    return found


def contains_id_number(text: str) -> bool:
    """Whether ``text`` contains at least one personnummer or samordningsnummer."""
    return bool(find_id_numbers(text))
