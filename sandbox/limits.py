"""Validation of request bodies against Discord's documented limits.

Every violation is reported the way Discord reports it: HTTP 400, code 50035, and a
nested ``errors`` object whose path names the offending field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from .enums import (
    CHOICE_TYPES,
    SELECT_TYPES,
    SUBCOMMAND_TYPES,
    ButtonStyle,
    CommandType,
    ComponentType,
    OptionType,
)
from .state import ChannelType

Path = Sequence[str | int]

LOCALES = frozenset(
    {
        "id",
        "da",
        "de",
        "en-GB",
        "en-US",
        "es-ES",
        "es-419",
        "fr",
        "hr",
        "it",
        "lt",
        "hu",
        "nl",
        "no",
        "pl",
        "pt-BR",
        "ro",
        "fi",
        "sv-SE",
        "vi",
        "tr",
        "cs",
        "el",
        "bg",
        "ru",
        "uk",
        "hi",
        "th",
        "zh-CN",
        "ja",
        "zh-TW",
        "ko",
    }
)

MAX_GLOBAL_CHAT_INPUT = 100
MAX_USER_COMMANDS = 15
MAX_MESSAGE_COMMANDS = 15
MAX_COMMAND_CHARS = 4000
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class ApiError(Exception):
    """An error response the emulator sends, shaped like Discord's."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        errors: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """The JSON body of the response."""
        out: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            out["errors"] = self.errors
        return out


def missing_permissions() -> ApiError:
    """403 50013."""
    return ApiError(403, 50013, "Missing Permissions")


def missing_access() -> ApiError:
    """403 50001."""
    return ApiError(403, 50001, "Missing Access")


def unknown(what: str, code: int) -> ApiError:
    """404 Unknown <what>."""
    return ApiError(404, code, f"Unknown {what}")


class Errors:
    """Collects field errors into Discord's nested ``errors`` object."""

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}

    def add(self, path: Path, code: str, message: str) -> None:
        """Record an error at ``path`` (field names and list indices)."""
        node = self.tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def __bool__(self) -> bool:
        return bool(self.tree)

    def raise_if_any(self) -> None:
        """Raise the 50035 Invalid Form Body error if anything was recorded."""
        if self.tree:
            raise ApiError(400, 50035, "Invalid Form Body", self.tree)

    # Common checks -----------------------------------------------------------------

    def max_len(self, path: Path, value: Any, limit: int) -> None:
        """String no longer than ``limit``."""
        if isinstance(value, str) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def length(self, path: Path, value: Any, lo: int, hi: int) -> None:
        """String between ``lo`` and ``hi`` characters, and present."""
        if value is None:
            self.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        elif not isinstance(value, str):
            self.add(path, "STRING_TYPE_CONVERT", "Could not interpret value as string.")
        elif not lo <= len(value) <= hi:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {lo} and {hi} in length.")

    def required(self, path: Path, value: Any) -> bool:
        """Present and not null; records BASE_TYPE_REQUIRED otherwise."""
        if value is None:
            self.add(path, "BASE_TYPE_REQUIRED", "This field is required")
            return False
        return True

    def max_items(self, path: Path, value: Any, limit: int) -> None:
        """A list of at most ``limit`` items."""
        if isinstance(value, list) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def choice(self, path: Path, value: Any, allowed: Iterable[Any]) -> None:
        """One of the allowed values."""
        allowed = list(allowed)
        if value not in allowed:
            shown = ", ".join(str(a) for a in allowed)
            self.add(path, "BASE_TYPE_CHOICES", f"Value must be one of {{{shown}}}.")

    def integer(self, path: Path, value: Any, lo: int, hi: int) -> None:
        """An integer between ``lo`` and ``hi``."""
        if not isinstance(value, int) or isinstance(value, bool):
            self.add(path, "NUMBER_TYPE_COERCE", f'Value "{value}" is not int.')
        elif value < lo:
            self.add(path, "NUMBER_TYPE_MIN", f"int value should be greater than or equal to {lo}.")
        elif value > hi:
            self.add(path, "NUMBER_TYPE_MAX", f"int value should be less than or equal to {hi}.")


