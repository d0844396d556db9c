"""From outbox deliveries to alert messages: the conflict's facts, the commitment's state and sources when it was
looked up, the payload alone when not, and the buttons that ride along to Telegram."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from telegram import InlineKeyboardMarkup

from bot import alerting, keyboards
from bot.alerting import AlertText, line_of
from bot.callback_data import Button, decode
from bot.i18n import Ctx
from storage.chats import ChatView
from storage.outbox import AlertView, DeliveryView
from tests.tracking.factories import conflict_view, denied_violation, report_view, source, tracked, tracked_release
from tracking.conflicts import conflict_facts
from tracking.model import ConflictFacts

UTC = dt.UTC
EN = Ctx("en", ZoneInfo("UTC"))
D = dt.date
CHAT = ChatView(7, "private", None, "en", "UTC", None, None, True, True, True)
HALT_ITEM = {"kind": "strike_halt", "actors": ["Russia"], "scope": "energy infrastructure", "duration_days": 30}


def delivery(kind: str, commitment: int, due: dt.datetime, *, slug: str | None = None, **payload: Any) -> DeliveryView:
    conflict = payload.pop("conflict_id", None)
    alert = AlertView(1, f"{kind}:{commitment}", kind, commitment, slug, conflict, payload)  # type: ignore[arg-type]
    return DeliveryView(10, alert, CHAT.id, due, 0, "sending")


# --- the facts behind a stored conflict ----------------------------------------------------------------------


def test_facts_of_each_kind_of_conflict() -> None:
    claim = report_view(1)
    denial = report_view(2, kind="denial", claimed_by="Russia", accused=())
    handed = report_view(3, kind="fulfilment", about="release", claimed_by="Ukraine", accused=(), quantity=22)
    halt = tracked(
        sources=(source(1), source(2, title="Riad", start=D(2025, 3, 25), end=D(2025, 4, 24))),
        reports=(claim, denial),
    )
    assert conflict_facts(halt, conflict_view(1, report_ids=(1,))) == ConflictFacts(
        "violation_in_force", "strike_halt", claimant="Ukraine", accused=("Russia",), day=D(2025, 3, 19)
    )
    assert conflict_facts(halt, conflict_view(2, kind="claim_denied", report_ids=(1, 2))) == denied_violation()
    dates = conflict_facts(halt, conflict_view(3, kind="date_disagreement", article_ids=(1, 2)))
    assert dates is not None
    assert dates.dates == (("start", (D(2025, 3, 18), D(2025, 3, 25))), ("end", (D(2025, 4, 17), D(2025, 4, 24))))
    release = tracked_release(reports=(handed,))
    assert conflict_facts(release, conflict_view(4, kind="quantity_mismatch", report_ids=(3,))) == ConflictFacts(
        "quantity_mismatch", "release", day=D(2025, 3, 19), promised=23, delivered=22
    )


def test_no_facts_once_a_report_is_gone_or_for_a_kind_nobody_knows() -> None:
    halt = tracked(reports=(report_view(1),))
    assert conflict_facts(halt, conflict_view(1, report_ids=(9,))) is None
    assert conflict_facts(halt, conflict_view(2, kind="something_new", report_ids=(1,))) is None


# --- lines from deliveries -----------------------------------------------------------------------------------


def test_a_looked_up_conflict_gets_its_facts_its_state_that_day_and_the_claim_first_among_sources() -> None:
    claim = report_view(1, source_title="Kyiv: drones hit a power plant", source_published=D(2025, 3, 19))
    halt = tracked(reports=(claim,), conflicts=(conflict_view(5, report_ids=(1,), article_ids=(11, 1)),))
    due = dt.datetime(2025, 3, 19, 9, tzinfo=UTC)
    line = line_of(
        delivery("conflict", 1, due, conflict_id=5, conflict_kind="violation_in_force", item=HALT_ITEM),
        EN,
        halt,
        due,
    )
    assert line.facts == ConflictFacts(
        "violation_in_force", "strike_halt", claimant="Ukraine", accused=("Russia",), day=D(2025, 3, 19)
    )
    assert line.item["state"] == "active"
    assert line.item["days_elapsed"] == 1  # day 2 of 30
    assert [s.title for s in line.sources] == ["Kyiv: drones hit a power plant", "Putin orders energy strike halt"]


def test_a_fulfilled_milestone_names_the_article_that_reported_it_first() -> None:
    handed = report_view(3, kind="fulfilment", about="release", claimed_by="Ukraine", accused=(), quantity=22)
    release = tracked_release(reports=(handed,))
    due = dt.datetime(2025, 3, 19, tzinfo=UTC)
    line = line_of(delivery("milestone", 2, due, slug="fulfilled", promised=23, delivered=22), EN, release, due)
    assert line.milestone is not None
    assert line.milestone.key == "fulfilled"
    assert [s.title for s in line.sources] == ["Report 3", "Wounded"]


def test_without_a_look_up_the_line_comes_from_the_payload() -> None:
    due = dt.datetime(2025, 4, 14, tzinfo=UTC)
    line = line_of(delivery("milestone", 1, due, slug="before_end-3", days_before=3, item=HALT_ITEM), EN)
    assert line.milestone is not None
    assert (line.milestone.key, line.milestone.days_before) == ("before_end", 3)
    assert line.item == HALT_ITEM
    record = line_of(delivery("conflict", 1, due, summary="The record.", sources=["A", "B"]), EN)
    assert (record.facts, record.summary, [s.title for s in record.sources]) == (None, "The record.", ["A", "B"])


def test_a_commitment_not_yet_published_at_the_clock_is_shown_from_the_payload() -> None:
    """A replay must not show later news: before its first source, the stored commitment is not used."""
    early = dt.datetime(2025, 3, 1, tzinfo=UTC)
    line = line_of(delivery("milestone", 1, early, slug="start", item=HALT_ITEM), EN, tracked(), early)
    assert line.item == HALT_ITEM
    assert line.sources == ()


# --- the message and its buttons ---------------------------------------------------------------------------------


def test_render_gives_text_with_details_and_mute_per_commitment() -> None:
    due = dt.datetime(2025, 4, 14, tzinfo=UTC)
    deliveries = [
        delivery("milestone", 1, due, slug="before_end-3", days_before=3, item=HALT_ITEM),
        delivery("conflict", 1, due, conflict_kind="violation_in_force", item=HALT_ITEM),
        delivery("milestone", 2, due, slug="due", item={"kind": "release", "actors": ["Russia"], "quantity": 23}),
    ]
    text = alerting.render(CHAT, deliveries, "on_time")
    assert isinstance(text, AlertText)
    assert text.startswith("⏰ <b>3 days left: strike halt (30 days) — ends Thu 17 Apr</b>")
    assert text.reply_markup is not None
    rows = [[(b.text, decode(str(b.callback_data))) for b in row] for row in text.reply_markup.inline_keyboard]
    assert rows == [
        [("ℹ️ Details #1", Button("open", "1")), ("🔕 Mute #1", Button("unsub", "1:a"))],
        [("ℹ️ Details #2", Button("open", "2")), ("🔕 Mute #2", Button("unsub", "2:a"))],
    ]


def test_alert_keyboards_are_read_back_and_only_theirs() -> None:
    markup = keyboards.alert_keyboard([3, 4, 3], EN, muted={4})
    assert keyboards.alert_keyboard_ids(markup) == ([3, 4], {4})
    assert keyboards.alert_keyboard_ids(keyboards.detail_keyboard(3, subscribed=True, ctx=EN)) == ([], set())
    assert keyboards.alert_keyboard_ids(None) == ([], set())
    assert len(keyboards.alert_keyboard(range(50), EN).inline_keyboard) == keyboards.ALERT_ROWS
    assert keyboards.from_alert(Button("unsub", "3")) is None, "the detail view's button is not an alert's"


class FakeBot:
    def __init__(self) -> None:
        self.calls: list[tuple[int | str, str, dict[str, Any]]] = []

    async def send_message(self, chat_id: int | str, text: str, **kwargs: Any) -> str:
        self.calls.append((chat_id, text, kwargs))
        return "sent"


@pytest.mark.parametrize("markup", [InlineKeyboardMarkup([]), None])
async def test_the_sender_s_bot_puts_an_alert_s_buttons_under_it(markup: InlineKeyboardMarkup | None) -> None:
    fake = FakeBot()
    bot = alerting.with_buttons(fake)  # type: ignore[arg-type]
    await bot.send_message(5, AlertText("<b>hi</b>", markup), parse_mode="HTML", disable_notification=False)
    await bot.send_message(5, "plain", parse_mode="HTML")
    [(_, text, kwargs), (_, _, plain)] = fake.calls
    assert type(text) is str
    assert text == "<b>hi</b>"
    assert kwargs.get("reply_markup") is markup
    assert kwargs["parse_mode"] == "HTML"
    assert "reply_markup" not in plain
