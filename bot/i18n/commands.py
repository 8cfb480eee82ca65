"""Localising the command tree: names, descriptions, options and choices.

Every string of an application command has a catalogue key derived from where it sits:
`cmd.<path>.name`, `cmd.<path>.description`, `cmd.<path>.opt.<param>.name|description`,
`menu.<slug>.name` for context menus and `choice.<slug>` for choices. The English catalogue
repeats the base strings written in code (a test keeps them equal); the Swedish one translates.
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Loc

from bot.i18n import Lang, catalogue, lang_of

_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _SLUG.sub("_", text.lower()).strip("_")


def command_path(command: Any) -> str:
    """`contact.find` for `/contact find`, `menu.contact_card` for the context menu."""
    if isinstance(command, app_commands.ContextMenu):
        return f"menu.{slug(command.name)}"
    return "cmd." + command.qualified_name.replace(" ", ".").replace("-", "_")


def key_for(location: Loc, data: Any, string: app_commands.locale_str) -> str | None:
    """The catalogue key of one string of the command tree, or None for untranslated text."""
    explicit = string.extras.get("key")
    if explicit:
        return str(explicit)
    if location in (Loc.command_name, Loc.group_name):
        return f"{command_path(data)}.name"
    if location in (Loc.command_description, Loc.group_description):
        return f"{command_path(data)}.description"
    if location is Loc.parameter_name:
        return f"{command_path(data.command)}.opt.{data.name}.name"
    if location is Loc.parameter_description:
        return f"{command_path(data.command)}.opt.{data.name}.description"
    if location is Loc.choice_name:
        return f"choice.{slug(string.message)}"
    return None


def lookup(lang: Lang, key: str | None) -> str | None:
    return None if key is None else catalogue(lang).get(key)


class Translator(app_commands.Translator):
    """Gives Discord the Swedish (and English) names and descriptions at sync time."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        lang = lang_of(locale)
        if lang is None:
            return None
        return lookup(lang, key_for(context.location, context.data, string))


def localized_name(command: Any, lang: Lang) -> str:
    """A command's full name as a user of `lang` types it ("nätverk inställningar")."""
    parts: list[str] = []
    node = command
    while node is not None:
        parts.append(lookup(lang, f"{command_path(node)}.name") or node.name)
        node = getattr(node, "parent", None)
    return " ".join(reversed(parts))


def localized_description(command: Any, lang: Lang) -> str:
    if isinstance(command, app_commands.ContextMenu):
        return lookup(lang, f"{command_path(command)}.description") or ""
    return lookup(lang, f"{command_path(command)}.description") or command.description
