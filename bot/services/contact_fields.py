"""Validation and normalisation of members' work contact details: e-mail and phone number.

The validating is done by the libraries that do it for the rest of the world: Google's
libphonenumber (``phonenumbers``) for phone numbers and ``email-validator`` (what pydantic uses)
for e-mail addresses. What this module adds is what matters to the members: every refusal
carries a machine-readable ``reason`` (never prose) that the bot turns into a sentence through
its sv/en catalogues, and a few refusals of our own that catch typical typos.

E-mail
------
* Surrounding whitespace, a leading ``mailto:`` (pasted links) and invisible format characters
  (zero-width space, BOM, direction marks that ride along from Outlook, a PDF or a web page)
  are removed.
* Shape checks of our own first, because each gives a precise message: empty, too long, spaces,
  control characters, no @ or more than one, nothing before or after the @, a domain without a
  dot ("anna@kommun"), a numeric or one-letter top-level domain.
* Non-ASCII letters before the @ are refused with their own reason (``non_ascii_local_part``):
  Swedish municipalities' addresses spell å/ä/ö as a/a/o, so "åsa@kommun.se" is almost certainly
  a typo that would bounce. (email-validator would accept it as an SMTPUTF8 address.)
* Then ``email_validator.validate_email`` decides, with no DNS lookup
  (``check_deliverability=False``), no quoted local parts, no IP-address literals and the strict
  length limits; what it refuses is reported as a problem before or after the @.
* The stored form is the library's normalised one: the local part keeps its case, the domain is
  lower-cased and internationalised domains are kept in Unicode ("åre.se", also when typed as
  "xn--re-xia.se"), so the same address is always stored the same way.

Phone numbers
-------------
* Parsed and validated with libphonenumber against each country's numbering plan, and stored in
  E.164 ("+46701234567"). Shown (:func:`display_phone`) in Swedish national form for Swedish
  numbers ("070-123 45 67") and in international form for others ("+47 22 12 34 56"), so a
  partner in Norway or a newcomer organisation's foreign number is accepted.
* A number without "+" or "00" is Swedish and must start with the trunk 0 ("070…"); anything
  else is ``missing_trunk_prefix`` (a foreign number is written with its country code).
* Separators allowed: spaces of every kind, dashes, dots, slashes and parentheses ("+46 (0)70 …").
  Invisible format characters are dropped. Anything else, letters included, is
  ``invalid_characters``: libphonenumber would read "070-ABC" as a vanity number and "ankn. 12"
  as an extension, neither of which a member means in a work profile.
* Digits in other scripts (Arabic-Indic "٠٧٠…", Persian "۰۷۰…", fullwidth "０７０…") are converted
  to ASCII: they are what an Arabic or Persian keyboard layout types, and the number is the same.
* Values stored before this module used libphonenumber are in display form ("070-123 45 67");
  :func:`display_phone` reads both, so nothing needs migrating.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from bot.services.personnummer import fold_for_matching

__all__ = [
    "EmailError",
    "EmailErrorReason",
    "PhoneError",
    "PhoneErrorReason",
    "display_phone",
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
_MAILTO = "mailto:"
# A domain that is certainly valid, to tell whether the library objects to the local part.
_PROBE_DOMAIN = "kommun.se"


def _strip_invisible(text: str) -> str:
    """Remove format characters (zero-width space, soft hyphen, BOM, direction marks).

    They ride along when an address is copied from Outlook, a PDF or a web page, are invisible
    to the person who pasted it, and are never part of a real address.
    """
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def _library(address: str) -> str:
    """email-validator's verdict: the normalised address, or EmailNotValidError."""
    return validate_email(
        address,
        check_deliverability=False,  # no DNS lookups: never block on, or leak to, a resolver
        allow_smtputf8=False,
        allow_quoted_local=False,
        allow_domain_literal=False,
        allow_display_name=False,
        strict=True,  # the RFC length limits (64 before the @)
    ).normalized


