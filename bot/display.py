"""Every piece of text the bot sends, as Telegram HTML, in the chat's language and time zone.

Handlers only pick a function here and send what it returns, so wording, escaping and the 4096-character limit are
decided in one place. Anything that came from an article or a user passes through :func:`esc` before it meets
markup; only this module writes tags.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time
from typing import Any, Literal

from babel import Locale
from babel.lists import format_list

from articles.entities import display_name
from articles.model import Moment, iso
from bot.i18n import N_, Ctx
from schedules.plan import Milestone
from storage.chats import ChatView
from storage.edits import EditError, EditView
from storage.edits import Outcome as EditOutcome
from storage.edits import Queue as EditQueue
from storage.feeds import FeedView
from storage.loader import LoadOutcome
from tracking.conflicts import ConflictFacts
from tracking.model import UNCONFIRMED, ConflictView, ReportView, Tracked

Item = Mapping[str, Any]

LIMIT = 4096
TITLE_WIDTH = 48
# Most urgent first: what needs attention today, then what runs, then what is settled (as app/render.py).
URGENCY = {"overdue": 0, "due": 1, "active": 2, "upcoming": 3, "proposed": 4, "fulfilled": 5, "lapsed": 6}
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
_PEOPLE_KINDS = frozenset({"prisoner_exchange", "release"})


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
        if item.get("kind") in _PEOPLE_KINDS:
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


def _language_name(code: str, ctx: Ctx) -> str:
    name: str = Locale.parse(ctx.language).languages.get(code, code)
    return name


def _days(n: int, ctx: Ctx) -> str:
    return ctx.n_("{n} day", "{n} days", n).format(n=ctx.number(n))


# --- split and plain ---------------------------------------------------------------------------------------------

# Atoms a cut may never go through: a whole tag, a whole entity, or one character.
_ATOM = re.compile(r"<[^<>]*>|&#?[A-Za-z0-9]+;|[^<&]|[<&]", re.DOTALL)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>")


def _step(stack: tuple[tuple[str, str], ...], atom: str) -> tuple[tuple[str, str], ...]:
    """The open tags after ``atom``: (name, opening text) pairs, innermost last."""
    match = _TAG.fullmatch(atom)
    if not match:
        return stack
    closing, name, self_closing = match.groups()
    name = name.lower()
    if self_closing:
        return stack
    if not closing:
        return (*stack, (name, atom))
    for index in range(len(stack) - 1, -1, -1):
        if stack[index][0] == name:
            return stack[:index]
    return stack


def _closers(stack: tuple[tuple[str, str], ...]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _split_line(line: str, limit: int) -> list[str]:
    """One overlong line in pieces ≤ ``limit``: cut after a space when there is one, never inside a tag or an
    entity; tags still open at a cut are closed there and reopened in the next piece, so each piece is valid."""
    atoms = _ATOM.findall(line)
    pieces: list[str] = []
    start = 0
    stack: tuple[tuple[str, str], ...] = ()
    while start < len(atoms):
        prefix = "".join(opening for _, opening in stack)
        length = len(prefix)
        current = stack
        index = start
        space: tuple[int, tuple[tuple[str, str], ...]] | None = None
        while index < len(atoms):
            atom = atoms[index]
            after = _step(current, atom)
            if length + len(atom) + len(_closers(after)) > limit:
                break
            length += len(atom)
            current = after
            index += 1
            if atom.isspace():
                space = (index, current)
        if index >= len(atoms):
            pieces.append(prefix + "".join(atoms[start:]))
            break
        cut, at_cut = space if space is not None else (index, current)
        if cut <= start:
            raise ValueError(f"cannot split a line into pieces of {limit} characters")
        pieces.append(prefix + "".join(atoms[start:cut]) + _closers(at_cut))
        start, stack = cut, at_cut
    return pieces


def split_html(text: str, limit: int = LIMIT) -> list[str]:
    """Messages of at most ``limit`` characters, cut at line breaks; a single overlong line is cut at a space.

    Joining the chunks with newlines gives the text back whenever no single line is longer than ``limit``.
    """
    if len(text) <= limit:
        return [text] if text else []
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        if len(line) > limit:
            if current:
                chunks.append("\n".join(current))
                current, size = [], 0
            chunks.extend(_split_line(line, limit))
            continue
        extra = len(line) + (1 if current else 0)
        if current and size + extra > limit:
            chunks.append("\n".join(current))
            current, size = [line], len(line)
        else:
            current.append(line)
            size += extra
    if current:
        chunks.append("\n".join(current))
    return chunks


def to_plain(text: str) -> str:
    """What a reader sees: tags removed, entities turned back into characters (for the terminal chat)."""
    return html.unescape(re.sub(r"<[^<>]*>", "", text))


POPUP_MAX = 200  # Telegram refuses a button's pop-up (answerCallbackQuery text) longer than this


def popup(text: str | None) -> str | None:
    """A reply as a button's pop-up: plain text cut to Telegram's 200 characters (a long title made the answer
    fail although the subscription was saved); None for no pop-up."""
    return short(to_plain(text), POPUP_MAX) if text else None


# --- status ------------------------------------------------------------------------------------------------------


def ordered(items: Sequence[Item]) -> list[Item]:
    """Most urgent first, then fewest days left, then by id — the terminal's order."""

    def key(item: Item) -> tuple[int, int, int]:
        left = item.get("days_left")
        return (URGENCY.get(item["state"], 9), left if isinstance(left, int) else 10**6, int(item["id"]))

    return sorted(items, key=key)


def progress(item: Item, ctx: Ctx) -> str:
    """Where a commitment stands on its own calendar, in one phrase (plain text); a time shows only when the source
    gave one, as in the terminal."""
    state = item["state"]
    if state == "active":
        if item.get("end") is None:
            if item.get("start"):
                return ctx._("in force since {date}").format(date=ctx.when(item["start"]))
            return ctx._("in force")
        parts = []
        if item.get("days_elapsed") is not None and item.get("duration_days"):
            parts.append(
                ctx._("day {n} of {total}").format(
                    n=ctx.number(item["days_elapsed"] + 1), total=ctx.number(item["duration_days"])
                )
            )
        if item.get("days_left") is not None:
            left = int(item["days_left"])
            parts.append(ctx.n_("{n} day left", "{n} days left", left).format(n=ctx.number(left)))
        parts.append(ctx._("ends {date}").format(date=ctx.when(item["end"])))
        return " · ".join(parts)
    if state == "upcoming":
        if item.get("due"):
            return ctx._("due {date}").format(date=ctx.when(item["due"]))
        if item.get("start"):
            return ctx._("starts {date}").format(date=ctx.when(item["start"]))
        return ctx._("no date announced yet")
    if state == "due":
        return ctx._("due today ({date})").format(date=ctx.when(item["due"]))
    if state == "overdue":
        return ctx._("due {date} · overdue").format(date=ctx.when(item["due"]))
    if state == "fulfilled":
        dates = [r["date"] for r in item.get("reports") or [] if r["kind"] == "fulfilment" and r["date"]]
        return ctx._("fulfilled {date}").format(date=ctx.when(dates[-1])) if dates else ctx._("fulfilled")
    if state == "lapsed":
        return ctx._("ended {date}").format(date=ctx.when(item["end"])) if item.get("end") else ctx._("lapsed")
    conditions = len(item.get("conditions") or [])
    if conditions:
        return ctx.n_("proposed · {n} condition", "proposed · {n} conditions", conditions).format(
            n=ctx.number(conditions)
        )
    return ctx._("proposed")


def _conflict_mark(item: Item) -> str:
    count = len(item.get("conflicts") or [])
    return f" ⚠ {count}" if count else ""


def status_line(item: Item, ctx: Ctx) -> str:
    """One commitment in the list: icon, number, short title, progress, conflicts."""
    return (
        f"{ICONS.get(item['state'], '·')} <b>#{item['id']}</b> {esc(short(title(item, ctx)))}\n"
        f"    {esc(progress(item, ctx))}{_conflict_mark(item)}{_review_mark(item, ctx)}"
    )


def status_page(items: Sequence[Item], *, page: int, pages: int, total: int, ctx: Ctx) -> str:
    """One page of the list (``items`` are this page's, already ordered; ``page`` counts from 0)."""
    if total == 0:
        return nothing_tracked(ctx)
    header = ctx.n_("<b>{n} commitment</b>", "<b>{n} commitments</b>", total).format(n=ctx.number(total))
    if pages > 1:
        header += " · " + ctx._("page {page}/{pages}").format(page=page + 1, pages=pages)
    return "\n".join([header, "", *(status_line(item, ctx) for item in items)])


# --- detail ------------------------------------------------------------------------------------------------------


def _heading(template: str, n: int, ctx: Ctx) -> str:
    return "<b>" + esc(template.format(n=ctx.number(n))) + "</b>"


def _field(label: str, value: str) -> str:
    """A labelled line; ``value`` must already be escaped."""
    return f"<b>{esc(label)}</b> {value}"


def _report_line(report: Item, ctx: Ctx) -> str:
    day = esc(ctx.date(report["date"])) if report.get("date") else esc(ctx._("undated"))
    parts = [f"<b>{esc(report_kind_label(report['kind'], ctx))}</b>"]
    if report.get("claimed_by"):
        parts.append(esc(ctx._("claimed by {party}").format(party=party(report["claimed_by"], ctx))))
    if report.get("accused"):
        parts.append(
            esc(ctx._("against {parties}").format(parties=ctx.join([party(a, ctx) for a in report["accused"]])))
        )
    if report.get("quantity") is not None:
        parts.append(esc(ctx._("number: {n}").format(n=ctx.number(report["quantity"]))))
    source = f" — <i>{esc(source_title(report['source'], ctx))}</i>" if report.get("source") else ""
    return f"• {day}: {', '.join(parts)}{source}"


