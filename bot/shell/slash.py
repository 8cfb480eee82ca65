"""What the shell's slash line means, checked as Discord's client checks it before sending.

Names are resolved in both languages by `sandbox.commands`; every mistake becomes a `ShellError`
with a message in the shell's language, naming the option as the person's client shows it.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Any

from bot.i18n import Lang, t
from sandbox import commands as names
from sandbox.commands import Kind, Problem

_TRUE = {"true", "yes", "ja", "1", "sant"}
_FALSE = {"false", "no", "nej", "0", "falskt"}
ASK = "?"


class ShellError(Exception):
    """A mistake in what was typed; shown, and the shell goes on."""


def split(lang: Lang, text: str) -> list[str]:
    """Words as a shell splits them, quotes kept together; an unmatched quote is a mistake."""
    try:
        return shlex.split(text)
    except ValueError:
        raise ShellError(t(lang, "shell.unclosed_quote")) from None


def label(entry: dict[str, Any], locale: str) -> str:
    """A command, option or choice name as the person's client shows it."""
    return names.localized(entry, locale)


def choices_text(option: dict[str, Any], locale: str) -> str:
    """The choices of an option, in the person's language."""
    return ", ".join(names.choice_labels(option, locale))


def problem_text(lang: Lang, locale: str, problem: Problem) -> str:
    """What the client says about one refused option."""
    opt = problem.option
    params: dict[str, Any] = {"option": label(opt, locale), "value": problem.value}
    if problem.reason == "choice":
        params["choices"] = choices_text(opt, locale)
    if problem.reason in ("too_long", "too_short"):
        params["length"] = problem.limit
    params.update(problem.params)
    return t(lang, f"shell.problem.{problem.reason}", **params)


@dataclass
class Parsed:
    """A slash line: the command's base-name path, its leaf, options by base name, and notes."""

    path: list[str]
    leaf: dict[str, Any]
    options: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    asked: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[dict[str, Any]] = field(default_factory=list)
    autocomplete: list[dict[str, Any]] = field(default_factory=list)


def parse(
    lang: Lang,
    locale: str,
    commands: list[dict[str, Any]],
    text: str,
    convert: Any,
) -> Parsed:
    """Resolve a slash line; `convert(option, value)` turns users, channels … into objects.

    Raises `ShellError` for every mistake a client would not let through, all at once.
    """
    words = split(lang, text)
    try:
        found = names.resolve(commands, words)
    except names.IncompleteCommand as exc:
        subs = ", ".join(label(s, locale) for s in exc.subcommands)
        raise ShellError(
            t(lang, "shell.incomplete_command", text=" ".join(words), subcommands=subs)
        ) from None
    except names.UnknownCommand:
        raise ShellError(t(lang, "shell.unknown_command", text=" ".join(words[:3]))) from None
    parsed = Parsed(found.path, found.leaf)
    problems: list[str] = []
    for word in found.rest:
        key, sep, value = word.partition(":")
        if not sep:
            raise ShellError(t(lang, "shell.option_syntax", word=word))
        option = names.find_option(found.leaf, key)
        if option is None:
            known = ", ".join(label(o, locale) for o in found.options)
            if not known:  # not "It has: –"
                raise ShellError(t(lang, "shell.unknown_option.none", name=key))
            raise ShellError(t(lang, "shell.unknown_option", name=key, known=known))
        base = str(option["name"])
        if value.strip() == ASK:
            parsed.asked.append(option)
            continue
        if option["type"] == Kind.STRING and not value.strip():
            # The client does not send an empty option at all.
            parsed.dropped.append(option)
            continue
        if option.get("autocomplete"):
            parsed.raw[base] = value
            parsed.autocomplete.append(option)
            continue
        converted = convert(option, value)
        checked, problem = names.check(option, converted, prefix=True)
        if problem is not None:
            problems.append(problem_text(lang, locale, problem))
            parsed.raw[base] = value  # refused, but not missing
            continue
        parsed.options[base] = checked
        parsed.raw[base] = value
    if not parsed.asked:
        for problem in names.missing(found.leaf, [*parsed.options, *parsed.raw]):
            problems.append(problem_text(lang, locale, problem))
    if problems:
        raise ShellError("\n".join(problems))
    return parsed


def convert_basic(lang: Lang, option: dict[str, Any], value: str) -> Any:
    """Numbers and booleans as typed (in either language); anything else as it is."""
    kind = option["type"]
    if option.get("choices"):
        return value
    try:
        if kind == Kind.INTEGER:
            return int(value)
        if kind == Kind.NUMBER:
            return float(value.replace(",", "."))
    except ValueError:
        raise ShellError(
            t(lang, "shell.not_a_number", value=value, option=option["name"])
        ) from None
    if kind == Kind.BOOLEAN:
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ShellError(t(lang, "shell.not_a_boolean", value=value))
    return value
