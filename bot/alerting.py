"""Outbox deliveries to Telegram messages: the text and buttons of each alert, in each chat's language and zone.

An alert's payload is a snapshot taken when it was queued (the commitment's title fields, the milestone's numbers,
the conflict's kind, summary and source titles), and :func:`render` makes a complete alert from it alone. What
makes an alert readable at a glance needs the commitment as stored: its state on the day (``day 2 of 30``), the
conflict's facts to word in the reader's language, the sources with their dates. :class:`AlertTexts` is the outbox
the dispatcher claims through: after each claim it looks the claimed alerts' commitments up in one query, before
any text of that batch is rendered, so rendering stays a pure function and a failed look-up only costs the detail.

Buttons (details, mute) ride on the text: the dispatcher and :class:`schedules.sender.Sender` carry a string, so
the rendered text is an :class:`AlertText` (a ``str`` that also holds its keyboard) and :func:`with_buttons` wraps
the Bot the Sender sends through so that the keyboard goes out with it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, InlineKeyboardMarkup, Message

from bot import display, keyboards
from bot.display import AlertLine, AlertMode, AlertSource
from bot.i18n import Ctx
from schedules.plan import Milestone, MilestoneKey
from storage import edits, outbox
from storage.chats import ChatView
from storage.outbox import Confirmation, DeliveryView
from storage.queries import tracked
from tracking.conflicts import conflict_facts
from tracking.model import CONFIRMED, UNCONFIRMED, ConflictFacts, ConflictView, ReportView, Tracked
from tracking.state import known_at
from tracking.status import commitment_item

log = logging.getLogger(__name__)
Sessions = async_sessionmaker[AsyncSession]


class AlertText(str):
    """An alert's HTML text with the keyboard that goes under it; a ``str``, so whatever carries text carries it."""

    reply_markup: InlineKeyboardMarkup | None

    def __new__(cls, text: str, reply_markup: InlineKeyboardMarkup | None = None) -> AlertText:
        made = super().__new__(cls, text)
        made.reply_markup = reply_markup
        return made


class _ButtonBot:
    """The one Bot method the Sender calls, with the keyboard of an :class:`AlertText` put under the message."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send_message(self, chat_id: int | str, text: str, **kwargs: Any) -> Message:
        markup = getattr(text, "reply_markup", None)
        if markup is not None:
            kwargs.setdefault("reply_markup", markup)
        return await self._bot.send_message(chat_id, str(text), **kwargs)


def with_buttons(bot: Bot) -> Bot:
    """``bot`` for the Sender (which calls ``send_message`` only): alert texts go out with their buttons."""
    return cast(Bot, _ButtonBot(bot))


def _milestone(delivery: DeliveryView, payload: Mapping[str, Any]) -> Milestone:
    alert = delivery.alert
    return Milestone(
        alert.commitment_id,
        cast(MilestoneKey, (alert.slug or "").split("-", 1)[0]),
        delivery.due_at,
        days_before=payload.get("days_before"),
        extended=bool(payload.get("extended")),
        promised=payload.get("promised"),
        delivered=payload.get("delivered"),
    )


def _conflict_sources(commitment: Tracked, conflict: ConflictView) -> tuple[AlertSource, ...]:
    """The conflict's articles with their publication moments: the claims it rests on first, then the rest."""
    known: dict[int, AlertSource] = {}
    for report in commitment.reports:
        known.setdefault(report.article_id, AlertSource(report.source_title, report.source_published))
    for source in commitment.sources:
        known[source.article_id] = AlertSource(source.title, source.published)
    claims = [r.article_id for r in commitment.reports if r.id in conflict.report_ids]
    ordered = dict.fromkeys([*claims, *conflict.article_ids])
    return tuple(known[article] for article in ordered if article in known)


# The reports that make a milestone what it is: their articles come first among its sources.
_NEWS_OF: dict[str, str] = {"fulfilled": "fulfilment", "end": "extension"}


