"""What every chat sees: /start and /help, subscriptions, and its settings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from bot.display.base import esc, field_line, short, usage_lines
from bot.i18n import Ctx
from storage.chats import ChatView

# --- start, help -------------------------------------------------------------------------------------------------


def welcome(ctx: Ctx) -> str:
    """The /start text: what the bot is for and what the two buttons under it do."""
    return "\n".join(
        [
            "<b>" + esc(ctx._("Ceasefire Watch")) + "</b>",
            "",
            esc(
                ctx._(
                    "I follow ceasefires, strike halts, prisoner exchanges and talks announced in the news, and show "
                    "where each one stands: when it starts, how many days are left, what falls due, and where sources "
                    "contradict each other."
                )
            ),
            "",
            ctx._(
                "Tap <b>{subscribe}</b> to be told at every milestone, or <b>{status}</b> to see what is tracked now."
            ).format(subscribe=esc(ctx._("Subscribe to all")), status=esc(ctx._("Status"))),
            esc(ctx._("/help lists every command.")),
        ]
    )


def _command_rows(ctx: Ctx) -> list[tuple[str, str, str]]:
    """(menu name, usage shown in /help, one line of what it does) for every command anyone may use."""
    return [
        ("start", "/start", ctx._("what this bot does")),
        ("help", "/help", ctx._("this list")),
        ("status", "/status", ctx._("every commitment, most urgent first")),
        ("status", "/status ID", ctx._("one commitment in full")),
        ("subscribe", "/subscribe [ID]", ctx._("alerts for everything, or for one commitment")),
        ("unsubscribe", "/unsubscribe [ID|all]", ctx._("stop alerts for one commitment or for all")),
        ("subscriptions", "/subscriptions", ctx._("what this chat is subscribed to")),
        ("timeline", "/timeline", ctx._("a chart of all commitments")),
        ("calendar", "/calendar [ID]", ctx._("a calendar file with the dates")),
        ("settings", "/settings", ctx._("language, time zone and quiet hours")),
    ]


def command_menu(ctx: Ctx) -> list[tuple[str, str]]:
    """(command, description) pairs for Telegram's command menu (setMyCommands); plain text, one per command."""
    menu: dict[str, str] = {}
    for name, _usage, text in _command_rows(ctx):
        menu.setdefault(name, text)
    return list(menu.items())


def feeds_rows(ctx: Ctx) -> list[tuple[str, str]]:
    """The /feeds commands: in the admins' /help, and the answer to a /feeds that has nothing to list."""
    return [
        ("/feeds", ctx._("the feeds, their last poll and errors")),
        ("/feeds add URL [every 15m]", ctx._("add a feed (RSS or Atom), polled every 15 minutes unless told")),
        ("/feeds pause ID", ctx._("stop polling it for now")),
        ("/feeds resume ID", ctx._("poll it again")),
        ("/feeds remove ID", ctx._("stop tracking it (what it loaded stays)")),
    ]


def help_text(ctx: Ctx, *, admin: bool) -> str:
    """Every command with one line each; the admin commands only for admins."""
    lines = ["<b>" + esc(ctx._("Commands")) + "</b>"]
    lines += usage_lines([(usage, text) for _name, usage, text in _command_rows(ctx)])
    if admin:
        lines += ["", "<b>" + esc(ctx._("For admins")) + "</b>"]
        rows = [
            ("/report ID text", ctx._("log a report on a commitment")),
            (".txt", ctx._("send an article as a text file to load it")),
            ("/load URL", ctx._("load a web page as an article (or just send its link, or forward a channel post)")),
            *feeds_rows(ctx),
            ("/health", ctx._("alert delivery: pending, sent, failed, paused chats, last error")),
            ("/edit ID [FIELD VALUE] [— reason]", ctx._("correct a field; without one, pick it from buttons")),
            ("/merge ID INTO_ID", ctx._("make two commitments one")),
            ("/retract ID|report N [reason]", ctx._("withdraw a commitment or a report")),
            ("/history ID", ctx._("who changed what, newest first")),
            ("/review", ctx._("what waits for review")),
        ]
        lines += usage_lines(rows)
    return "\n".join(lines)


# --- subscriptions -----------------------------------------------------------------------------------------------


def subscribed(ctx: Ctx, *, title: str | None) -> str:
    """Confirmation of /subscribe; ``title`` None means everything."""
    if title is None:
        return "🔔 " + esc(ctx._("Subscribed to everything, including commitments tracked later."))
    return "🔔 " + ctx._("Subscribed to <b>{title}</b>.").format(title=esc(title))


def already_subscribed(ctx: Ctx) -> str:
    return "🔔 " + esc(ctx._("This chat is already subscribed to that."))


def unsubscribed(ctx: Ctx, *, title: str | None) -> str:
    """Confirmation of /unsubscribe; ``title`` None means all of them."""
    if title is None:
        return "🔕 " + esc(ctx._("Unsubscribed from everything. No more alerts here."))
    return "🔕 " + ctx._("Unsubscribed from <b>{title}</b>.").format(title=esc(title))


