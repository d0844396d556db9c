"""Building blocks every message uses: escaping, shortening, the labels of states and kinds, party names and
titles, and the fields an editor may correct with their values in words."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from babel import Locale

from articles.entities import display_name
from bot.i18n import N_, Ctx
from tracking.model import UNCONFIRMED
from tracking.state import PEOPLE_KINDS

Item = Mapping[str, Any]


LIMIT = 4096
TITLE_WIDTH = 48
SOURCE_WIDTH = 36  # characters of a source's title in an alert
SCOPE_WIDTH = 40
NAME_WIDTH = 60  # party names in an alert (an article may name many, or one at great length)
# A state at a glance, in the lists of the bot and the command line alike.
ICONS = {
    "overdue": "‼",
    "due": "!",
    "active": "●",
    "upcoming": "◌",
    "proposed": "?",
    "fulfilled": "✓",
    "lapsed": "–",
}
STATES = {
    "proposed": N_("proposed"),
    "upcoming": N_("upcoming"),
    "active": N_("in force"),
    "lapsed": N_("lapsed"),
    "due": N_("due today"),
    "overdue": N_("overdue"),
    "fulfilled": N_("fulfilled"),
}
KINDS = {
    "ceasefire": N_("ceasefire"),
    "strike_halt": N_("strike halt"),
    "maritime_ceasefire": N_("maritime ceasefire"),
    "prisoner_exchange": N_("prisoner exchange"),
    "release": N_("release"),
    "withdrawal": N_("withdrawal"),
    "negotiations": N_("negotiations"),
    "other": N_("other commitment"),
}
REPORT_KINDS = {
    "violation": N_("violation"),
    "compliance": N_("compliance"),
    "fulfilment": N_("fulfilment"),
    "expiry": N_("expiry"),
    "extension": N_("extension"),
    "denial": N_("denial"),
    "reaction": N_("reaction"),
}
CONFLICT_KINDS = {
    "violation_in_force": N_("violation while in force"),
    "quantity_mismatch": N_("numbers disagree"),
    "date_disagreement": N_("dates disagree"),
    "claim_denied": N_("claim denied"),
    "corrected_by_editor": N_("source against an editor's correction"),
}


# --- building blocks -------------------------------------------------------------------------------------------


def esc(text: object) -> str:
    """Outside text made safe for HTML parse mode: <, > and & (this module never puts outside text in attributes)."""
    return html.escape(str(text), quote=False)


def short(text: str, width: int = TITLE_WIDTH) -> str:
    """Cut plain text to ``width`` characters with an ellipsis; cut before escaping so no entity is split."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def clipped(text: str, width: int) -> str:
    """Like :func:`short`, but cut after a whole word when one ends in the second half ("Putin agrees to…")."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space >= width // 2 else cut).rstrip(" ,;:–—-") + "…"


def state_label(state: str, ctx: Ctx) -> str:
    return ctx._(STATES[state]) if state in STATES else state


def kind_label(kind: str, ctx: Ctx) -> str:
    return ctx._(KINDS[kind]) if kind in KINDS else kind.replace("_", " ")


def report_kind_label(kind: str, ctx: Ctx) -> str:
    return ctx._(REPORT_KINDS[kind]) if kind in REPORT_KINDS else kind.replace("_", " ")


def conflict_kind_label(kind: str, ctx: Ctx) -> str:
    return ctx._(CONFLICT_KINDS[kind]) if kind in CONFLICT_KINDS else kind.replace("_", " ")


def party(name: str, ctx: Ctx) -> str:
    """A party's name in the reader's language, from the extractor's own table (plain text, not escaped)."""
    return display_name(name, ctx.language)


def parties(names: Sequence[str], ctx: Ctx) -> str:
    """Party names joined for a sentence, escaped."""
    if not names:
        return esc(ctx._("unnamed parties"))
    return esc(ctx.join([party(n, ctx) for n in names]))


def title(item: Item, ctx: Ctx) -> str:
    """A commitment's headline in the reader's language ("Russland: Angriffsstopp — …, 30 Tage"), plain text.

    Rebuilt from the same fields as tracking.state.title_of so German readers do not get an English headline; the
    scope stays as the source wrote it. An editor's own title (``headline``) is shown as written.
    """
    if item.get("headline"):
        return str(item["headline"])
    names = [party(n, ctx) for n in item.get("actors") or []]
    who = ", ".join(names) or ctx._("Unnamed parties")
    text = f"{who}: {kind_label(str(item.get('kind')), ctx)}"
    if item.get("scope"):
        text += f" — {item['scope']}"
    if item.get("duration_days") is not None:
        days = int(item["duration_days"])
        text += ", " + ctx.n_("{n} day", "{n} days", days).format(n=ctx.number(days))
    if item.get("quantity") is not None:
        count = int(item["quantity"])
        if item.get("kind") in PEOPLE_KINDS:
            text += ", " + ctx.n_("{n} person", "{n} people", count).format(n=ctx.number(count))
        else:
            text += f", {ctx.number(count)}"
    return text


