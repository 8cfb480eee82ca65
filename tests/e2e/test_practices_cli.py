"""`python -m bot practices import FILE --guild ID` and `... export`: the same checks and
report as `/practice import`, one transaction, and a file that imports back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.e2e.test_cli import cli_env, run_with


async def test_import_then_export_from_the_command_line(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    code, _, err = await run_with(env, tmp_path, "migrate")
    assert code == 0, err
    with sqlite3.connect(tmp_path / "k.db") as conn:
        conn.execute("INSERT INTO networks (guild_id, name) VALUES (42, 'Fyrbodal')")
    source = tmp_path / "in.csv"
    source.write_text(
        "Title;Summary;Status;Municipalities\n"
        "Civic guides;Guides help newcomers.;ongoing;Lysekil\n"
        'Bad;=HYPERLINK("x");ongoing;\n',
        encoding="utf-8",
    )
    code, out, err = await run_with(
        env, tmp_path, "practices", "import", str(source), "--guild", "99"
    )
    assert code == 1 and "99" in err
    code, out, err = await run_with(
        env, tmp_path, "practices", "import", str(source), "--guild", "42", "--yes"
    )
    assert code == 0, err
    assert "3: " in out and "accepted 1, refused 1" in out and "imported 1" in out
    out_file = tmp_path / "out.csv"
    code, out, err = await run_with(
        env, tmp_path, "practices", "export", "--guild", "42", "--out", str(out_file)
    )
    assert code == 0, err
    assert out.strip() == f"1 → {out_file}"
    assert "Civic guides" in out_file.read_text(encoding="utf-8-sig")
    code, out, err = await run_with(
        env, tmp_path, "practices", "import", str(out_file), "--guild", "42", "--yes"
    )
    assert code == 0 and "imported 1" in out, err
    with sqlite3.connect(tmp_path / "k.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM practices").fetchone()[0] == 2