def _ascii_label(label: str) -> str | None:
    """The ASCII (punycode) form of one domain label, or None when it has none."""
    if label.isascii():
        return label
    try:
        return "xn--" + label.encode("punycode").decode("ascii")
    except UnicodeError:
        return None


def _domain_reason(domain: str, local: str) -> EmailErrorReason:
    """Why the library refused an address whose local part is fine."""
    if domain.startswith("["):
        return "invalid_domain"  # an IP-address literal: never a work address
    labels = unicodedata.normalize("NFC", domain).lower().split(".")
    ascii_labels = [_ascii_label(label) for label in labels]
    if all(a is not None for a in ascii_labels):
        ascii_domain = ".".join(a for a in ascii_labels if a is not None)
        if len(local) + 1 + len(ascii_domain) > _MAX_EMAIL:
            return "too_long"
        if any(len(a) > _MAX_LABEL for a in ascii_labels if a is not None):
            return "domain_label_too_long"
    tld = labels[-1]
    if tld.isascii() and tld and not tld.isalpha() and all(label for label in labels):
        return "invalid_tld"  # "anna@10.0.0.1"
    return "invalid_domain"


def _check_tld(domain: str) -> None:
    tld = domain.rsplit(".", 1)[-1]
    if tld.isascii() and (len(tld) < 2 or not tld.isalpha()) and not tld.startswith("xn--"):
        raise EmailError("invalid_tld")


def normalize_email(raw: str) -> str:
    """Validate a work e-mail address and return it normalised (see the module docstring).

    Raises :class:`EmailError` with a machine-readable reason when it is not usable.
    """
    text = raw.strip()
    if len(text) > 2 * _MAX_EMAIL:
        raise EmailError("too_long")  # refuse huge input before doing any work on it
    text = unicodedata.normalize("NFC", _strip_invisible(text))
    if text[: len(_MAILTO)].lower() == _MAILTO:
        text = text[len(_MAILTO) :].strip()
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
        raise EmailError("multiple_at")  # quoted local parts are refused, so never legitimate
    local, domain = text.split("@")
    if not local:
        raise EmailError("local_part_empty")
    if not local.isascii():
        letters_only = all(ch.isalpha() for ch in local if not ch.isascii())
        raise EmailError("non_ascii_local_part" if letters_only else "invalid_local_part")
    if not domain:
        raise EmailError("domain_empty")
    if "." not in domain and not domain.startswith("["):
        raise EmailError("domain_missing_dot")
    try:
        normalized = _library(text)
    except EmailNotValidError:
        try:
            _library(f"{local}@{_PROBE_DOMAIN}")
        except EmailNotValidError:
            raise EmailError(
                "local_part_too_long" if len(local) > _MAX_LOCAL else "invalid_local_part"
            ) from None
        raise EmailError(_domain_reason(domain, local)) from None
    _check_tld(normalized.rsplit("@", 1)[1])
    return normalized


# --- phone numbers ------------------------------------------------------------------------------

PhoneErrorReason = Literal[
    "empty",
    "invalid_characters",  # letters, emoji, "#", "*" …
    "misplaced_plus",  # a "+" anywhere but at the start
    "missing_trunk_prefix",  # national number that does not start with 0 ("701234567")
    "invalid_country_code",  # "+999 …": no such country code
    "invalid_area_code",  # a second trunk 0 after the country code: "+46 0 070 …"
    "too_short",
    "too_long",
    "invalid_number",  # the right length, but no number in that country's plan looks like it
]


class PhoneError(ValueError):
    """The input is not a usable phone number; ``reason`` says why."""

    def __init__(self, reason: PhoneErrorReason) -> None:
        super().__init__(reason)
        self.reason: PhoneErrorReason = reason

    def __repr__(self) -> str:
        return f"PhoneError(reason={self.reason!r})"


_MAX_PHONE_INPUT = 40  # longest sane input: "+46 (0)70-123 45 67" with generous spacing
_SEPARATORS = frozenset(" -./()")
_SWEDEN = "SE"
_SWEDISH_CODE = 46
_DIGITS = "0123456789"


