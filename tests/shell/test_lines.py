"""Tab completion of the shell: commands, options and choices in both languages."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.shell.lines import complete
from tests.sandbox.test_commands import COMMANDS


def test_tab_completion_offers_both_languages() -> None:
    assert complete(COMMANDS, "/pro") == ("pro", ["profile", "profil"])
    assert complete(COMMANDS, "/profil syn") == ("syn", ["synlighet"])
    assert complete(COMMANDS, "/profil synlighet syn") == ("syn", ["synlighet:"])
    assert complete(COMMANDS, "/profil synlighet synlighet:d") == ("d", ["Dold"])
    assert complete(COMMANDS, "/profile visibility visibility:n") == (
        "n",
        ['"Network members"', '"Nätverkets medlemmar"'],
    )
    assert complete(COMMANDS, ":res") == ("res", ["reset-server"])


@given(st.text(max_size=40))
def test_completion_never_fails_on_any_text(text: str) -> None:
    complete(COMMANDS, "/" + text)
    complete(COMMANDS, ":" + text)
