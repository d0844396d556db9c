"""What the Dispatcher does with Telegram's answers: a block or a vanished chat pauses the chat, a migration moves
it, flood waits and server errors are retried (long waits back in the outbox), and exhausted retries fail one
message while the chat goes on."""

from __future__ import annotations

from datetime import time, timedelta

from bot.localapi import Fault
from schedules.dispatch import DispatchReport
from storage import chats
from tests.schedules.dispatch_rig import GROUP, MIGRATED_TO, NOW, PRIVATE, Rig, add_chat
from tests.schedules.test_sender import flood, upgraded


async def test_a_blocked_chat_is_disabled_and_its_alerts_kept_until_start(rig: Rig) -> None:
    await add_chat(rig.sessions, PRIVATE)
    await rig.store.add("first", PRIVATE, NOW - timedelta(minutes=3))
    await rig.store.add("second", PRIVATE, NOW)
    rig.api.faults.append(
        Fault("sendMessage", chat_id=PRIVATE, error_code=403, description="Forbidden: bot was blocked by the user")
    )
    dispatcher = rig.dispatcher()
    report = await dispatcher.run_due()
    assert report == DispatchReport(claimed=2, released=2, disabled=1)
    chat = await chats.get_chat(rig.sessions, PRIVATE)
    assert chat is not None
    assert not chat.enabled
    assert set(await rig.keys("pending")) == {"first", "second"}  # paused, not lost
    assert (await dispatcher.run_due()).claimed == 0  # nothing goes to a paused chat
    await chats.set_enabled(rig.sessions, PRIVATE, True)  # what /start does
    rig.time.advance(5)
    report = await dispatcher.run_due()
    assert rig.texts(PRIVATE) == ["on_time:first", "on_time:second"]
    assert report.sent == 2


async def test_chat_not_found_disables_too(rig: Rig) -> None:
    await add_chat(rig.sessions, PRIVATE)
    await rig.store.add("x", PRIVATE, NOW)
    rig.api.faults.append(Fault("sendMessage", error_code=400, description="Bad Request: chat not found"))
    assert (await rig.dispatcher().run_due()).disabled == 1
    chat = await chats.get_chat(rig.sessions, PRIVATE)
    assert chat is not None
    assert not chat.enabled


async def test_a_migrated_group_is_moved_and_sent_to_the_new_id(rig: Rig) -> None:
    await add_chat(rig.sessions, GROUP, quiet=(time(11), time(13)))
    await rig.store.add("first", GROUP, NOW - timedelta(minutes=2))
    await rig.store.add("second", GROUP, NOW)
    rig.api.faults.append(upgraded(GROUP, MIGRATED_TO))
    report = await rig.dispatcher().run_due()
    assert report == DispatchReport(claimed=2, sent=2, migrated=1, messages=2)
    assert rig.texts(GROUP) == []
    assert rig.texts(MIGRATED_TO) == ["on_time:first", "on_time:second"]
    assert [c["disable_notification"] for c in rig.calls(MIGRATED_TO)] == [True, True]  # settings moved along
    assert await chats.get_chat(rig.sessions, GROUP) is None
    moved = await chats.get_chat(rig.sessions, MIGRATED_TO)
    assert moved is not None
    assert moved.quiet_start == time(11)
    assert {(r.chat_id, r.sent_to) for r in await rig.store.rows()} == {(MIGRATED_TO, MIGRATED_TO)}


async def test_a_long_flood_wait_hands_the_chats_messages_back_in_order(fake_rig: Rig) -> None:
    rig = fake_rig
    await add_chat(rig.sessions, PRIVATE)
    await rig.store.add("first", PRIVATE, NOW - timedelta(minutes=2))
    await rig.store.add("second", PRIVATE, NOW)
    rig.api.faults.append(flood(PRIVATE, 300))
    dispatcher = rig.dispatcher()
    report = await dispatcher.run_due()
    assert report == DispatchReport(claimed=2, retried=2)
    assert {r.next_attempt_at for r in await rig.store.rows("pending")} == {rig.time.wall() + timedelta(seconds=300)}
    rig.time.advance(299)
    rig.clock.at += timedelta(seconds=299)
    assert (await dispatcher.run_due()).claimed == 0
    rig.time.advance(1)
    rig.clock.at += timedelta(seconds=1)
    assert (await dispatcher.run_due()).sent == 2
    assert rig.texts(PRIVATE) == ["late:first", "on_time:second"]