def _who(name: str | None, ctx: Ctx) -> str:
    return esc(party(name, ctx)) if name else esc(ctx._("A source"))


def _sentence(text: str) -> str:
    """One full stop at the end even when the sentence ends in an abbreviated date ("bis zum Do., 17. Apr.")."""
    return text[:-1] if text.endswith("..") else text


def _first(reports: Sequence[Item], *kinds: str) -> Item | None:
    return next((r for r in reports if r.get("kind") in kinds), None)


def conflict_sentence(conflict: Item, item: Item, ctx: Ctx) -> str:
    """A conflict in plain words in the reader's language, from its kind, reports and the commitment's own dates.

    The stored English summary is used (escaped) only for a kind this module does not know or when the reports
    it rests on are missing.
    """
    kind = conflict.get("kind")
    reports = conflict.get("reports") or []
    if kind == "violation_in_force":
        claim = _first(reports, "violation")
        if claim is not None and claim.get("date"):
            sentence = ctx._(
                "{claimant} accuses {accused} of a violation on {date}, while the commitment was in force."
            )
            text = sentence.format(
                claimant=_who(claim.get("claimed_by"), ctx),
                accused=parties(claim.get("accused") or [], ctx),
                date=esc(ctx.date(claim["date"])),
            )
            if item.get("start") and item.get("end"):
                period = ctx._("It ran from {start} to {end}.")
                text += " " + esc(_sentence(period.format(start=ctx.date(item["start"]), end=ctx.date(item["end"]))))
            elif item.get("start"):
                since = ctx._("It has been in force since {start}.").format(start=ctx.date(item["start"]))
                text += " " + esc(_sentence(since))
            return text
    if kind == "quantity_mismatch":
        claim = _first(reports, "fulfilment")
        if claim is not None and claim.get("quantity") is not None and item.get("quantity") is not None:
            values = {"promised": ctx.number(item["quantity"]), "delivered": ctx.number(claim["quantity"])}
            if claim.get("date"):
                sentence = ctx._("{promised} were promised, but a report of {date} says {delivered} were handed over.")
                return esc(sentence.format(date=ctx.date(claim["date"]), **values))
            return esc(
                ctx._("{promised} were promised, but a report says {delivered} were handed over.").format(**values)
            )
    if kind == "date_disagreement":
        return esc(ctx._("The sources do not agree on the dates."))
    if kind == "corrected_by_editor" and conflict.get("field") and conflict.get("said") is not None:
        named = [s["title"] for s in conflict.get("sources") or [] if s.get("title")]
        text = ctx._("{source} gives {said} for the {field}; an editor corrected it to {corrected}.").format(
            source=f"“{short(named[0], SOURCE_WIDTH)}”" if named else ctx._("A source"),
            said=edit_value(str(conflict["field"]), conflict["said"], ctx),
            field=field_label(str(conflict["field"]), ctx),
            corrected=edit_value(str(conflict["field"]), conflict.get("corrected"), ctx),
        )
        return esc(text)
    if kind == "claim_denied":
        claim = _first(reports, "violation", "fulfilment")
        denial = _first(reports, "denial")
        if claim is not None and denial is not None:
            values = {"claimant": _who(claim.get("claimed_by"), ctx), "denier": _who(denial.get("claimed_by"), ctx)}
            if claim["kind"] == "violation":
                values["accused"] = parties(claim.get("accused") or [], ctx)
                if claim.get("date"):
                    sentence = ctx._("{claimant} reports a violation by {accused} on {date}; {denier} denies it.")
                    return sentence.format(date=esc(ctx.date(claim["date"])), **values)
                return ctx._("{claimant} reports a violation by {accused}; {denier} denies it.").format(**values)
            if claim.get("date"):
                sentence = ctx._("{claimant} reports it fulfilled on {date}; {denier} denies it.")
                return sentence.format(date=esc(ctx.date(claim["date"])), **values)
            return ctx._("{claimant} reports it fulfilled; {denier} denies it.").format(**values)
    return esc(conflict.get("summary") or "")


def _conflict_lines(conflict: Item, item: Item, ctx: Ctx) -> list[str]:
    label = conflict_kind_label(str(conflict.get("kind")), ctx)
    lines = [f"⚠ <b>{esc(label)}:</b> {conflict_sentence(conflict, item, ctx)}"]
    titles = list(dict.fromkeys(source_title(s["title"], ctx) for s in conflict.get("sources") or [] if s.get("title")))
    if titles:
        lines.append("    " + esc(ctx._("Sources:")) + " " + "; ".join(f"<i>{esc(t)}</i>" for t in titles))
    return lines


def milestone_phrase(m: Milestone, ctx: Ctx) -> str:
    """What a milestone means, without its date ("3 days before the end"); plain text."""
    days = m.days_before or 0
    if m.key == "start":
        return ctx._("comes into force")
    if m.key == "halfway":
        return ctx._("halfway through")
    if m.key == "before_end":
        return ctx.n_("{n} day before the end", "{n} days before the end", days).format(n=ctx.number(days))
    if m.key == "end":
        return ctx._("ends — an extension was reported") if m.extended else ctx._("lapses — no extension reported")
    if m.key == "due_before":
        return ctx.n_("due in {n} day", "due in {n} days", days).format(n=ctx.number(days))
    if m.key == "due":
        return ctx._("due today")
    if m.key == "overdue":
        return ctx._("overdue — no fulfilment reported")
    if m.delivered is not None and m.promised is not None and m.delivered != m.promised:
        return ctx._("fulfilled — {delivered} handed over, {promised} promised").format(
            delivered=ctx.number(m.delivered), promised=ctx.number(m.promised)
        )
    if m.delivered is not None:
        return ctx._("fulfilled — {delivered} handed over").format(delivered=ctx.number(m.delivered))
    return ctx._("fulfilled")


def status_detail(item: Item, *, next_milestone: Milestone | None, subscribed: bool, ctx: Ctx) -> list[str]:
    """Everything known about one commitment, in the order an analyst checks it; chunks of ≤ 4096 characters."""
    state = f"{ICONS.get(item['state'], '·')} {esc(state_label(item['state'], ctx))}"
    if item.get("disputed"):
        state += " · " + esc(ctx._("disputed"))
    lines = [f"<b>#{item['id']} {esc(title(item, ctx))}</b>", f"{state} — {esc(progress(item, ctx))}", ""]
    if item.get("review") == UNCONFIRMED:
        waiting = ctx._("unconfirmed") + " — " + ctx._("only admins see it until it is confirmed")
        lines.insert(1, "🔎 " + esc(waiting))
    lines.append(_field(ctx._("Kind:"), esc(kind_label(item["kind"], ctx))))
    lines.append(_field(ctx._("Parties:"), parties(item.get("actors") or [], ctx)))
    if item.get("scope"):
        lines.append(_field(ctx._("Scope:"), esc(item["scope"])))
    for condition in item.get("conditions") or []:
        lines.append(_field(ctx._("Condition:"), esc(condition)))
    for key, label in (("start", ctx._("Starts:")), ("end", ctx._("Ends:")), ("due", ctx._("Due:"))):
        if item.get(key):
            lines.append(_field(label, esc(ctx.when(item[key]))))
    if item.get("duration_days"):
        lines.append(_field(ctx._("Duration:"), esc(_days(int(item["duration_days"]), ctx))))
    if item.get("quantity") is not None:
        lines.append(_field(ctx._("Number:"), esc(ctx.number(item["quantity"]))))

    sources = item.get("sources") or []
    lines += ["", _heading(ctx._("Sources ({n})"), len(sources), ctx)]
    for source in sources:
        published = f" · {esc(ctx.when(source['published']))}" if source.get("published") else ""
        language = esc(_language_name(str(source.get("language")), ctx))
        lines.append(f"• <i>{esc(source_title(source['title'], ctx))}</i> · {language}{published}")
    reports = item.get("reports") or []
    if reports:
        lines += ["", _heading(ctx._("Reports ({n})"), len(reports), ctx)]
        lines += [_report_line(report, ctx) for report in reports]
    conflicts = item.get("conflicts") or []
    if conflicts:
        lines += ["", _heading(ctx._("Conflicts ({n})"), len(conflicts), ctx)]
        for conflict in conflicts:
            lines += _conflict_lines(conflict, item, ctx)

    lines.append("")
    if next_milestone is not None:
        upcoming = ctx._("Next: {milestone}, {date}").format(
            milestone=milestone_phrase(next_milestone, ctx), date=ctx.date(next_milestone.at)
        )
        lines.append("⏰ " + esc(upcoming))
    if subscribed:
        lines.append("🔔 " + esc(ctx._("This chat is subscribed to it.")))
    else:
        lines.append("🔕 " + esc(ctx._("This chat is not subscribed to it.")))
    return split_html("\n".join(lines))


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


