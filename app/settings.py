"""Settings from the environment and `.env`, validated once so a typo fails at start-up, not at the first alert."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from storage.db import DEFAULT_URL

# BotFather tokens: the bot's numeric id, a colon, then a key of URL-safe characters.
TOKEN_SHAPE = re.compile(r"\d{1,20}:[A-Za-z0-9_-]{10,100}")


class Settings(BaseSettings):
    """Every knob the app reads; documented for users in `.env.example`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default=DEFAULT_URL, description="SQLAlchemy async URL")
    default_timezone: str = Field(default="UTC", description="IANA zone for dates given without one")
    default_language: Literal["en", "de"] = "en"
    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_api_file_url: str | None = None
    admin_user_ids: Annotated[tuple[int, ...], NoDecode] = ()

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}; use an IANA name like Europe/Berlin") from exc
        return value

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return tuple(int(part) for part in value.split(",") if part.strip())
            except ValueError as exc:
                raise ValueError("ADMIN_USER_IDS must be comma-separated numeric Telegram user ids") from exc
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.default_timezone)

    @property
    def file_url(self) -> str:
        """Telegram serves files beside the methods: …/bot → …/file/bot unless configured otherwise."""
        if self.telegram_api_file_url:
            return self.telegram_api_file_url
        base = self.telegram_api_base_url.rstrip("/")
        return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file/bot"

    def token(self) -> str:
        """The bot token, checked for shape; errors never include it (it is a password)."""
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value().strip():
            raise ValueError("TELEGRAM_BOT_TOKEN is not set (see .env.example)")
        token = self.telegram_bot_token.get_secret_value().strip()
        if not TOKEN_SHAPE.fullmatch(token):
            raise ValueError(
                "TELEGRAM_BOT_TOKEN is malformed: expected digits, a colon and a key, as BotFather gives it"
            )
        return token
