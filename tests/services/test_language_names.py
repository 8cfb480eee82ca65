"""Every language a member can pick has a name in both languages (issue 9, item 2)."""

from __future__ import annotations

from babel import Locale

from bot.i18n import has
from bot.services import profiles
from bot.services.directory import language_name


def test_every_pickable_language_has_a_name_in_swedish_and_english() -> None:
    profiles.parse_languages("arabiska")  # builds the index of names
    codes = set(profiles._LANGUAGES.values())
    assert {"prs", "swl", "kmr", "ar"} <= codes
    nameless = sorted(
        (code, lang)
        for code in codes
        for lang in ("sv", "en")
        if not (Locale(lang).languages.get(code) or has(lang, f"directory.language.{code}"))
    )
    assert nameless == []


def test_names_in_either_language_resolve_to_the_same_code() -> None:
    assert profiles.parse_languages("Dari, dari") == ["prs"]
    assert profiles.parse_languages("montenegrinska, Montenegrin") == ["sr_ME"]
    assert profiles.parse_languages("Svenskt teckenspråk, Swedish Sign Language") == ["swl"]
    assert profiles.parse_languages("Kurmanji (Northern Kurdish)") == ["kmr"]
    assert (language_name("prs", "sv"), language_name("prs", "en")) == ("dari", "Dari")
    for code in ("prs", "swl", "kmr", "sju"):
        for lang in ("sv", "en"):
            assert profiles.parse_languages(language_name(code, lang)) == [code]