def _digits(raw: str) -> tuple[str, bool]:
    """The number's ASCII digits, and whether it was written with a leading "+" or "00"."""
    text = raw.strip()
    if not text:
        raise PhoneError("empty")
    if len(text) > _MAX_PHONE_INPUT:
        raise PhoneError("too_long")
    # The guard's folding: invisible characters dropped; digits of every script, dashes and
    # spaces of every kind made ASCII.
    folded = fold_for_matching(text).text.strip()
    plus = folded.startswith("+")
    digits: list[str] = []
    for char in folded[1:] if plus else folded:
        if char in _DIGITS:
            digits.append(char)
        elif char == "+":
            raise PhoneError("misplaced_plus")
        elif char not in _SEPARATORS:
            raise PhoneError("invalid_characters")
    number = "".join(digits)
    if not number:
        raise PhoneError("invalid_characters")  # only punctuation
    if not plus and number.startswith("00"):
        return number[2:], True
    return number, plus


def _why_invalid(parsed: phonenumbers.PhoneNumber) -> PhoneErrorReason:
    """The most helpful reason for a number libphonenumber parsed but does not find valid."""
    possible = phonenumbers.is_possible_number_with_reason(parsed)
    if possible == ValidationResult.INVALID_COUNTRY_CODE:
        return "invalid_country_code"
    if possible == ValidationResult.TOO_SHORT:
        return "too_short"
    if possible == ValidationResult.TOO_LONG:
        return "too_long"
    national = phonenumbers.national_significant_number(parsed)
    if parsed.country_code == _SWEDISH_CODE and national.startswith("0"):
        return "invalid_area_code"  # the trunk 0 written twice: "+46 0 070 …"
    # A length the plan allows somewhere, but not for this number: say "a digit too many" when
    # dropping the last digits gives a valid number, "too few" when adding some would.
    country = parsed.country_code or _SWEDISH_CODE
    region = phonenumbers.region_code_for_country_code(country)
    code = f"+{country}"

    def valid(digits: str) -> bool:
        try:
            return phonenumbers.is_valid_number(phonenumbers.parse(code + digits, region))
        except NumberParseException:
            return False

    if any(valid(national[:-cut]) for cut in (1, 2, 3) if len(national) > cut):
        return "too_long"
    if any(valid(national + digit * extra) for extra in (1, 2, 3) for digit in _DIGITS):
        return "too_short"
    return "invalid_number"


def _parse(raw: str) -> phonenumbers.PhoneNumber:
    number, international = _digits(raw)
    if not international and not number.startswith("0"):
        raise PhoneError("missing_trunk_prefix")
    try:
        parsed = phonenumbers.parse(("+" if international else "") + number, _SWEDEN)
    except NumberParseException as exc:
        if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE:
            raise PhoneError("invalid_country_code") from None
        if exc.error_type == NumberParseException.TOO_LONG:
            raise PhoneError("too_long") from None
        raise PhoneError("too_short") from None  # "+4", "+46 7": too few digits to be a number
    if not phonenumbers.is_valid_number(parsed):
        raise PhoneError(_why_invalid(parsed))
    return parsed


def normalize_phone(raw: str) -> str:
    """Validate a phone number and return it in E.164 ("+46701234567"), the stored form.

    See the module docstring for what is accepted. Raises :class:`PhoneError` with a
    machine-readable reason when the number is not usable.
    """
    return phonenumbers.format_number(_parse(raw), PhoneNumberFormat.E164)


def display_phone(stored: str | None) -> str | None:
    """A stored phone number as members read it: "070-123 45 67", "+47 22 12 34 56".

    Reads E.164 and the display form stored before (which parses the same); a value that does
    not parse any more is shown as stored rather than hidden.
    """
    if not stored:
        return stored
    try:
        parsed = _parse(stored)
    except PhoneError:
        return stored
    if parsed.country_code == _SWEDISH_CODE:
        return phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)
