"""/status: the list, a page of it, and one commitment in detail with its reports, conflicts and next milestone."""

from __future__ import annotations

from collections.abc import Sequence

from bot.display.alerts import stored_conflict
from bot.display.base import (
    ICONS,
    SOURCE_WIDTH,
    Item,
    conflict_kind_label,
    days_text,
    edit_value,
    esc,
    field_label,
    field_line,
    kind_label,
    language_name,
    parties,
    party,
    report_kind_label,
    review_mark,
    short,
    source_title,
    state_label,
    title,
)
from bot.display.markup import split_html
from bot.i18n import Ctx
from schedules.plan import Milestone
from tracking.model import UNCONFIRMED, ConflictFacts
from tracking.state import URGENCY

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
        f"    {esc(progress(item, ctx))}{_conflict_mark(item)}{review_mark(item, ctx)}"
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


def report_line(report: Item, ctx: Ctx) -> str:
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
    facts = ConflictFacts.from_mapping(conflict["facts"]) if conflict.get("facts") else None
    return stored_conflict(str(kind), facts, conflict.get("summary"), ctx)


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
    lines.append(field_line(ctx._("Kind:"), esc(kind_label(item["kind"], ctx))))
    lines.append(field_line(ctx._("Parties:"), parties(item.get("actors") or [], ctx)))
    if item.get("scope"):
        lines.append(field_line(ctx._("Scope:"), esc(item["scope"])))
    for condition in item.get("conditions") or []:
        lines.append(field_line(ctx._("Condition:"), esc(condition)))
    for key, label in (("start", ctx._("Starts:")), ("end", ctx._("Ends:")), ("due", ctx._("Due:"))):
        if item.get(key) and not (key == "due" and item[key] == item.get("end")):  # a deadline that ends it: once
            lines.append(field_line(label, esc(ctx.when(item[key]))))
    if item.get("duration_days"):
        lines.append(field_line(ctx._("Duration:"), esc(days_text(int(item["duration_days"]), ctx))))
    if item.get("quantity") is not None:
        lines.append(field_line(ctx._("Number:"), esc(ctx.number(item["quantity"]))))

    sources = item.get("sources") or []
    lines += ["", _heading(ctx._("Sources ({n})"), len(sources), ctx)]
    for source in sources:
        published = f" · {esc(ctx.when(source['published']))}" if source.get("published") else ""
        language = esc(language_name(str(source.get("language")), ctx))
        lines.append(f"• <i>{esc(source_title(source['title'], ctx))}</i> · {language}{published}")
    reports = item.get("reports") or []
    if reports:
        lines += ["", _heading(ctx._("Reports ({n})"), len(reports), ctx)]
        lines += [report_line(report, ctx) for report in reports]
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


def nothing_tracked(ctx: Ctx) -> str:
    return esc(ctx._("Nothing is tracked yet. Commitments appear here once articles are loaded."))
