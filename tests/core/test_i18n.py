"""Catalogues: the same keys and placeholders in both languages; formats read the local way."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.i18n import LANGS, catalogue, format_datetime, pick_lang, placeholders, t, tn


def test_every_key_exists_in_both_languages() -> None:
    sv, en = set(catalogue("sv")), set(catalogue("en"))
    assert sv - en == set(), f"only in Swedish: {sorted(sv - en)}"
    assert en - sv == set(), f"only in English: {sorted(en - sv)}"


def test_placeholders_match_between_languages() -> None:
    sv, en = catalogue("sv"), catalogue("en")
    for key in sv:
        assert placeholders(sv[key]) == placeholders(en[key]), key


@pytest.mark.parametrize("lang", LANGS)
def test_no_empty_or_untranslated_message(lang: str) -> None:
    for key, text in catalogue(lang).items():  # type: ignore[arg-type]
        assert text.strip(), key
        assert text != key, key


def test_language_resolution() -> None:
    assert pick_lang("en-US", "sv-SE") == "en"
    assert pick_lang("en-GB") == "en"
    assert pick_lang("de", "en") == "en"
    assert pick_lang("de", None, "fr") == "sv"
    assert pick_lang(None) == "sv"


def test_swedish_dates_read_the_swedish_way() -> None:
    when = datetime(2025, 12, 4, 12, 0, tzinfo=UTC)  # 13.00 in Stockholm (CET)
    assert format_datetime("sv", when, "Europe/Stockholm") == "torsdag 4 december kl. 13.00"
    assert format_datetime("en", when, "Europe/Stockholm") == "Thursday 4 December at 13:00"
    summer = datetime(2026, 6, 4, 11, 0, tzinfo=UTC)  # 13.00 in Stockholm (CEST)
    assert format_datetime("sv", summer, "Europe/Stockholm").endswith("kl. 13.00")


def test_plural_and_numbers() -> None:
    assert tn("sv", "about.count.members", 1) == "1 medlem"
    assert tn("sv", "about.count.members", 14000) == "14\u00a0000 medlemmar"  # no-break space
    assert tn("en", "about.count.members", 2) == "2 members"
    assert t("en", "about.megabytes", mb=1.5) == "1.5 MB"
    assert t("sv", "about.megabytes", mb=1.5) == "1,5 MB"
