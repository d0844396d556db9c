"""The Dispatcher and the outbox: what it claims and for how long, what a cancelled run or a dead worker hands
back, and confirmations written in batches while sending."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

import pytest

from bot.localapi import Call
from schedules.confirmations import Confirmations
from schedules.dispatch import DispatchReport
from storage import chats
from storage.outbox import Confirmation
from tests.schedules.dispatch_rig import GROUP, MIGRATED_TO, NOW, PRIVATE, FakeStore, Rig, add_chat, add_chats
from tests.schedules.test_sender import flood, upgraded


async def test_paused_chats_handed_out_anyway_are_released(fake_rig: Rig) -> None:
    rig = fake_rig
    rig.fake.check_chats = False
    await add_chat(rig.sessions, PRIVATE)
    await chats.set_enabled(rig.sessions, PRIVATE, False, "blocked")
    await rig.store.add("x", PRIVATE, NOW)
    await rig.store.add("y", PRIVATE + 7, NOW)  # a chat that was never stored
    report = await rig.dispatcher().run_due()
    assert report == DispatchReport(claimed=2, released=2)
    assert rig.api.sent() == []
    assert len(await rig.store.rows("pending")) == 2


async def test_a_run_that_outlives_half_its_lease_sends_nothing_more(rig: Rig) -> None:
    await add_chat(rig.sessions, PRIVATE)
    await rig.store.add("first", PRIVATE, NOW - timedelta(minutes=2))
    await rig.store.add("second", PRIVATE, NOW)
    rig.api.faults.append(flood(PRIVATE, 40))
    report = await rig.dispatcher(lease=timedelta(seconds=60)).run_due()
    # The first message waited 40 s and went; by then a second run could take the claim back: release the rest.
    assert report == DispatchReport(claimed=2, sent=1, released=1, messages=1)
    assert await rig.keys("pending") == ["second"]


async def test_a_cancelled_run_hands_back_what_it_did_not_confirm(rig: Rig) -> None:
    ids = await add_chats(rig, 5, per_chat=2)
    # One chat at a time, so the moment of the cancel is known: the first chat done, the second one's first message
    # in flight, its second message and three more chats not started.
    dispatcher = await rig.cancel_while_sending(ids[1])
    assert await rig.keys("sent") == [f"{ids[0]}-0", f"{ids[0]}-1"]
    assert await rig.keys("pending") == [f"{c}-{n}" for c in ids[1:] for n in (0, 1)]
    assert not await rig.store.rows("sending")
    rig.api.faults.clear()
    rig.time.advance(5)
    report = await dispatcher.run_due()
    assert (report.claimed, report.sent) == (8, 8)
    for chat_id in ids:
        assert rig.texts(chat_id) == [f"on_time:{chat_id}-0", f"on_time:{chat_id}-1"]  # once each, in order


async def test_a_dead_workers_claim_comes_back_after_its_lease(rig: Rig) -> None:
    """What a SIGKILL leaves: rows claimed by a worker that will never confirm them."""
    await add_chat(rig.sessions, PRIVATE)
    await rig.store.add("first", PRIVATE, NOW - timedelta(minutes=1))
    await rig.store.add("second", PRIVATE, NOW)
    # real time for the real outbox, the fake wall clock for the fake one; long enough that the first run_due falls
    # inside it on a loaded machine (0.2 s did not always: a slow run found the lease already over)
    lease = timedelta(seconds=2)
    dead = await rig.store.outbox.claim_due(rig.sessions, NOW, worker="dead", lease=lease)
    assert len(dead) == 2
    dispatcher = rig.dispatcher(lease=timedelta(seconds=60))
    assert (await dispatcher.run_due()).claimed == 0  # not while the dead worker's lease holds
    await asyncio.sleep(lease.total_seconds() + 0.05)
    rig.time.advance(lease.total_seconds() + 1)
    report = await dispatcher.run_due()
    assert (report.claimed, report.sent, report.messages) == (2, 2, 2)
    assert rig.texts(PRIVATE) == ["on_time:first", "on_time:second"]


# -- batched confirmations ------------------------------------------------------------------------------------------

# A delay that never passes in a test: what is written, is written because a batch filled or the run ended.
NEVER = 60.0


async def test_everything_sent_is_confirmed_when_run_due_returns(rig: Rig) -> None:
    ids = await add_chats(rig, 6, per_chat=2)
    report = await rig.dispatcher(confirm_batch=1000, confirm_delay=NEVER, concurrency=3).run_due()
    assert report == DispatchReport(claimed=12, sent=12, messages=12)
    assert not await rig.store.rows("sending")
    # Each row has its own message's id and chat, though all were written together.
    assert {(r.key, r.message_id, r.sent_to) for r in await rig.store.rows("sent")} == {
        (f"{chat_id}-{n}", n + 1, chat_id) for chat_id in ids for n in range(2)
    }
    if isinstance(rig.store, FakeStore):
        assert len(rig.fake.confirm_writes) == 1


async def test_confirmations_are_written_while_sending_and_stay_bounded(fake_rig: Rig) -> None:
    rig = fake_rig
    await add_chats(rig, 12, per_chat=2)
    report = await rig.dispatcher(confirm_batch=4, confirm_delay=NEVER, concurrency=3).run_due()
    assert report == DispatchReport(claimed=24, sent=24, messages=24)
    writes = rig.fake.confirm_writes
    assert len(writes) > 1  # the buffer filled: written during the run, not only at its end
    assert sorted(i for write in writes for message in write for i in message) == sorted(rig.fake.rows)
    # At most confirm_batch - 1 waiting, plus one more per sender that then waits for the write.
    assert max(len(write) for write in writes) <= 4 - 1 + 3


async def test_a_cancelled_run_confirms_what_went_out(rig: Rig) -> None:
    """Nothing is written while the run goes; cancelling it still writes the confirmations it holds."""
    ids = await add_chats(rig, 3, per_chat=2)
    await rig.cancel_while_sending(ids[1], confirm_batch=1000, confirm_delay=NEVER)
    assert await rig.keys("sent") == [f"{ids[0]}-0", f"{ids[0]}-1"]
    assert await rig.keys("pending") == [f"{c}-{n}" for c in ids[1:] for n in (0, 1)]
    assert not await rig.store.rows("sending")


async def test_a_write_that_fails_is_tried_again(fake_rig: Rig) -> None:
    rig = fake_rig
    rig.fake.failing_writes = 1
    await add_chats(rig, 4)
    report = await rig.dispatcher(confirm_batch=2, confirm_delay=NEVER, concurrency=1).run_due()
    assert (report.sent, report.messages) == (4, 4)
    assert len(rig.fake.in_state("sent")) == 4
    confirmed = [i for write in rig.fake.confirm_writes for message in write for i in message]
    assert sorted(confirmed) == sorted(rig.fake.rows)  # each written once, the failed ones by a later write


async def test_writes_that_keep_failing_end_the_run_and_leave_the_rows_claimed(
    fake_rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    """What a database that stays down leaves: the messages went out, their rows stay claimed until the lease (then
    they go out again — the crash case), and the run still ends."""
    rig = fake_rig
    rig.fake.failing_writes = 1_000_000
    await add_chats(rig, 4)
    report = await asyncio.wait_for(rig.dispatcher(confirm_batch=2, confirm_delay=0.0).run_due(), 10)
    assert (report.sent, report.messages) == (0, 4)
    assert len(rig.fake.in_state("sending")) == 4
    assert "they go out again after their lease" in caplog.text


async def test_a_migration_waits_for_the_chats_sent_messages_to_be_confirmed(rig: Rig) -> None:
    """The move rewrites the chat's rows: the message that already went to the old id is confirmed first."""
    await add_chat(rig.sessions, GROUP)
    await rig.store.add("first", GROUP, NOW - timedelta(minutes=2))
    await rig.store.add("second", GROUP, NOW)
    seen: list[int] = []

    def migrate_on_the_second_send(call: Call) -> None:
        if call.method == "sendMessage" and call.chat_id == GROUP:
            seen.append(GROUP)
            if len(seen) == 2:
                rig.api.faults.append(upgraded(GROUP, MIGRATED_TO))

    rig.api.on_call = migrate_on_the_second_send
    report = await rig.dispatcher(confirm_batch=1000, confirm_delay=NEVER).run_due()
    assert report == DispatchReport(claimed=2, sent=2, migrated=1, messages=2)
    assert rig.texts(GROUP) == ["on_time:first"]
    assert rig.texts(MIGRATED_TO) == ["on_time:second"]
    rows = {r.key: (r.chat_id, r.state, r.sent_to) for r in await rig.store.rows()}
    assert rows == {"first": (MIGRATED_TO, "sent", GROUP), "second": (MIGRATED_TO, "sent", MIGRATED_TO)}
    if isinstance(rig.store, FakeStore):
        assert rig.fake.events == ["confirm", "move", "confirm"]


@pytest.mark.parametrize("turns", range(6))
async def test_closing_the_buffer_never_waits_for_a_writer_that_missed_its_cancel(turns: int) -> None:
    """Python 3.11's wait_for loses a cancel that lands as its awaitable completes: a writer woken by a half-full
    buffer and cancelled in the same turns of the loop must still stop, and the last write take everything."""
    written: list[int] = []

    async def write(batch: Sequence[Confirmation]) -> int:
        written.extend(i for c in batch for i in c.delivery_ids)
        return sum(len(c.delivery_ids) for c in batch)

    tally = DispatchReport()
    buffer = Confirmations(write, tally, size=4, delay=NEVER)
    buffer.add(Confirmation([1], 1, PRIVATE))
    for _ in range(5):
        await asyncio.sleep(0)  # the writer now waits for the buffer to fill, or the delay
    buffer.add(Confirmation([2], 2, PRIVATE))  # half full: the writer is woken
    for _ in range(turns):
        await asyncio.sleep(0)
    await asyncio.wait_for(buffer.close(), 5)
    assert sorted(written) == [1, 2]
    assert tally.sent == 2
