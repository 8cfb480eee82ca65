"""Forms (modals) in the shell: asked field by field at a terminal, or filled on one line with
`:fill Label="value" …` from a script; every field checked as Discord's client checks it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from bot.i18n import t
from bot.shell.slash import ShellError

if TYPE_CHECKING:
    from bot.shell.shell import Shell


class Forms:
    """The form-filling part of one shell session."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell

    def describe_modal(self, modal: Any) -> None:
        for field in modal.fields:
            hint = t(self.shell.lang, "shell.required" if field.required else "shell.optional")
            if field.max_length:
                hint += ", " + t(self.shell.lang, "shell.max_chars", max=field.max_length)
            current = f" [{field.value}]" if field.value else ""
            self.shell.console.print(Text(f"  {field.label or field.custom_id} ({hint}){current}"))
            for n, option in enumerate(field.options, start=1):
                self.shell.console.print(f"     {n}) {option.label}")

    def modal_field(self, modal: Any, key: str) -> Any:
        wanted = key.strip().casefold()
        for field in modal.fields:
            if wanted in {field.custom_id.casefold(), (field.label or "").casefold()}:
                return field
        known = ", ".join(f.label or f.custom_id for f in modal.fields)
        raise ShellError(t(self.shell.lang, "shell.modal.no_field", name=key, known=known))

    def field_value(self, field: Any, answer: str) -> Any:
        """What a typed answer puts in a field: a single space clears it (and says so)."""
        name = field.label or field.custom_id
        if field.options:
            # Labels may hold spaces: commas separate picks; else one label, else numbers.
            whole = answer.strip()
            if "," in whole or any(o.label.casefold() == whole.casefold() for o in field.options):
                picks = [a.strip() for a in whole.split(",") if a.strip()]
            else:
                picks = whole.split()
            values = [self.shell.pick(field.options, a, lambda o: o.label) for a in picks]
            self.shell.console.print(Text(f"  {name}: " + ", ".join(o.label for o in values)))
            return [o.value for o in values]
        if answer == " " or answer == "":
            self.shell.console.print(
                Text("  " + t(self.shell.lang, "shell.modal.cleared", field=name))
            )
            return ""
        self.shell.console.print(Text(f"  {name}: {answer}"))
        return answer

    def field_problem(self, field: Any, value: Any) -> str | None:
        """What Discord's client says before it lets a form be sent."""
        name = field.label or field.custom_id
        if field.options:
            lo = field.min_values if field.min_values is not None else int(field.required)
            hi = field.max_values or 1
            if not lo <= len(value) <= hi:
                return t(self.shell.lang, "shell.modal.pick_count", field=name, min=lo, max=hi)
            return None
        text = str(value or "")
        if field.required and not text.strip():
            return t(self.shell.lang, "shell.modal.required", field=name)
        if text and field.min_length and len(text) < field.min_length:
            return t(self.shell.lang, "shell.modal.too_short", field=name, min=field.min_length,
                     length=len(text))  # fmt: skip
        limit = field.max_length or 4000
        if len(text) > limit:
            return t(
                self.shell.lang, "shell.modal.too_long", field=name, max=limit, length=len(text)
            )
        return None

    async def fill_modal(self, reply: Any) -> None:
        """At a terminal: ask each field in turn (Enter keeps what is there), then submit."""
        modal = reply.modal
        values: dict[str, Any] = {}
        for field in modal.fields:
            while True:
                current = f" [{field.value}]" if field.value else ""
                answer = await self.shell.read_line(
                    f"  {field.label or field.custom_id}{current}: ", complete=False
                )
                if answer is None or answer.strip() == ":cancel":
                    self.shell.say("shell.modal_cancelled")
                    self.shell.modal = None
                    return
                if answer == "" and not field.options:
                    value: Any = field.value or ""
                else:
                    value = self.field_value(field, answer)
                problem = self.field_problem(field, value)
                if problem is None:
                    values[field.custom_id] = value
                    break
                self.shell.console.print(Text(problem, style="yellow"))
        await self.send_form(reply, values)

    async def submit(self, reply: Any, typed: dict[str, Any]) -> None:
        """Check every field as the client does; send the form only when all are right."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for field in reply.modal.fields:
            if field.custom_id in typed:
                raw = typed[field.custom_id]
                value = raw if isinstance(raw, list) else self.field_value(field, raw)
            elif field.options:
                value = [o.value for o in field.options if o.default]
            else:
                value = field.value or ""
            problem = self.field_problem(field, value)
            if problem is not None:
                problems.append(problem)
            values[field.custom_id] = value
        if problems:
            raise ShellError("\n".join([*problems, t(self.shell.lang, "shell.modal.still_open")]))
        await self.send_form(reply, values)

    async def send_form(self, reply: Any, values: dict[str, Any]) -> None:
        self.shell.modal = None
        await self.shell.present(
            await self.shell.sandbox.submit_modal(
                reply, values, user=self.shell.user, locale=self.shell.locale
            )
        )
