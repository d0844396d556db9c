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
from articles.model import Moment
from bot.i18n import N_, Ctx
from schedules.plan import Milestone
from storage.chats import ChatView
from storage.loader import LoadOutcome
from tracking.conflicts import ConflictFacts
from tracking.model import ConflictView

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
    scope stays as the source wrote it.
    """
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
        f"    {esc(progress(item, ctx))}{_conflict_mark(item)}"
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
    source = f" — <i>{esc(report['source'])}</i>" if report.get("source") else ""
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
    titles = list(dict.fromkeys(s["title"] for s in conflict.get("sources") or [] if s.get("title")))
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
        lines.append(f"• <i>{esc(source['title'])}</i> · {language}{published}")
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
            ("/health", ctx._("alert delivery: pending, sent, failed, paused chats, last error")),
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


def load_result(outcome: LoadOutcome, ctx: Ctx, *, dated_by: Moment | None = None) -> list[str]:
    """What loading one article did: created, merged, linked, conflicts — or that it was already known.

    ``dated_by``: the page showed no publication date and was dated by the message that brought it.
    """
    head = "📄 <b>" + esc(outcome.title) + "</b>"
    if outcome.duplicate:
        return split_html(f"{head}\n" + esc(ctx._("This article was loaded before; nothing changed.")))
    lines = [head]
    if dated_by is not None:
        note = ctx._("The page shows no publication date, so it is dated by your message: {when}.")
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


def stale_button(ctx: Ctx) -> str:
    return esc(ctx._("This button is out of date. Send /status for a fresh list."))


def timeline_caption(ctx: Ctx) -> str:
    return esc(ctx._("Timeline of all commitments, dates in {zone}.").format(zone=str(ctx.tz)))


def calendar_caption(ctx: Ctx) -> str:
    return esc(ctx._("Calendar file: open it to add the dates to your calendar."))


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
    """

    commitment_id: int
    item: Item
    at: dt.datetime
    milestone: Milestone | None = None
    conflict_kind: str | None = None
    facts: ConflictFacts | None = None
    summary: str | None = None
    sources: tuple[AlertSource, ...] = ()


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
        text = f"<i>{esc(clipped(source.title, SOURCE_WIDTH))}</i>"
        if source.published:
            text += f" · {esc(ctx.date(source.published))}"
        shown.append(text)
    more = len(unique) - ALERT_SOURCES_MAX
    tail = " " + esc(ctx.n_("+{n} more", "+{n} more", more).format(n=ctx.number(more))) if more > 0 else ""
    return "📰 " + "; ".join(shown) + tail


def alert_headline(line: AlertLine, ctx: Ctx) -> str:
    """The first line, icon and bold text (HTML)."""
    if line.milestone is not None:
        icon, text = milestone_headline(line.milestone, line.item, ctx)
    else:
        icon, text = "⚠", conflict_headline(line.conflict_kind or "", line.facts, line.item, ctx)
    return f"{icon} <b>{esc(text)}</b>"


def alert_block(line: AlertLine, ctx: Ctx) -> str:
    """One alert in full: what happened, the commitment and its state, the sources."""
    lines = [alert_headline(line, ctx), alert_context(line, ctx)]
    if line.facts is None and line.summary and line.milestone is None:
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
