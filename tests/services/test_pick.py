"""The matching behind typed names in autocomplete options (`bot.pick.matches`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.pick import Candidate, matches

NAMES = ["Halmstad", "Röda korset Halmstad", "Röda korset Varberg", "ABF Halland", "1177"]
CANDIDATES = [Candidate(i, f"{n} (x)", (n,), n) for i, n in enumerate(NAMES)]


def found(typed: str) -> list[str]:
    return [c.item for c in matches(CANDIDATES, typed)]


def test_exact_then_folded_then_fuzzy() -> None:
    assert found("Halmstad") == ["Halmstad"]
    assert found("  RÖDA KORSET varberg ") == ["Röda korset Varberg"]
    assert found("roda korset varberg") == ["Röda korset Varberg"]
    assert found("Roda korsett Varbreg") == ["Röda korset Varberg"]
    assert found("Halmstd") == ["Halmstad"]
    assert found("Röda korset") == ["Röda korset Halmstad", "Röda korset Varberg"]


def test_a_number_is_a_name_or_nothing() -> None:
    assert found("1177") == ["1177"]
    assert found("3") == [] and found("117") == [] and found("0") == []


@given(st.text(max_size=200))
def test_any_text_matches_without_error(typed: str) -> None:
    result = matches(CANDIDATES, typed)
    assert len(result) <= 25
    if typed.strip().isdigit() and typed.strip() != "1177":
        assert result == []


@given(st.sampled_from(NAMES))
def test_every_name_finds_itself_first(name: str) -> None:
    assert found(name) == [name]
