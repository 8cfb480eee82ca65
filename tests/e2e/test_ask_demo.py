"""The shell's demo network holds resources, a tip, and answered and open questions, and
`/ask` answers from them."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_shell import run_shell


def test_the_demo_has_resources_and_questions(tmp_path: Path) -> None:
    result = run_shell(
        tmp_path,
        ':user anna\n/resurs sök sökord:TMO\n/fråga ställ fråga:"vem kan TMO?"\n'
        '/fråga ställ fråga:"sommarjobb för ensamkommande?"\n',
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Webbkurs i traumamedveten omsorg" in out
    assert "Personer" in out and "Fatima Hassan" in out
    assert "Besvarade frågor" in out and "Hur ordnar vi sommarjobb för ensamkommande?" in out
