"""Outbox deliveries to Telegram text: the render function the dispatcher calls, in each chat's language and zone.

An alert's payload is a snapshot taken when it was queued (the commitment's fields for its title, the milestone's
numbers, the conflict's kind, summary and sources), so rendering needs no database and says what was true then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from bot import display
from bot.display import AlertLine, AlertMode
from bot.i18n import Ctx
from schedules.plan import Milestone, MilestoneKey
from storage.chats import ChatView
from storage.outbox import DeliveryView


def line_of(delivery: DeliveryView, ctx: Ctx) -> AlertLine:
    alert = delivery.alert
    payload: Mapping[str, Any] = alert.payload
    item = payload.get("item") or {}
    title = display.title(item, ctx) if item else str(payload.get("title") or "")
    if alert.kind == "milestone":
        key = cast(MilestoneKey, (alert.slug or "").split("-", 1)[0])
        milestone = Milestone(
            alert.commitment_id,
            key,
            delivery.due_at,
            days_before=payload.get("days_before"),
            extended=bool(payload.get("extended")),
            promised=payload.get("promised"),
            delivered=payload.get("delivered"),
        )
        return AlertLine(alert.commitment_id, title, milestone=milestone)
    return AlertLine(
        alert.commitment_id,
        title,
        conflict_kind=payload.get("conflict_kind"),
        conflict_summary=payload.get("summary"),
        sources=tuple(payload.get("sources") or ()),
    )


def render(chat: ChatView, deliveries: Sequence[DeliveryView], mode: AlertMode) -> str:
    ctx = Ctx.of(chat.language, chat.timezone)
    return display.alert_message([line_of(d, ctx) for d in deliveries], mode, ctx)