def help_text(ctx: Ctx, *, admin: bool) -> str:
    """Every command with one line each; the admin commands only for admins."""
    lines = ["<b>" + esc(ctx._("Commands")) + "</b>"]
    lines += [f"<code>{esc(usage)}</code> — {esc(text)}" for _name, usage, text in _command_rows(ctx)]
    if admin:
        lines += ["", "<b>" + esc(ctx._("For admins")) + "</b>"]
        rows = [
            ("/report ID text", ctx._("log a report on a commitment")),
            (".txt", ctx._("send an article as a text file to load it")),
            ("/load URL", ctx._("load a web page as an article (or just send its link, or forward a channel post)")),
            ("/feeds", ctx._("RSS and Atom feeds: add, list, pause, remove")),
            ("/health", ctx._("alert delivery: pending, sent, failed, paused chats, last error")),
            ("/edit ID [FIELD VALUE] [— reason]", ctx._("correct a field; without one, pick it from buttons")),
            ("/merge ID INTO_ID", ctx._("make two commitments one")),
            ("/retract ID|report N [reason]", ctx._("withdraw a commitment or a report")),
            ("/history ID", ctx._("who changed what, newest first")),
            ("/review", ctx._("what waits for review")),
        ]
        lines += [f"<code>{esc(command)}</code> — {esc(text)}" for command, text in rows]
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
        _field(ctx._("Language:"), esc(_language_label(chat.language, ctx))),
        _field(ctx._("Time zone:"), esc(chat.timezone)),
        _field(ctx._("Quiet hours:"), esc(_quiet(chat.quiet_start, chat.quiet_end, ctx))),
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


# --- loading and reports (admins) --------------------------------------------------------------------------------


def _ref(number: int, name: str) -> str:
    return f"<b>#{number}</b> {esc(short(name))}"


def _stored_conflict(conflict: ConflictView, ctx: Ctx) -> str:
    """A conflict as stored (no report details at hand): its kind in the reader's language and the summary."""
    summary = conflict.summary if len(conflict.summary) <= 600 else conflict.summary[:599] + "…"
    return f"⚠ <b>{esc(conflict_kind_label(conflict.kind, ctx))}:</b> {esc(summary)}"


def load_result(outcome: LoadOutcome, ctx: Ctx, *, dated_by: Moment | None = None, by_post: bool = False) -> list[str]:
    """What loading one article did: created, merged, linked, conflicts — or that it was already known.

    ``dated_by``: the page showed no publication date and was dated by the message that brought it (``by_post``:
    by the channel post that was forwarded).
    """
    head = "📄 <b>" + esc(outcome.title) + "</b>"
    if outcome.duplicate:
        return split_html(f"{head}\n" + esc(ctx._("This article was loaded before; nothing changed.")))
    lines = [head]
    if dated_by is not None:
        note = ctx._("The page shows no publication date, so it is dated by your message: {when}.")
        if by_post:
            note = ctx._("The post shows no publication date, so it is dated by the post: {when}.")
        lines.append("🕓 " + esc(note.format(when=ctx.datetime(dated_by))))
    if outcome.created:
        lines.append("<b>" + esc(ctx._("New commitments:")) + "</b>")
        lines += ["➕ " + _ref(ref.id, ref.title) for ref in outcome.created]
    if outcome.merged:
        lines.append("<b>" + esc(ctx._("Added as a source to:")) + "</b>")
        lines += ["🔗 " + _ref(ref.id, ref.title) for ref in outcome.merged]
    if outcome.linked:
        numbers = sorted({commitment for _, commitment in outcome.linked})
        linked = ctx.n_("{n} report linked to {ids}.", "{n} reports linked to {ids}.", len(outcome.linked))
        lines.append(
            "📌 " + esc(linked.format(n=ctx.number(len(outcome.linked)), ids=ctx.join([f"#{i}" for i in numbers])))
        )
    if outcome.unlinked:
        count = len(outcome.unlinked)
        unlinked = ctx.n_("{n} report matched no commitment.", "{n} reports matched no commitment.", count).format(
            n=ctx.number(count)
        )
        lines.append("❔ " + esc(unlinked))
    if outcome.conflicts:
        lines.append("<b>" + esc(ctx._("New conflicts:")) + "</b>")
        lines += [_stored_conflict(conflict, ctx) for conflict in outcome.conflicts]
    if len(lines) == 1:
        lines.append(esc(ctx._("Loaded, but it names no commitment and no report I can track.")))
    return split_html("\n".join(lines))


def report_result(conflicts: Sequence[ConflictView] | LoadOutcome, ctx: Ctx) -> str:
    """The answer to /report: logged, and which conflicts it raised (the first ten; the rest counted).

    Takes the conflicts, or the whole outcome of loading the report.
    """
    found = conflicts.conflicts if isinstance(conflicts, LoadOutcome) else list(conflicts)
    lines = ["✅ " + esc(ctx._("Report logged."))]
    if not found:
        lines.append(esc(ctx._("It raised no conflict.")))
        return "\n".join(lines)
    count = len(found)
    lines.append(esc(ctx.n_("It raised {n} conflict:", "It raised {n} conflicts:", count).format(n=ctx.number(count))))
    lines += [_stored_conflict(conflict, ctx) for conflict in found[:10]]
    if count > 10:
        lines.append(esc(ctx._("… and {n} more.").format(n=ctx.number(count - 10))))
    return "\n".join(lines)


def report_usage(ctx: Ctx) -> str:
    """/report without a valid number or text: how to write it."""
    return ctx._("Write it as {usage}, for example {example}.").format(
        usage="<code>/report ID text</code>",
        example="<code>/report 12 " + esc(ctx._("Ukraine accuses Russia of shelling Kherson on 19 March")) + "</code>",
    )


def report_not_understood(ctx: Ctx) -> str:
    """/report text in which no claim (violation, fulfilment, denial, …) could be recognised; nothing was stored."""
    return esc(
        ctx._(
            "I could not find a report in that text: who claims what (a violation, a fulfilment, a denial) and "
            "when. Nothing was stored."
        )
    )


def bad_article(reason: str, ctx: Ctx) -> str:
    return "⚠ " + ctx._("I could not load this file: {reason}").format(reason=esc(short(reason, 300)))


def extraction_too_slow(name: str, seconds: float, ctx: Ctx) -> str:
    """An upload whose extraction ran past the time limit: nothing was loaded, and the bot carries on."""
    text = ctx._("I stopped reading {name} after {seconds} seconds: nothing was loaded. Is it really one article?")
    return "⚠ " + text.format(name=esc(short(name, 100)), seconds=f"{seconds:g}")


# --- refusals and errors -----------------------------------------------------------------------------------------


def not_admin(ctx: Ctx) -> str:
    return esc(ctx._("Sorry, only the bot's administrators can do that. Nothing was changed."))


def not_chat_admin(ctx: Ctx) -> str:
    return esc(ctx._("Sorry, only this group's administrators can change its subscriptions and settings."))


def unknown_command(ctx: Ctx) -> str:
    return (
        esc(ctx._("I don't know that command.")) + " " + ctx._("Send {help} to see what I can do.").format(help="/help")
    )


def unknown_id(raw: str, ctx: Ctx) -> str:
    """A number that names no commitment, or text that is not a number at all."""
    cleaned = raw.strip().lstrip("#")
    if cleaned.isdecimal() and cleaned.isascii():
        text = ctx._("There is no commitment #{id}.").format(id=esc(short(cleaned, 20)))
    else:
        text = ctx._("“{raw}” is not a commitment number.").format(raw=esc(short(raw, 40)))
    return text + " " + ctx._("Send {status} to see them all.").format(status="/status")


def apology(ctx: Ctx) -> str:
    return esc(ctx._("Sorry, something went wrong on my side. Please try again in a moment."))


def nothing_tracked(ctx: Ctx) -> str:
    return esc(ctx._("Nothing is tracked yet. Commitments appear here once articles are loaded."))


def try_again(seconds: int, ctx: Ctx) -> str:
    """Past a user's budget of charts, calendars or uploads (bot.access.Throttle): when they may ask again."""
    return "⏳ " + esc(
        ctx.n_(
            "One moment, please: that takes a while to make. Try again in {n} second.",
            "One moment, please: that takes a while to make. Try again in {n} seconds.",
            seconds,
        ).format(n=ctx.number(seconds))
    )


def stale_button(ctx: Ctx) -> str:
    return esc(ctx._("This button is out of date. Send /status for a fresh list."))


def timeline_caption(ctx: Ctx) -> str:
    return esc(ctx._("Timeline of all commitments, dates in {zone}.").format(zone=str(ctx.tz)))


def calendar_caption(ctx: Ctx) -> str:
    return esc(ctx._("Calendar file: open it to add the dates to your calendar."))


# --- feeds and links (admins) ------------------------------------------------------------------------------------
#
# Feeds an admin added (/feeds), links and forwarded posts loaded like a .txt, and the two notices the poller
# sends the admins about a feed that keeps failing. Feed titles, URLs and error details come from outside: escaped.

FETCH_REASONS = {
    "bad_url": N_("that is not an http or https address"),
    "blocked_address": N_("it points to a private or local address, which I do not fetch"),
    "dns": N_("its host name does not resolve"),
    "connect": N_("the server cannot be reached"),
    "timeout": N_("the server took too long to answer"),
    "http_status": N_("the server answered with an error"),
    "too_large": N_("the answer is larger than 5 MB"),
    "redirects": N_("it redirects too many times"),
    "content_type": N_("the answer is neither HTML nor XML"),
    "broken_xml": N_("its XML is broken"),
    "not_feed": N_("it is not an RSS or Atom feed"),
    "not_article": N_("no article could be read from the page"),
}
FEED_TITLE_WIDTH = 60
URL_WIDTH = 90


