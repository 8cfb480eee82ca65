"""Reading the shell's lines: prompt_toolkit at a terminal (history, arrow keys, tab completion
of command, option and choice names in both languages), plain lines from a pipe."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory, InMemoryHistory

from sandbox import commands as names
from sandbox.commands import Kind

SHELL_COMMANDS = (
    "help", "user", "users", "lang", "press", "choose", "fill", "cancel", "read", "channels",
    "dms", "join", "leave", "menu", "delete-channel", "reset-server", "clock", "quit",
)  # fmt: skip


def _starts(candidates: Iterable[str], prefix: str) -> list[str]:
    folded = prefix.casefold()
    seen: list[str] = []
    for candidate in candidates:
        if candidate.casefold().startswith(folded) and candidate not in seen:
            seen.append(candidate)
    return seen


def complete(commands: list[dict[str, Any]], text: str) -> tuple[str, list[str]]:
    """What the last word of `text` could become: (the word, its completions)."""
    if text.startswith(":"):
        if " " in text:
            return "", []
        return text[1:], _starts(SHELL_COMMANDS, text[1:])
    if not text.startswith("/"):
        return "", []
    words = text[1:].split(" ")
    word = words[-1]
    done = [w for w in words[:-1] if w]
    pool = [c for c in commands if c.get("type", 1) == 1]
    node: dict[str, Any] | None = None
    for typed in done:
        if ":" in typed:
            break
        found = next((c for c in pool if names.matches(c, typed)), None)
        if found is None:
            return word, []
        node = found
        pool = names.branches(found)
    if node is None or pool:
        return word, _starts((n for c in pool for n in names.names(c)), word)
    key, sep, value = word.partition(":")
    options = [o for o in node.get("options") or [] if o["type"] not in (1, 2)]
    if not sep:
        return word, [f"{n}:" for n in _starts((n for o in options for n in names.names(o)), key)]
    option = names.find_option(node, key)
    if option is None:
        return value, []
    if option.get("choices"):
        labels = (n for c in option["choices"] for n in names.names(c))
        return value, [f'"{n}"' if " " in n else n for n in _starts(labels, value)]
    if option["type"] == Kind.BOOLEAN:
        return value, _starts(("true", "false", "ja", "nej"), value)
    return value, []


class _Completer(Completer):
    def __init__(self, commands: Callable[[], list[dict[str, Any]]]) -> None:
        self.commands = commands

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Any:
        word, found = complete(self.commands(), document.text_before_cursor)
        for candidate in found:
            yield Completion(candidate, start_position=-len(word))


class Lines:
    """One source of lines; `None` at the end of input."""

    def __init__(
        self,
        interactive: bool,
        commands: Callable[[], list[dict[str, Any]]],
        echo: Callable[[str], None],
        history: Path | None = None,
        **terminal: Any,
    ) -> None:
        """`terminal` passes prompt_toolkit's `input` and `output` (tests use a pipe)."""
        self.interactive = interactive
        self.echo = echo
        self.session: PromptSession[str] | None = None
        self.completer = _Completer(commands)
        if interactive:
            self.session = PromptSession(
                history=FileHistory(str(history)) if history else InMemoryHistory(),
                complete_while_typing=False,
                **terminal,
            )

    async def read(self, prompt: str, *, complete: bool = True) -> str | None:
        if self.session is not None:
            try:
                return await self.session.prompt_async(
                    prompt, completer=self.completer if complete else None
                )
            except EOFError:
                return None
            except KeyboardInterrupt:
                return ""
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            return None
        line = line.rstrip("\n")
        self.echo(prompt + line)
        return line
