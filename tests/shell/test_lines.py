"""Tab completion of the shell: commands, options and choices in both languages."""

from __future__ import annotations

import asyncio

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


async def test_a_terminal_line_completes_with_tab_and_keeps_history() -> None:
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from bot.shell.lines import Lines

    with create_pipe_input() as pipe:
        lines = Lines(True, lambda: COMMANDS, print, input=pipe, output=DummyOutput())
        reading = asyncio.create_task(lines.read("> "))
        pipe.send_text("/profil syn\t")
        assert lines.session is not None
        for _ in range(100):  # completion runs beside the prompt, as at a keyboard
            if lines.session.default_buffer.text == "/profil synlighet":
                break
            await asyncio.sleep(0.05)
        pipe.send_text("\r")
        assert await reading == "/profil synlighet"
        pipe.send_text("\x1b[A\r")  # the up arrow brings the last line back
        assert await lines.read("> ") == "/profil synlighet"
        pipe.send_text("\x04")  # Ctrl-D ends the input
        assert await lines.read("> ") is None
