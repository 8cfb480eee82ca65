"""Command, option and choice names as a Discord client resolves them.

A person types a command in their client's language: `/nätverk kommuner lista` and `/network
municipalities list` are the same command, `synlighet:dold` the same option and choice as
`visibility:hidden`. This module finds them in the registered command payloads (base names and
every `name_localizations` entry) and checks option values as the client does before it sends
anything. The driver and the `try` shell both use it; it knows nothing of the bot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class Kind(IntEnum):
    """Application command option types (Discord's `ApplicationCommandOptionType`)."""

    SUB_COMMAND = 1
    SUB_COMMAND_GROUP = 2
    STRING = 3
    INTEGER = 4
    BOOLEAN = 5
    USER = 6
    CHANNEL = 7
    ROLE = 8
    MENTIONABLE = 9
    NUMBER = 10
    ATTACHMENT = 11


_BRANCHES = (Kind.SUB_COMMAND, Kind.SUB_COMMAND_GROUP)
# Discord's limits on STRING options when the command does not set its own.
STRING_MAX = 6000


def _fold(text: str) -> str:
    return text.strip().casefold()


def names(entry: Mapping[str, Any]) -> list[str]:
    """The base name and every localized name, base first, without repeats."""
    out = [str(entry["name"])]
    for name in (entry.get("name_localizations") or {}).values():
        if name and name not in out:
            out.append(str(name))
    return out


def matches(entry: Mapping[str, Any], word: str) -> bool:
    """Whether `word` is the entry's base name or one of its localized names (any case)."""
    wanted = _fold(word)
    return any(_fold(n) == wanted for n in names(entry))


def localized(entry: Mapping[str, Any], locale: str | None) -> str:
    """The entry's name as a client in `locale` shows it (the base name when not localized)."""
    table = entry.get("name_localizations") or {}
    if locale:
        if table.get(locale):
            return str(table[locale])
        language = locale.split("-")[0]
        for key, value in table.items():
            if key.split("-")[0] == language and value:
                return str(value)
    return str(entry["name"])


# --- what can go wrong --------------------------------------------------------------------


class ResolveError(LookupError):
    """A name or value a Discord client would not accept."""


@dataclass
class UnknownCommand(ResolveError):
    """No command (or subcommand under `path`) has the name `word`."""

    word: str
    path: list[str]
    known: list[dict[str, Any]]

    def __str__(self) -> str:
        where = " ".join(self.path) or "the bot"
        have = sorted(str(c["name"]) for c in self.known)
        return f"{where!r} has no command {self.word!r} (have {have})"


@dataclass
class IncompleteCommand(ResolveError):
    """The path ends at a command group; a subcommand must follow."""

    path: list[str]
    subcommands: list[dict[str, Any]]

    def __str__(self) -> str:
        have = [str(o["name"]) for o in self.subcommands]
        return f"{' '.join(self.path)!r} is a group; name a subcommand (have {have})"


@dataclass
class UnknownOption(ResolveError):
    """The command has no option of that name."""

    word: str
    path: list[str]
    known: list[dict[str, Any]]

    def __str__(self) -> str:
        have = [str(o["name"]) for o in self.known]
        return f"{' '.join(self.path)!r} has no option {self.word!r} (has {have})"


@dataclass
class Problem:
    """One reason a client refuses to send: `reason` is one of the names below."""

    reason: str  # missing | choice | too_short | too_long | too_small | too_large | empty | type
    option: dict[str, Any]
    value: Any = None
    limit: Any = None
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        name = self.option["name"]
        if self.reason == "missing":
            return f"required option {name!r} missing"
        if self.reason == "choice":
            values = [c["value"] for c in self.option.get("choices") or []]
            return f"option {name!r}: {self.value!r} is not one of {values}"
        if self.reason in ("too_short", "too_long"):
            lo, hi = self.option.get("min_length"), self.option.get("max_length")
            return f"option {name!r}: length must be within {lo}..{hi} (it is {self.limit})"
        if self.reason in ("too_small", "too_large"):
            lo, hi = self.option.get("min_value"), self.option.get("max_value")
            return f"option {name!r}: value must be within {lo}..{hi}"
        if self.reason == "empty":
            return f"option {name!r} is empty"
        return f"option {name!r}: {self.value!r} is not a {Kind(self.option['type']).name}"


class Refused(ResolveError, ValueError):
    """The client would not send the command: every problem found, in option order."""

    def __init__(self, path: list[str], problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{' '.join(path)!r}: " + "; ".join(str(p) for p in problems))


# --- resolving ------------------------------------------------------------------------------


@dataclass
class Resolved:
    """A command path resolved to base names: the root command, the leaf and the words left."""

    path: list[str]
    root: dict[str, Any]
    leaf: dict[str, Any]
    rest: list[str]

    @property
    def options(self) -> list[dict[str, Any]]:
        """The leaf's options (never subcommands)."""
        return list(self.leaf.get("options") or [])


def branches(node: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The subcommands and groups directly under a command or group."""
    return [o for o in node.get("options") or [] if o["type"] in _BRANCHES]


def find_command(
    commands: Iterable[Mapping[str, Any]], word: str, command_type: int = 1
) -> dict[str, Any] | None:
    """The top-level command of `command_type` called `word` in any language."""
    for command in commands:
        if command.get("type", 1) == command_type and matches(command, word):
            return dict(command)
    return None


def resolve(
    commands: Iterable[Mapping[str, Any]], words: list[str], *, stop_at_colon: bool = True
) -> Resolved:
    """Walk `words` (e.g. ``["nätverk", "kommuner", "lista", "x:1"]``) down the command tree.

    Stops at the first word that is no subcommand (or, with `stop_at_colon`, holds a ``:``, as
    an option does). Raises `UnknownCommand` or `IncompleteCommand`.
    """
    pool = [dict(c) for c in commands if c.get("type", 1) == 1]
    if not words:
        raise UnknownCommand("", [], pool)
    root = next((c for c in pool if matches(c, words[0])), None)
    if root is None:
        raise UnknownCommand(words[0], [], pool)
    path, node, index = [str(root["name"])], root, 1
    while branches(node):
        subs = branches(node)
        if index >= len(words) or (stop_at_colon and ":" in words[index]):
            raise IncompleteCommand(path, subs)
        sub = next((s for s in subs if matches(s, words[index])), None)
        if sub is None:
            raise UnknownCommand(words[index], path, subs)
        path.append(str(sub["name"]))
        node = sub
        index += 1
    return Resolved(path, root, node, words[index:])


def resolve_path(commands: Iterable[Mapping[str, Any]], path: str) -> Resolved:
    """`resolve` of a whole path written with spaces (no option words allowed)."""
    resolved = resolve(commands, path.split(), stop_at_colon=False)
    if resolved.rest:
        raise UnknownCommand(resolved.rest[0], resolved.path, [])
    return resolved


def find_option(leaf: Mapping[str, Any], word: str) -> dict[str, Any] | None:
    """The leaf's option called `word` in any language."""
    for option in leaf.get("options") or []:
        if option["type"] not in _BRANCHES and matches(option, word):
            return dict(option)
    return None


def option(leaf: Mapping[str, Any], word: str, path: list[str]) -> dict[str, Any]:
    """`find_option`, raising `UnknownOption` naming what the leaf has."""
    found = find_option(leaf, word)
    if found is None:
        known = [o for o in leaf.get("options") or [] if o["type"] not in _BRANCHES]
        raise UnknownOption(word, path, known)
    return found


def find_choice(
    option: Mapping[str, Any], value: Any, *, prefix: bool = False
) -> dict[str, Any] | None:
    """The choice whose value is `value`, or whose name (in any language) `value` is; with
    `prefix`, also the one choice whose name starts with it (`Engelska` for `Engelska (en)`)."""
    choices = option.get("choices") or []
    for choice in choices:
        if choice["value"] == value:
            return dict(choice)
    text = str(value)
    for choice in choices:
        if str(choice["value"]) == text:
            return dict(choice)
    for choice in choices:
        if matches(choice, text):
            return dict(choice)
    if prefix and text.strip():
        folded = _fold(text)
        found = [c for c in choices if any(_fold(n).startswith(folded) for n in names(c))]
        if len(found) == 1:
            return dict(found[0])
    return None


def choice_labels(option: Mapping[str, Any], locale: str | None) -> list[str]:
    """The choices' names as a client in `locale` lists them."""
    return [localized(c, locale) for c in option.get("choices") or []]


def check(
    option: Mapping[str, Any], value: Any, *, prefix: bool = False
) -> tuple[Any, Problem | None]:
    """A value as the client sends it (a choice's value for a choice's name), or the problem.

    Checks what the client checks before sending: choices, string length (an empty or blank
    string is not sent at all) and number range. Types other than strings and numbers pass as
    they are. `prefix` lets a unique start of a choice's name stand for it.
    """
    opt = dict(option)
    kind = opt["type"]
    if kind == Kind.STRING:
        text = str(value)
        if not text.strip():
            return value, Problem("empty", opt, value)
    if opt.get("choices"):
        choice = find_choice(opt, value, prefix=prefix)
        if choice is None:
            return value, Problem("choice", opt, value)
        return choice["value"], None
    if kind == Kind.STRING:
        text = str(value)
        lo, hi = opt.get("min_length"), opt.get("max_length") or STRING_MAX
        if lo is not None and len(text) < lo:
            return value, Problem("too_short", opt, value, len(text), {"min": lo})
        if len(text) > hi:
            return value, Problem("too_long", opt, value, len(text), {"max": hi})
        return text, None
    if kind in (Kind.INTEGER, Kind.NUMBER):
        try:
            number: Any = int(value) if kind == Kind.INTEGER else float(value)
        except (TypeError, ValueError):
            return value, Problem("type", opt, value)
        if isinstance(value, int) and kind == Kind.NUMBER:
            number = value
        lo, hi = opt.get("min_value"), opt.get("max_value")
        if lo is not None and number < lo:
            return value, Problem("too_small", opt, value, lo, {"min": lo})
        if hi is not None and number > hi:
            return value, Problem("too_large", opt, value, hi, {"max": hi})
        return number, None
    return value, None


def missing(leaf: Mapping[str, Any], given: Iterable[str]) -> list[Problem]:
    """A problem for each required option of the leaf not among `given` (base names)."""
    have = set(given)
    return [
        Problem("missing", dict(o))
        for o in leaf.get("options") or []
        if o.get("required") and o["type"] not in _BRANCHES and o["name"] not in have
    ]