def _milestone_sources(commitment: Tracked, milestone: Milestone) -> tuple[AlertSource, ...]:
    """The commitment's sources in publication order, after the articles reporting what the milestone is about
    (a fulfilment, an extension); an article named twice is shown once (bot.display.alert_sources)."""
    news = [
        AlertSource(r.source_title, r.source_published)
        for r in commitment.reports
        if r.kind == _NEWS_OF.get(milestone.key)
    ]
    return (*news, *(AlertSource(s.title, s.published) for s in commitment.sources))


def line_of(delivery: DeliveryView, ctx: Ctx, stored: Tracked | None = None, now: datetime | None = None) -> AlertLine:
    """One delivery as an alert line: from its payload, and from ``stored`` (the commitment as stored, read at
    ``now`` on the bot's clock) when it was looked up."""
    alert = delivery.alert
    payload: Mapping[str, Any] = alert.payload
    item: Mapping[str, Any] = payload.get("item") or {}
    if alert.kind == "correction":
        # Where it stands now (the new dates) when it is still tracked; a retracted one only by its title.
        shown = stored if stored is not None and stored.review == CONFIRMED else None
        view = known_at(shown, max(now or delivery.due_at, delivery.due_at), ctx.tz) if shown is not None else None
        current = commitment_item(view, delivery.due_at, ctx.tz) if view is not None else item
        return AlertLine(alert.commitment_id, current, delivery.due_at, correction=payload)
    milestone = _milestone(delivery, payload) if alert.kind == "milestone" else None
    view = known_at(stored, max(now or delivery.due_at, delivery.due_at), ctx.tz) if stored is not None else None
    if view is None or stored is None:
        sources = () if milestone else tuple(AlertSource(str(t)) for t in payload.get("sources") or ())
        return AlertLine(
            alert.commitment_id,
            item,
            delivery.due_at,
            milestone=milestone,
            conflict_kind=payload.get("conflict_kind"),
            facts=ConflictFacts.from_record(payload.get("summary")),
            summary=payload.get("summary"),
            sources=sources,
        )
    current = commitment_item(view, delivery.due_at, ctx.tz)
    if milestone is not None:
        return AlertLine(
            alert.commitment_id,
            current,
            delivery.due_at,
            milestone=milestone,
            sources=_milestone_sources(view, milestone),
        )
    conflict = next((c for c in stored.conflicts if c.id == alert.conflict_id), None)
    return AlertLine(
        alert.commitment_id,
        current,
        delivery.due_at,
        conflict_kind=payload.get("conflict_kind") or (conflict.kind if conflict else None),
        facts=(conflict_facts(stored, conflict) if conflict is not None else None)
        or ConflictFacts.from_record(payload.get("summary")),
        summary=payload.get("summary"),
        sources=_conflict_sources(stored, conflict) if conflict is not None else (),
    )


def _render(
    chat: ChatView,
    deliveries: Sequence[DeliveryView],
    mode: AlertMode,
    stored: Mapping[int, Tracked],
    now: datetime | None,
    reports: Mapping[int, ReportView] | None = None,
) -> AlertText:
    ctx = Ctx.of(chat.language, chat.timezone)
    if deliveries and deliveries[0].alert.kind == "review":  # a card travels alone (schedules.dispatch)
        return card(deliveries[0], ctx, stored, reports or {})
    lines = [line_of(d, ctx, stored.get(d.alert.commitment_id), now) for d in deliveries]
    # A retracted commitment has no details to open and nothing left to mute.
    buttons = [line.commitment_id for line in lines if (line.correction or {}).get("what") != "retracted"]
    markup = keyboards.alert_keyboard(buttons, ctx) if buttons else None
    return AlertText(display.alert_message(lines, mode, ctx), markup)


