"""Typed settings, read from the environment and an optional `.env` file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class SettingsError(Exception):
    """A setting is missing or malformed; `str()` is one line that names the variable."""


class Settings(BaseSettings):
    """Everything Krokarm reads from its environment. Each field is documented in `.env.example`."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
    )

    discord_token: SecretStr | None = None
    database_path: Path = Path("data/krokarm.db")
    timezone: str = "Europe/Stockholm"
    dev_guild_id: int | None = Field(default=None, gt=0)
    log_level: LogLevel = "INFO"
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    # The meetings' calendar subscription (off unless a port is set): each network's .ics at
    # <calendar_base_url>/calendar/<unguessable token>.ics, served on calendar_host:calendar_port.
    calendar_port: int | None = Field(default=None, ge=0, le=65535)
    calendar_host: str = "127.0.0.1"
    calendar_base_url: str | None = None

    @field_validator("calendar_port", "calendar_base_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    message_content: bool = False
    # Processes that run /ask's searches beside the bot's own, each with its own interpreter
    # (0: in the bot's reader threads, taking turns with the bot for Python's lock). Unset: one
    # per core of the machine, at most two.
    search_processes: int | None = Field(default=None, ge=0, le=8)

    @field_validator("search_processes", mode="before")
    @classmethod
    def _empty_is_auto(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def search_process_count(self) -> int:
        if self.search_processes is not None:
            return self.search_processes
        return min(2, os.cpu_count() or 1)

    @field_validator("discord_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        token = value.get_secret_value().strip()
        if not token:
            return None
        if any(c.isspace() for c in token) or token.lower().startswith("bot "):
            raise ValueError("must be the bare bot token, without spaces or a 'Bot ' prefix")
        return SecretStr(token)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("must be an IANA time zone such as Europe/Stockholm") from exc
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("discord_api_base", "discord_gateway_url")
    @classmethod
    def _url(cls, value: str | None, info: object) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        field = getattr(info, "field_name", "")
        schemes = ("ws://", "wss://") if field == "discord_gateway_url" else ("http://", "https://")
        if not value.startswith(schemes):
            raise ValueError(f"must start with {' or '.join(schemes)}")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def require_token(self) -> str:
        """The token, or a SettingsError naming DISCORD_TOKEN."""
        if self.discord_token is None:
            raise SettingsError(
                "DISCORD_TOKEN is not set: put the bot token from the Discord developer portal "
                "in .env or the environment (or try the bot without one: make try)"
            )
        return self.discord_token.get_secret_value()


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning pydantic's report into one line that names the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first.get("loc") else "settings"
        message = str(first.get("msg", "is invalid")).removeprefix("Value error, ")
        # pydantic echoes the input in some messages; never let a token reach the terminal.
        raise SettingsError(f"{name} is invalid: {message}") from None