def not_subscribed(ctx: Ctx) -> str:
    return esc(ctx._("This chat was not subscribed to that."))


def subscriptions(
    ctx: Ctx, *, all_: bool, items: Sequence[tuple[int, str]], muted: Sequence[tuple[int, str]] = ()
) -> str:
    """What /subscriptions shows: everything (but what is muted), single commitments, or none (with how to
    subscribe)."""
    lines: list[str] = []
    if all_:
        lines.append("🔔 " + esc(ctx._("This chat is subscribed to everything, including commitments tracked later.")))
    if muted:
        lines.append("<b>" + esc(ctx._("Muted (/subscribe ID hears them again):")) + "</b>")
        lines += [f"🔕 <b>#{number}</b> {esc(short(name))}" for number, name in muted]
    if items:
        lines.append("<b>" + esc(ctx._("Subscribed commitments:")) + "</b>")
        lines += [f"• <b>#{number}</b> {esc(short(name))}" for number, name in items]
    if not lines:
        lines.append(
            esc(ctx._("This chat has no subscriptions."))
            + " "
            + ctx._("Use {command} to get alerts.").format(command="<code>/subscribe</code>")
        )
    return "\n".join(lines)


# --- settings ----------------------------------------------------------------------------------------------------


def _quiet(start: time | None, end: time | None, ctx: Ctx) -> str:
    if start is None or end is None:
        return ctx._("off")
    return f"{ctx.time(start)}–{ctx.time(end)}"


def _language_label(code: str, ctx: Ctx) -> str:
    return {"en": "English", "de": "Deutsch"}.get(code, code)


def settings_view(chat: ChatView, ctx: Ctx) -> str:
    """The chat's settings and how to change them, by button or typed."""
    lines = [
        "<b>" + esc(ctx._("Settings")) + "</b>",
        field_line(ctx._("Language:"), esc(_language_label(chat.language, ctx))),
        field_line(ctx._("Time zone:"), esc(chat.timezone)),
        field_line(ctx._("Quiet hours:"), esc(_quiet(chat.quiet_start, chat.quiet_end, ctx))),
        "",
        esc(ctx._("Alerts during quiet hours arrive without sound.")),
        esc(ctx._("Change them with the buttons below, or type:")),
        "<code>/settings timezone Europe/Berlin</code>",
        "<code>/settings language de</code>",
        "<code>/settings quiet 22:00-07:00</code>",
        "<code>/settings quiet off</code>",
    ]
    return "\n".join(lines)


def setting_changed(name: str, value: str, ctx: Ctx) -> str:
    """Confirmation that one setting changed (name: language | timezone | quiet)."""
    if name == "language":
        return "✅ " + ctx._("Language set to <b>{value}</b>.").format(value=esc(_language_label(value, ctx)))
    if name == "timezone":
        return "✅ " + ctx._("Time zone set to <b>{value}</b>.").format(value=esc(value))
    if name == "quiet":
        if value.lower() == "off":
            return "✅ " + esc(ctx._("Quiet hours are off."))
        return "✅ " + ctx._("Quiet hours set to <b>{value}</b>.").format(value=esc(value))
    return "✅ " + ctx._("{name} set to <b>{value}</b>.").format(name=esc(name), value=esc(value))


_EXAMPLES = {
    "timezone": "<code>/settings timezone Europe/Berlin</code>",
    "language": "<code>/settings language de</code>",
    "quiet": "<code>/settings quiet 22:00-07:00</code>",
}


def bad_setting(name: str, value: str, reason: str, ctx: Ctx) -> str:
    """A refused setting, naming what was given and what would be accepted.

    ``reason`` as bot.parsing gives it: "unknown_setting" (``name`` is what was typed), "missing_value", or the
    setting whose value is invalid ("language", "timezone", "quiet"; "" means the same). Any other reason text is
    shown escaped after the explanation.
    """
    shown = esc(short(value, 64))
    if reason == "missing_value":
        example = _EXAMPLES.get(name) or ", ".join(_EXAMPLES.values())
        return "⚠ " + ctx._("Which value? For example: {example}").format(example=example)
    if reason == "unknown_setting" or name not in _EXAMPLES:
        return "⚠ " + ctx._("“{value}” is not a setting. Use {names}.").format(
            value=esc(short(name, 64)), names="<code>timezone</code>, <code>language</code>, <code>quiet</code>"
        )
    if name == "timezone":
        text = ctx._("“{value}” is not a time zone I know. Use an IANA name such as {example}.").format(
            value=shown, example="<code>Europe/Berlin</code>"
        )
    elif name == "language":
        text = ctx._("“{value}” is not a language I speak. Choose {en} or {de}.").format(
            value=shown, en="<code>en</code>", de="<code>de</code>"
        )
    else:
        text = ctx._("“{value}” is not a quiet-hours window. Write it as {example} or {off}.").format(
            value=shown, example="<code>22:00-07:00</code>", off="<code>off</code>"
        )
    if reason and reason != name:
        text += f" ({esc(short(reason, 200))})"
    return "⚠ " + text