def card(
    delivery: DeliveryView, ctx: Ctx, stored: Mapping[int, Tracked], reports: Mapping[int, ReportView]
) -> AlertText:
    """A review card for an admin: the item as stored now, with ✅ ✏️ 🔀 ❌ while it still waits for review (the
    buttons carry the commitment's version, so a press after a change is recognised as stale)."""
    payload = delivery.alert.payload
    target = "report" if payload.get("target") == "report" else "commitment"
    item_id = int(payload.get("id") or delivery.alert.commitment_id)
    if target == "report":
        report = reports.get(item_id)
        if report is None:
            return AlertText(
                display.review_placeholder(target, item_id, ctx), keyboards.review_keyboard(target, item_id, None, ctx)
            )
        text = display.report_card(report, stored.get(delivery.alert.commitment_id), ctx)
        return AlertText(text, keyboards.review_keyboard(target, item_id, None, ctx))
    tracked = stored.get(item_id)
    if tracked is None:
        return AlertText(
            display.review_placeholder(target, item_id, ctx), keyboards.review_keyboard(target, item_id, None, ctx)
        )
    if tracked.review != UNCONFIRMED:  # decided between planning and sending: the record, no buttons
        return AlertText(display.review_card(tracked, ctx, decided=(tracked.review, ctx._("an editor"))))
    return AlertText(
        display.review_card(tracked, ctx), keyboards.review_keyboard(target, item_id, tracked.version, ctx)
    )


def render(chat: ChatView, deliveries: Sequence[DeliveryView], mode: AlertMode) -> str:
    """The message for ``deliveries`` from their payloads alone (no look-up), with its buttons."""
    return _render(chat, deliveries, mode, {}, None)


class AlertTexts:
    """The outbox as the dispatcher sees it (schedules.dispatch.Outbox: storage.outbox's functions), which also
    looks up the commitments of every batch it claims, and :meth:`render`, which words the batch with them.

    One dispatcher run claims, then renders and sends what it claimed before it claims again (runs never overlap),
    so the commitments of the last claim are the ones its texts need.
    """

    def __init__(self) -> None:
        self._stored: dict[int, Tracked] = {}
        self._reports: dict[int, ReportView] = {}
        self._now: datetime | None = None

    async def claim_due(
        self, sessions: Sessions, now: datetime, *, worker: str, lease: timedelta, limit: int = 500
    ) -> list[DeliveryView]:
        claimed = await outbox.claim_due(sessions, now, worker=worker, lease=lease, limit=limit)
        self._stored, self._reports, self._now = {}, {}, now
        ids = sorted({d.alert.commitment_id for d in claimed})
        cards = sorted(
            int(d.alert.payload.get("id") or 0)
            for d in claimed
            if d.alert.kind == "review" and d.alert.payload.get("target") == "report"
        )
        if ids:
            try:
                # Any review state: a correction about a retracted one, a card for an unconfirmed one.
                self._stored = {t.id: t for t in await tracked(sessions, ids, review=None)}
                self._reports = await edits.reports(sessions, cards) if cards else {}
            except Exception:  # a commitment deleted since, or the database: the alerts still go, plainer
                log.warning("could not look up commitments %s; their alerts go out without details", ids, exc_info=True)
        return claimed

    def render(self, chat: ChatView, deliveries: Sequence[DeliveryView], mode: AlertMode) -> str:
        return _render(chat, deliveries, mode, self._stored, self._now, self._reports)

    async def confirm_many(self, sessions: Sessions, confirmations: Sequence[Confirmation], *, worker: str) -> int:
        return await outbox.confirm_many(sessions, confirmations, worker=worker)

    async def retry_later(
        self, sessions: Sessions, delivery_ids: Sequence[int], *, worker: str, at: datetime, error: str
    ) -> None:
        await outbox.retry_later(sessions, delivery_ids, worker=worker, at=at, error=error)

    async def mark_failed(self, sessions: Sessions, delivery_ids: Sequence[int], *, worker: str, error: str) -> None:
        await outbox.mark_failed(sessions, delivery_ids, worker=worker, error=error)

    async def release(self, sessions: Sessions, delivery_ids: Sequence[int], *, worker: str) -> None:
        await outbox.release(sessions, delivery_ids, worker=worker)

    async def move_chat(self, session: AsyncSession, old_id: int, new_id: int) -> None:
        await outbox.move_chat(session, old_id, new_id)