def is_snowflake(value: Any) -> bool:
    """Whether value is a snowflake (int or numeric string)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 0
    return isinstance(value, str) and value.isdigit() and len(value) <= 20


# Messages ---------------------------------------------------------------------------

EMBED_TOTAL = 6000


def _embed_chars(embed: dict[str, Any]) -> int:
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    for f in embed.get("fields") or []:
        if isinstance(f, dict):
            total += len(str(f.get("name") or "")) + len(str(f.get("value") or ""))
    total += len(((embed.get("footer") or {}).get("text")) or "")
    total += len(((embed.get("author") or {}).get("name")) or "")
    return total


def validate_embeds(errs: Errors, embeds: Any) -> None:
    """Embed limits: ≤10 embeds, field lengths, and 6000 characters in total."""
    if embeds is None:
        return
    if not isinstance(embeds, list):
        errs.add(["embeds"], "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return
    errs.max_items(["embeds"], embeds, 10)
    total = 0
    for i, embed in enumerate(embeds):
        p: list[str | int] = ["embeds", i]
        if not isinstance(embed, dict):
            errs.add(p, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        errs.max_len([*p, "title"], embed.get("title"), 256)
        errs.max_len([*p, "description"], embed.get("description"), 4096)
        if embed.get("url") is not None:
            _check_url(errs, [*p, "url"], embed["url"])
        fields = embed.get("fields") or []
        errs.max_items([*p, "fields"], fields, 25)
        for j, f in enumerate(fields):
            fp: list[str | int] = [*p, "fields", j]
            if not isinstance(f, dict):
                errs.add(fp, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
                continue
            errs.length([*fp, "name"], f.get("name"), 1, 256)
            errs.length([*fp, "value"], f.get("value"), 1, 1024)
        footer = embed.get("footer")
        if isinstance(footer, dict):
            errs.length([*p, "footer", "text"], footer.get("text"), 1, 2048)
        author = embed.get("author")
        if isinstance(author, dict):
            errs.length([*p, "author", "name"], author.get("name"), 1, 256)
        for key in ("image", "thumbnail"):
            media = embed.get(key)
            if isinstance(media, dict):
                _check_url(errs, [*p, key, "url"], media.get("url"), attachment_ok=True)
        total += _embed_chars(embed)
    if total > EMBED_TOTAL:
        errs.add(
            ["embeds"],
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL}",
        )


_URL_RE = re.compile(r"^(https?|discord)://[^\s]+$")


def _check_url(errs: Errors, path: Path, value: Any, *, attachment_ok: bool = False) -> None:
    if not isinstance(value, str):
        errs.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        return
    if attachment_ok and value.startswith("attachment://"):
        return
    if not _URL_RE.match(value):
        errs.add(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")
    errs.max_len(path, value, 2048)


BUTTON_STYLES = frozenset(ButtonStyle)
V2_TOP_LEVEL = frozenset(
    {
        ComponentType.ACTION_ROW,
        ComponentType.SECTION,
        ComponentType.TEXT_DISPLAY,
        ComponentType.MEDIA_GALLERY,
        ComponentType.FILE,
        ComponentType.SEPARATOR,
        ComponentType.CONTAINER,
    }
)


def _check_select(
    errs: Errors, p: list[str | int], comp: dict[str, Any], custom_ids: list[str]
) -> None:
    _check_custom_id(errs, [*p, "custom_id"], comp.get("custom_id"), custom_ids)
    errs.max_len([*p, "placeholder"], comp.get("placeholder"), 150)
    lo = comp.get("min_values", 1)
    hi = comp.get("max_values", 1)
    errs.integer([*p, "min_values"], lo, 0, 25)
    errs.integer([*p, "max_values"], hi, 1, 25)
    if comp.get("type") == ComponentType.STRING_SELECT:
        options = comp.get("options")
        if not isinstance(options, list) or not options:
            errs.add([*p, "options"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.")
            options = []
        elif len(options) > 25:
            errs.add([*p, "options"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.")
        values: set[str] = set()
        for k, opt in enumerate(options):
            op: list[str | int] = [*p, "options", k]
            if not isinstance(opt, dict):
                errs.add(op, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
                continue
            errs.length([*op, "label"], opt.get("label"), 1, 100)
            errs.length([*op, "value"], opt.get("value"), 1, 100)
            errs.max_len([*op, "description"], opt.get("description"), 100)
            if opt.get("value") in values:
                errs.add(
                    [*op, "value"],
                    "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                    "Component option value must be unique",
                )
            values.add(str(opt.get("value")))
        if isinstance(lo, int) and isinstance(hi, int) and options:
            if hi > len(options):
                errs.add(
                    [*p, "max_values"],
                    "SELECT_COMPONENT_MAX_VALUES_EXCEEDS_OPTIONS",
                    "max_values must be less than or equal to the number of options",
                )
            if lo > hi:
                errs.add(
                    [*p, "min_values"],
                    "SELECT_COMPONENT_MIN_VALUES_EXCEEDS_MAX",
                    "min_values must be less than or equal to max_values",
                )
    elif isinstance(lo, int) and isinstance(hi, int) and lo > hi:
        errs.add(
            [*p, "min_values"],
            "SELECT_COMPONENT_MIN_VALUES_EXCEEDS_MAX",
            "min_values must be less than or equal to max_values",
        )


def _check_custom_id(errs: Errors, path: Path, value: Any, seen: list[str]) -> None:
    errs.length(path, value, 1, 100)
    if isinstance(value, str):
        if value in seen:
            errs.add(
                path,
                "COMPONENT_CUSTOM_ID_DUPLICATED",
                "Component custom id cannot be duplicated",
            )
        seen.append(value)


def _check_button(
    errs: Errors, p: list[str | int], comp: dict[str, Any], custom_ids: list[str]
) -> None:
    style = comp.get("style")
    errs.choice([*p, "style"], style, sorted(BUTTON_STYLES))
    errs.max_len([*p, "label"], comp.get("label"), 80)
    if style == ButtonStyle.LINK:
        if comp.get("custom_id") is not None:
            errs.add(
                [*p, "custom_id"],
                "BUTTON_COMPONENT_CUSTOM_ID_FORBIDDEN",
                "A custom id cannot be specified for link buttons",
            )
        if comp.get("url") is None:
            errs.add([*p, "url"], "BUTTON_COMPONENT_URL_REQUIRED", "A url is required")
        else:
            _check_url(errs, [*p, "url"], comp.get("url"))
            errs.max_len([*p, "url"], comp.get("url"), 512)
    elif style == ButtonStyle.PREMIUM:
        if comp.get("sku_id") is None:
            errs.add([*p, "sku_id"], "BASE_TYPE_REQUIRED", "This field is required")
    else:
        if comp.get("url") is not None:
            errs.add(
                [*p, "url"],
                "BUTTON_COMPONENT_URL_FORBIDDEN",
                "A url cannot be specified for non-link buttons",
            )
        _check_custom_id(errs, [*p, "custom_id"], comp.get("custom_id"), custom_ids)
    if style != ButtonStyle.PREMIUM and comp.get("label") is None and comp.get("emoji") is None:
        errs.add(
            [*p, "label"],
            "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED",
            "A label or emoji is required",
        )


def _check_action_row(
    errs: Errors, p: list[str | int], row: dict[str, Any], custom_ids: list[str]
) -> None:
    children = row.get("components")
    if not isinstance(children, list) or not children:
        errs.add([*p, "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
        return
    errs.max_items([*p, "components"], children, 5)
    kinds = {c.get("type") for c in children if isinstance(c, dict)}
    if kinds & SELECT_TYPES and (len(children) > 1 or ComponentType.BUTTON in kinds):
        errs.add(
            [*p, "components"],
            "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
            "The specified component exceeds the maximum width",
        )
    for j, comp in enumerate(children):
        cp: list[str | int] = [*p, "components", j]
        if not isinstance(comp, dict):
            errs.add(cp, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        ctype = comp.get("type")
        if ctype == ComponentType.BUTTON:
            _check_button(errs, cp, comp, custom_ids)
        elif ctype in SELECT_TYPES:
            _check_select(errs, cp, comp, custom_ids)
        else:
            errs.add(
                [*cp, "type"],
                "UNION_TYPE_CHOICES",
                'Value of field "type" must be one of (2, 3, 5, 6, 7, 8).',
            )


def _check_v2_component(
    errs: Errors, p: list[str | int], comp: dict[str, Any], custom_ids: list[str]
) -> int:
    """Checks one Components V2 layout component; returns how many components it counts."""
    ctype = comp.get("type")
    count = 1
    if ctype == ComponentType.ACTION_ROW:
        _check_action_row(errs, p, comp, custom_ids)
        count += len(comp.get("components") or [])
    elif ctype == ComponentType.TEXT_DISPLAY:
        errs.length([*p, "content"], comp.get("content"), 1, 4000)
    elif ctype == ComponentType.SECTION:
        for j, child in enumerate(comp.get("components") or []):
            if isinstance(child, dict):
                count += _check_v2_component(errs, [*p, "components", j], child, custom_ids)
        accessory = comp.get("accessory")
        if isinstance(accessory, dict):
            count += 1
            if accessory.get("type") == ComponentType.BUTTON:
                _check_button(errs, [*p, "accessory"], accessory, custom_ids)
    elif ctype == ComponentType.CONTAINER:
        for j, child in enumerate(comp.get("components") or []):
            if isinstance(child, dict):
                count += _check_v2_component(errs, [*p, "components", j], child, custom_ids)
    return count


def validate_components(errs: Errors, components: Any, flags: int) -> None:
    """Component limits: ≤5 action rows (or ≤40 V2 components), buttons, selects, ids."""
    if components is None:
        return
    if not isinstance(components, list):
        errs.add(["components"], "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return
    custom_ids: list[str] = []
    if flags & (1 << 15):
        total = 0
        for i, comp in enumerate(components):
            if isinstance(comp, dict):
                if comp.get("type") not in V2_TOP_LEVEL:
                    errs.add(["components", i, "type"], "UNION_TYPE_CHOICES", "Invalid type")
                total += _check_v2_component(errs, ["components", i], comp, custom_ids)
        if total > 40:
            errs.add(["components"], "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in length.")
        return
    errs.max_items(["components"], components, 5)
    for i, row in enumerate(components):
        p: list[str | int] = ["components", i]
        if not isinstance(row, dict):
            errs.add(p, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        if row.get("type") != ComponentType.ACTION_ROW:
            errs.add(
                [*p, "type"],
                "UNION_TYPE_CHOICES",
                'Value of field "type" must be one of (1,).',
            )
            continue
        _check_action_row(errs, p, row, custom_ids)


def validate_allowed_mentions(errs: Errors, am: Any) -> None:
    """allowed_mentions: parse types and explicit lists must not clash."""
    if am is None:
        return
    if not isinstance(am, dict):
        errs.add(["allowed_mentions"], "DICT_TYPE_CONVERT", "Only dictionaries may be used")
        return
    parse = am.get("parse") or []
    for i, kind in enumerate(parse):
        errs.choice(["allowed_mentions", "parse", i], kind, ["roles", "users", "everyone"])
    users = am.get("users")
    roles = am.get("roles")
    if users is not None:
        errs.max_items(["allowed_mentions", "users"], users, 100)
    if roles is not None:
        errs.max_items(["allowed_mentions", "roles"], roles, 100)
    if "users" in parse and users:
        errs.add(
            ["allowed_mentions"],
            "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
            'parse:["users"] and users: [ids...] are mutually exclusive.',
        )
    if "roles" in parse and roles:
        errs.add(
            ["allowed_mentions"],
            "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
            'parse:["roles"] and roles: [ids...] are mutually exclusive.',
        )


def validate_message_fields(errs: Errors, body: dict[str, Any]) -> None:
    """Field-level checks shared by every way of sending or editing a message."""
    content = body.get("content")
    if content is not None and not isinstance(content, str):
        errs.add(["content"], "STRING_TYPE_CONVERT", "Could not interpret value as string.")
    else:
        errs.max_len(["content"], content, 2000)
    flags = body.get("flags") or 0
    if not isinstance(flags, int):
        errs.add(["flags"], "NUMBER_TYPE_COERCE", f'Value "{flags}" is not int.')
        flags = 0
    if flags & (1 << 15) and (content or body.get("embeds") or body.get("poll")):
        errs.add(
            ["content"],
            "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
            "The 'content', 'embeds', 'stickers' and 'poll' fields cannot be used "
            "when using MessageFlags.IS_COMPONENTS_V2",
        )
    validate_embeds(errs, body.get("embeds"))
    validate_components(errs, body.get("components"), flags)
    validate_allowed_mentions(errs, body.get("allowed_mentions"))
    nonce = body.get("nonce")
    if isinstance(nonce, str):
        errs.max_len(["nonce"], nonce, 25)
    attachments = body.get("attachments")
    if isinstance(attachments, list):
        errs.max_items(["attachments"], attachments, 10)
        for i, att in enumerate(attachments):
            if isinstance(att, dict):
                errs.max_len(["attachments", i, "description"], att.get("description"), 1024)
    sticker_ids = body.get("sticker_ids")
    if sticker_ids is not None:
        errs.max_items(["sticker_ids"], sticker_ids, 3)


def empty_message() -> ApiError:
    """400 50006."""
    return ApiError(400, 50006, "Cannot send an empty message")


# Application commands ---------------------------------------------------------------


def _name_char_ok(ch: str) -> bool:
    if ch in "-_'":
        return True
    cat = unicodedata.category(ch)
    if cat[0] in "LN":
        return True
    cp = ord(ch)
    # \p{sc=Deva} and \p{sc=Thai} include combining marks that are not letters.
    return 0x0900 <= cp <= 0x097F or 0xA8E0 <= cp <= 0xA8FF or 0x0E00 <= cp <= 0x0E7F


def valid_chat_input_name(name: Any) -> bool:
    """Discord's CHAT_INPUT name regex, plus the lowercase rule."""
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        return False
    return all(_name_char_ok(ch) and ch.lower() == ch for ch in name)