async def test_transient_errors_exhausted_mark_failed_and_the_chat_goes_on(rig: Rig) -> None:
    await add_chat(rig.sessions, PRIVATE)
    await rig.store.add("first", PRIVATE, NOW - timedelta(minutes=2))
    await rig.store.add("second", PRIVATE, NOW)
    rig.api.faults.append(Fault("sendMessage", chat_id=PRIVATE, error_code=500, times=3))
    report = await rig.dispatcher(max_attempts=3).run_due()
    assert report == DispatchReport(claimed=2, sent=1, failed=1, messages=1)
    [failed] = await rig.store.rows("failed")
    assert failed.key == "first"
    assert failed.error == "NetworkError: Internal Server Error"
    assert rig.texts(PRIVATE) == ["on_time:second"]


async def test_every_deliverable_alert_exactly_once_under_faults(rig: Rig) -> None:
    """Every deliverable alert exactly once, whatever Telegram answers: 429s (short and long), 500s, timeouts, a
    block, a migration."""
    ids = [PRIVATE + n for n in range(10)] + [GROUP]
    blocked = ids[5]
    for chat_id in ids:
        await add_chat(rig.sessions, chat_id)
        for n, age in enumerate((timedelta(minutes=30), timedelta(minutes=10), timedelta(0))):
            await rig.store.add(f"{chat_id}-{n}", chat_id, NOW - age)
    rig.api.faults += [
        flood(ids[0], 2, times=2),
        flood(ids[1], 90),
        Fault("sendMessage", chat_id=ids[2], error_code=500, times=3),
        Fault("sendMessage", chat_id=ids[3], error_code=502, description="Bad Gateway", times=2),
        Fault("sendMessage", chat_id=ids[4], delay=0.05, times=3),  # timeouts that delivered nothing
        Fault("sendMessage", chat_id=blocked, error_code=403, description="Forbidden: bot was blocked by the user"),
        upgraded(GROUP, MIGRATED_TO),
        Fault("sendMessage", error_code=500, times=4),  # whoever comes first
        Fault("sendMessage", delay=0.05, times=2),
    ]
    dispatcher = rig.dispatcher(concurrency=4)
    for _ in range(10):
        await dispatcher.run_due()
        rig.time.advance(30)
    delivered: dict[str, list[int]] = {}
    for call in rig.api.sent(method="sendMessage"):
        for key in str(call.params["text"]).split(":", 1)[1].split(","):
            delivered.setdefault(key, []).append(int(call.params["chat_id"]))
    expected = {
        f"{chat_id}-{n}": [MIGRATED_TO if chat_id == GROUP else chat_id]
        for chat_id in ids
        if chat_id != blocked
        for n in range(3)
    }
    assert delivered == expected  # each exactly once, to the chat it belongs to now
    assert len(await rig.store.rows("sent")) == 30
    assert set(await rig.keys("pending")) == {f"{blocked}-{n}" for n in range(3)}
    assert not await rig.store.rows("failed")
    assert not await rig.store.rows("sending")
    chat = await chats.get_chat(rig.sessions, blocked)
    assert chat is not None
    assert not chat.enabled
    assert await chats.get_chat(rig.sessions, GROUP) is None
    assert await chats.get_chat(rig.sessions, MIGRATED_TO) is not None
    assert all(f.times <= 0 for f in rig.api.faults)  # every injected fault was met
    assert [r for r in await rig.store.rows() if r.attempts] == [
        r for r in await rig.store.rows() if r.chat_id == ids[1]
    ]  # only the long flood wait went back to the outbox
