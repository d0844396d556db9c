"""Inline keyboards under the bot's messages; every callback payload is made by ``Button.encode()``.

Button labels are plain text (Telegram does not parse markup in them), so they need no escaping, only shortening.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callback_data import Button, decode
from bot.display import short, title
from bot.i18n import Ctx
from storage.chats import ChatView

PAGE_SIZE = 8
BUTTON_TITLE = 40
ALERT_ROWS = 5  # an alert message about more commitments than this gets buttons for the first five
LANGUAGES = (("en", "English"), ("de", "Deutsch"))
TIMEZONES = ("UTC", "Europe/Berlin", "Europe/Kyiv", "Europe/Moscow", "Asia/Jerusalem", "America/New_York")
QUIET_WINDOW = "22:00-07:00"

T = TypeVar("T")


def _button(text: str, button: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=button.encode())


def _chosen(label: str, chosen: bool) -> str:
    return f"✓ {label}" if chosen else label


def pages_of(count: int, size: int = PAGE_SIZE) -> int:
    """How many pages ``count`` items fill (at least one, so an empty list still has a page to show)."""
    return max(1, -(-count // size))


def paginate(items: Sequence[T], page: int, size: int = PAGE_SIZE) -> tuple[list[T], int, int]:
    """This page's items, the page actually shown (clamped, so an old button past the end still works) and the
    number of pages."""
    pages = pages_of(len(items), size)
    page = min(max(page, 0), pages - 1)
    return list(items[page * size : (page + 1) * size]), page, pages


def start_keyboard(ctx: Ctx) -> InlineKeyboardMarkup:
    """Under /start: subscribe to everything, or look at the list."""
    return InlineKeyboardMarkup(
        [
            [_button("🔔 " + ctx._("Subscribe to all"), Button("sub", "all"))],
            [_button("📋 " + ctx._("Status"), Button("page", "0"))],
        ]
    )


def status_keyboard(items: Sequence[Mapping[str, Any]], *, page: int, pages: int, ctx: Ctx) -> InlineKeyboardMarkup:
    """A button per commitment on this page, then ◀ / ▶ when there is more than one page (``page`` counts from 0)."""
    rows = [
        [_button(f"#{item['id']} {short(title(item, ctx), BUTTON_TITLE)}", Button("open", str(item["id"])))]
        for item in items
    ]
    if pages > 1:
        nav = []
        if page > 0:
            nav.append(_button("◀ " + ctx._("Back"), Button("page", str(page - 1))))
        if page < pages - 1:
            nav.append(_button(ctx._("More") + " ▶", Button("page", str(page + 1))))
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


def detail_keyboard(commitment_id: int, *, subscribed: bool, ctx: Ctx) -> InlineKeyboardMarkup:
    """Under one commitment: (un)subscribe to it, and back to the list."""
    if subscribed:
        toggle = _button("🔕 " + ctx._("Unsubscribe"), Button("unsub", str(commitment_id)))
    else:
        toggle = _button("🔔 " + ctx._("Subscribe"), Button("sub", str(commitment_id)))
    return InlineKeyboardMarkup([[toggle], [_button("◀ " + ctx._("All commitments"), Button("page", "0"))]])


def settings_keyboard(chat: ChatView, ctx: Ctx) -> InlineKeyboardMarkup:
    """Language, a few common zones and quiet hours; the current choice carries a tick."""
    languages = [
        _button(_chosen(name, chat.language == code), Button("set", f"lang:{code}")) for code, name in LANGUAGES
    ]
    zones = [_button(_chosen(zone, chat.timezone == zone), Button("set", f"tz:{zone}")) for zone in TIMEZONES]
    quiet_off = chat.quiet_start is None or chat.quiet_end is None
    window = (
        not quiet_off
        and chat.quiet_start is not None
        and chat.quiet_end is not None
        and f"{chat.quiet_start:%H:%M}-{chat.quiet_end:%H:%M}" == QUIET_WINDOW
    )
    quiet = [
        _button(_chosen(ctx._("Quiet hours off"), quiet_off), Button("set", "quiet:off")),
        _button(_chosen(ctx._("Quiet 22:00–07:00"), window), Button("set", f"quiet:{QUIET_WINDOW}")),
    ]
    return InlineKeyboardMarkup([languages, zones[0:2], zones[2:4], zones[4:6], quiet])


FROM_ALERT = "a"  # marks the mute / unmute buttons under an alert: "unsub 12:a"


def alert_keyboard(commitment_ids: Iterable[int], ctx: Ctx, *, muted: Collection[int] = ()) -> InlineKeyboardMarkup:
    """Under an alert: per commitment it is about, "Details" (the /status ID view) and "Mute" (stop this chat's
    alerts about it), or "Unmute" once muted from here. Mute and unmute are the per-commitment unsubscribe and
    subscribe, so the buttons and the typed commands can never disagree; their argument is marked as coming from
    an alert, so the answer can say what a chat that follows everything has to do instead."""
    rows = []
    for number in list(dict.fromkeys(commitment_ids))[:ALERT_ROWS]:
        arg = f"{number}:{FROM_ALERT}"
        details = _button("ℹ️ " + ctx._("Details #{id}").format(id=number), Button("open", str(number)))
        if number in muted:
            toggle = _button("🔔 " + ctx._("Unmute #{id}").format(id=number), Button("sub", arg))
        else:
            toggle = _button("🔕 " + ctx._("Mute #{id}").format(id=number), Button("unsub", arg))
        rows.append([details, toggle])
    return InlineKeyboardMarkup(rows)


def from_alert(button: Button) -> int | None:
    """The commitment a mute or unmute button under an alert is about; None for any other button."""
    number, _, origin = button.arg.partition(":")
    if button.action in ("sub", "unsub") and origin == FROM_ALERT and number.isdigit():
        return int(number)
    return None


def alert_keyboard_ids(markup: InlineKeyboardMarkup | None) -> tuple[list[int], set[int]]:
    """The commitments an alert keyboard is about, in order, and those shown as muted ([] and an empty set for any
    other keyboard, or none)."""
    ids: list[int] = []
    muted: set[int] = set()
    for row in markup.inline_keyboard if markup is not None else ():
        for pressed in row:
            button = decode(pressed.callback_data if isinstance(pressed.callback_data, str) else None)
            number = from_alert(button) if button is not None else None
            if button is not None and number is not None:
                ids.append(number)
                if button.action == "sub":
                    muted.add(number)
    return ids, muted