OPTION_TYPES = frozenset(OptionType)


def _check_localizations(
    errs: Errors, path: list[str | int], value: Any, *, name: bool, chat_input: bool
) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        errs.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    for locale, text in value.items():
        lp = [*path, locale]
        if locale not in LOCALES:
            errs.add(lp, "BASE_TYPE_CHOICES", f"Value must be one of {sorted(LOCALES)}.")
            continue
        if name:
            if chat_input and not valid_chat_input_name(text):
                errs.add(lp, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
            else:
                errs.length(lp, text, 1, 32)
        else:
            errs.length(lp, text, 1, 100)


def _longest(node: dict[str, Any], key: str) -> int:
    """Length of a field, or of its longest localization (Discord counts the longest)."""
    lengths = [len(str(node.get(key) or ""))]
    locs = node.get(f"{key}_localizations")
    if isinstance(locs, dict):
        lengths.extend(len(str(v)) for v in locs.values())
    return max(lengths)


def _command_chars(node: dict[str, Any]) -> int:
    total = _longest(node, "name") + _longest(node, "description")
    for choice in node.get("choices") or []:
        if isinstance(choice, dict):
            total += _longest(choice, "name") + len(str(choice.get("value") or ""))
    for opt in node.get("options") or []:
        if isinstance(opt, dict):
            total += _command_chars(opt)
    return total


def _check_options(errs: Errors, path: list[str | int], options: Any, depth: int) -> None:
    """Options of a command (depth 0), a group (1) or a subcommand (2)."""
    if options is None:
        return
    if not isinstance(options, list):
        errs.add(path, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return
    errs.max_items(path, options, 25)
    names: set[str] = set()
    seen_optional = False
    kinds = {o.get("type") for o in options if isinstance(o, dict)}
    if kinds & SUBCOMMAND_TYPES and kinds - SUBCOMMAND_TYPES:
        errs.add(
            path,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-command and sub-command group option types are mutually exclusive to all "
            "other types",
        )
    for i, opt in enumerate(options):
        p: list[str | int] = [*path, i]
        if not isinstance(opt, dict):
            errs.add(p, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        otype = opt.get("type")
        errs.choice([*p, "type"], otype, sorted(OPTION_TYPES))
        name = opt.get("name")
        if not valid_chat_input_name(name):
            errs.add([*p, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        if isinstance(name, str):
            if name in names:
                errs.add(
                    [*p, "name"],
                    "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
                    "Option name already exists",
                )
            names.add(name)
        errs.length([*p, "description"], opt.get("description"), 1, 100)
        _check_localizations(
            errs,
            [*p, "name_localizations"],
            opt.get("name_localizations"),
            name=True,
            chat_input=True,
        )
        _check_localizations(
            errs,
            [*p, "description_localizations"],
            opt.get("description_localizations"),
            name=False,
            chat_input=True,
        )
        if otype == OptionType.SUB_COMMAND_GROUP and depth != 0:
            errs.add([*p, "type"], "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Invalid nesting")
        if otype == OptionType.SUB_COMMAND and depth > 1:
            errs.add([*p, "type"], "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Invalid nesting")
        if otype == OptionType.SUB_COMMAND_GROUP:
            sub = opt.get("options") or []
            if any(isinstance(s, dict) and s.get("type") != OptionType.SUB_COMMAND for s in sub):
                errs.add(
                    [*p, "options"],
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Sub-command groups may only contain sub-commands",
                )
            _check_options(errs, [*p, "options"], sub, 1)
            continue
        if otype == OptionType.SUB_COMMAND:
            _check_options(errs, [*p, "options"], opt.get("options"), 2)
            continue
        if opt.get("options"):
            errs.add([*p, "options"], "BASE_TYPE_MAX_LENGTH", "Only sub-commands have options")
        required = bool(opt.get("required", False))
        if required and seen_optional:
            errs.add(
                [*p, "required"],
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options",
            )
        if not required:
            seen_optional = True
        choices = opt.get("choices")
        if choices is not None:
            if otype not in CHOICE_TYPES:
                errs.add([*p, "choices"], "BASE_TYPE_MAX_LENGTH", "Choices not allowed")
            errs.max_items([*p, "choices"], choices, 25)
            if opt.get("autocomplete") and choices:
                errs.add(
                    [*p, "autocomplete"],
                    "APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES_EXCLUSIVE",
                    "Autocomplete and choices are mutually exclusive",
                )
            for j, ch in enumerate(choices if isinstance(choices, list) else []):
                cp: list[str | int] = [*p, "choices", j]
                if not isinstance(ch, dict):
                    continue
                errs.length([*cp, "name"], ch.get("name"), 1, 100)
                _check_localizations(
                    errs,
                    [*cp, "name_localizations"],
                    ch.get("name_localizations"),
                    name=False,
                    chat_input=False,
                )
                value = ch.get("value")
                if otype == OptionType.STRING:
                    errs.length([*cp, "value"], value, 1, 100)
                elif otype == OptionType.INTEGER and (
                    not isinstance(value, int) or isinstance(value, bool)
                ):
                    errs.add([*cp, "value"], "NUMBER_TYPE_COERCE", f'Value "{value}" is not int.')
                elif otype == OptionType.NUMBER and not isinstance(value, int | float):
                    errs.add(
                        [*cp, "value"], "NUMBER_TYPE_COERCE", f'Value "{value}" is not a number.'
                    )
        if otype == OptionType.STRING:
            for key in ("min_length", "max_length"):
                if opt.get(key) is not None:
                    errs.integer([*p, key], opt.get(key), 0 if key == "min_length" else 1, 6000)
        if opt.get("autocomplete") and otype not in CHOICE_TYPES:
            errs.add(
                [*p, "autocomplete"],
                "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID",
                "Autocomplete is only allowed for string, integer and number options",
            )


def validate_command(errs: Errors, path: list[str | int], cmd: Any) -> None:
    """One application command create payload."""
    if not isinstance(cmd, dict):
        errs.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    ctype = cmd.get("type", CommandType.CHAT_INPUT)
    errs.choice([*path, "type"], ctype, sorted(CommandType))
    name = cmd.get("name")
    chat_input = ctype == CommandType.CHAT_INPUT
    if chat_input:
        if not valid_chat_input_name(name):
            errs.add([*path, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        errs.length([*path, "description"], cmd.get("description"), 1, 100)
    else:
        errs.length([*path, "name"], name, 1, 32)
        if cmd.get("description"):
            errs.add(
                [*path, "description"],
                "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION_INVALID",
                "Context menu commands cannot have description",
            )
        if cmd.get("options"):
            errs.add(
                [*path, "options"],
                "APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS_INVALID",
                "Context menu commands cannot have options",
            )
        if cmd.get("description_localizations"):
            errs.add(
                [*path, "description_localizations"],
                "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION_INVALID",
                "Context menu commands cannot have description",
            )
    _check_localizations(
        errs,
        [*path, "name_localizations"],
        cmd.get("name_localizations"),
        name=True,
        chat_input=chat_input,
    )
    if chat_input:
        _check_localizations(
            errs,
            [*path, "description_localizations"],
            cmd.get("description_localizations"),
            name=False,
            chat_input=True,
        )
        _check_options(errs, [*path, "options"], cmd.get("options"), 0)
        if _command_chars(cmd) > MAX_COMMAND_CHARS:
            errs.add(
                path,
                "APPLICATION_COMMAND_TOO_LARGE",
                f"Command exceeds maximum size ({MAX_COMMAND_CHARS})",
            )
    dmp = cmd.get("default_member_permissions")
    if dmp is not None and not (isinstance(dmp, str) and dmp.isdigit()):
        errs.add(
            [*path, "default_member_permissions"],
            "NUMBER_TYPE_COERCE",
            f'Value "{dmp}" is not snowflake.',
        )
    for key, allowed in (("contexts", (0, 1, 2)), ("integration_types", (0, 1))):
        vals = cmd.get(key)
        if isinstance(vals, list):
            for i, v in enumerate(vals):
                errs.choice([*path, key, i], v, allowed)


def validate_command_set(errs: Errors, commands: list[dict[str, Any]]) -> None:
    """Per-type count limits and unique names across one scope's commands."""
    by_type: dict[int, list[int]] = {}
    seen: set[tuple[int, str]] = set()
    for i, cmd in enumerate(commands):
        if not isinstance(cmd, dict):
            continue
        ctype = cmd.get("type", 1)
        by_type.setdefault(ctype, []).append(i)
        key = (ctype, str(cmd.get("name")))
        if key in seen:
            errs.add(
                [i, "name"],
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                f"Application command names must be unique ({cmd.get('name')})",
            )
        seen.add(key)
    for ctype, limit in (
        (1, MAX_GLOBAL_CHAT_INPUT),
        (2, MAX_USER_COMMANDS),
        (3, MAX_MESSAGE_COMMANDS),
    ):
        if len(by_type.get(ctype, [])) > limit:
            errs.add(
                [],
                "APPLICATION_COMMAND_TOO_MANY",
                f"Maximum number of application commands of type {ctype} reached ({limit})",
            )


# Interaction responses --------------------------------------------------------------


def validate_autocomplete(errs: Errors, data: Any) -> None:
    """APPLICATION_COMMAND_AUTOCOMPLETE_RESULT: ≤25 choices, name 1–100, string value ≤100."""
    if not isinstance(data, dict):
        errs.add(["data"], "BASE_TYPE_REQUIRED", "This field is required")
        return
    choices = data.get("choices")
    if not isinstance(choices, list):
        errs.add(["data", "choices"], "BASE_TYPE_REQUIRED", "This field is required")
        return
    errs.max_items(["data", "choices"], choices, 25)
    for i, ch in enumerate(choices):
        p: list[str | int] = ["data", "choices", i]
        if not isinstance(ch, dict):
            errs.add(p, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        errs.length([*p, "name"], ch.get("name"), 1, 100)
        value = ch.get("value")
        if isinstance(value, str):
            errs.max_len([*p, "value"], value, 100)
        elif not isinstance(value, int | float) or isinstance(value, bool):
            errs.add([*p, "value"], "BASE_TYPE_REQUIRED", "This field is required")


MODAL_CHILD_TYPES = SELECT_TYPES | {
    ComponentType.TEXT_INPUT,
    ComponentType.FILE_UPLOAD,
    ComponentType.RADIO_GROUP,
    ComponentType.CHECKBOX_GROUP,
    ComponentType.CHECKBOX,
}


def _check_text_input(
    errs: Errors, p: list[str | int], comp: dict[str, Any], ids: list[str], *, in_label: bool
) -> None:
    _check_custom_id(errs, [*p, "custom_id"], comp.get("custom_id"), ids)
    errs.choice([*p, "style"], comp.get("style"), [1, 2])
    if in_label:
        if comp.get("label") is not None:
            errs.add(
                [*p, "label"],
                "TEXT_INPUT_LABEL_FORBIDDEN",
                "label cannot be set on a text input inside a Label",
            )
    else:
        errs.length([*p, "label"], comp.get("label"), 1, 45)
    lo = comp.get("min_length")
    hi = comp.get("max_length")
    if lo is not None:
        errs.integer([*p, "min_length"], lo, 0, 4000)
    if hi is not None:
        errs.integer([*p, "max_length"], hi, 1, 4000)
    errs.max_len([*p, "value"], comp.get("value"), 4000)
    errs.max_len([*p, "placeholder"], comp.get("placeholder"), 100)


def validate_modal(errs: Errors, data: Any) -> None:
    """MODAL: title ≤45, custom_id ≤100, 1–5 components (action rows or labels)."""
    if not isinstance(data, dict):
        errs.add(["data"], "BASE_TYPE_REQUIRED", "This field is required")
        return
    errs.length(["data", "title"], data.get("title"), 1, 45)
    errs.length(["data", "custom_id"], data.get("custom_id"), 1, 100)
    comps = data.get("components")
    if not isinstance(comps, list) or not 1 <= len(comps) <= 5:
        errs.add(
            ["data", "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
        )
        return
    ids: list[str] = []
    for i, comp in enumerate(comps):
        p: list[str | int] = ["data", "components", i]
        if not isinstance(comp, dict):
            errs.add(p, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        ctype = comp.get("type")
        if ctype == ComponentType.ACTION_ROW:
            children = comp.get("components") or []
            if len(children) != 1 or not isinstance(children[0], dict):
                errs.add(
                    [*p, "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 1 in length."
                )
                continue
            child = children[0]
            if child.get("type") != ComponentType.TEXT_INPUT:
                errs.add(
                    [*p, "components", 0, "type"],
                    "UNION_TYPE_CHOICES",
                    'Value of field "type" must be one of (4,).',
                )
                continue
            _check_text_input(errs, [*p, "components", 0], child, ids, in_label=False)
        elif ctype == ComponentType.LABEL:
            errs.length([*p, "label"], comp.get("label"), 1, 45)
            errs.max_len([*p, "description"], comp.get("description"), 100)
            label_child = comp.get("component")
            if (
                not isinstance(label_child, dict)
                or label_child.get("type") not in MODAL_CHILD_TYPES
            ):
                errs.add([*p, "component"], "BASE_TYPE_REQUIRED", "This field is required")
                continue
            if label_child.get("type") == ComponentType.TEXT_INPUT:
                _check_text_input(errs, [*p, "component"], label_child, ids, in_label=True)
            elif label_child.get("type") in SELECT_TYPES:
                _check_select(errs, [*p, "component"], label_child, ids)
            else:
                _check_custom_id(
                    errs, [*p, "component", "custom_id"], label_child.get("custom_id"), ids
                )
        elif ctype == ComponentType.TEXT_DISPLAY:
            errs.length([*p, "content"], comp.get("content"), 1, 4000)
        else:
            errs.add(
                [*p, "type"],
                "UNION_TYPE_CHOICES",
                'Value of field "type" must be one of (1, 10, 18).',
            )


# Channels ---------------------------------------------------------------------------


def validate_forum_tags(errs: Errors, tags: Any) -> None:
    """available_tags: ≤20 tags, name 1–20."""
    if tags is None:
        return
    if not isinstance(tags, list):
        errs.add(["available_tags"], "LIST_TYPE_CONVERT", "Only iterables may be used")
        return
    errs.max_items(["available_tags"], tags, 20)
    for i, tag in enumerate(tags):
        if isinstance(tag, dict):
            errs.length(["available_tags", i, "name"], tag.get("name"), 1, 20)
            if tag.get("emoji_id") is not None and tag.get("emoji_name") is not None:
                errs.add(
                    ["available_tags", i, "emoji_id"],
                    "BASE_TYPE_INVALID",
                    "emoji_id and emoji_name are mutually exclusive",
                )


def validate_channel_fields(
    errs: Errors, body: dict[str, Any], ctype: int, *, create: bool
) -> None:
    """Channel create/modify fields for guild channels and threads."""
    if create or "name" in body:
        errs.length(["name"], body.get("name"), 1, 100)
    topic_max = 4096 if ctype in ChannelType.FORUM_LIKE else 1024
    errs.max_len(["topic"], body.get("topic"), topic_max)
    if body.get("rate_limit_per_user") is not None:
        errs.integer(["rate_limit_per_user"], body.get("rate_limit_per_user"), 0, 21600)
    if body.get("user_limit") is not None:
        errs.integer(["user_limit"], body.get("user_limit"), 0, 99)
    if body.get("bitrate") is not None:
        errs.integer(["bitrate"], body.get("bitrate"), 8000, 384000)
    for key in ("auto_archive_duration", "default_auto_archive_duration"):
        if body.get(key) is not None:
            errs.choice([key], body.get(key), [60, 1440, 4320, 10080])
    if "available_tags" in body:
        validate_forum_tags(errs, body.get("available_tags"))
    overwrites = body.get("permission_overwrites")
    if isinstance(overwrites, list):
        for i, ow in enumerate(overwrites):
            if isinstance(ow, dict):
                errs.choice(["permission_overwrites", i, "type"], ow.get("type"), [0, 1])
                if not is_snowflake(ow.get("id")):
                    errs.add(
                        ["permission_overwrites", i, "id"],
                        "NUMBER_TYPE_COERCE",
                        "Value is not snowflake.",
                    )


# Scheduled events -------------------------------------------------------------------


def parse_iso(errs: Errors, path: Path, value: Any) -> datetime | None:
    """An ISO8601 timestamp (with offset) or an error."""
    if not isinstance(value, str):
        errs.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        errs.add(path, "DATE_TIME_TYPE_PARSE", f"Could not parse {value}. Should be ISO8601.")
        return None
    if dt.tzinfo is None:
        # ISO8601 without an offset is read as UTC, as Discord does.
        dt = dt.replace(tzinfo=UTC)
    return dt
