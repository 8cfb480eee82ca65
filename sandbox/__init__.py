"""A local Discord emulator (REST + gateway) for testing Krokarm with the real discord.py client.

Start a :class:`Sandbox`, point discord.py at ``sandbox.api_base`` and ``sandbox.gateway_url``,
then act as users through the driver methods (``invoke``, ``click``, ``submit_modal`` …).
"""

from .actor import Actor
from .driver import (
    CommandNotFound,
    InteractionFailed,
    NotConnected,
    Sandbox,
    SandboxError,
    Upload,
)
from .limits import ApiError
from .ratelimits import RateLimitHit, RateLimits, RouteLimit
from .reply import Button, Choice, Modal, ModalField, Reply, Select, SelectOption
from .state import (
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    Attachment,
    Channel,
    ChannelType,
    Clock,
    Guild,
    Member,
    Message,
    MessageFlag,
    Overwrite,
    Perm,
    RealClock,
    Role,
    ScheduledEvent,
    User,
)
from .world import RecordedError

__all__ = [
    "DEFAULT_BOT_PERMISSIONS",
    "DEFAULT_EVERYONE_PERMISSIONS",
    "Actor",
    "ApiError",
    "Attachment",
    "Button",
    "Channel",
    "ChannelType",
    "Choice",
    "Clock",
    "CommandNotFound",
    "Guild",
    "InteractionFailed",
    "Member",
    "Message",
    "MessageFlag",
    "Modal",
    "ModalField",
    "NotConnected",
    "Overwrite",
    "Perm",
    "RateLimitHit",
    "RateLimits",
    "RealClock",
    "RecordedError",
    "Reply",
    "Role",
    "RouteLimit",
    "Sandbox",
    "SandboxError",
    "ScheduledEvent",
    "Select",
    "SelectOption",
    "Upload",
    "User",
]
