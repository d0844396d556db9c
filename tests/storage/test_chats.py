"""Chats and subscriptions on SQLite and PostgreSQL: settings, all-vs-one subscriptions, the fan-out query,
cascades, group → supergroup migration, concurrent taps, and the v0002 migration up and down."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, replace
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, delete, event, func, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage import chats
from storage.chats import ChatView, UnknownChat
from storage.db import alembic_config, migrate
from storage.models import ChatRow, CommitmentRow, SubscriptionRow, utc_now
from storage.queries import UnknownCommitment
from tests.storage.test_migrations import HEAD

Sessions = async_sessionmaker[AsyncSession]

PRIVATE = 1001
GROUP = -2002
SUPERGROUP = -1002002
SUBSCRIBED = dt.datetime(2025, 3, 18, 12, tzinfo=dt.UTC)  # the bot's clock when a chat subscribes
# A private chat as ensure_chat first stores it: what Telegram tells, and the bot's defaults for everything else.
NEW_CHAT = ChatView(
    id=PRIVATE, type="private", title=None, language="en", timezone="UTC",
    quiet_start=None, quiet_end=None, enabled=True, member=True, subscribed_all=False,
)  # fmt: skip


async def _commitment(sessions: Sessions, kind: str = "strike_halt") -> int:
    """A bare stored commitment; subscriptions only need it to exist."""
    async with sessions() as session, session.begin():
        row = CommitmentRow(kind=kind, actors=["Russia"], scope=None, conditions=[], status="announced")
        session.add(row)
        await session.flush()
        return row.id


async def _delete_commitment(sessions: Sessions, commitment_id: int) -> None:
    async with sessions() as session, session.begin():
        await session.execute(delete(CommitmentRow).where(CommitmentRow.id == commitment_id))


async def _chat(sessions: Sessions, chat_id: int = PRIVATE, **overrides: str | None) -> ChatView:
    values: dict[str, str | None] = {
        "type": "private" if chat_id > 0 else "group",
        "title": None if chat_id > 0 else "Analysts",
        "language": "en",
        "timezone": "UTC",
    }
    values.update(overrides)
    return await chats.ensure_chat(
        sessions,
        chat_id,
        type=str(values["type"]),
        title=values["title"],
        language=str(values["language"]),
        timezone=str(values["timezone"]),
    )


async def _subscription_rows(sessions: Sessions) -> list[tuple[int, int]]:
    async with sessions() as session:
        rows = await session.execute(
            select(SubscriptionRow.chat_id, SubscriptionRow.commitment_id).order_by(
                SubscriptionRow.chat_id, SubscriptionRow.commitment_id
            )
        )
        return [(chat_id, commitment_id) for chat_id, commitment_id in rows]


async def test_ensure_chat_creates_with_defaults(sessions: Sessions) -> None:
    assert await chats.get_chat(sessions, PRIVATE) is None
    view = await _chat(sessions, PRIVATE, language="de", timezone="Europe/Berlin")
    assert view == replace(NEW_CHAT, language="de", timezone="Europe/Berlin")
    assert await chats.get_chat(sessions, PRIVATE) == view


async def test_ensure_chat_refreshes_telegram_facts_but_keeps_settings(sessions: Sessions) -> None:
    await _chat(sessions, GROUP, title="Old name")
    await chats.update_settings(sessions, GROUP, language="de", timezone="Europe/Kyiv")
    view = await _chat(sessions, GROUP, type="group", title="New <b>name</b>", language="en", timezone="UTC")
    assert (view.title, view.language, view.timezone) == ("New <b>name</b>", "de", "Europe/Kyiv")
    assert await chats.get_chat(sessions, GROUP) == view


async def test_telegram_chat_ids_beyond_32_bits(sessions: Sessions) -> None:
    big = -1002233445566
    view = await _chat(sessions, big, type="supergroup")
    assert view.id == big
    commitment = await _commitment(sessions)
    assert await chats.subscribe(sessions, big, commitment, at=SUBSCRIBED)
    assert [c.id for c in await chats.subscribers(sessions, commitment)] == [big]


async def test_ensure_chat_refuses_an_unknown_zone(sessions: Sessions) -> None:
    with pytest.raises(ValueError, match="unknown timezone"):
        await _chat(sessions, PRIVATE, timezone="Mars/Olympus")
    assert await chats.get_chat(sessions, PRIVATE) is None


async def test_update_settings_changes_only_what_is_given(sessions: Sessions) -> None:
    await _chat(sessions)
    view = await chats.update_settings(sessions, PRIVATE, language="de")
    assert (view.language, view.timezone, view.quiet_start) == ("de", "UTC", None)
    view = await chats.update_settings(sessions, PRIVATE, quiet=(dt.time(22, 0), dt.time(7, 0)))
    assert (view.language, view.quiet_start, view.quiet_end) == ("de", dt.time(22, 0), dt.time(7, 0))
    view = await chats.update_settings(sessions, PRIVATE, timezone="Europe/Berlin")
    assert (view.timezone, view.quiet_start, view.quiet_end) == ("Europe/Berlin", dt.time(22, 0), dt.time(7, 0))
    assert await chats.get_chat(sessions, PRIVATE) == view
    view = await chats.update_settings(sessions, PRIVATE, quiet=None)  # None is "off", not "not given"
    assert (view.quiet_start, view.quiet_end, view.timezone) == (None, None, "Europe/Berlin")
    assert await chats.update_settings(sessions, PRIVATE) == view


async def test_update_settings_refuses_bad_values_and_unknown_chats(sessions: Sessions) -> None:
    before = await _chat(sessions)
    with pytest.raises(ValueError, match="unknown timezone"):
        await chats.update_settings(sessions, PRIVATE, timezone="Europe/Atlantis")
    with pytest.raises(ValueError, match="different start and end"):
        await chats.update_settings(sessions, PRIVATE, quiet=(dt.time(7, 0), dt.time(7, 0)))
    assert await chats.get_chat(sessions, PRIVATE) == before
    with pytest.raises(UnknownChat, match="unknown chat id: 42") as raised:
        await chats.update_settings(sessions, 42, language="de")
    assert raised.value.chat_id == 42
    assert isinstance(raised.value, LookupError)


async def test_set_enabled_and_member(sessions: Sessions) -> None:
    await _chat(sessions)
    view = await chats.set_enabled(sessions, PRIVATE, False, "blocked by the user")
    assert (view.enabled, view.member) == (False, True)
    async with sessions() as session:
        assert await session.scalar(select(ChatRow.disabled_reason)) == "blocked by the user"
    view = await chats.set_enabled(sessions, PRIVATE, True)
    assert view.enabled
    async with sessions() as session:
        assert await session.scalar(select(ChatRow.disabled_reason)) is None
    view = await chats.set_member(sessions, PRIVATE, False)
    assert (view.enabled, view.member) == (True, False)
    assert (await chats.set_member(sessions, PRIVATE, True)).member
    with pytest.raises(UnknownChat):
        await chats.set_enabled(sessions, 42, False, "chat not found")
    with pytest.raises(UnknownChat):
        await chats.set_member(sessions, 42, True)


async def test_subscribe_to_one(sessions: Sessions) -> None:
    await _chat(sessions)
    halt, other = await _commitment(sessions), await _commitment(sessions)
    assert await chats.subscribe(sessions, PRIVATE, halt, at=SUBSCRIBED) is True
    assert await chats.subscribe(sessions, PRIVATE, halt, at=SUBSCRIBED) is False  # a second tap changes nothing
    assert await chats.subscriptions_of(sessions, PRIVATE) == (False, [halt])
    assert await chats.is_subscribed(sessions, PRIVATE, halt)
    assert not await chats.is_subscribed(sessions, PRIVATE, other)
    assert await chats.unsubscribe(sessions, PRIVATE, halt) is True
    assert await chats.unsubscribe(sessions, PRIVATE, halt) is False
    assert await chats.subscriptions_of(sessions, PRIVATE) == (False, [])
    assert not await chats.is_subscribed(sessions, PRIVATE, halt)


async def test_subscribe_to_everything_includes_commitments_loaded_later(sessions: Sessions) -> None:
    await _chat(sessions)
    earlier = await _commitment(sessions)
    assert await chats.subscribe(sessions, PRIVATE, None, at=SUBSCRIBED) is True
    assert await chats.subscribe(sessions, PRIVATE, None, at=SUBSCRIBED) is False
    later = await _commitment(sessions)
    assert await chats.is_subscribed(sessions, PRIVATE, earlier)
    assert await chats.is_subscribed(sessions, PRIVATE, later)
    assert await chats.subscriptions_of(sessions, PRIVATE) == (True, [])
    assert [c.id for c in await chats.subscribers(sessions, later)] == [PRIVATE]
    assert not await chats.is_subscribed(sessions, PRIVATE, 999)  # "all" covers stored commitments only


async def test_one_and_all_together(sessions: Sessions) -> None:
    await _chat(sessions)
    first, second = await _commitment(sessions), await _commitment(sessions)
    assert await chats.subscribe(sessions, PRIVATE, first, at=SUBSCRIBED)
    assert await chats.subscribe(sessions, PRIVATE, None, at=SUBSCRIBED)
    assert await chats.subscriptions_of(sessions, PRIVATE) == (True, [first])
    # Dropping one while subscribed to all mutes it: the chat hears about everything but that one.
    assert await chats.unsubscribe(sessions, PRIVATE, first) is True
    assert not await chats.is_subscribed(sessions, PRIVATE, first)
    assert await chats.muted_of(sessions, PRIVATE) == [first]
    assert await chats.unsubscribe(sessions, PRIVATE, first) is False
    assert await chats.subscribe(sessions, PRIVATE, second, at=SUBSCRIBED) is False  # "all" already covers it
    assert await chats.subscribe(sessions, PRIVATE, first, at=SUBSCRIBED) is True  # lifts the mute
    assert await chats.is_subscribed(sessions, PRIVATE, first)
    assert await chats.unsubscribe(sessions, PRIVATE, first) is True
    # /unsubscribe all: clears "all", every single row and every mute.
    assert await chats.unsubscribe(sessions, PRIVATE, None) is True
    assert await chats.subscriptions_of(sessions, PRIVATE) == (False, [])
    assert await chats.muted_of(sessions, PRIVATE) == []
    assert not await chats.is_subscribed(sessions, PRIVATE, first)


async def test_unsubscribe_all_with_rows_only(sessions: Sessions) -> None:
    await _chat(sessions)
    halt = await _commitment(sessions)
    await chats.subscribe(sessions, PRIVATE, halt, at=SUBSCRIBED)
    assert await chats.unsubscribe(sessions, PRIVATE, None) is True
    assert await _subscription_rows(sessions) == []


async def test_unknown_commitment_and_unknown_chat(sessions: Sessions) -> None:
    await _chat(sessions)
    with pytest.raises(UnknownCommitment, match="unknown commitment id: 999") as raised:
        await chats.subscribe(sessions, PRIVATE, 999, at=SUBSCRIBED)
    assert raised.value.ids == (999,)
    with pytest.raises(UnknownCommitment):
        await chats.unsubscribe(sessions, PRIVATE, 999)
    assert await chats.subscriptions_of(sessions, PRIVATE) == (False, [])
    halt = await _commitment(sessions)
    with pytest.raises(UnknownChat):
        await chats.subscribe(sessions, 42, halt, at=SUBSCRIBED)
    with pytest.raises(UnknownChat):
        await chats.subscribe(sessions, 42, None, at=SUBSCRIBED)
    with pytest.raises(UnknownChat):
        await chats.unsubscribe(sessions, 42, None)
    assert await chats.subscriptions_of(sessions, 42) == (False, [])
    assert not await chats.is_subscribed(sessions, 42, halt)
    assert await _subscription_rows(sessions) == []


async def test_subscribers_through_all_or_row_and_only_reachable_chats(sessions: Sessions) -> None:
    halt, other = await _commitment(sessions), await _commitment(sessions)
    everything, single, blocked, kicked, unrelated = 5, 1, 4, -3, 2
    for chat_id in (everything, single, blocked, kicked, unrelated):
        await _chat(sessions, chat_id)
    await chats.subscribe(sessions, everything, None, at=SUBSCRIBED)
    await chats.subscribe(sessions, single, halt, at=SUBSCRIBED)
    await chats.subscribe(sessions, blocked, halt, at=SUBSCRIBED)
    await chats.subscribe(sessions, kicked, None, at=SUBSCRIBED)
    await chats.subscribe(sessions, unrelated, other, at=SUBSCRIBED)
    await chats.set_enabled(sessions, blocked, False, "blocked by the user")
    await chats.set_member(sessions, kicked, False)

    assert [c.id for c in await chats.subscribers(sessions, halt)] == [single, everything]
    assert [c.id for c in await chats.subscribers(sessions, halt, enabled_only=False)] == [
        kicked,
        single,
        blocked,
        everything,
    ]
    assert [c.id for c in await chats.subscribers(sessions, other)] == [unrelated, everything]
    assert await chats.subscribers(sessions, 999) == []  # not even the "all" chats hear about nothing
    [view] = [c for c in await chats.subscribers(sessions, halt) if c.id == everything]
    assert view == await chats.get_chat(sessions, everything)


async def test_subscribers_fan_out_to_thousands_of_chats(sessions: Sessions) -> None:
    halt, other = await _commitment(sessions), await _commitment(sessions)
    now = utc_now()

    def chat(chat_id: int, subscribed_all: bool) -> ChatRow:
        view = replace(NEW_CHAT, id=chat_id, subscribed_all=subscribed_all)
        return ChatRow(**asdict(view), created_at=now, updated_at=now)

    async with sessions() as session, session.begin():
        session.add_all(chat(n, subscribed_all=n % 2 == 0) for n in range(1, 2501))
        await session.flush()
        session.add_all(
            SubscriptionRow(chat_id=n, commitment_id=halt if n % 3 else other, created_at=now)
            for n in range(1, 2501)
            if n % 2
        )
    hearing = [c.id for c in await chats.subscribers(sessions, halt)]
    assert hearing == [n for n in range(1, 2501) if n % 2 == 0 or n % 3]
    assert len(hearing) == 2083


async def test_fan_out_query_uses_both_indexes_on_sqlite(sessions: Sessions, engine: AsyncEngine) -> None:
    if engine.dialect.name != "sqlite":
        return
    statements: list[tuple[str, Any]] = []

    def capture(*args: Any) -> None:
        statements.append((str(args[2]), args[3]))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        await chats.subscribers(sessions, 1)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
    [(sql, params)] = [(s, p) for s, p in statements if s.lstrip().startswith("SELECT")]
    async with engine.connect() as connection:
        plan = " ".join(str(row[-1]) for row in await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "ix_subscriptions_commitment_id" in plan
    assert "ix_chats_subscribed_all_enabled" in plan


async def test_deleting_a_commitment_removes_its_subscriptions(sessions: Sessions) -> None:
    await _chat(sessions, PRIVATE)
    await _chat(sessions, GROUP)
    halt, kept = await _commitment(sessions), await _commitment(sessions)
    await chats.subscribe(sessions, PRIVATE, halt, at=SUBSCRIBED)
    await chats.subscribe(sessions, GROUP, halt, at=SUBSCRIBED)
    await chats.subscribe(sessions, GROUP, kept, at=SUBSCRIBED)
    await _delete_commitment(sessions, halt)
    assert await _subscription_rows(sessions) == [(GROUP, kept)]
    assert await chats.subscriptions_of(sessions, PRIVATE) == (False, [])
    assert await chats.subscribers(sessions, halt) == []
    assert await chats.get_chat(sessions, PRIVATE) is not None


async def test_migrate_to_a_new_supergroup_moves_everything(sessions: Sessions) -> None:
    await _chat(sessions, GROUP, title="Analysts")
    await chats.update_settings(
        sessions, GROUP, language="de", timezone="Europe/Berlin", quiet=(dt.time(22), dt.time(7))
    )
    halt, other = await _commitment(sessions), await _commitment(sessions)
    await chats.subscribe(sessions, GROUP, halt, at=SUBSCRIBED)
    await chats.subscribe(sessions, GROUP, other, at=SUBSCRIBED)

    view = await chats.migrate_chat(sessions, GROUP, SUPERGROUP)
    assert view == ChatView(
        id=SUPERGROUP,
        type="supergroup",
        title="Analysts",
        language="de",
        timezone="Europe/Berlin",
        quiet_start=dt.time(22),
        quiet_end=dt.time(7),
        enabled=True,
        member=True,
        subscribed_all=False,
    )
    assert await chats.get_chat(sessions, GROUP) is None
    assert await chats.get_chat(sessions, SUPERGROUP) == view
    assert await _subscription_rows(sessions) == [(SUPERGROUP, halt), (SUPERGROUP, other)]
    # The notice arrives in both chats; handling it twice changes nothing.
    assert await chats.migrate_chat(sessions, GROUP, SUPERGROUP) == view
    assert await _subscription_rows(sessions) == [(SUPERGROUP, halt), (SUPERGROUP, other)]


async def test_migrate_merges_into_a_supergroup_already_seen(sessions: Sessions) -> None:
    await _chat(sessions, GROUP, title="Analysts")
    await chats.update_settings(sessions, GROUP, language="de", quiet=(dt.time(23, 30), dt.time(6)))
    both, old_only, new_only = await _commitment(sessions), await _commitment(sessions), await _commitment(sessions)
    await chats.subscribe(sessions, GROUP, both, at=SUBSCRIBED)
    await chats.subscribe(sessions, GROUP, old_only, at=SUBSCRIBED)
    await chats.subscribe(sessions, GROUP, None, at=SUBSCRIBED)
    # The supergroup's first update was handled before the migration notice: first-contact defaults.
    await _chat(sessions, SUPERGROUP, type="supergroup", title="Analysts (new)", timezone="Europe/Kyiv")
    await chats.subscribe(sessions, SUPERGROUP, both, at=SUBSCRIBED)
    await chats.subscribe(sessions, SUPERGROUP, new_only, at=SUBSCRIBED)

    seen: list[tuple[int, int, int]] = []

    async def on_move(session: AsyncSession, old_id: int, new_id: int) -> None:
        count = await session.scalar(select(func.count()).select_from(ChatRow))
        seen.append((old_id, new_id, count or 0))

    view = await chats.migrate_chat(sessions, GROUP, SUPERGROUP, on_move=on_move)
    assert seen == [(GROUP, SUPERGROUP, 2)]  # inside the transaction, before the old chat goes
    assert view is not None
    assert (view.id, view.type, view.title) == (SUPERGROUP, "supergroup", "Analysts (new)")
    assert (view.language, view.timezone, view.quiet_start, view.quiet_end) == (
        "de",
        "UTC",
        dt.time(23, 30),
        dt.time(6),
    )
    assert view.subscribed_all
    assert await chats.get_chat(sessions, GROUP) is None
    assert await _subscription_rows(sessions) == [(SUPERGROUP, both), (SUPERGROUP, old_only), (SUPERGROUP, new_only)]


async def test_migrate_keeps_a_paused_group_paused_and_knows_unknown_ids(sessions: Sessions) -> None:
    assert await chats.migrate_chat(sessions, GROUP, SUPERGROUP) is None
    await _chat(sessions, GROUP)
    await chats.set_enabled(sessions, GROUP, False, "kicked")
    view = await chats.migrate_chat(sessions, GROUP, SUPERGROUP)
    assert view is not None
    assert not view.enabled
    assert await chats.migrate_chat(sessions, SUPERGROUP, SUPERGROUP) == view


async def test_a_failing_move_hook_rolls_the_whole_migration_back(sessions: Sessions) -> None:
    await _chat(sessions, GROUP)
    halt = await _commitment(sessions)
    await chats.subscribe(sessions, GROUP, halt, at=SUBSCRIBED)

    async def broken(session: AsyncSession, old_id: int, new_id: int) -> None:
        raise RuntimeError("outbox unavailable")

    with pytest.raises(RuntimeError):
        await chats.migrate_chat(sessions, GROUP, SUPERGROUP, on_move=broken)
    assert await chats.get_chat(sessions, SUPERGROUP) is None
    assert await chats.get_chat(sessions, GROUP) is not None
    assert await _subscription_rows(sessions) == [(GROUP, halt)]


async def test_concurrent_taps_and_first_contacts_are_idempotent(sessions: Sessions) -> None:
    halt = await _commitment(sessions)
    views = await asyncio.gather(*(_chat(sessions, GROUP) for _ in range(5)))
    assert {v.id for v in views} == {GROUP}
    changed = await asyncio.gather(*(chats.subscribe(sessions, GROUP, halt, at=SUBSCRIBED) for _ in range(5)))
    assert sorted(changed) == [False, False, False, False, True]
    assert await _subscription_rows(sessions) == [(GROUP, halt)]


def _downgrade_to(revision: str) -> Callable[[Connection], None]:
    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    return run


async def test_chats_migration_downgrades_and_upgrades(engine: AsyncEngine) -> None:
    await migrate(engine)
    async with engine.connect() as connection:
        tables = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
        version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar()
        indexes = {i["name"] for i in await connection.run_sync(lambda c: inspect(c).get_indexes("subscriptions"))} | {
            i["name"] for i in await connection.run_sync(lambda c: inspect(c).get_indexes("chats"))
        }
    assert {"chats", "subscriptions", "commitments"} <= tables
    assert version == HEAD
    assert indexes == {"ix_subscriptions_commitment_id", "ix_chats_subscribed_all_enabled"}

    async with engine.begin() as connection:
        await connection.run_sync(_downgrade_to("0001"))
    async with engine.connect() as connection:
        tables = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
        version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    assert "commitments" in tables
    assert not tables & {"chats", "subscriptions"}
    assert version == "0001"

    await migrate(engine)
    async with engine.connect() as connection:
        tables = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    assert {"chats", "subscriptions"} <= tables
