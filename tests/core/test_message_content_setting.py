"""Reading message content is a setting, off by default; on, the bot asks for the intent."""

from __future__ import annotations

from bot.bot import intents
from bot.settings import Settings


def test_message_content_is_off_by_default_and_a_setting() -> None:
    assert Settings(_env_file=None).message_content is False  # type: ignore[call-arg]
    assert intents(Settings(_env_file=None)).message_content is False  # type: ignore[call-arg]
    on = Settings(_env_file=None, message_content=True)  # type: ignore[call-arg]
    wanted = intents(on)
    assert wanted.message_content and wanted.members and wanted.guilds
