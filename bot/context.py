"""What every handler needs, built once at start-up and reached through the Application, not globals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import Application, CallbackContext

from bot.i18n import Ctx
from schedules.clock import Clock
from schedules.plan import PlanOffsets
from storage import chats
from storage.chats import ChatView

DEPS_KEY = "deps"


class Settings(Protocol):
    """What the Telegram layer reads of the settings. The application's settings (app.settings) provide it; the
    bot layer names only what it uses, so it does not depend on the layer that composes it."""

    admin_user_ids: tuple[int, ...]
    default_language: Literal["en", "de"]
    default_timezone: str
    telegram_max_messages_per_second: int
    telegram_startup_retry_seconds: float
    feeds_allow_private: bool
    feeds_default_interval_minutes: int

    @property
    def reviewing(self) -> bool: ...
    @property
    def staleness(self) -> timedelta: ...
    @property
    def tz(self) -> ZoneInfo: ...
    def plan_offsets(self) -> PlanOffsets: ...


@dataclass(frozen=True, slots=True)
class Deps:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    # The settings' reminders (ALERT_DAYS_BEFORE_END …), read once: /status plans every listed commitment with them.
    offsets: PlanOffsets = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "offsets", self.settings.plan_offsets())

    @property
    def admins(self) -> frozenset[int]:
        return frozenset(self.settings.admin_user_ids)


def deps_of(context: CallbackContext[Any, Any, Any, Any] | Application[Any, Any, Any, Any, Any, Any]) -> Deps:
    application = context if isinstance(context, Application) else context.application
    deps = application.bot_data[DEPS_KEY]
    assert isinstance(deps, Deps)
    return deps


def zone(name: str, fallback: ZoneInfo) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return fallback


async def chat_of(update: Update, deps: Deps) -> tuple[ChatView, Ctx]:
    """The chat's stored settings (created on first contact) and the language/zone context to render in."""
    chat = update.effective_chat
    assert chat is not None
    view = await chats.get_chat(deps.sessions, chat.id)
    if view is None or view.title != chat.title or view.type != chat.type:
        user = update.effective_user
        language: str = deps.settings.default_language
        if chat.type == "private" and user is not None and user.language_code in ("en", "de"):
            language = user.language_code  # a new private chat starts in the user's app language
        view = await chats.ensure_chat(
            deps.sessions,
            chat.id,
            type=chat.type,
            title=chat.title,
            language=language,
            timezone=deps.settings.default_timezone,
        )
    return view, context_for(view, deps)


def context_for(view: ChatView, deps: Deps) -> Ctx:
    language = view.language if view.language in ("en", "de") else "en"
    tz = zone(view.timezone, deps.settings.tz)
    today = deps.clock.now().astimezone(tz).date()  # dates far from it show their year
    return Ctx(language=language, tz=tz, today=today)  # type: ignore[arg-type]
