"""Tests for work e-mail and phone number validation (email-validator and libphonenumber)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.contact_fields import (
    EmailError,
    PhoneError,
    display_phone,
    normalize_email,
    normalize_phone,
)

E164 = re.compile(r"\+[1-9][0-9]{6,14}")

# --- phone numbers ------------------------------------------------------------------------------

# (as typed, as shown): stored in E.164, shown in Swedish national form for Swedish numbers and in
# international form for the others.
PHONE_OK: list[tuple[str, str]] = [
    # mobile, in every usual spelling
    ("0701234567", "070-123 45 67"),
    ("070-123 45 67", "070-123 45 67"),
    ("070 123 45 67", "070-123 45 67"),
    ("070-1234567", "070-123 45 67"),
    ("070 - 123 45 67", "070-123 45 67"),
    ("+46 70 123 45 67", "070-123 45 67"),
    ("+46701234567", "070-123 45 67"),
    ("0046701234567", "070-123 45 67"),
    ("0046 70-123 45 67", "070-123 45 67"),
    ("+46 (0)70-123 45 67", "070-123 45 67"),
    ("+46 070 123 45 67", "070-123 45 67"),
    ("(070) 123 45 67", "070-123 45 67"),
    ("070.123.45.67", "070-123 45 67"),
    ("  0731234567\n", "073-123 45 67"),
    ("076–123 45 67", "076-123 45 67"),  # en dash from a word processor
    ("079\u00a0123\u00a045\u00a067", "079-123 45 67"),  # no-break spaces
    ("070\u2009123\u202f45 67", "070-123 45 67"),  # thin and narrow no-break spaces
    ("٠٧٠١٢٣٤٥٦٧", "070-123 45 67"),  # Arabic-Indic digits
    ("۰۷۰۱۲۳۴۵۶۷", "070-123 45 67"),  # Persian digits
    ("０７０１２３４５６７", "070-123 45 67"),  # fullwidth digits
    ("\u200e+46 70 123 45 67\u200e", "070-123 45 67"),  # direction marks from right-to-left text
    # bare mobile numbers that also look like a personnummer (date + Luhn): a phone number here
    ("0701132417", "070-113 24 17"),
    ("0701010001", "070-101 00 01"),
    # Stockholm: 08 + 5–8 digits
    ("08-123 456 78", "08-123 456 78"),
    ("0812345678", "08-123 456 78"),
    ("+46 8 123 456 78", "08-123 456 78"),
    ("+46 (0)8-123 456 78", "08-123 456 78"),
    ("08-123 45 67", "08-123 45 67"),
    ("08-12 34 56", "08-12 34 56"),
    # three-character area codes
    ("031-12 34 56", "031-12 34 56"),
    ("031123456", "031-12 34 56"),
    ("031-123 45 67", "031-123 45 67"),
    ("040-12 34 56", "040-12 34 56"),
    ("046-222 00 00", "046-222 00 00"),
    ("035-13 70 00", "035-13 70 00"),  # Halmstad
    ("010-123 45 67", "010-123 45 67"),  # non-geographic company number
    ("020-12 34 56", "020-12 34 56"),  # freephone
    # four-character area codes
    ("0522-123 45", "0522-123 45"),  # Uddevalla
    ("0523-123 45", "0523-123 45"),  # Lysekil
    ("0340-12 34 56", "0340-12 34 56"),  # Varberg
    ("0346-123 45", "0346-123 45"),  # Falkenberg
    ("0300-123 45", "0300-123 45"),  # Kungsbacka
    ("0430-123 45", "0430-123 45"),  # Laholm
    ("0270-12 34 56", "0270-12 34 56"),  # Söderhamn
    ("+46 522 12345", "0522-123 45"),
    # 077 (shared cost): libphonenumber's grouping, from PTS's plan
    ("0771-12 34 56", "077-112 34 56"),
    # foreign numbers: a partner in Norway, a newcomer organisation's number abroad
    ("+47 22 33 44 55", "+47 22 33 44 55"),  # Oslo
    ("+4722334455", "+47 22 33 44 55"),
    ("0047 22 33 44 55", "+47 22 33 44 55"),
    ("+47 912 34 567", "+47 91 23 45 67"),  # Norwegian mobile
    ("+44 20 7946 0000", "+44 20 7946 0000"),
    ("+358 40 123 4567", "+358 40 1234567"),
    ("+45 32 12 34 56", "+45 32 12 34 56"),
    ("+49 30 12345678", "+49 30 12345678"),
    ("+1 202 555 0143", "+1 202-555-0143"),
    ("+964 770 123 4567", "+964 770 123 4567"),  # Iraq
    ("+93 70 123 4567", "+93 70 123 4567"),  # Afghanistan
]

PHONE_BAD: list[tuple[str, str]] = [
    ("", "empty"),
    ("   ", "empty"),
    ("070-123 45 6", "too_short"),  # mobile must have seven digits after 070
    ("070-123 45 678", "too_long"),
    ("0812", "too_short"),
    ("031-123 4", "too_short"),
    ("0480-123 45 67", "too_long"),  # 0480 + 7 digits is eleven
    ("08-123 456 789", "too_long"),
    ("010-12", "too_short"),
    ("+4", "too_short"),
    ("+46", "too_short"),
    ("0046", "too_short"),
    ("+47 1234", "too_short"),
    ("+47 22 12 34 5", "too_short"),
    ("070-ABC 45 67", "invalid_characters"),
    ("ring mig", "invalid_characters"),
    ("070-123 45 67 ankn. 12", "invalid_characters"),
    ("📞 070-123 45 67", "invalid_characters"),
    ("070#1234567", "invalid_characters"),
    ("---", "invalid_characters"),
    ("+", "invalid_characters"),
    ("070+1234567", "misplaced_plus"),
    ("++46701234567", "misplaced_plus"),
    ("+999 123 456 789", "invalid_country_code"),
    ("0000000", "invalid_country_code"),
    ("701234567", "missing_trunk_prefix"),
    ("123 45 67", "missing_trunk_prefix"),
    ("22 33 44 55", "missing_trunk_prefix"),  # a Norwegian number needs its +47
    ("8507099805", "missing_trunk_prefix"),  # a personnummer is no phone number
    ("19850709-9805", "missing_trunk_prefix"),
    ("+46 0 0701234567", "invalid_area_code"),
    ("0" * 5000, "too_long"),
    ("7" * 5000, "too_long"),
]


@pytest.mark.parametrize(("raw", "shown"), PHONE_OK)
def test_phone_accepted_stored_in_e164_and_shown_the_local_way(raw: str, shown: str) -> None:
    stored = normalize_phone(raw)
    assert E164.fullmatch(stored), stored
    assert display_phone(stored) == shown
    assert normalize_phone(shown) == stored  # what is shown is itself valid input


@pytest.mark.parametrize(("raw", "reason"), PHONE_BAD)
def test_phone_rejected(raw: str, reason: str) -> None:
    with pytest.raises(PhoneError) as caught:
        normalize_phone(raw)
    assert caught.value.reason == reason


def test_phone_tables_are_large_enough() -> None:
    assert len(PHONE_OK) >= 25
    assert len(PHONE_BAD) >= 25


def test_phone_error_is_a_value_error_with_a_code_not_prose() -> None:
    error = PhoneError("too_short")
    assert isinstance(error, ValueError)
    assert str(error) == "too_short"
    assert repr(error) == "PhoneError(reason='too_short')"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("070-123 45 67", "070-123 45 67"),  # the display form stored before E.164
        ("035-13 70 00", "035-13 70 00"),
        ("08-123 456 78", "08-123 456 78"),
        ("+46701234567", "070-123 45 67"),
        ("+4722334455", "+47 22 33 44 55"),
        ("not a number", "not a number"),  # shown as stored rather than hidden
        (None, None),
        ("", ""),
    ],
)
def test_display_reads_both_stored_forms(stored: str | None, shown: str | None) -> None:
    assert display_phone(stored) == shown


@given(
    st.sampled_from(["070", "072", "073", "076", "079"]),
    st.from_regex(r"\A[0-9]{7}\Z"),
)
def test_any_mobile_number_round_trips(prefix: str, rest: str) -> None:
    stored = normalize_phone(prefix + rest)
    assert stored == f"+46{prefix[1:]}{rest}"
    shown = display_phone(stored)
    assert shown == f"{prefix}-{rest[:3]} {rest[3:5]} {rest[5:]}"
    assert normalize_phone(shown) == stored
    assert normalize_phone(f"+46 {prefix[1:]}{rest}") == stored


@given(st.text(max_size=60))
def test_phone_never_raises_anything_but_phone_error(raw: str) -> None:
    try:
        stored = normalize_phone(raw)
    except PhoneError:
        return
    assert E164.fullmatch(stored)
    shown = display_phone(stored)
    assert shown is not None
    assert normalize_phone(shown) == stored  # the shown form is valid input, and stable


# --- e-mail -------------------------------------------------------------------------------------

EMAIL_OK: list[tuple[str, str]] = [
    ("anna.svensson@halmstad.se", "anna.svensson@halmstad.se"),
    ("Anna.Svensson@Halmstad.SE", "Anna.Svensson@halmstad.se"),  # local part keeps its case
    ("  anna@kungsbacka.se  ", "anna@kungsbacka.se"),
    ("mailto:anna@varberg.se", "anna@varberg.se"),
    ("MAILTO:anna@varberg.se", "anna@varberg.se"),
    ("anna+integration@lysekil.se", "anna+integration@lysekil.se"),
    ("anna_svensson@uddevalla.se", "anna_svensson@uddevalla.se"),
    ("a.b-c@vgregion.se", "a.b-c@vgregion.se"),
    ("o'brien@goteborg.se", "o'brien@goteborg.se"),
    ("anna@utbildning.goteborg.se", "anna@utbildning.goteborg.se"),
    ("anna@malmo-stad.se", "anna@malmo-stad.se"),
    ("anna@123.se", "anna@123.se"),
    ("anna@xn--re-xia.se", "anna@åre.se"),  # punycode is stored in its Unicode form
    ("anna@ÅRE.se", "anna@åre.se"),  # internationalised domain, lower-cased
    ("anna@hylte.se\u200b", "anna@hylte.se"),  # zero-width space from a copy-paste
    ("\ufeffanna@hylte.se", "anna@hylte.se"),  # BOM
    ("a" * 64 + "@kommun.se", "a" * 64 + "@kommun.se"),
    ("a@" + "b" * 63 + ".se", "a@" + "b" * 63 + ".se"),
    ("mailto: anna@varberg.se", "anna@varberg.se"),
    ("anna@kommun.se\u200f", "anna@kommun.se"),  # a right-to-left mark from Arabic text
    ("ANNA@ÅRE.SE", "ANNA@åre.se"),
    ("anna@åäö.se", "anna@åäö.se"),
    ("anna@kommun.xn--p1ai", "anna@kommun.рф"),
]

EMAIL_BAD: list[tuple[str, str]] = [
    ("", "empty"),
    ("   ", "empty"),
    ("mailto:", "empty"),
    ("anna.svensson", "missing_at"),
    ("anna@@halmstad.se", "multiple_at"),
    ("anna@halmstad@se", "multiple_at"),
    ("anna svensson@halmstad.se", "whitespace"),
    ("anna@halm stad.se", "whitespace"),
    ("anna@halmstad.se\nBcc: x@y.se", "whitespace"),
    ("anna\x00@halmstad.se", "invalid_characters"),
    ("@halmstad.se", "local_part_empty"),
    ("a" * 65 + "@kommun.se", "local_part_too_long"),
    (".anna@halmstad.se", "invalid_local_part"),
    ("anna.@halmstad.se", "invalid_local_part"),
    ("an..na@halmstad.se", "invalid_local_part"),
    ('"anna"@halmstad.se', "invalid_local_part"),
    ("anna<x>@halmstad.se", "invalid_local_part"),
    ("🙂@halmstad.se", "invalid_local_part"),
    ("åsa@halmstad.se", "non_ascii_local_part"),
    ("anna@", "domain_empty"),
    ("anna@halmstad", "domain_missing_dot"),
    ("anna@halmstad..se", "invalid_domain"),
    ("anna@.halmstad.se", "invalid_domain"),
    ("anna@halmstad.se.", "invalid_domain"),
    ("anna@-halmstad.se", "invalid_domain"),
    ("anna@halmstad-.se", "invalid_domain"),
    ("anna@halm_stad.se", "invalid_domain"),
    ("anna@halmstad🙂.se", "invalid_domain"),
    ("anna@[192.168.0.1]", "invalid_domain"),
    ("anna@kommun.test", "invalid_domain"),  # a special-use domain that never delivers
    ("anna@localhost", "domain_missing_dot"),
    ("a@b.c", "invalid_tld"),
    ("anna@kommun.123", "invalid_tld"),
    ("anna@sub_domain.kommun.se", "invalid_domain"),
    ("jörgen@kommun.se", "non_ascii_local_part"),
    ("a\u0301sa@kommun.se", "non_ascii_local_part"),  # á typed as a + combining accent
    ("anna@xn--.se", "invalid_domain"),
    ("anna@" + "b" * 64 + ".se", "domain_label_too_long"),
    ("anna@halmstad.s", "invalid_tld"),
    ("anna@10.0.0.1", "invalid_tld"),
    ("a@" + ".".join(["b" * 60] * 5) + ".se", "too_long"),
    ("x" * 5000, "too_long"),
    ("a" * 2500 + "@" + "b" * 2500 + ".se", "too_long"),
]


@pytest.mark.parametrize(("raw", "expected"), EMAIL_OK)
def test_email_accepted(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(("raw", "reason"), EMAIL_BAD)
def test_email_rejected(raw: str, reason: str) -> None:
    with pytest.raises(EmailError) as caught:
        normalize_email(raw)
    assert caught.value.reason == reason


def test_email_tables_are_large_enough() -> None:
    assert len(EMAIL_OK) + len(EMAIL_BAD) >= 25
    assert len(EMAIL_BAD) >= 25


@given(st.text(max_size=300))
def test_email_never_raises_anything_but_email_error(raw: str) -> None:
    try:
        normalized = normalize_email(raw)
    except EmailError:
        return
    assert normalize_email(normalized) == normalized  # idempotent
    assert len(normalized) <= 254
