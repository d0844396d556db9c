"""The Dispatcher's messages: which alerts share one, how late or stale they are, quiet hours, rendering per chat,
and chats sent to side by side, each in order."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from schedules.dispatch import DispatchReport, DispatchSettings, MessageKind, in_quiet_hours, plan_messages
from storage import chats
from storage.chats import ChatView
from storage.outbox import AlertView, DeliveryView
from tests.schedules.dispatch_rig import NOW, PRIVATE, Rig, add_chat, label

# -- settings -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        ({"concurrency": 0}, "must be at least 1"),
        ({"batch": 0}, "must be at least 1"),
        ({"max_per_message": 0}, "must be at least 1"),
        ({"confirm_batch": 0}, "must be at least 1"),
        ({"confirm_delay": -0.01}, "confirm_delay cannot be negative"),
    ],
)
def test_settings_a_dispatcher_cannot_work_with_are_refused_when_made(wrong: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DispatchSettings(**wrong)


# -- planning (pure) ------------------------------------------------------------------------------------------------


def delivery(n: int, due_at: datetime, chat_id: int = PRIVATE) -> DeliveryView:
    return DeliveryView(n, AlertView(n, f"a{n}", "milestone", 1, f"s{n}", None), chat_id, due_at, 0, "sending")


def test_alerts_due_in_one_minute_share_a_message() -> None:
    base = datetime(2025, 3, 22, 12, 0, tzinfo=UTC)
    ds = [delivery(1, base + timedelta(seconds=5)), delivery(2, base + timedelta(seconds=59)),
          delivery(3, base + timedelta(seconds=60)), delivery(4, base + timedelta(seconds=2))]  # fmt: skip
    plan = plan_messages(
        ds, base + timedelta(minutes=2), staleness=timedelta(hours=24), late_after=timedelta(minutes=5)
    )
    assert [(m.kind, m.ids) for m in plan] == [("on_time", [4, 1, 2]), ("on_time", [3])]


def test_late_and_stale_alerts() -> None:
    now = datetime(2025, 3, 22, 12, 0, tzinfo=UTC)
    ds = [
        delivery(1, now - timedelta(days=3)),
        delivery(2, now - timedelta(hours=24, seconds=1)),
        delivery(3, now - timedelta(hours=23)),
        delivery(4, now - timedelta(minutes=5, seconds=1)),
        delivery(5, now - timedelta(minutes=4)),
    ]
    plan = plan_messages(ds, now, staleness=timedelta(hours=24), late_after=timedelta(minutes=5))
    assert [(m.kind, m.ids) for m in plan] == [
        ("offline_summary", [1, 2]),
        ("late", [3]),
        ("late", [4]),
        ("on_time", [5]),
    ]


def test_a_crowded_minute_is_split() -> None:
    at = datetime(2025, 3, 22, 12, 0, tzinfo=UTC)
    plan = plan_messages(
        [delivery(n, at) for n in range(1, 8)], at, staleness=timedelta(days=1), late_after=timedelta(0),
        max_per_message=3,
    )  # fmt: skip
    assert [m.ids for m in plan] == [[1, 2, 3], [4, 5, 6], [7]]


def chat_view(tz: str, start: time | None, end: time | None) -> ChatView:
    return ChatView(1, "private", None, "en", tz, start, end, True, True, False)


@pytest.mark.parametrize(
    ("at", "start", "end", "quiet"),
    [
        (datetime(2025, 3, 22, 20, 59, tzinfo=UTC), time(22), time(7), False),  # 21:59 CET
        (datetime(2025, 3, 22, 21, 30, tzinfo=UTC), time(22), time(7), True),  # 22:30 CET
        (datetime(2025, 3, 22, 21, 0, tzinfo=UTC), time(22), time(7), True),  # 22:00 CET: the start is inside
        (datetime(2025, 3, 23, 5, 59, tzinfo=UTC), time(22), time(7), True),  # 06:59 CET, past midnight
        (datetime(2025, 3, 23, 6, 0, tzinfo=UTC), time(22), time(7), False),  # 07:00 CET: the end is outside
        (datetime(2025, 3, 22, 12, 0, tzinfo=UTC), time(12), time(14), True),  # 13:00 CET, window within a day
        (datetime(2025, 3, 22, 13, 0, tzinfo=UTC), time(12), time(14), False),  # 14:00 CET
        (datetime(2025, 3, 22, 12, 0, tzinfo=UTC), None, None, False),
    ],
)
def test_quiet_hours_on_the_chats_wall_clock(at: datetime, start: time | None, end: time | None, quiet: bool) -> None:
    assert in_quiet_hours(chat_view("Europe/Berlin", start, end), at) is quiet


# -- runs against LocalBotApi ---------------------------------------------------------------------------------------


async def test_grouping_late_and_offline_summary_in_one_run(rig: Rig) -> None:
    await add_chat(rig.sessions, PRIVATE)
    minute = NOW.replace(second=0)
    for key, due in [
        ("old1", NOW - timedelta(days=2)),
        ("old2", NOW - timedelta(hours=30)),
        ("late", NOW - timedelta(hours=2)),
        ("now1", minute),
        ("now2", minute + timedelta(seconds=20)),
    ]:
        await rig.store.add(key, PRIVATE, due)
    await rig.store.add("future", PRIVATE, NOW + timedelta(minutes=1))
    report = await rig.dispatcher().run_due()
    assert rig.texts(PRIVATE) == ["offline_summary:old1,old2", "late:late", "on_time:now1,now2"]
    assert report == DispatchReport(claimed=5, sent=5, messages=3)
    sent = await rig.store.rows("sent")
    assert {r.key: r.message_id for r in sent} == {"old1": 1, "old2": 1, "late": 2, "now1": 3, "now2": 3}
    assert await rig.keys("pending") == ["future"]
    assert rig.time.slept == [1.0, 1.0]  # one chat, three messages: paced one second apart


async def test_lateness_is_judged_in_real_seconds_on_a_replay_clock(rig: Rig) -> None:
    rig.clock.speed = 600.0  # ten clock minutes per real second
    await add_chat(rig.sessions, PRIVATE)
    await rig.store.add("a", PRIVATE, NOW - timedelta(hours=1))  # 6 real seconds ago: on time
    await rig.store.add("b", PRIVATE, NOW - timedelta(hours=2))  # 12 real seconds ago: still on time
    await rig.store.add("c", PRIVATE, NOW - timedelta(days=3))  # 432 real seconds: late, not stale
    await rig.store.add("d", PRIVATE, NOW - timedelta(days=601))  # 86,560 real seconds: stale
    await rig.dispatcher().run_due()
    assert rig.texts(PRIVATE) == ["offline_summary:d", "late:c", "on_time:b", "on_time:a"]


async def test_quiet_hours_send_silently(rig: Rig) -> None:
    rig.clock.at = datetime(2025, 3, 22, 23, 30, tzinfo=UTC)  # 00:30 in Berlin
    await add_chat(rig.sessions, PRIVATE, tz="Europe/Berlin", quiet=(time(22), time(7)))
    await add_chat(rig.sessions, PRIVATE + 1, tz="Europe/Berlin")
    await add_chat(rig.sessions, PRIVATE + 2, tz="America/New_York", quiet=(time(22), time(7)))  # 19:30 there
    for chat_id in (PRIVATE, PRIVATE + 1, PRIVATE + 2):
        await rig.store.add(f"k{chat_id}", chat_id, rig.clock.at)
    await rig.dispatcher().run_due()
    assert [c["disable_notification"] for c in rig.calls(PRIVATE)] == [True]
    assert [c.get("disable_notification", False) for c in rig.calls(PRIVATE + 1)] == [False]
    assert [c.get("disable_notification", False) for c in rig.calls(PRIVATE + 2)] == [False]


async def test_a_render_bug_fails_that_message_only(rig: Rig) -> None:
    await add_chat(rig.sessions, PRIVATE)
    await rig.store.add("bad", PRIVATE, NOW - timedelta(minutes=2))
    await rig.store.add("good", PRIVATE, NOW)

    def render(chat: ChatView, deliveries: Sequence[DeliveryView], kind: MessageKind) -> str:
        if deliveries[0].alert.key == "bad":
            raise KeyError("title")
        return label(chat, deliveries, kind)

    report = await rig.dispatcher(render=render).run_due()
    assert report == DispatchReport(claimed=2, sent=1, failed=1, messages=1)
    assert (await rig.store.rows("failed"))[0].error == "render: KeyError('title')"


async def test_chats_run_concurrently_each_in_order(rig: Rig) -> None:
    ids = [PRIVATE + n for n in range(6)]
    for chat_id in ids:
        await add_chat(rig.sessions, chat_id)
        await rig.store.add(f"{chat_id}-1", chat_id, NOW - timedelta(minutes=1))
        await rig.store.add(f"{chat_id}-2", chat_id, NOW)
    running = 0
    most = 0
    original = rig.api.dispatch

    async def counting(method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        nonlocal running, most
        running += 1
        most = max(most, running)
        try:
            await asyncio.sleep(0.001)
            return await original(method, params, files)
        finally:
            running -= 1

    rig.api.dispatch = counting  # type: ignore[method-assign]
    report = await rig.dispatcher(concurrency=3).run_due()
    assert report.sent == 12
    assert most == 3
    for chat_id in ids:
        assert rig.texts(chat_id) == [f"on_time:{chat_id}-1", f"on_time:{chat_id}-2"]


async def test_overlapping_runs_take_turns(rig: Rig) -> None:
    """The scheduler's interval tick and a poke may fire together: the second run waits, then finds nothing."""
    for chat_id in (PRIVATE, PRIVATE + 1):
        await add_chat(rig.sessions, chat_id)
        await rig.store.add(f"{chat_id}", chat_id, NOW)
    dispatcher = rig.dispatcher()
    first, second = await asyncio.gather(dispatcher.run_due(), dispatcher.run_due())
    assert (first.sent, second.claimed) == (2, 0)
    assert [rig.texts(c) for c in (PRIVATE, PRIVATE + 1)] == [[f"on_time:{PRIVATE}"], [f"on_time:{PRIVATE + 1}"]]


async def test_a_fan_out_is_rendered_once_per_language_and_zone(rig: Rig) -> None:
    settings = [("en", "UTC"), ("en", "UTC"), ("de", "UTC"), ("en", "Europe/Berlin"), ("de", "UTC")]
    ids = [PRIVATE + n for n in range(len(settings))]
    for chat_id, (language, tz) in zip(ids, settings, strict=True):
        await add_chat(rig.sessions, chat_id, tz=tz)
        await chats.update_settings(rig.sessions, chat_id, language=language)
    await rig.store.fan_out("news", ids, NOW)
    rendered: list[tuple[str, str]] = []

    def render(chat: ChatView, deliveries: Sequence[DeliveryView], kind: MessageKind) -> str:
        rendered.append((chat.language, chat.timezone))
        return f"{chat.language} {chat.timezone} " + label(chat, deliveries, kind)

    report = await rig.dispatcher(render=render).run_due()
    assert report == DispatchReport(claimed=5, sent=5, messages=5)
    assert sorted(rendered) == [("de", "UTC"), ("en", "Europe/Berlin"), ("en", "UTC")]
    assert [rig.texts(chat_id) for chat_id in ids] == [[f"{language} {tz} on_time:news"] for language, tz in settings]
