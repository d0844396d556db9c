"""Settings from the environment and `.env`, validated once so a typo fails at start-up, not at the first alert."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import cached_property
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.parsing import zone_name
from schedules.plan import PlanOffsets
from storage.db import DEFAULT_URL

# BotFather tokens: the bot's numeric id, a colon, then a key of URL-safe characters.
TOKEN_SHAPE = re.compile(r"\d{1,20}:[A-Za-z0-9_-]{10,100}")
WEBHOOK_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Telegram's overall limit for a bot: about 30 messages a second, or up to 1000 with paid broadcasts.
FREE_MESSAGES_PER_SECOND = 30
PAID_MESSAGES_PER_SECOND = 1000


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
    telegram_max_messages_per_second: int = Field(
        default=FREE_MESSAGES_PER_SECOND, description="overall send rate the bot keeps to, all chats together"
    )
    # How long start-up keeps retrying Telegram's passing faults (5xx, 429, timeouts, a garbled answer) before it
    # gives up with one line and exit 1; refusals (a rejected token, 400, 403) end start-up at once.
    telegram_startup_retry_seconds: float = Field(default=120.0, gt=0, le=3600)
    # The milestone plan's reminders (schedules.plan.PlanOffsets), in whole days.
    alert_days_before_end: Annotated[tuple[int, ...], NoDecode] = (3, 1)
    alert_days_before_due: Annotated[tuple[int, ...], NoDecode] = (1,)
    alert_overdue_after_days: int = 1
    # A milestone that fell due while the bot was down goes out marked late; older than this, it is folded into
    # one "while the bot was offline" summary per chat.
    alert_staleness_hours: float = Field(default=24.0, gt=0, le=24 * 365)
    # "review": what an article is first to report (a new commitment, a report on a confirmed one) waits for an
    # admin's ✅ before anyone is alerted (storage.edits); "off": it is tracked and alerted at once.
    review_mode: Literal["off", "review"] = "off"
    # Feeds (schedules.feeds): fetch private, loopback and link-local addresses too (only for a local test server
    # or the demo: a feed or link pointing inside the bot's network is refused otherwise), and how often a feed
    # added without "every …" is polled.
    feeds_allow_private: bool = False
    feeds_default_interval_minutes: int = Field(default=15, ge=1, le=24 * 60)
    # Webhook mode (`run --webhook-url`): Telegram sends this in its secret-token header with every update, and a
    # request without it is refused (403). 1 to 256 of A-Z, a-z, 0-9, _ and -, as Telegram allows.
    webhook_secret: SecretStr | None = None
    # "json": one JSON object per log line (for a log collector); "text": plain lines. The token is scrubbed in both.
    log_format: Literal["text", "json"] = "text"

    @property
    def reviewing(self) -> bool:
        return self.review_mode == "review"

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        """Looked up in tzdata's list, not opened: ZoneInfo("Europe") raises IsADirectoryError, not ValueError."""
        zone = zone_name(value)
        if zone is None:
            raise ValueError(f"unknown time zone {value[:80]!r}; use an IANA name like Europe/Berlin")
        return zone

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if (
            value is not None
            and value.get_secret_value()
            and not WEBHOOK_SECRET_SHAPE.fullmatch(value.get_secret_value())
        ):
            raise ValueError("WEBHOOK_SECRET must be 1 to 256 of A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        return value

    @field_validator("telegram_max_messages_per_second")
    @classmethod
    def _telegram_rate(cls, value: int) -> int:
        if not 1 <= value <= PAID_MESSAGES_PER_SECOND:
            raise ValueError(
                f"expected 1 to {PAID_MESSAGES_PER_SECOND} messages per second, got {value} "
                f"({FREE_MESSAGES_PER_SECOND} is Telegram's limit; more needs paid broadcasts)"
            )
        return value

    @field_validator("alert_days_before_end", "alert_days_before_due", mode="before")
    @classmethod
    def _split_days(cls, value: object) -> object:
        """ "3,1" → (3, 1); "" or "none" turns those reminders off."""
        if isinstance(value, str):
            if value.strip().lower() in ("", "none", "off"):
                return ()
            try:
                return tuple(int(part) for part in value.split(",") if part.strip())
            except ValueError as exc:
                raise ValueError(f"expected comma-separated whole days like 3,1; got {value!r}") from exc
        return value

    @field_validator("alert_days_before_end", "alert_days_before_due", "alert_overdue_after_days")
    @classmethod
    def _whole_days(cls, value: tuple[int, ...] | int) -> tuple[int, ...] | int:
        """Every offset at least a day: 0 would put a reminder on the event itself."""
        if any(days < 1 for days in (value if isinstance(value, tuple) else (value,))):
            raise ValueError("milestone offsets are whole days of at least 1")
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

    def plan_offsets(self) -> PlanOffsets:
        """The reminders every milestone plan uses (ALERT_DAYS_BEFORE_END, ALERT_DAYS_BEFORE_DUE,
        ALERT_OVERDUE_AFTER_DAYS); a fresh value each call, as PlanOffsets is frozen and cheap."""
        return PlanOffsets(
            before_end_days=tuple(sorted(set(self.alert_days_before_end), reverse=True)),
            due_before_days=tuple(sorted(set(self.alert_days_before_due), reverse=True)),
            overdue_after_days=self.alert_overdue_after_days,
        )

    @property
    def staleness(self) -> timedelta:
        return timedelta(hours=self.alert_staleness_hours)

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