# What a report logged with /report is titled as a source: no name. For journalists and NGO staff, a name shown to
# every group that reads /status is an operational-security problem; the Telegram user id is kept in the article's
# path for the audit (bot.commands.report). Titles stored before carried the name ("Report by Jane Doe via
# Telegram"); they read the same way, so no stored name reaches a reader either.
REPORT_TITLE = N_("Report by an editor via Telegram")
_NAMED_REPORT = re.compile(r"Report by .+ via Telegram")


def source_title(title: str, ctx: Ctx) -> str:
    """A source's title as readers see it: a /report's in their language and without its author's name."""
    return ctx._(REPORT_TITLE) if title == REPORT_TITLE or _NAMED_REPORT.fullmatch(title) else title


def language_name(code: str, ctx: Ctx) -> str:
    name: str = Locale.parse(ctx.language).languages.get(code, code)
    return name


def days_text(n: int, ctx: Ctx) -> str:
    return ctx.n_("{n} day", "{n} days", n).format(n=ctx.number(n))


FIELD_LABELS = {
    "start": N_("start"),
    "end": N_("end"),
    "due": N_("due date"),
    "duration": N_("duration"),
    "quantity": N_("number"),
    "parties": N_("parties"),
    "scope": N_("scope"),
    "kind": N_("kind"),
    "status": N_("status"),
    "title": N_("title"),
}
STATUS_LABELS = {
    "proposed": N_("proposed"),
    "agreed": N_("agreed"),
    "announced": N_("announced"),
    "in_force": N_("in force"),
}
EDIT_EXAMPLES = {
    "start": "2025-03-18",
    "end": "2025-04-16",
    "due": "2025-03-19 18:00 Europe/Moscow",
    "duration": "30 days",
    "quantity": "175",
    "parties": "Russia, Ukraine",
    "scope": "energy infrastructure",
    "kind": "strike_halt",
    "status": "in_force",
    "title": "Energy truce",
}
EVIDENCE_WIDTH = 400
REVIEW_SOURCES_MAX = 3


def field_label(field: str, ctx: Ctx) -> str:
    """An editable field's name in the reader's language (plain text)."""
    return ctx._(FIELD_LABELS[field]) if field in FIELD_LABELS else field


def edit_value(field: str, value: Any, ctx: Ctx) -> str:
    """A field's value as an edit stores it (ISO text, a number, a list), in words (plain text)."""
    if value is None or value == []:
        return ctx._("none")
    if field in ("start", "end", "due"):
        try:
            return ctx.when(str(value))
        except ValueError:
            return str(value)
    if field == "duration":
        return days_text(int(value), ctx)
    if field == "quantity":
        return ctx.number(int(value))
    if field == "parties":
        names = value if isinstance(value, list | tuple) else [value]
        return ctx.join([party(str(n), ctx) for n in names])
    if field == "kind":
        return kind_label(str(value), ctx)
    if field == "status":
        return ctx._(STATUS_LABELS[value]) if value in STATUS_LABELS else str(value)
    return f"“{short(str(value), 80)}”"


def review_mark(item: Item, ctx: Ctx) -> str:
    """ " · 🔎 unconfirmed" after a commitment only admins see (it waits for review); nothing otherwise."""
    return " · 🔎 " + esc(ctx._("unconfirmed")) if item.get("review") == UNCONFIRMED else ""


def named(number: int, name: str | None) -> str:
    return f"<b>#{number}</b>" + (f" {esc(short(name))}" if name else "")


def fields_list(ctx: Ctx) -> str:
    return ", ".join(f"<code>{field}</code>" for field in FIELD_LABELS)


def field_line(label: str, value: str) -> str:
    """A labelled line; ``value`` must already be escaped."""
    return f"<b>{esc(label)}</b> {value}"


def usage_lines(rows: Sequence[tuple[str, str]]) -> list[str]:
    """How to write commands, a line each: the command as code, then what it does."""
    return [f"<code>{esc(usage)}</code> — {esc(text)}" for usage, text in rows]
