"""`python -m bot try` driven by piped standard input, as a script would drive it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_shell(tmp_path: Path, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_"))}
    env["DATABASE_PATH"] = str(tmp_path / "data" / "krokarm.db")
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", "try", *args],
        input=script,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_piped_help_shows_the_swedish_help(tmp_path: Path) -> None:
    result = run_shell(tmp_path, "/help\n")
    assert result.returncode == 0, result.stderr
    assert "Krokarm – kommandon" in result.stdout
    assert "/hjälp — Alla kommandon, en rad vardera" in result.stdout
    assert "Traceback" not in result.stderr
    assert (tmp_path / "data" / "try.db").exists()  # its own SQLite file


def test_switching_user_language_buttons_and_mistakes(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/about",
            ":press 1",
            ":user erik",
            "/help",
            ":lang sv",
            "/om",
            "/no-such-command",
            ":press 9",
            ":frobnicate",
            ":quit",
            "/help",  # never reached
        ]
    )
    result = run_shell(tmp_path, script + "\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.count("Om Krokarm") == 3  # /about, the refreshed message, /om
    assert "[1] Uppdatera" in out
    assert "You are now Erik Johnson (erik)." in out
    assert "Krokarm – commands" in out and "/about — Version, uptime" in out
    assert "Språket är nu sv-SE." in out
    assert "Boten har inget kommando ”no-such-command”" in out
    assert "”9” finns inte" in out
    assert "Skalet har inget kommando :frobnicate" in out
    assert out.count("Krokarm – commands") == 1  # nothing after :quit


LONG_TITLE = "T" * 120

SWEDISH_MISTAKES = [
    "/kontakt kort",  # a required option missing
    "/profil synlighet synlighet:osynlig",  # no such choice
    "/profil synlighet synlighet:?",  # the choices on request
    "/profil synlighet synlighet:dold",  # a choice by its Swedish name
    '/kontakt sök sökord:"AND (',  # an unmatched quote
    "/kontakt sök sökord:",  # empty
    "/kontakt sök sökord:" + "a" * 300,  # too long
    "/nätverk",  # a group without a subcommand
    "/profil redigera",
    ":press 3",  # not a field value: the form closes
    "/profil redigera",
    f':fill Titel="{LONG_TITLE}"',  # longer than its field
    ':fill Namn=" "',  # a required field cleared
    ":fill Ålder=3",  # no such field
    ':fill Titel=" " Namn="Anna A"',
    "/funktion tilldela funktion:?",  # autocomplete suggestions on request
    ":fill Namn=x",  # no form open
    ":user maria",
    "/nätverk inställningar language:German",  # an English option name, no such choice
    "/nätverk organisationer lista typ:kommun",  # a choice by its Swedish name
    ":users",
    ":reset-server",
    "/nätverk installera",
    ":press Bekräfta",
    ":frobnicate",
]


def test_every_mistake_in_swedish_is_explained_and_the_shell_goes_on(tmp_path: Path) -> None:
    result = run_shell(tmp_path, "\n".join(SWEDISH_MISTAKES) + "\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in out + result.stderr and " ERROR " not in result.stderr
    assert "medlem: det här alternativet måste fyllas i." in out
    assert "synlighet: ”osynlig” är inget av valen. Välj ett av: Nätverkets medlemmar, Dold" in out
    assert "Val för synlighet: Nätverkets medlemmar, Dold" in out
    assert "Din post är nu dold" in out
    assert "Ett citattecken stängs aldrig." in out
    assert "No closing quotation" not in out
    assert "sökord är tomt och skickas inte med, som i Discord." in out
    assert "sökord: högst 200 tecken (det är 300)." in out
    assert "”nätverk” är en grupp av kommandon. Skriv ett av: kommuner, organisationer" in out
    assert "Formuläret ”Din profil” stängdes utan att skickas." in out
    assert "Titel: högst 100 tecken (det är 120)." in out
    assert "Formuläret är fortfarande öppet" in out
    assert "Namn: tömt." in out and "Namn: det här fältet måste fyllas i." in out
    assert "Formuläret har inget fält ”Ålder”. Det har: Namn, Titel" in out
    assert "  Namn: Anna A" in out and "Titel: tömt." in out
    assert "Sparat." in out  # the form went through once it was right
    assert "Förslag för funktion:" in out
    assert "Inget formulär är öppet." in out
    assert "språk: ”German” är inget av valen. Välj ett av: Svenska (sv-SE), Engelska (en)" in out
    assert "admin (serverns ägare)" in out
    assert "Servern är tom igen" in out
    assert "[1] Bekräfta" in out and "Klart – servern är uppbyggd" in out
    assert "Skalet har inget kommando :frobnicate" in out  # the last line was reached


ENGLISH_MISTAKES = [
    ":user erik",
    "/contact card",
    "/profile visibility visibility:invisible",
    "/profile visibility visibility:Hidden",
    '/contact find query:"AND (',
    "/contact find query:",
    "/profile edit",
    f':fill Title="{LONG_TITLE}"',
    ':fill Title=" "',
    ":user maria",
    ":lang en",
    "/network settings language:German",
    "/network settings language:?",
    "/function assign member:@anna function:samordn#9",
    "/network organisations list kind:Municipality",
    ":frobnicate",
]


def test_every_mistake_in_english_is_explained_and_the_shell_goes_on(tmp_path: Path) -> None:
    result = run_shell(tmp_path, "\n".join(ENGLISH_MISTAKES) + "\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in out + result.stderr and " ERROR " not in result.stderr
    assert "member: this option is required." in out
    assert "visibility: “invisible” is not one of the choices. Choose one of: Network " in out
    assert "Your entry is now hidden" in out
    assert "A quotation mark is never closed." in out
    assert "query is empty and is left out, as in Discord." in out
    assert "Title: at most 100 characters (it is 120)." in out
    assert "Title: cleared." in out and "Saved." in out
    assert "language: “German” is not one of the choices." in out
    assert "Choices for language: Swedish (sv-SE), English (en)" in out
    assert "function: there is no suggestion 9" in out
    assert "The shell has no command :frobnicate" in out


def test_database_keeps_the_demo_from_run_to_run(tmp_path: Path) -> None:
    database = tmp_path / "demo.db"
    first = run_shell(
        tmp_path,
        ":user maria\n/nätverk kommuner lägg-till kommun:Malmö\n",
        "--database",
        str(database),
    )
    assert first.returncode == 0, first.stderr
    assert "Tillagda (1): Malmö" in first.stdout
    second = run_shell(
        tmp_path,
        ":user maria\n/nätverk kommuner lista\n/nätverk organisationer lista\n",
        "--database",
        str(database),
    )
    out = second.stdout
    assert second.returncode == 0, second.stderr
    assert "Demon i " in out and "används igen" in out
    assert "7 medlemskommuner" in out and "Malmö" in out
    assert out.count("Arbetsförmedlingen") == 1  # no second demo network seeded
