"""What a user sees after an interaction: the driver's ``Reply`` and its parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .enums import SELECT_TYPES, ComponentType
from .state import Attachment, Message


@dataclass
class Choice:
    """An autocomplete choice the bot offered."""

    name: str
    value: str | int | float
    name_localizations: dict[str, str] | None = None


@dataclass
class Button:
    """A button as rendered on a message."""

    label: str | None
    custom_id: str | None
    style: int
    disabled: bool = False
    url: str | None = None
    emoji: dict[str, Any] | None = None


@dataclass
class SelectOption:
    """One option of a string select."""

    label: str
    value: str
    description: str | None = None
    default: bool = False


@dataclass
class Select:
    """A select menu as rendered on a message or in a modal."""

    custom_id: str
    type: int
    placeholder: str | None = None
    options: list[SelectOption] = field(default_factory=list)
    min_values: int = 1
    max_values: int = 1
    disabled: bool = False


@dataclass
class ModalField:
    """An input in a modal (text input, or a select inside a Label)."""

    custom_id: str
    label: str | None
    type: int = 4
    style: int | None = None
    required: bool = True
    min_length: int | None = None
    max_length: int | None = None
    value: str | None = None
    placeholder: str | None = None
    description: str | None = None
    options: list[SelectOption] = field(default_factory=list)
    min_values: int | None = None
    max_values: int | None = None
    in_label: bool = False

    @property
    def min(self) -> int | None:
        """Alias of ``min_length``."""
        return self.min_length

    @property
    def max(self) -> int | None:
        """Alias of ``max_length``."""
        return self.max_length


@dataclass
class Modal:
    """A modal the bot opened."""

    title: str
    custom_id: str
    fields: list[ModalField]
    components: list[dict[str, Any]]

    def field(self, key: str) -> ModalField:
        """A field by custom_id or label."""
        for f in self.fields:
            if key in (f.custom_id, f.label):
                return f
        raise KeyError(f"modal {self.custom_id!r} has no field {key!r}")


def _walk(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for comp in components:
        out.append(comp)
        children = comp.get("components")
        if isinstance(children, list):
            out.extend(_walk(children))
        for key in ("component", "accessory"):
            child = comp.get(key)
            if isinstance(child, dict):
                out.extend(_walk([child]))
    return out


def buttons_of(components: list[dict[str, Any]]) -> list[Button]:
    """Every button in a component tree."""
    return [
        Button(
            label=c.get("label"),
            custom_id=c.get("custom_id"),
            style=c.get("style", 1),
            disabled=bool(c.get("disabled", False)),
            url=c.get("url"),
            emoji=c.get("emoji"),
        )
        for c in _walk(components)
        if c.get("type") == ComponentType.BUTTON
    ]


def selects_of(components: list[dict[str, Any]]) -> list[Select]:
    """Every select menu in a component tree."""
    return [
        Select(
            custom_id=c.get("custom_id", ""),
            type=c.get("type", ComponentType.STRING_SELECT),
            placeholder=c.get("placeholder"),
            options=[
                SelectOption(
                    label=o.get("label", ""),
                    value=o.get("value", ""),
                    description=o.get("description"),
                    default=bool(o.get("default", False)),
                )
                for o in c.get("options") or []
            ],
            min_values=c.get("min_values", 1),
            max_values=c.get("max_values", 1),
            disabled=bool(c.get("disabled", False)),
        )
        for c in _walk(components)
        if c.get("type") in SELECT_TYPES
    ]


def text_of(content: str, embeds: list[dict[str, Any]], components: list[dict[str, Any]]) -> str:
    """Content, embed text and text displays flattened into one string."""
    parts: list[str] = [content] if content else []
    for e in embeds:
        author = (e.get("author") or {}).get("name")
        for piece in (author, e.get("title"), e.get("description")):
            if piece:
                parts.append(str(piece))
        for f in e.get("fields") or []:
            parts.append(f"{f.get('name', '')}\n{f.get('value', '')}")
        footer = (e.get("footer") or {}).get("text")
        if footer:
            parts.append(str(footer))
    for c in _walk(components):
        if c.get("type") == ComponentType.TEXT_DISPLAY and c.get("content"):
            parts.append(str(c["content"]))
    return "\n".join(parts)


@dataclass
class Reply:
    """What the user sees once an interaction has settled."""

    kind: str
    """"message", "update", "modal" or "autocomplete"."""
    interaction_id: int
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    ephemeral: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    modal: Modal | None = None
    message: Message | None = None
    followups: list[Message] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    response_type: int = 0
    acked_after: float | None = None
    """Seconds from the interaction being sent to the bot's callback arriving."""

    @classmethod
    def from_message(
        cls, kind: str, interaction_id: int, msg: Message, followups: list[Message], rtype: int
    ) -> Reply:
        """A snapshot of a message as the user sees it now."""
        return cls(
            kind=kind,
            interaction_id=interaction_id,
            content=msg.content,
            embeds=[dict(e) for e in msg.embeds],
            components=[dict(c) for c in msg.components],
            ephemeral=msg.ephemeral,
            attachments=list(msg.attachments),
            message=msg,
            followups=followups,
            response_type=rtype,
        )

    @property
    def text(self) -> str:
        """Content plus embed titles/descriptions/fields/footers, as one string."""
        if self.kind == "modal" and self.modal is not None:
            return "\n".join(
                [self.modal.title, *[f.label or f.custom_id for f in self.modal.fields]]
            )
        if self.kind == "autocomplete":
            return "\n".join(c.name for c in self.choices)
        return text_of(self.content, self.embeds, self.components)

    @property
    def buttons(self) -> list[Button]:
        """Buttons on the message."""
        return buttons_of(self.components)

    @property
    def selects(self) -> list[Select]:
        """Select menus on the message."""
        return selects_of(self.components)


def modal_from_payload(data: dict[str, Any]) -> Modal:
    """A Modal from the MODAL callback's ``data`` (action rows or Label components)."""
    fields: list[ModalField] = []
    for comp in data.get("components") or []:
        if comp.get("type") == ComponentType.ACTION_ROW:
            for child in comp.get("components") or []:
                fields.append(_modal_field(child, label=child.get("label"), description=None))
        elif comp.get("type") == ComponentType.LABEL:
            child = comp.get("component") or {}
            fields.append(
                _modal_field(
                    child,
                    label=comp.get("label"),
                    description=comp.get("description"),
                    in_label=True,
                )
            )
    return Modal(
        title=data.get("title", ""),
        custom_id=data.get("custom_id", ""),
        fields=fields,
        components=list(data.get("components") or []),
    )


def _modal_field(
    comp: dict[str, Any], *, label: str | None, description: str | None, in_label: bool = False
) -> ModalField:
    return ModalField(
        custom_id=comp.get("custom_id", ""),
        label=label,
        type=comp.get("type", ComponentType.TEXT_INPUT),
        style=comp.get("style"),
        required=bool(comp.get("required", True)),
        min_length=comp.get("min_length"),
        max_length=comp.get("max_length"),
        value=comp.get("value"),
        placeholder=comp.get("placeholder"),
        description=description,
        options=[
            SelectOption(
                label=o.get("label", ""),
                value=o.get("value", ""),
                description=o.get("description"),
                default=bool(o.get("default", False)),
            )
            for o in comp.get("options") or []
        ],
        min_values=comp.get("min_values"),
        max_values=comp.get("max_values"),
        in_label=in_label,
    )