def fetch_reason(kind: str | None, detail: str | None, ctx: Ctx) -> str:
    """Why a feed or link failed, in the reader's language, with the technical detail in brackets (escaped)."""
    text = esc(ctx._(FETCH_REASONS[kind])) if kind in FETCH_REASONS else esc(kind or ctx._("unknown error"))
    return text + (f" ({esc(short(detail, 200))})" if detail else "")


def interval_text(interval: dt.timedelta, ctx: Ctx) -> str:
    """ "every 15 min" / "every 2 h" / "every 1 h 30 min" — how often a feed is polled."""
    minutes = int(interval.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return ctx._("every {hours} h {minutes} min").format(hours=ctx.number(hours), minutes=ctx.number(rest))
    if hours:
        return ctx._("every {hours} h").format(hours=ctx.number(hours))
    return ctx._("every {minutes} min").format(minutes=ctx.number(minutes))


def _feed_name(feed: FeedView) -> str:
    return esc(short(feed.title or feed.url, FEED_TITLE_WIDTH))


def _feed_ref(feed: FeedView) -> str:
    return f"<b>#{feed.id}</b> {_feed_name(feed)}"


def feed_entry(feed: FeedView, ctx: Ctx) -> str:
    """One feed in /feeds: name, address and pace; last poll, last new item, articles; its error, if failing."""
    state = "⏸ " + esc(ctx._("paused")) if feed.paused else esc(interval_text(feed.interval, ctx))
    lines = [f"📡 {_feed_ref(feed)} · {state}", f"<code>{esc(short(feed.url, URL_WIDTH))}</code>"]
    never = ctx._("never")
    polled = ctx.datetime(feed.last_polled_at) if feed.last_polled_at else never
    new = ctx.datetime(feed.last_new_item_at) if feed.last_new_item_at else never
    loaded = ctx.n_("{n} article", "{n} articles", feed.loaded).format(n=ctx.number(feed.loaded))
    lines.append(
        esc(
            ctx._("Last poll: {polled} · last new item: {new} · {loaded}").format(polled=polled, new=new, loaded=loaded)
        )
    )
    if feed.failures:
        failed = ctx.n_("{n} failure in a row", "{n} failures in a row", feed.failures).format(
            n=ctx.number(feed.failures)
        )
        retry = ctx._("next try {when}").format(when=ctx.datetime(feed.next_poll_at))
        lines.append(f"⚠ {esc(failed)}: {fetch_reason(feed.last_error_kind, feed.last_error, ctx)} · {esc(retry)}")
    return "\n".join(lines)


def feeds_list(feeds: Sequence[FeedView], ctx: Ctx) -> list[str]:
    """/feeds: every feed, or how to add the first one."""
    if not feeds:
        return [esc(ctx._("No feeds yet.")) + " " + feeds_usage(ctx)]
    head = "<b>" + esc(ctx.n_("{n} feed", "{n} feeds", len(feeds)).format(n=ctx.number(len(feeds)))) + "</b>"
    return split_html("\n\n".join([head, *(feed_entry(feed, ctx) for feed in feeds)]))


def feeds_usage(ctx: Ctx) -> str:
    """How to write the /feeds commands."""
    rows = [
        ("/feeds", ctx._("the feeds, their last poll and errors")),
        ("/feeds add URL [every 15m]", ctx._("add a feed (RSS or Atom), polled every 15 minutes unless told")),
        ("/feeds pause ID", ctx._("stop polling it for now")),
        ("/feeds resume ID", ctx._("poll it again")),
        ("/feeds remove ID", ctx._("stop tracking it (what it loaded stays)")),
    ]
    return "\n".join(f"<code>{esc(usage)}</code> — {esc(text)}" for usage, text in rows)


def feed_added(feed: FeedView, items: int, ctx: Ctx) -> str:
    """A feed was checked and added; it is polled at once."""
    found = ctx.n_("{n} item in it now", "{n} items in it now", items).format(n=ctx.number(items))
    return "✅ " + ctx._("Feed {feed} added: {found}, polled {every}. New items load as they come.").format(
        feed=_feed_ref(feed), found=esc(found), every=esc(interval_text(feed.interval, ctx))
    )


def feed_exists(feed: FeedView, ctx: Ctx) -> str:
    return "📡 " + ctx._("That feed is tracked already: {feed}.").format(feed=_feed_ref(feed))


def feed_offer(url: str, titles: Sequence[str], ctx: Ctx) -> str:
    """An HTML page that links feeds: the buttons below add one of them."""
    lines = [
        "🔎 "
        + ctx.n_(
            "{url} is a web page, not a feed. It links {n} feed; tap it to add it:",
            "{url} is a web page, not a feed. It links {n} feeds; tap one to add it:",
            len(titles),
        ).format(url=f"<code>{esc(short(url, URL_WIDTH))}</code>", n=ctx.number(len(titles)))
    ]
    lines += [f"• {esc(short(title, URL_WIDTH))}" for title in titles]
    return "\n".join(lines)


def feed_not_found(url: str, ctx: Ctx) -> str:
    """An HTML page that links no feed."""
    return "⚠ " + ctx._(
        "{url} is a web page, not a feed, and it links no feed. Send the feed's own address (it often ends in "
        "/feed, /rss or .xml); to load this page as an article, send it as a message or with {load}."
    ).format(url=f"<code>{esc(short(url, URL_WIDTH))}</code>", load="<code>/load URL</code>")


def feed_refused(url: str, kind: str, detail: str | None, ctx: Ctx) -> str:
    """A feed URL that could not be added; nothing was stored."""
    return "⚠ " + ctx._("I could not add {url}: {reason}. Nothing was stored.").format(
        url=f"<code>{esc(short(url, URL_WIDTH))}</code>", reason=fetch_reason(kind, detail, ctx)
    )


def feed_interval_refused(text: str, ctx: Ctx) -> str:
    return "⚠ " + ctx._(
        "“{value}” is not an interval I can poll at. Write it like {example}, from 1 minute to 1 day."
    ).format(value=esc(short(text, 40)), example="<code>every 15m</code>, <code>every 2h</code>")


def feed_removed(feed: FeedView, ctx: Ctx) -> str:
    return "🗑 " + ctx._("Feed {feed} removed. The articles it loaded stay.").format(feed=_feed_ref(feed))


def feed_paused(feed: FeedView, ctx: Ctx) -> str:
    return "⏸ " + ctx._("Feed {feed} paused. {resume} polls it again.").format(
        feed=_feed_ref(feed), resume=f"<code>/feeds resume {feed.id}</code>"
    )


def feed_resumed(feed: FeedView, ctx: Ctx) -> str:
    return "▶️ " + ctx._("Feed {feed} resumed; it is polled now.").format(feed=_feed_ref(feed))


def unknown_feed(raw: str, ctx: Ctx) -> str:
    return "⚠ " + ctx._("There is no feed {id}. Send {feeds} to see them all.").format(
        id=esc(short(raw, 20)), feeds="/feeds"
    )


def feed_failing(feed: FeedView, ctx: Ctx) -> str:
    """To the admins, once, when a feed has failed FAILURES_BEFORE_ALERT times in a row."""
    failed = ctx.n_("Feed {feed} failed {n} time in a row", "Feed {feed} failed {n} times in a row", feed.failures)
    return "\n".join(
        [
            "⚠ <b>" + failed.format(feed=_feed_ref(feed), n=esc(ctx.number(feed.failures))) + "</b>",
            fetch_reason(feed.last_error_kind, feed.last_error, ctx),
            esc(
                ctx._("I keep trying, less often: next try {when}. I will tell you when it works again.").format(
                    when=ctx.datetime(feed.next_poll_at)
                )
            ),
        ]
    )


def feed_recovered(feed: FeedView, ctx: Ctx) -> str:
    """To the admins, once, when a feed they were told was failing works again."""
    return "✅ " + ctx._("Feed {feed} works again.").format(feed=_feed_ref(feed))


def load_usage(ctx: Ctx) -> str:
    return ctx._("Write it as {usage}, for example {example}.").format(
        usage="<code>/load URL</code>", example="<code>/load https://example.com/news/truce</code>"
    )


def link_refused(url: str, kind: str, detail: str | None, ctx: Ctx) -> str:
    """A link that could not be fetched; nothing was stored."""
    return "⚠ " + ctx._("I could not load {url}: {reason}. Nothing was stored.").format(
        url=f"<code>{esc(short(url, URL_WIDTH))}</code>", reason=fetch_reason(kind, detail, ctx)
    )


def link_is_feed(url: str, ctx: Ctx) -> str:
    """A link that turned out to be a feed: it is added with /feeds add, not loaded as an article."""
    return "📡 " + ctx._("{url} is a feed, not an article. Add it with {command}.").format(
        url=f"<code>{esc(short(url, URL_WIDTH))}</code>", command=f"<code>/feeds add {esc(short(url, 200))}</code>"
    )


# --- alerts ---------------------------------------------------------------------------------------------------------
#
# An alert is read on a phone's lock screen first, so it is built in three lines: what happened, in plain words with
# a short date (the only bold line); the commitment and where it stands; the sources, at most three. Several alerts
# due in the same minute share one message, a blank line apart.

AlertMode = Literal["on_time", "late", "offline_summary"]
ALERT_LINES_MAX = 40  # an offline summary longer than this ends with a count and a pointer to /status
ALERT_SOURCES_MAX = 3
SOURCE_WIDTH = 36  # characters of a source's title in an alert
SCOPE_WIDTH = 40
NAME_WIDTH = 60  # party names in an alert (an article may name many, or one at great length)
SUMMARY_WIDTH = 300  # a stored English summary, shown only when the facts behind it are not at hand
# Telegram's limit for a photo's or a document's caption (the timeline and the calendar file carry one).
CAPTION_LIMIT = 1024

_DATE_FIELDS = {"start": N_("start"), "end": N_("end"), "due": N_("due date")}


@dataclass(frozen=True, slots=True)
class AlertSource:
    """An article an alert rests on: its title and, when known, its publication moment (ISO, as stored)."""

    title: str
    published: str | None = None


@dataclass(frozen=True, slots=True)
class AlertLine:
    """One alert resolved from the outbox: a milestone of a commitment, or a conflict newly logged against it.

    ``item`` always has the commitment's kind, actors, scope, duration_days and quantity (the outbox's snapshot);
    when the commitment could be looked up it is the status document's entry (tracking.status.commitment_json) at
    ``at``: dates, state and day count too, which the second line shows. ``facts`` are the conflict's facts
    (tracking.conflicts.conflict_facts); without them the stored English ``summary`` is shown instead.
    ``correction`` is an editor's correction told to chats that had alerts about it (storage.edits): its payload.
    """

    commitment_id: int
    item: Item
    at: dt.datetime
    milestone: Milestone | None = None
    conflict_kind: str | None = None
    facts: ConflictFacts | None = None
    summary: str | None = None
    sources: tuple[AlertSource, ...] = ()
    correction: Mapping[str, Any] | None = None


def _what(item: Item, ctx: Ctx, *, count: bool = True) -> str:
    """The commitment in a few words, with its length or head count: "strike halt (30 days)"."""
    text = kind_label(str(item.get("kind")), ctx)
    if item.get("duration_days"):
        return f"{text} ({_days(int(item['duration_days']), ctx)})"
    if count and item.get("quantity") is not None:
        return f"{text} ({_count(item, ctx)})"
    return text


def _count(item: Item, ctx: Ctx) -> str:
    n = int(item["quantity"])
    if item.get("kind") in _PEOPLE_KINDS:
        return ctx.n_("{n} person", "{n} people", n).format(n=ctx.number(n))
    return ctx.number(n)


def _later(at: dt.datetime, days: float, ctx: Ctx) -> dt.datetime:
    """``days`` after ``at`` on the reader's wall clock, as milestone plans count days (a DST switch moves no day)."""
    wall = at.astimezone(ctx.tz).replace(tzinfo=None) + dt.timedelta(days=days)
    return wall.replace(tzinfo=ctx.tz)


def _ends(item: Item, m: Milestone, ctx: Ctx) -> str | None:
    """When the period ends: as the source gave it, else reckoned from the milestone (a reminder ``n`` days before
    the end, or halfway through a known number of days); None when neither tells."""
    if item.get("end"):
        return ctx.when(item["end"])
    duration = item.get("duration_days")
    if m.key == "before_end" and m.days_before:
        return ctx.date(_later(m.at, m.days_before, ctx))
    if m.key == "halfway" and duration:
        return ctx.date(_later(m.at, duration / 2, ctx))
    if m.key == "start" and duration:
        return ctx.date(_later(m.at, duration, ctx))
    return None


def _dated(template: str, bare: str, ends: str | None, ctx: Ctx, **values: str) -> str:
    """``template`` filled in when the end is known (``{end}``), ``bare`` otherwise."""
    if ends is None:
        return ctx._(bare).format(**values)
    return ctx._(template).format(end=ends, **values)


def milestone_headline(m: Milestone, item: Item, ctx: Ctx) -> tuple[str, str]:
    """(icon, plain text) of a milestone alert's first line: "Halfway: strike halt (30 days) — ends Thu 17 Apr"."""
    what = _what(item, ctx)
    day = ctx.date(m.at)
    if m.key == "start":
        since = ctx.when(item["start"]) if item.get("start") else day
        text = _dated(
            N_("In force from {start}: {what} — ends {end}"), N_("In force from {start}: {what}"),
            _ends(item, m, ctx), ctx, start=since, what=what,
        )  # fmt: skip
        return "🟢", text
    if m.key == "halfway":
        return "⏳", _dated(
            N_("Halfway: {what} — ends {end}"), N_("Halfway: {what}"), _ends(item, m, ctx), ctx, what=what
        )
    if m.key == "before_end":
        n = m.days_before or 0
        ends = _ends(item, m, ctx) or day
        text = ctx.n_("{n} day left: {what} — ends {end}", "{n} days left: {what} — ends {end}", n)
        return "⏰", text.format(n=ctx.number(n), what=what, end=ends)
    if m.key == "end":
        ended = ctx.when(item["end"]) if item.get("end") else day
        if m.extended:
            return "🔁", ctx._("Ended {date}: {what} — an extension was reported").format(date=ended, what=what)
        return "🔚", ctx._("Lapsed {date}: {what} — no extension reported").format(date=ended, what=what)
    if m.key in ("due_before", "due"):
        n = m.days_before or 0
        due = ctx.when(item["due"]) if item.get("due") else ctx.date(_later(m.at, n, ctx))
        if m.key == "due":
            return "📅", ctx._("Due today, {date}: {what}").format(date=due, what=what)
        if n == 1:
            return "📅", ctx._("Due tomorrow, {date}: {what}").format(date=due, what=what)
        text = ctx.n_("Due in {n} day, {date}: {what}", "Due in {n} days, {date}: {what}", n)
        return "📅", text.format(n=ctx.number(n), date=due, what=what)
    if m.key == "overdue":
        if item.get("due"):
            text = ctx._("Overdue: {what} — was due {date}, no fulfilment reported")
            return "⚠", text.format(what=what, date=ctx.when(item["due"]))
        return "⚠", ctx._("Overdue: {what} — no fulfilment reported").format(what=what)
    bare = _what(item, ctx, count=False)
    if m.delivered is not None and m.promised is not None and m.delivered != m.promised:
        if m.delivered < m.promised:
            text = ctx._("Carried out {date}: {what} — {delivered} of {promised} handed over")
        else:
            text = ctx._("Carried out {date}: {what} — {delivered} handed over, {promised} promised")
        return "⚠", text.format(date=day, what=bare, delivered=ctx.number(m.delivered), promised=ctx.number(m.promised))
    if m.delivered is not None:
        text = ctx._("Carried out {date}: {what} — {delivered} handed over")
        return "✅", text.format(date=day, what=bare, delivered=ctx.number(m.delivered))
    return "✅", ctx._("Carried out {date}: {what}").format(date=day, what=bare)


def _or(words: Sequence[str], ctx: Ctx) -> str:
    """ "A or B" / "A oder B"."""
    joined: str = format_list(list(words), style="or", locale=ctx.language)
    return joined


def conflict_headline(kind: str, facts: ConflictFacts | None, item: Item, ctx: Ctx) -> str:
    """A conflict alert's first line in plain words (plain text): "Ukraine accuses Russia of a violation on Wed 19
    Mar — during the strike halt". Without its facts, only the kind of conflict."""
    label = kind_label(str(item.get("kind")), ctx)
    if facts is None:
        return ctx._("New conflict: {kind}").format(kind=conflict_kind_label(kind, ctx))
    claimant = clipped(party(facts.claimant, ctx), NAME_WIDTH) if facts.claimant else ctx._("A source")
    accused = clipped(ctx.join([party(a, ctx) for a in facts.accused]), NAME_WIDTH)
    day = ctx.date(facts.day) if facts.day is not None else None
    if kind == "violation_in_force":
        values = {"claimant": claimant, "accused": accused, "what": label}
        if accused and day:
            return ctx._("{claimant} accuses {accused} of a violation on {date} — during the {what}").format(
                date=day, **values
            )
        if accused:
            return ctx._("{claimant} accuses {accused} of a violation — during the {what}").format(**values)
        if day:
            return ctx._("{claimant} reports a violation on {date} — during the {what}").format(date=day, **values)
        return ctx._("{claimant} reports a violation — during the {what}").format(**values)
    if kind == "quantity_mismatch" and facts.delivered is not None and facts.promised is not None:
        counts = {"delivered": ctx.number(facts.delivered), "promised": ctx.number(facts.promised)}
        if facts.delivered < facts.promised:
            if day:
                return ctx._("Only {delivered} of {promised} handed over on {date}").format(date=day, **counts)
            return ctx._("Only {delivered} of {promised} handed over").format(**counts)
        if day:
            return ctx._("{delivered} handed over on {date}, {promised} promised").format(date=day, **counts)
        return ctx._("{delivered} handed over, {promised} promised").format(**counts)
    if kind == "date_disagreement" and facts.dates:
        fields = [
            f"{ctx._(_DATE_FIELDS.get(field, field))} {_or([ctx.date(d) for d in days], ctx)}"
            for field, days in facts.dates
        ]
        return ctx._("Sources disagree on the dates: {dates}").format(dates="; ".join(fields))
    if kind == "corrected_by_editor" and facts.field and facts.said is not None:
        return ctx._("A source says {said} for the {field}; corrected to {corrected} by an editor").format(
            said=edit_value(facts.field, facts.said, ctx),
            field=field_label(facts.field, ctx),
            corrected=edit_value(facts.field, facts.corrected, ctx),
        )
    if kind == "claim_denied":
        denier = clipped(party(facts.denier, ctx), NAME_WIDTH) if facts.denier else ctx._("A source")
        values = {"denier": denier, "claimant": claimant}
        if facts.claim == "violation":
            if day:
                return ctx._("{denier} denies a violation on {date} (claimed by {claimant})").format(date=day, **values)
            return ctx._("{denier} denies a violation (claimed by {claimant})").format(**values)
        if day:
            return ctx._("{denier} denies it was carried out on {date} (claimed by {claimant})").format(
                date=day, **values
            )
        return ctx._("{denier} denies it was carried out (claimed by {claimant})").format(**values)
    return ctx._("New conflict: {kind}").format(kind=conflict_kind_label(kind, ctx))


def _glance(item: Item, ctx: Ctx) -> str | None:
    """Where the commitment stands, in the fewest words ("day 2 of 30"); None when its state is not at hand."""
    state = item.get("state")
    if state is None:
        return None
    if state == "active":
        if item.get("days_elapsed") is not None and item.get("duration_days"):
            return ctx._("day {n} of {total}").format(
                n=ctx.number(int(item["days_elapsed"]) + 1), total=ctx.number(int(item["duration_days"]))
            )
        if item.get("end"):
            return ctx._("until {date}").format(date=ctx.when(item["end"]))
    if state == "upcoming":
        if item.get("due"):
            return ctx._("due {date}").format(date=ctx.when(item["due"]))
        if item.get("start"):
            return ctx._("starts {date}").format(date=ctx.when(item["start"]))
    if state == "lapsed" and item.get("end"):
        return ctx._("ended {date}").format(date=ctx.when(item["end"]))
    return state_label(str(state), ctx)


def alert_context(line: AlertLine, ctx: Ctx) -> str:
    """The second line: number, kind, parties, scope, head count and state — "#1 Strike halt · Russia · energy
    infrastructure · day 2 of 30" (HTML, escaped)."""
    item = line.item
    label = kind_label(str(item.get("kind")), ctx)
    names = [party(n, ctx) for n in item.get("actors") or []]
    parts = [label[:1].upper() + label[1:], clipped(", ".join(names), NAME_WIDTH) or ctx._("Unnamed parties")]
    if item.get("scope"):
        parts.append(clipped(str(item["scope"]), SCOPE_WIDTH))
    if item.get("quantity") is not None and not item.get("duration_days"):
        parts.append(_count(item, ctx))
    glance = _glance(item, ctx)
    if glance:
        parts.append(glance)
    return f"#{line.commitment_id} " + esc(" · ".join(parts))


def alert_sources(sources: Sequence[AlertSource], ctx: Ctx) -> str | None:
    """The third line: at most three sources by short title and day, then how many more (HTML, escaped)."""
    first: dict[str, AlertSource] = {}
    for source in sources:
        if source.title:
            first.setdefault(source.title, source)
    unique = list(first.values())
    if not unique:
        return None
    shown = []
    for source in unique[:ALERT_SOURCES_MAX]:
        text = f"<i>{esc(clipped(source_title(source.title, ctx), SOURCE_WIDTH))}</i>"
        if source.published:
            text += f" · {esc(ctx.date(source.published))}"
        shown.append(text)
    more = len(unique) - ALERT_SOURCES_MAX
    tail = " " + esc(ctx.n_("+{n} more", "+{n} more", more).format(n=ctx.number(more))) if more > 0 else ""
    return "📰 " + "; ".join(shown) + tail


def alert_headline(line: AlertLine, ctx: Ctx) -> str:
    """The first line, icon and bold text (HTML)."""
    if line.correction is not None:
        icon, text = correction_headline(line.correction, line.item, ctx)
    elif line.milestone is not None:
        icon, text = milestone_headline(line.milestone, line.item, ctx)
    else:
        icon, text = "⚠", conflict_headline(line.conflict_kind or "", line.facts, line.item, ctx)
    return f"{icon} <b>{esc(text)}</b>"


def alert_block(line: AlertLine, ctx: Ctx) -> str:
    """One alert in full: what happened, the commitment and its state, the sources."""
    lines = [alert_headline(line, ctx), alert_context(line, ctx)]
    if line.correction is not None and line.correction.get("reason"):
        reason = ctx._("Reason: {reason}").format(reason=short(str(line.correction["reason"]), SUMMARY_WIDTH))
        lines.append(esc(reason))
    if line.facts is None and line.summary and line.milestone is None and line.correction is None:
        lines.append(esc(short(line.summary, SUMMARY_WIDTH)))
    sources = alert_sources(line.sources, ctx)
    if sources:
        lines.append(sources)
    return "\n".join(lines)


def alert_message(lines: Sequence[AlertLine], mode: AlertMode, ctx: Ctx) -> str:
    """One message for the alerts of one chat that fall due together; always within Telegram's 4096 characters.

    On time or late, each alert is shown in full; an offline summary (old news, told once) gives each its first
    line and number only.
    """
    header = {
        "on_time": "",
        "late": esc(ctx._("Sent late — the bot was offline when this fell due.")),
        "offline_summary": esc(
            ctx.n_(
                "While the bot was offline, {n} alert fell due:",
                "While the bot was offline, {n} alerts fell due:",
                len(lines),
            ).format(n=ctx.number(len(lines)))
        ),
    }[mode]
    summary = mode == "offline_summary"
    shown = [f"<i>{header}</i>"] if header else []
    size = sum(len(part) + 2 for part in shown)
    budget = LIMIT - 80  # room for the closing "… and N more" line
    for count, line in enumerate(lines):
        rendered = f"{alert_headline(line, ctx)} · #{line.commitment_id}" if summary else alert_block(line, ctx)
        separator = 1 if summary else 2
        if count == ALERT_LINES_MAX or size + len(rendered) + separator > budget:
            rest = len(lines) - count
            more = ctx.n_("… and {n} more — see /status", "… and {n} more — see /status", rest)
            shown.append(esc(more.format(n=ctx.number(rest))))
            break
        shown.append(rendered)
        size += len(rendered) + separator
    return ("\n" if summary else "\n\n").join(shown)


def health(report: Mapping[str, object], ctx: Ctx) -> str:
    """The outbox at a glance, for admins: what is owed, sent, failed, and the last error."""
    heading = ctx._("Alert delivery")
    lines = [f"<b>{esc(heading)}</b>"]
    for key, label in (
        ("pending", N_("pending")),
        ("sending", N_("sending now")),
        ("sent", N_("sent")),
        ("failed", N_("failed")),
        ("disabled_chats", N_("chats paused (blocked or removed)")),
    ):
        lines.append(f"{esc(ctx._(label))}: {ctx.number(int(str(report.get(key, 0))))}")
    error = report.get("last_error")
    if error:
        lines.append(esc(ctx._("Last error: {error}").format(error=error)))
    return "\n".join(lines)


# --- corrections and review (admins) ---------------------------------------------------------------------------
#
# Editors correct, merge, retract and review what the extractor found (storage.edits). Every answer is one short
# message; a refusal is one line that says what would be accepted, and that nothing was changed.

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
        return _days(int(value), ctx)
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


def _review_mark(item: Item, ctx: Ctx) -> str:
    """ " · 🔎 unconfirmed" after a commitment only admins see (it waits for review); nothing otherwise."""
    return " · 🔎 " + esc(ctx._("unconfirmed")) if item.get("review") == UNCONFIRMED else ""


def _named(number: int, name: str | None) -> str:
    return f"<b>#{number}</b>" + (f" {esc(short(name))}" if name else "")


def _fields_list(ctx: Ctx) -> str:
    return ", ".join(f"<code>{field}</code>" for field in FIELD_LABELS)


def edit_usage(ctx: Ctx) -> str:
    """/edit without a valid number: how to write it."""
    return "✏️ " + ctx._("Write it as {usage}, for example {example}. Fields: {fields}.").format(
        usage="<code>/edit ID FIELD VALUE — " + esc(ctx._("reason")) + "</code>",
        example="<code>/edit 12 end 2025-04-16 — " + esc(ctx._("Kremlin readout")) + "</code>",
        fields=_fields_list(ctx),
    )


def merge_usage(ctx: Ctx) -> str:
    return "🔀 " + ctx._("Write it as {usage}, for example {example}.").format(
        usage="<code>/merge ID INTO_ID</code>", example="<code>/merge 14 3</code>"
    )


def retract_usage(ctx: Ctx) -> str:
    return "↩️ " + ctx._("Write it as {usage} or {report}, for example {example}.").format(
        usage="<code>/retract ID " + esc(ctx._("[reason]")) + "</code>",
        report="<code>/retract report N " + esc(ctx._("[reason]")) + "</code>",
        example="<code>/retract 14 " + esc(ctx._("only an idea, never agreed")) + "</code>",
    )


def history_usage(ctx: Ctx) -> str:
    return "🕓 " + ctx._("Write it as {usage}, for example {example}.").format(
        usage="<code>/history ID</code>", example="<code>/history 3</code>"
    )


_EXPECTED = {
    "date": N_("Write a date like {a}, {b} or {c}."),
    "duration": N_("Write a duration like {a}, {b} or {c}."),
    "quantity": N_("Write a number like {a} or {b}."),
    "parties": N_("Name parties I know, like {a}."),
    "kind": N_("Use one of: {a}."),
    "status": N_("Use one of: {a}."),
}


def _accepted(expected: str, ctx: Ctx) -> str:
    """What a field accepts, with examples (HTML)."""
    code = "<code>{}</code>".format
    values: dict[str, str] = {
        "date": ctx._(_EXPECTED["date"]).format(
            a=code("2025-04-16"), b=code("2025-04-16 18:00 Europe/Moscow"), c=code("16 April")
        ),
        "duration": ctx._(_EXPECTED["duration"]).format(a=code("30 days"), b=code("72 hours"), c=code("30")),
        "quantity": ctx._(_EXPECTED["quantity"]).format(a=code("175"), b=code("175 prisoners")),
        "parties": ctx._(_EXPECTED["parties"]).format(a=code("Russia, Ukraine")),
        "kind": ctx._(_EXPECTED["kind"]).format(a=", ".join(code(k) for k in KINDS)),
        "status": ctx._(_EXPECTED["status"]).format(a=", ".join(code(k) for k in STATUS_LABELS)),
    }
    return values.get(expected, "")


def _unchanged(ctx: Ctx) -> str:
    return esc(ctx._("Nothing was changed."))


def edit_refused(error: EditError, ctx: Ctx) -> str:
    """Why a change was refused, in one line, with what would be accepted; nothing was written (storage.edits)."""
    number = error.item_id
    what = (
        ctx._("report #{id}").format(id=number)
        if error.target == "report"
        else ctx._("commitment #{id}").format(id=number)
    )
    if error.reason == "unknown":
        return "⚠ " + esc(ctx._("There is no commitment #{id}.").format(id=number)) + " " + _unchanged(ctx)
    if error.reason == "unknown_report":
        return "⚠ " + esc(ctx._("There is no report #{id}.").format(id=number)) + " " + _unchanged(ctx)
    if error.reason == "same":
        return "⚠ " + esc(ctx._("#{id} cannot be merged into itself.").format(id=number)) + " " + _unchanged(ctx)
    if error.reason == "empty":
        return edit_usage(ctx)
    if error.reason == "stale":
        return "⏳ " + esc(ctx._("This card is out of date: #{id} changed since it was sent.").format(id=number))
    if error.reason == "gone":
        if error.state == "merged" and error.other is not None:
            text = ctx._("#{id} was merged into #{other}; change that one instead.").format(
                id=number, other=error.other
            )
        elif error.state == "rejected":
            text = ctx._("#{id} was rejected in review.").format(id=number)
        else:
            text = ctx._("#{id} was retracted.").format(id=number)
        return "⚠ " + esc(text) + " " + _unchanged(ctx)
    if error.reason == "already":
        by = error.by or ctx._("an editor")
        done = {
            "retracted": N_("{what} was already retracted by {by}."),
            "confirmed": N_("{what} was already confirmed by {by}."),
            "rejected": N_("{what} was already rejected by {by}."),
        }.get(error.state or "", N_("{what} was already decided by {by}."))
        return "ℹ️ " + esc(ctx._(done).format(what=what, by=by)) + " " + _unchanged(ctx)
    invalid = error.invalid
    if invalid is None:
        return "⚠ " + _unchanged(ctx)
    shown = esc(short(invalid.value, 60))
    label = esc(field_label(invalid.field, ctx))
    if invalid.expected == "field":
        text = ctx._("“{value}” is not a field I can correct. Use one of: {fields}.").format(
            value=esc(short(invalid.field, 40)), fields=_fields_list(ctx)
        )
    elif invalid.expected == "order":
        text = esc(ctx._("The end would come before the start."))
    elif invalid.expected == "same":
        text = ctx._("The {field} is already {value}.").format(
            field=label, value=esc(edit_value(invalid.field, invalid.value, ctx))
        )
    elif invalid.expected == "text":
        text = ctx._("The {field} takes 1 to 200 characters, or {clear} to clear it.").format(
            field=label, clear="<code>-</code>"
        )
    else:
        text = ctx._("“{value}” is not a valid {field}.").format(value=shown, field=label)
        text += " " + _accepted(invalid.expected, ctx)
    return "⚠ " + text + " " + _unchanged(ctx)


def edited(outcome: EditOutcome, ctx: Ctx) -> str:
    """The answer to a correction: what moved, and who will be told."""
    item = outcome.commitment
    assert item is not None
    lines = ["✏️ " + ctx._("Corrected {commitment}:").format(commitment=_named(item.id, commitment_title(item, ctx)))]
    for change in outcome.changes:
        line = f"• {esc(field_label(change.field, ctx))}: {esc(edit_value(change.field, change.old, ctx))} → "
        line += f"<b>{esc(edit_value(change.field, change.new, ctx))}</b>"
        if change.derived:
            line += " " + esc(ctx._("(start + duration)"))
        lines.append(line)
    if outcome.told:
        told = ctx.n_(
            "A correction goes to {n} chat that had an alert with the old date.",
            "A correction goes to {n} chats that had an alert with the old date.",
            outcome.told,
        )
        lines.append("📣 " + esc(told.format(n=ctx.number(outcome.told))))
    if any(c.field in ("start", "end", "due", "duration") for c in outcome.changes) and item.review == "confirmed":
        lines.append("⏰ " + esc(ctx._("Pending alerts move to the new dates; what went out is not sent again.")))
    lines.append(esc(ctx._("Later sources that say otherwise are shown as conflicts; your value stays.")))
    return "\n".join(lines)


def commitment_title(tracked: Tracked, ctx: Ctx) -> str:
    """:func:`title` of a tracked commitment (plain text)."""
    return title(
        {
            "kind": tracked.kind,
            "actors": list(tracked.actors),
            "scope": tracked.scope,
            "duration_days": tracked.duration_days,
            "quantity": tracked.quantity,
            "headline": tracked.title,
        },
        ctx,
    )


def merged(outcome: EditOutcome, ctx: Ctx) -> str:
    item, went = outcome.commitment, outcome.merged
    assert item is not None
    assert went is not None
    text = ctx._("Merged #{gone} into {commitment}: its sources, reports and subscriptions are #{id}'s now.")
    return "🔀 " + text.format(gone=went.id, commitment=_named(item.id, commitment_title(item, ctx)), id=item.id)


def retracted(outcome: EditOutcome, ctx: Ctx) -> str:
    """The answer to /retract (a commitment or a report)."""
    lines: list[str] = []
    report = outcome.report
    if report is not None:
        day = f", {ctx.date(report.date)}" if report.date else ""
        lines.append(
            "↩️ "
            + ctx._("Retracted report #{id} ({kind}{day}): it counts for nothing now.").format(
                id=report.id, kind=esc(report_kind_label(report.kind, ctx)), day=esc(day)
            )
        )
    else:
        item = outcome.commitment
        assert item is not None
        lines.append(
            "↩️ "
            + ctx._(
                "Retracted {commitment}: it has left /status and the timeline, and its pending alerts are off."
            ).format(commitment=_named(item.id, commitment_title(item, ctx)))
        )
    if outcome.told:
        told = ctx.n_(
            "A correction goes to {n} chat that had an alert about it.",
            "A correction goes to {n} chats that had an alert about it.",
            outcome.told,
        )
        lines.append("📣 " + esc(told.format(n=ctx.number(outcome.told))))
    return "\n".join(lines)


def _when_edited(at: dt.datetime, ctx: Ctx) -> str:
    return ctx.datetime(at)


def _history_line(edit: EditView, ctx: Ctx) -> str:
    who = esc(short(edit.editor, 40))
    field = edit.field or ""
    if edit.action == "edit":
        what = ctx._("{field}: {old} → {new}").format(
            field=field_label(field, ctx), old=edit_value(field, edit.old, ctx), new=edit_value(field, edit.new, ctx)
        )
    elif edit.action == "merge" and field == "merged_from":
        what = ctx._("merged #{id} into this one").format(id=edit.new)
    elif edit.action == "merge":
        what = ctx._("merged this one into #{id}").format(id=edit.new)
    elif edit.report_id is not None:
        changed = N_("changed report #{id}")
        words = {"retract": N_("retracted report #{id}"), "confirm": N_("confirmed report #{id}"),
                 "reject": N_("rejected report #{id}")}  # fmt: skip
        what = ctx._(words.get(edit.action, changed)).format(id=edit.report_id)
    else:
        changed = N_("changed it")
        words = {"retract": N_("retracted it"), "confirm": N_("confirmed it"), "reject": N_("rejected it")}
        what = ctx._(words.get(edit.action, changed))
    line = f"• {esc(_when_edited(edit.at, ctx))} · <b>{who}</b>: {esc(what)}"
    if edit.reason:
        line += f" — <i>{esc(short(edit.reason, 200))}</i>"
    return line


def history(tracked: Tracked, edits: Sequence[EditView], ctx: Ctx) -> list[str]:
    """/history ID: the edits, merges, retractions and reviews, newest first; chunks of ≤ 4096 characters."""
    lines = [
        "🕓 " + ctx._("History of {commitment}").format(commitment=_named(tracked.id, commitment_title(tracked, ctx)))
    ]
    state = {
        "retracted": N_("Retracted: it is not shown any more."),
        "rejected": N_("Rejected in review: it is not shown."),
        "merged": N_("Merged into another commitment."),
        "unconfirmed": N_("Waits for review: only admins see it."),
    }.get(tracked.review)
    if state:
        lines.append(esc(ctx._(state)))
    if not edits:
        lines.append(esc(ctx._("No edits yet: it stands as its sources give it.")))
    lines += [_history_line(edit, ctx) for edit in edits]
    return split_html("\n".join(lines))


def history_json(tracked: Tracked, edits: Sequence[EditView]) -> dict[str, Any]:
    """`ceasefire-watch history ID --json`."""
    return {"id": tracked.id, "review": tracked.review, "edits": [edit.to_json() for edit in edits]}


def edit_menu(tracked: Tracked, ctx: Ctx) -> str:
    """/edit ID (or ✏️ on a review card): the current values; the buttons below pick the field to correct."""
    values = {
        "start": tracked.start,
        "end": tracked.end,
        "due": tracked.due,
        "duration": tracked.duration_days,
        "quantity": tracked.quantity,
        "parties": list(tracked.actors),
        "scope": tracked.scope,
        "kind": tracked.kind,
        "status": tracked.status,
        "title": tracked.title,
    }
    lines = ["✏️ " + ctx._("Correct {commitment}").format(commitment=_named(tracked.id, commitment_title(tracked, ctx)))]
    for field, value in values.items():
        shown = edit_value(field, value.isoformat() if isinstance(value, dt.date) else value, ctx)
        mark = " ✎" if _attribute(field) in tracked.corrected_fields else ""
        lines.append(f"{esc(field_label(field, ctx))}: {esc(shown)}{mark}")
    lines += ["", esc(ctx._("Pick the field to correct; I will ask for the value."))]
    return "\n".join(lines)


def _attribute(field: str) -> str:
    return {"duration": "duration_days", "parties": "actors"}.get(field, field)


def edit_prompt(commitment_id: int, field: str, ctx: Ctx) -> str:
    """Asks for a field's new value; the answer is a reply to this message."""
    return "✏️ " + ctx._(
        "New {field} for #{id}? Reply to this message, for example {example}. Add {reason} to say why."
    ).format(
        field=esc(field_label(field, ctx)),
        id=commitment_id,
        example=f"<code>{esc(EDIT_EXAMPLES.get(field, ''))}</code>",
        reason="<code>— " + esc(ctx._("reason")) + "</code>",
    )


def prompt_expired(ctx: Ctx) -> str:
    return "⏳ " + ctx._("That question has expired. Send {usage}.").format(usage="<code>/edit ID FIELD VALUE</code>")


def merge_choices(tracked: Tracked, targets: Sequence[Tracked], ctx: Ctx) -> str:
    """🔀 on a review card: which commitment to merge this one into (buttons below, the likeliest first)."""
    if not targets:
        return "🔀 " + ctx._("There is no other commitment of this kind to merge #{id} into. Type {usage}.").format(
            id=tracked.id, usage=f"<code>/merge {tracked.id} INTO_ID</code>"
        )
    return "🔀 " + ctx._("Merge {commitment} into which one?").format(
        commitment=_named(tracked.id, commitment_title(tracked, ctx))
    )


def _evidence(text: str, title_: str, published: Moment | None, ctx: Ctx) -> str:
    quote = f"“{esc(clipped(text, EVIDENCE_WIDTH))}”" if text.strip() else ""
    source = f"<i>{esc(clipped(title_, SOURCE_WIDTH))}</i>"
    if published is not None:
        source += f" · {esc(ctx.date(published))}"
    return f"{quote} — {source}" if quote else source


def _decision(decided: tuple[str, str] | None, ctx: Ctx) -> list[str]:
    if decided is None:
        return []
    state, by = decided
    icon, words = {
        "confirmed": ("✅", N_("Confirmed by {by}: subscribers are alerted from now on.")),
        "rejected": ("❌", N_("Rejected by {by}: it is gone from /status.")),
    }.get(state, ("ℹ️", N_("Decided by {by}.")))
    return ["", icon + " " + esc(ctx._(words).format(by=by))]


def review_card(tracked: Tracked, ctx: Ctx, *, decided: tuple[str, str] | None = None) -> str:
    """A new commitment waiting for review: kind, parties, dates, number, the evidence sentences and their sources.

    ``decided`` (state, editor) turns it into the record of what was done, without buttons."""
    lines = [
        "🔎 <b>" + esc(ctx._("To review: new commitment #{id}").format(id=tracked.id)) + "</b>",
        "<b>" + esc(commitment_title(tracked, ctx)) + "</b>",
        _field(ctx._("Kind:"), esc(kind_label(tracked.kind, ctx)))
        + " · "
        + _field(ctx._("Parties:"), parties(list(tracked.actors), ctx)),
    ]
    dates = [
        _field(label, esc(ctx.when(value)))
        for label, value in (
            (ctx._("Starts:"), tracked.start),
            (ctx._("Ends:"), tracked.end),
            (ctx._("Due:"), tracked.due),
        )
        if value is not None
    ]
    if tracked.duration_days:
        dates.append(_field(ctx._("Duration:"), esc(_days(tracked.duration_days, ctx))))
    if tracked.quantity is not None:
        dates.append(_field(ctx._("Number:"), esc(ctx.number(tracked.quantity))))
    if dates:
        lines.append(" · ".join(dates))
    if tracked.status == "proposed":
        lines.append(esc(ctx._("Only proposed so far.")))
    lines += ["", "<b>" + esc(ctx._("Evidence:")) + "</b>"]
    for source in tracked.sources[:REVIEW_SOURCES_MAX]:
        lines.append("• " + _evidence(source.evidence, source.title, source.published, ctx))
    more = len(tracked.sources) - REVIEW_SOURCES_MAX
    if more > 0:
        lines.append(esc(ctx.n_("+{n} more", "+{n} more", more).format(n=ctx.number(more))))
    lines += _decision(decided, ctx)
    return "\n".join(split_html("\n".join(lines), LIMIT)[:1])


def report_card(
    report: ReportView, commitment: Tracked | None, ctx: Ctx, *, decided: tuple[str, str] | None = None
) -> str:
    """A report on a confirmed commitment waiting for review before its conflicts are alerted."""
    about = ctx._("on #{id}").format(id=commitment.id) if commitment is not None else ""
    lines = ["🔎 <b>" + esc(ctx._("To review: report #{id}").format(id=report.id) + f" {about}".rstrip()) + "</b>"]
    if commitment is not None:
        lines.append("<b>" + esc(commitment_title(commitment, ctx)) + "</b>")
    lines.append(
        _report_line(
            {
                "kind": report.kind,
                "date": iso(report.date),
                "claimed_by": report.claimed_by,
                "accused": list(report.accused),
                "quantity": report.quantity,
            },
            ctx,
        )
    )
    lines += ["", "<b>" + esc(ctx._("Evidence:")) + "</b>"]
    lines.append("• " + _evidence(report.evidence, report.source_title, report.source_published, ctx))
    lines += _decision(decided, ctx)
    return "\n".join(lines)


def review_placeholder(target: str, item_id: int, ctx: Ctx) -> str:
    """A review card when the item could not be looked up (the buttons still work on what is stored)."""
    if target == "report":
        return "🔎 <b>" + esc(ctx._("To review: report #{id}").format(id=item_id)) + "</b>"
    return "🔎 <b>" + esc(ctx._("To review: new commitment #{id}").format(id=item_id)) + "</b>"


def review_done(target: str, item_id: int, confirmed: bool, ctx: Ctx) -> str:
    """The toast after ✅ / ❌ (plain text: button answers show no markup)."""
    if target == "report":
        if confirmed:
            return ctx._("Confirmed report #{id}: its conflicts are alerted now.").format(id=item_id)
        return ctx._("Rejected report #{id}: it counts for nothing.").format(id=item_id)
    if confirmed:
        return ctx._("Confirmed #{id}: subscribers are alerted from now on.").format(id=item_id)
    return ctx._("Rejected #{id}: it is gone from /status.").format(id=item_id)


def review_queue(queue: EditQueue, ctx: Ctx) -> str:
    """/review: what waits, oldest first; a button per item opens its card."""
    if not len(queue):
        return "🔎 " + esc(ctx._("Nothing waits for review."))
    count = len(queue)
    lines = ["🔎 <b>" + esc(ctx.n_("{n} item waits for review", "{n} items wait for review", count).format(
        n=ctx.number(count))) + "</b>"]  # fmt: skip
    for tracked in queue.commitments:
        lines.append("• " + _named(tracked.id, commitment_title(tracked, ctx)))
    for report, owner in queue.reports:
        day = f", {ctx.date(report.date)}" if report.date else ""
        text = ctx._("report #{id} on #{owner}: {kind}{day}").format(
            id=report.id, owner=owner.id, kind=report_kind_label(report.kind, ctx), day=day
        )
        lines.append("• " + esc(text))
    return "\n".join(split_html("\n".join(lines), LIMIT)[:1])


def correction_headline(correction: Mapping[str, Any], item: Item, ctx: Ctx) -> tuple[str, str]:
    """(icon, plain text) of a correction's first line: "Correction: strike halt (30 days) — end now Wed 16 Apr
    (was Thu 17 Apr)"; a retraction says to disregard what was said about it."""
    what = _what(item, ctx)
    kind = correction.get("what")
    if kind == "retracted":
        return "↩️", ctx._("Correction: {what} was retracted — disregard the alerts about it").format(what=what)
    if kind == "report_retracted":
        report = correction.get("report") or {}
        label = report_kind_label(str(report.get("kind")), ctx)
        if report.get("date"):
            text = ctx._("Correction: the {report} report of {date} on the {what} was withdrawn")
            return "↩️", text.format(report=label, date=ctx.date(str(report["date"])), what=what)
        return "↩️", ctx._("Correction: the {report} report on the {what} was withdrawn").format(report=label, what=what)
    changes = [
        ctx._("{field} now {new} (was {old})").format(
            field=field_label(str(c.get("field")), ctx),
            new=edit_value(str(c.get("field")), c.get("new"), ctx),
            old=edit_value(str(c.get("field")), c.get("old"), ctx),
        )
        for c in correction.get("changes") or []
    ]
    return "✏️", ctx._("Correction: {what} — {changes}").format(what=what, changes="; ".join(changes))
