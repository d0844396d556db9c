"""Inline keyboards: every button decodes back to what it was made for and fits Telegram's 64 bytes."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from telegram import InlineKeyboardMarkup

from bot import keyboards
from bot.callback_data import Button, decode
from bot.i18n import Ctx
from storage.chats import ChatView

EN = Ctx("en", ZoneInfo("UTC"))
DE = Ctx("de", ZoneInfo("Europe/Berlin"))


def buttons(markup: InlineKeyboardMarkup) -> list[tuple[str, Button]]:
    """(label, decoded button) for every button, checking the payload on the way."""
    found = []
    for row in markup.inline_keyboard:
        assert row, "no empty rows"
        for button in row:
            data = button.callback_data
            assert isinstance(data, str)
            assert len(data.encode()) <= 64
            decoded = decode(data)
            assert decoded is not None, data
            assert decoded.encode() == data
            found.append((button.text, decoded))
    return found


def item(number: int, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": number,
        "kind": "ceasefire",
        "actors": ["Russia", "Ukraine"],
        "scope": "Black Sea and the whole of the northern coast of the sea, including every port",
        "duration_days": 30,
        "quantity": None,
    }
    values.update(changes)
    return values


def chat(**changes: Any) -> ChatView:
    values: dict[str, Any] = {
        "id": 1,
        "type": "private",
        "title": None,
        "language": "en",
        "timezone": "UTC",
        "quiet_start": None,
        "quiet_end": None,
        "enabled": True,
        "member": True,
        "subscribed_all": False,
    }
    values.update(changes)
    return ChatView(**values)


@pytest.mark.parametrize("ctx", [EN, DE], ids=["en", "de"])
def test_start_keyboard(ctx: Ctx) -> None:
    found = buttons(keyboards.start_keyboard(ctx))
    assert [b for _, b in found] == [Button("sub", "all"), Button("page", "0")]
    labels = [label for label, _ in found]
    assert ctx._("Subscribe to all") in labels[0]
    assert ctx._("Status") in labels[1]


def test_start_keyboard_speaks_german() -> None:
    assert "Alles abonnieren" in buttons(keyboards.start_keyboard(DE))[0][0]


def test_status_keyboard_one_button_per_item_and_no_paging_for_one_page() -> None:
    items = [item(i) for i in (12, 3, 2_000_000_000)]
    found = buttons(keyboards.status_keyboard(items, page=0, pages=1, ctx=EN))
    assert [b for _, b in found] == [Button("open", "12"), Button("open", "3"), Button("open", "2000000000")]
    assert found[0][0].startswith("#12 Russia, Ukraine: ceasefire — Black Sea")
    assert all(len(label) <= 60 for label, _ in found)
    assert found[0][0].endswith("…")
    german = buttons(keyboards.status_keyboard(items, page=0, pages=1, ctx=DE))
    assert german[0][0].startswith("#12 Russland, Ukraine: Waffenruhe")


def test_status_keyboard_pages() -> None:
    items = [item(i) for i in range(1, 9)]
    first = buttons(keyboards.status_keyboard(items, page=0, pages=3, ctx=EN))
    assert first[-1][1] == Button("page", "1")
    assert "▶" in first[-1][0]
    assert all(b.action == "open" for _, b in first[:-1])
    middle = buttons(keyboards.status_keyboard(items, page=1, pages=3, ctx=EN))
    assert [b for _, b in middle[-2:]] == [Button("page", "0"), Button("page", "2")]
    assert "◀" in middle[-2][0]
    last = buttons(keyboards.status_keyboard(items[:2], page=2, pages=3, ctx=DE))
    assert last[-1] == ("◀ Zurück", Button("page", "1"))
    markup = keyboards.status_keyboard(items[:2], page=2, pages=3, ctx=DE)
    assert len(markup.inline_keyboard[-1]) == 1


def test_paginate() -> None:
    numbers = list(range(20))
    assert keyboards.PAGE_SIZE == 8
    assert keyboards.paginate(numbers, 0) == (list(range(8)), 0, 3)
    assert keyboards.paginate(numbers, 2) == ([16, 17, 18, 19], 2, 3)
    assert keyboards.paginate(numbers, 9) == ([16, 17, 18, 19], 2, 3)  # an old button past the end
    assert keyboards.paginate(numbers, -1) == (list(range(8)), 0, 3)
    assert keyboards.paginate([], 0) == ([], 0, 1)
    assert keyboards.pages_of(16) == 2
    assert keyboards.pages_of(17) == 3


@pytest.mark.parametrize("ctx", [EN, DE], ids=["en", "de"])
def test_detail_keyboard(ctx: Ctx) -> None:
    off = buttons(keyboards.detail_keyboard(12, subscribed=False, ctx=ctx))
    on = buttons(keyboards.detail_keyboard(12, subscribed=True, ctx=ctx))
    assert [b for _, b in off] == [Button("sub", "12"), Button("page", "0")]
    assert [b for _, b in on] == [Button("unsub", "12"), Button("page", "0")]
    assert ctx._("Subscribe") in off[0][0]
    assert ctx._("Unsubscribe") in on[0][0]


def test_settings_keyboard_payloads_and_ticks() -> None:
    current = chat(language="de", timezone="Europe/Kyiv", quiet_start=dt.time(22), quiet_end=dt.time(7))
    found = buttons(keyboards.settings_keyboard(current, DE))
    payloads = [b for _, b in found]
    assert payloads == [
        Button("set", "lang:en"),
        Button("set", "lang:de"),
        Button("set", "tz:UTC"),
        Button("set", "tz:Europe/Berlin"),
        Button("set", "tz:Europe/Kyiv"),
        Button("set", "tz:Europe/Moscow"),
        Button("set", "tz:Asia/Jerusalem"),
        Button("set", "tz:America/New_York"),
        Button("set", "quiet:off"),
        Button("set", "quiet:22:00-07:00"),
    ]
    ticked = [label for label, _ in found if label.startswith("✓")]
    assert ticked == ["✓ Deutsch", "✓ Europe/Kyiv", "✓ Ruhe 22:00–07:00"]
    plain = buttons(keyboards.settings_keyboard(chat(), EN))
    assert [label for label, _ in plain if label.startswith("✓")] == ["✓ English", "✓ UTC", "✓ Quiet hours off"]
    other_window = chat(quiet_start=dt.time(23), quiet_end=dt.time(6))
    assert not [
        label
        for label, _ in buttons(keyboards.settings_keyboard(other_window, EN))
        if "Quiet" in label and "✓" in label
    ]


def test_settings_zones_exist_and_fit() -> None:
    for zone in keyboards.TIMEZONES:
        ZoneInfo(zone)
        assert len(Button("set", f"tz:{zone}").encode().encode()) <= 64
    assert keyboards.QUIET_WINDOW == "22:00-07:00"
