"""Interaction callbacks and the followup webhooks their tokens authorise."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from ..enums import CallbackType, CommandType, InteractionType, MessageType
from ..limits import ApiError, Errors, validate_autocomplete, validate_modal
from ..reply import Choice, Reply, modal_from_payload
from ..state import Message, MessageFlag
from ..world import InteractionRecord, Upload, _int
from .base import Body, Resource, _flag, json_response, no_content, read_body

ALLOWED_CALLBACKS: dict[InteractionType, list[int]] = {
    InteractionType.APPLICATION_COMMAND: [
        CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.MODAL,
    ],
    InteractionType.MESSAGE_COMPONENT: [
        CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.DEFERRED_UPDATE_MESSAGE,
        CallbackType.UPDATE_MESSAGE,
        CallbackType.MODAL,
    ],
    InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE: [
        CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    ],
    InteractionType.MODAL_SUBMIT: [
        CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.DEFERRED_UPDATE_MESSAGE,
        CallbackType.UPDATE_MESSAGE,
    ],
}
"""The callback types Discord accepts for each interaction type."""

UPDATE_CALLBACKS = frozenset({CallbackType.DEFERRED_UPDATE_MESSAGE, CallbackType.UPDATE_MESSAGE})


class InteractionRoutes(Resource):
    """Interaction callbacks and the followup webhooks their tokens authorise."""

    def _settle(self, rec: InteractionRecord, reply: Reply) -> None:
        if rec.acked is not None:
            reply.acked_after = rec.acked - rec.created
        if rec.future is not None and not rec.future.done():
            rec.future.set_result(reply)

    def _message_type(self, rec: InteractionRecord) -> int:
        if rec.type == InteractionType.APPLICATION_COMMAND:
            if (rec.command_type or CommandType.CHAT_INPUT) == CommandType.CHAT_INPUT:
                return MessageType.CHAT_INPUT_COMMAND
            return MessageType.CONTEXT_MENU_COMMAND
        return MessageType.DEFAULT

    async def interaction_callback(self, request: web.Request) -> web.Response:
        """POST /interactions/{interaction_id}/{token}/callback."""
        w = self.world
        # Read the body first so that the deadline check and the acknowledgement happen
        # with no await in between (the driver judges the deadline the same way).
        body, uploads = await read_body(request)
        rec = w.interactions.get(_int(request.match_info["interaction_id"]))
        if rec is None or rec.token != request.match_info["token"]:
            raise ApiError(404, 10062, "Unknown interaction")
        if rec.responded:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        if rec.age > w.ack_deadline:
            raise ApiError(404, 10062, "Unknown interaction")
        rtype = body.get("type")
        allowed = ALLOWED_CALLBACKS[InteractionType(rec.type)]
        if rec.type == InteractionType.MODAL_SUBMIT and rec.source_message is None:
            # A modal opened by a command has no message to update.
            allowed = [
                CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
                CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
            ]
        if rtype not in allowed:
            errs = Errors()
            errs.choice(["type"], rtype, allowed)
            errs.raise_if_any()
        data = body.get("data") or {}
        if not isinstance(data, dict):
            errs = Errors()
            errs.add(["data"], "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            errs.raise_if_any()
        try:
            return self._respond(rec, int(rtype or 0), data, uploads)
        except ApiError as exc:
            # Field errors in a callback are reported under "data", as Discord does.
            if exc.errors is not None and exc.code == 50035 and "data" not in exc.errors:
                exc.errors = {"data": exc.errors}
            raise

    def _respond(
        self, rec: InteractionRecord, rtype: int, data: Body, uploads: list[Upload]
    ) -> web.Response:
        w = self.world
        msg: Message | None = None
        if rtype == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE:
            msg = w.create_message(
                rec.channel,
                w.bot_user,
                data,
                uploads,
                mtype=self._message_type(rec),
                interaction=rec,
            )
            rec.original_message_id = msg.id
            rec.ephemeral = msg.ephemeral
            self._mark(rec, rtype)
            self._settle(rec, Reply.from_message("message", rec.id, msg, rec.followups, rtype))
        elif rtype == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
            flags = (data.get("flags") or 0) & MessageFlag.EPHEMERAL
            msg = w.create_message(
                rec.channel,
                w.bot_user,
                {"flags": flags},
                [],
                mtype=self._message_type(rec),
                interaction=rec,
                extra_flags=MessageFlag.LOADING,
                allow_empty=True,
            )
            rec.original_message_id = msg.id
            rec.ephemeral = msg.ephemeral
            self._mark(rec, rtype)
        elif rtype == CallbackType.DEFERRED_UPDATE_MESSAGE:
            assert rec.source_message is not None
            rec.original_message_id = rec.source_message.id
            self._mark(rec, rtype)
        elif rtype == CallbackType.UPDATE_MESSAGE:
            assert rec.source_message is not None
            msg = w.edit_message(rec.source_message, data, uploads)
            rec.original_message_id = msg.id
            self._mark(rec, rtype)
            self._settle(rec, Reply.from_message("update", rec.id, msg, rec.followups, rtype))
        elif rtype == CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            errs = Errors()
            validate_autocomplete(errs, data)
            errs.raise_if_any()
            self._mark(rec, rtype)
            choices = [
                Choice(c["name"], c["value"], c.get("name_localizations")) for c in data["choices"]
            ]
            self._settle(
                rec,
                Reply(kind="autocomplete", interaction_id=rec.id, choices=choices, response_type=8),
            )
        elif rtype == CallbackType.MODAL:
            errs = Errors()
            validate_modal(errs, data)
            errs.raise_if_any()
            self._mark(rec, rtype)
            self._settle(
                rec,
                Reply(
                    kind="modal",
                    interaction_id=rec.id,
                    modal=modal_from_payload(data),
                    message=rec.source_message,
                    response_type=9,
                ),
            )
        out: dict[str, Any] = {
            "interaction": {
                "id": str(rec.id),
                "type": rec.type,
                "response_message_id": str(msg.id) if msg else None,
                "response_message_loading": (
                    rtype == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
                ),
                "response_message_ephemeral": bool(msg and msg.ephemeral),
            },
            "resource": {"type": rtype},
        }
        if msg is not None:
            out["resource"]["message"] = w.render(msg)
        return json_response(out)

    @staticmethod
    def _mark(rec: InteractionRecord, rtype: int) -> None:
        rec.responded = True
        rec.response_type = rtype
        rec.acked = time.monotonic()

    def _webhook_rec(self, request: web.Request) -> InteractionRecord:
        if _int(request.match_info["app_id"]) != self.world.application_id:
            raise ApiError(404, 10015, "Unknown Webhook")
        rec = self.world.interaction_by_token(request.match_info["token"])
        if rec is None:
            raise ApiError(404, 10015, "Unknown Webhook")
        if self.world.token_expired(rec):
            raise ApiError(401, 50027, "Invalid Webhook Token")
        if not rec.responded:
            raise ApiError(404, 10015, "Unknown Webhook")
        return rec

    def _webhook_message(self, rec: InteractionRecord, message_id: str) -> Message:
        if message_id == "@original":
            mid = rec.original_message_id
        else:
            mid = _int(message_id)
            if mid != rec.original_message_id and mid not in {m.id for m in rec.followups}:
                mid = None
        msg = self.world.messages.get(mid) if mid is not None else None
        if msg is None or msg.deleted:
            raise ApiError(404, 10008, "Unknown Message")
        return msg

    async def webhook_execute(self, request: web.Request) -> web.Response:
        """POST /webhooks/{app_id}/{token}."""
        w = self.world
        rec = self._webhook_rec(request)
        body, uploads = await read_body(request)
        original = w.messages.get(rec.original_message_id) if rec.original_message_id else None
        if (
            rec.response_type == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
            and original is not None
            and original.flags & MessageFlag.LOADING
            and not original.deleted
        ):
            # The first followup after a deferred response replaces the "thinking" message.
            edit = {k: v for k, v in body.items() if k != "flags"}
            msg = w.edit_message(original, edit, uploads, clear_loading=True)
            self._settle(rec, Reply.from_message("message", rec.id, msg, rec.followups, 5))
        else:
            msg = w.create_message(
                rec.channel,
                w.bot_user,
                body,
                uploads,
                mtype=self._message_type(rec),
                interaction=rec,
            )
            rec.followups.append(msg)
            kind = "message"
            self._settle(
                rec, Reply.from_message(kind, rec.id, msg, rec.followups, rec.response_type or 0)
            )
        if not _flag(request, "wait"):
            return no_content()
        return json_response(w.render(msg))

    async def webhook_get(self, request: web.Request) -> web.Response:
        """GET /webhooks/{app_id}/{token}/messages/{message_id}."""
        rec = self._webhook_rec(request)
        msg = self._webhook_message(rec, request.match_info["message_id"])
        return json_response(self.world.render(msg))

    async def webhook_edit(self, request: web.Request) -> web.Response:
        """PATCH /webhooks/{app_id}/{token}/messages/{message_id}."""
        w = self.world
        rec = self._webhook_rec(request)
        msg = self._webhook_message(rec, request.match_info["message_id"])
        body, uploads = await read_body(request)
        loading = bool(msg.flags & MessageFlag.LOADING)
        msg = w.edit_message(msg, body, uploads, clear_loading=loading)
        if msg.id == rec.original_message_id:
            kind = "update" if rec.response_type in UPDATE_CALLBACKS else "message"
            self._settle(
                rec, Reply.from_message(kind, rec.id, msg, rec.followups, rec.response_type or 0)
            )
        return json_response(w.render(msg))

    async def webhook_delete(self, request: web.Request) -> web.Response:
        """DELETE /webhooks/{app_id}/{token}/messages/{message_id}."""
        rec = self._webhook_rec(request)
        msg = self._webhook_message(rec, request.match_info["message_id"])
        self.world.delete_message(msg)
        if msg.id == rec.original_message_id:
            kind = "update" if rec.response_type in UPDATE_CALLBACKS else "message"
            self._settle(
                rec, Reply.from_message(kind, rec.id, msg, rec.followups, rec.response_type or 0)
            )
        return no_content()
