"""Inline keyboards under the bot's messages; every callback payload is made by ``Button.encode()``.

Button labels are plain text (Telegram does not parse markup in them), so they need no escaping, only shortening.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callback_data import Button, decode
from bot.display import FIELD_LABELS, commitment_title, field_label, short, title
from bot.i18n import Ctx
from storage.chats import ChatView
from tracking.model import Tracked

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


# --- corrections and review (admins) ---------------------------------------------------------------------------

REVIEW_VERBS = ("ok", "no", "edit", "merge", "card")  # the arguments of a "review" button: VERB:c|r:ID:VERSION


def review_button(verb: str, target: str, item_id: int, version: int | None) -> Button:
    """A review card's button; ``version`` is the commitment's as the card showed it (a report has none: 0)."""
    return Button("review", f"{verb}:{target[0]}:{item_id}:{version if version is not None else 0}")


def review_keyboard(target: str, item_id: int, version: int | None, ctx: Ctx) -> InlineKeyboardMarkup:
    """Under a review card: ✅ Confirm · ✏️ Edit · 🔀 Merge into… · ❌ Reject (a report: Confirm and Reject)."""
    confirm = _button("✅ " + ctx._("Confirm"), review_button("ok", target, item_id, version))
    reject = _button("❌ " + ctx._("Reject"), review_button("no", target, item_id, version))
    if target == "report":
        return InlineKeyboardMarkup([[confirm, reject]])
    edit = _button("✏️ " + ctx._("Edit"), review_button("edit", target, item_id, version))
    merge = _button("🔀 " + ctx._("Merge into…"), review_button("merge", target, item_id, version))
    return InlineKeyboardMarkup([[confirm, edit], [merge, reject]])


def edit_fields_keyboard(commitment_id: int, ctx: Ctx) -> InlineKeyboardMarkup:
    """/edit ID: a button per field, two to a row; the bot then asks for the value."""
    buttons = [_button(field_label(field, ctx), Button("field", f"{commitment_id}:{field}")) for field in FIELD_LABELS]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def merge_keyboard(commitment_id: int, targets: Sequence[Tracked], ctx: Ctx) -> InlineKeyboardMarkup:
    """🔀 Merge into…: one button per candidate (``targets`` are tracked commitments, the likeliest first)."""
    rows = [
        [
            _button(
                f"→ #{t.id} {short(commitment_title(t, ctx), BUTTON_TITLE)}", Button("into", f"{commitment_id}:{t.id}")
            )
        ]
        for t in targets
    ]
    return InlineKeyboardMarkup(rows)


def queue_keyboard(commitment_ids: Sequence[int], report_ids: Sequence[int], ctx: Ctx) -> InlineKeyboardMarkup:
    """/review: a button per waiting item that opens its card (the first eight of each kind)."""
    rows = [[_button(f"🔎 #{i}", review_button("card", "commitment", i, None))] for i in commitment_ids[:PAGE_SIZE]]
    rows += [
        [_button("🔎 " + ctx._("report #{id}").format(id=i), review_button("card", "report", i, None))]
        for i in report_ids[:PAGE_SIZE]
    ]
    return InlineKeyboardMarkup(rows)


def review_of(button: Button) -> tuple[str, str, int, int | None] | None:
    """(verb, target, id, version) of a review button; None when it does not decode (forged or from an older
    release). Version 0 means "whatever is stored" (a report, or a card drawn without a look-up)."""
    parts = button.arg.split(":")
    if button.action != "review" or len(parts) != 4 or parts[0] not in REVIEW_VERBS or parts[1] not in ("c", "r"):
        return None
    if not (parts[2].isdigit() and parts[3].isdigit()) or int(parts[2]) == 0:
        return None
    version = int(parts[3])
    return parts[0], "commitment" if parts[1] == "c" else "report", int(parts[2]), version or None


def pair_of(button: Button) -> tuple[int, str] | None:
    """(id, second part) of a "field" (ID:FIELD) or "into" (ID:INTO_ID) button; None for anything malformed."""
    number, _, rest = button.arg.partition(":")
    if not number.isdigit() or int(number) == 0 or not rest:
        return None
    return int(number), rest


# --- feeds (admins) ------------------------------------------------------------------------------------------------


def feed_offer_keyboard(offers: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
    """Under "this page links these feeds": one button per feed, (token, title), that adds it."""
    return InlineKeyboardMarkup(
        [[_button("➕ " + short(title, BUTTON_TITLE), Button("feed", f"add:{token}"))] for token, title in offers]
    )
