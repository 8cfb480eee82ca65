"""Validation and normalisation of members' work contact details: e-mail and phone number.

Both functions return the normalised value or raise an error carrying a machine-readable
``reason`` (never prose); the bot turns the reason into a sentence through its sv/en catalogues.

Decisions
---------
E-mail (a pragmatic check, not RFC 5322):

* Surrounding whitespace and a leading ``mailto:`` (pasted links) are removed.
* Local part: the RFC 5322 "dot-atom" characters, at most 64 characters, no leading, trailing
  or doubled dots; it keeps its case. Quoted local parts are refused (nobody's work address
  has one and they are a favourite of injection attempts). Non-ASCII letters in the local part
  are refused with their own reason (``non_ascii_local_part``): Swedish municipalities' addresses
  spell å/ä/ö as a/a/o, so "åsa@kommun.se" is almost certainly a typo that would bounce.
* Domain: lower-cased, at least two labels, each 1–63 characters of letters, digits and inner
  hyphens, top-level domain not numeric. Internationalised domains are accepted and stored in
  Unicode ("åre.se", also when typed as "xn--re-xia.se"); their length limits apply to the
  punycode form. IP-address literals are refused.
* At most 254 characters in total (the SMTP path limit).

Phone numbers:

* Only Swedish numbers are accepted: national form ("070-123 45 67"), +46 or 0046 prefix, with
  or without the "(0)" people put after the country code. Foreign numbers (+47, 0044 …) are
  refused with ``not_swedish``: the networks are Swedish municipal staff with Swedish work
  phones, and grouping foreign numbers correctly would need every country's numbering plan.
* Separators allowed: spaces (incl. no-break and thin spaces), hyphens/dashes, dots, slashes
  and parentheses. Anything else, letters included, is ``invalid_characters``.
* Digits in other scripts (Arabic-Indic "٠٧٠…", Persian "۰۷۰…", fullwidth "０７０…") are converted
  to ASCII: they are what an Arabic or Persian keyboard layout types, and the number is the same.
* Output is the Swedish display convention: area code, hyphen, subscriber number in groups from
  the right: 5 digits "123 45", 6 "12 34 56", 7 "123 45 67", 8 "123 456 78". Area codes: 08
  (Stockholm), the two-digit-after-zero codes in :data:`THREE_DIGIT_AREA_CODES` (031 Göteborg,
  040 Malmö …), mobile 070/072/073/076/079, otherwise four digits (0522 Uddevalla, 0340 Varberg).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

__all__ = [
    "MOBILE_PREFIXES",
    "THREE_DIGIT_AREA_CODES",
    "EmailError",
    "EmailErrorReason",
    "PhoneError",
    "PhoneErrorReason",
    "normalize_email",
    "normalize_phone",
]

# --- e-mail -------------------------------------------------------------------------------------

EmailErrorReason = Literal[
    "empty",
    "too_long",  # more than 254 characters
    "whitespace",  # a space or line break inside the address
    "invalid_characters",  # control characters
    "missing_at",
    "multiple_at",
    "local_part_empty",
    "local_part_too_long",  # more than 64 characters before the @
    "invalid_local_part",  # a character that is not allowed, or misplaced dots
    "non_ascii_local_part",  # å, ä, ö or other non-ASCII letters before the @
    "domain_empty",
    "invalid_domain",  # bad characters, empty label, leading/trailing hyphen, IP literal …
    "domain_missing_dot",  # "anna@kommun"
    "domain_label_too_long",  # a label over 63 characters
    "invalid_tld",  # numeric or one-letter top-level domain
]


class EmailError(ValueError):
    """The input is not a usable e-mail address; ``reason`` says why."""

    # A plain class rather than a frozen dataclass: Python code such as contextlib assigns
    # __traceback__ on exceptions, which a frozen dataclass would refuse.
    def __init__(self, reason: EmailErrorReason) -> None:
        super().__init__(reason)
        self.reason: EmailErrorReason = reason

    def __repr__(self) -> str:
        return f"EmailError(reason={self.reason!r})"


_MAX_EMAIL = 254
_MAX_LOCAL = 64
_MAX_LABEL = 63
_LOCAL_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+")
_ASCII_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_MAILTO = re.compile(r"mailto:", re.IGNORECASE)


def _strip_invisible(text: str) -> str:
    """Remove format characters (zero-width space, soft hyphen, BOM, direction marks).

    They ride along when an address is copied from Outlook, a PDF or a web page, are invisible
    to the person who pasted it, and are never part of a real address.
    """
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def _check_local_part(local: str) -> None:
    if not local:
        raise EmailError("local_part_empty")
    if len(local) > _MAX_LOCAL:
        raise EmailError("local_part_too_long")
    if not local.isascii():
        letters_only = all(ch.isalpha() for ch in local if not ch.isascii())
        raise EmailError("non_ascii_local_part" if letters_only else "invalid_local_part")
    if not all(_LOCAL_ATOM.fullmatch(atom) for atom in local.split(".")):
        raise EmailError("invalid_local_part")  # also catches ".anna", "anna.", "an..na"


def _ascii_label(label: str) -> str:
    """Validate one lower-cased domain label and return its ASCII (punycode) form."""
    if not label:
        raise EmailError("invalid_domain")  # "kommun..se", ".kommun.se", "kommun.se."
    if label.startswith("-") or label.endswith("-"):
        raise EmailError("invalid_domain")
    if label.isascii():
        ascii_label = label
        if not _ASCII_LABEL.fullmatch(label):
            raise EmailError("invalid_domain")
    else:
        # Internationalised label: letters, digits, combining marks and hyphens only.
        if not all(ch.isalnum() or ch == "-" or unicodedata.combining(ch) for ch in label):
            raise EmailError("invalid_domain")
        ascii_label = "xn--" + label.encode("punycode").decode("ascii")
    if len(ascii_label) > _MAX_LABEL:
        raise EmailError("domain_label_too_long")
    return ascii_label


def _unicode_label(label: str) -> str:
    """Decode a punycode label ("xn--re-xia" -> "åre") so each domain has a single spelling."""
    if not label.startswith("xn--"):
        return label
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
    except UnicodeError:
        raise EmailError("invalid_domain") from None
    return unicodedata.normalize("NFC", decoded).lower()


def _normalize_domain(domain: str) -> tuple[str, int]:
    """Lower-case and validate a domain; return it in Unicode (NFC) form and its ASCII length.

    Internationalised domains are kept in Unicode ("åre.se") whether they were typed that way
    or in punycode ("xn--re-xia.se"), so the same address is always stored the same way.
    """
    if not domain:
        raise EmailError("domain_empty")
    if domain.startswith("["):
        raise EmailError("invalid_domain")  # IP literal: never a work address
    labels = unicodedata.normalize("NFC", domain).lower().split(".")
    if len(labels) < 2:
        raise EmailError("domain_missing_dot")
    labels = [_unicode_label(label) for label in labels]
    ascii_labels = [_ascii_label(label) for label in labels]
    tld = labels[-1]
    if tld.isascii() and (len(tld) < 2 or not tld.isalpha()):
        raise EmailError("invalid_tld")
    return ".".join(labels), len(".".join(ascii_labels))


def normalize_email(raw: str) -> str:
    """Validate a work e-mail address and return it normalised (see the module docstring).

    Raises :class:`EmailError` with a machine-readable reason when it is not usable.
    """
    text = raw.strip()
    if len(text) > 2 * _MAX_EMAIL:
        raise EmailError("too_long")  # refuse huge input before doing any work on it
    text = _strip_invisible(text)
    if _MAILTO.match(text):
        text = text[len("mailto:") :].strip()
    if not text:
        raise EmailError("empty")
    if len(text) > _MAX_EMAIL:
        raise EmailError("too_long")
    if any(ch.isspace() for ch in text):
        raise EmailError("whitespace")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise EmailError("invalid_characters")
    if "@" not in text:
        raise EmailError("missing_at")
    if text.count("@") > 1:
        raise EmailError("multiple_at")
    local, domain = text.split("@")
    _check_local_part(local)
    domain, ascii_domain_length = _normalize_domain(domain)
    if len(local) + 1 + ascii_domain_length > _MAX_EMAIL:
        raise EmailError("too_long")
    return f"{local}@{domain}"


# --- phone numbers ------------------------------------------------------------------------------

PhoneErrorReason = Literal[
    "empty",
    "invalid_characters",  # letters, emoji, "#", "*" …
    "misplaced_plus",  # a "+" anywhere but at the start
    "not_swedish",  # another country code
    "missing_trunk_prefix",  # national number that does not start with 0 ("701234567")
    "invalid_area_code",  # "00…" after the prefix, or an area code no number can have
    "too_short",
    "too_long",
]


class PhoneError(ValueError):
    """The input is not a usable Swedish phone number; ``reason`` says why."""

    def __init__(self, reason: PhoneErrorReason) -> None:
        super().__init__(reason)
        self.reason: PhoneErrorReason = reason

    def __repr__(self) -> str:
        return f"PhoneError(reason={self.reason!r})"


# Area codes with two digits after the trunk 0 (with 08, everything else has three). Source:
# PTS's numbering plan (Nummerplan för telefoni): geographic 011–090 plus the non-geographic
# 010 (company numbers) and 020 (freephone).
THREE_DIGIT_AREA_CODES: frozenset[str] = frozenset(
    {
        "010", "011", "013", "016", "018", "019", "020", "021", "023", "026", "031", "033",
        "035", "036", "040", "042", "044", "046", "054", "060", "063", "090",
    }
)  # fmt: skip
# Mobile numbers: prefix plus exactly seven digits.
MOBILE_PREFIXES: frozenset[str] = frozenset({"070", "072", "073", "076", "079"})

_MAX_PHONE_INPUT = 40  # longest sane input: "+46 (0)70-123 45 67" with generous spacing
_MIN_DIGITS = 7  # "08-123 45" (08 + five digits) is the shortest number we format
_MAX_DIGITS = 10  # national form incl. the trunk 0: "070-123 45 67", "08-123 456 78"
_MIN_SUBSCRIBER = 5
_SEPARATORS = frozenset(" -./()\u00a0\u2009\u202f\u2007\u2010\u2011\u2012\u2013\u2014\u2212")


def _to_ascii_digit(char: str) -> str:
    """ASCII form of a Unicode decimal digit, or the character itself."""
    if not char.isascii() and char.isdecimal():
        return str(unicodedata.decimal(char))
    return char


def _group_subscriber(number: str) -> str:
    """Group a subscriber number the Swedish way: 123 45 / 12 34 56 / 123 45 67 / 123 456 78."""
    if len(number) == 8:
        return f"{number[:3]} {number[3:6]} {number[6:]}"
    groups: list[str] = []
    while len(number) > 3:  # pairs from the right, a leading triple when the count is odd
        groups.insert(0, number[-2:])
        number = number[:-2]
    groups.insert(0, number)
    return " ".join(groups)


def _area_code_length(national: str) -> int:
    if national.startswith("08"):
        return 2
    if national[:3] in THREE_DIGIT_AREA_CODES or national[:3] in MOBILE_PREFIXES:
        return 3
    return 4


def _national_digits(raw: str) -> str:
    """Strip separators and the +46/0046 prefix; return the national number with its 0."""
    text = raw.strip()
    if not text:
        raise PhoneError("empty")
    if len(text) > _MAX_PHONE_INPUT:
        raise PhoneError("too_long")
    plus = text.startswith("+")
    if plus:
        text = text[1:]
    digits: list[str] = []
    for char in text:
        char = _to_ascii_digit(char)
        if char.isascii() and char.isdigit():
            digits.append(char)
        elif char == "+":
            raise PhoneError("misplaced_plus")
        elif char not in _SEPARATORS and not char.isspace():
            raise PhoneError("invalid_characters")
    number = "".join(digits)
    if not number:
        raise PhoneError("invalid_characters")  # only punctuation
    if not plus and number.startswith("00"):
        plus, number = True, number[2:]
    if plus:
        if not number.startswith("46"):
            raise PhoneError("not_swedish")
        number = number[2:]
        # "+46 (0)70 …" and "+46 070 …": the trunk 0 is written anyway; drop it before re-adding.
        number = "0" + number.removeprefix("0")
    elif not number.startswith("0"):
        raise PhoneError("missing_trunk_prefix")
    return number


def normalize_phone(raw: str) -> str:
    """Validate a Swedish phone number and return it in display form ("070-123 45 67").

    See the module docstring for what is accepted. Raises :class:`PhoneError` with a
    machine-readable reason when the number is not usable.
    """
    number = _national_digits(raw)
    if number.startswith("00"):
        raise PhoneError("invalid_area_code")
    if len(number) < _MIN_DIGITS:
        raise PhoneError("too_short")
    if len(number) > _MAX_DIGITS:
        raise PhoneError("too_long")
    if number[:3] in MOBILE_PREFIXES and len(number) != _MAX_DIGITS:
        raise PhoneError("too_short")
    split = _area_code_length(number)
    area, subscriber = number[:split], number[split:]
    if len(subscriber) < _MIN_SUBSCRIBER:
        raise PhoneError("too_short")
    return f"{area}-{_group_subscriber(subscriber)}"
